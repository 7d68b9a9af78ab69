//! The browser side of the end-to-end tests: Debian's Chromium driven headless through
//! chromedriver (WebDriver), with screenshots saved for people to look at.

use fantoccini::{Client, ClientBuilder, Locator};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Why the browser tests cannot run here, if they cannot.
#[must_use]
pub fn missing() -> Option<String> {
    [CHROMIUM, CHROMEDRIVER]
        .iter()
        .find(|p| !std::path::Path::new(p).exists())
        .map(|p| format!("{p} is missing (apt-get install chromium chromium-driver)"))
}

/// A port nobody listens on right now.
#[must_use]
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

/// chromedriver, stopped when dropped.
pub struct Driver {
    child: Child,
    pub url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub async fn start_driver() -> Driver {
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Driver { child, url }
}

/// A headless Chromium window of `width` × `height`, with a profile of its own.
pub async fn open(driver: &Driver, width: u32, height: u32) -> Client {
    let profile = tempfile::tempdir().expect("a profile folder").keep();
    let caps = serde_json::json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                "--disable-dev-shm-usage", format!("--window-size={width},{height}"),
                format!("--user-data-dir={}", profile.display()),
            ]
        }
    });
    let serde_json::Value::Object(caps) = caps else {
        unreachable!()
    };
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a Chromium session")
}

/// Saves a screenshot of what the browser shows as `screenshots/<name>.png`.
pub async fn screenshot(c: &Client, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots");
    std::fs::create_dir_all(&dir).expect("the screenshots folder");
    let png = c.screenshot().await.expect("a screenshot");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("the screenshot is written");
}

/// Fills the field `name` of the form `form` (CSS selector) with `value`.
pub async fn fill(c: &Client, form: &str, name: &str, value: &str) {
    let el = c
        .find(Locator::Css(&format!("{form} [name=\"{name}\"]")))
        .await
        .unwrap_or_else(|e| panic!("{form} has no field {name}: {e}"));
    let tag = el.tag_name().await.unwrap_or_default();
    let kind = el.attr("type").await.ok().flatten().unwrap_or_default();
    if kind == "date" {
        // Typing into a date input follows the browser's locale (dd/mm/yyyy here); a person
        // picks the date, the test sets the ISO value the input submits.
        let arg = serde_json::to_value(&el).expect("an element reference");
        c.execute(
            "arguments[0].value = arguments[1];",
            vec![arg, serde_json::json!(value)],
        )
        .await
        .expect("setting a date");
    } else if tag == "select" {
        el.select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("{name} has no option {value}: {e}"));
    } else {
        el.clear().await.ok();
        el.send_keys(value).await.expect("typing");
    }
}

/// Clicks the element matched by `css` and waits until the next page has loaded (the old
/// document is gone and the new one is complete), so the next step never sees the old page.
pub async fn click(c: &Client, css: &str) {
    let old = c.find(Locator::Css("html")).await.expect("a page");
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("nothing matches {css}: {e}"))
        .click()
        .await
        .expect("click");
    for _ in 0..200 {
        if old.tag_name().await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    for _ in 0..200 {
        let ready = c.execute("return document.readyState", vec![]).await;
        if ready.is_ok_and(|v| v == "complete") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

pub async fn attr_of(c: &Client, css: &str, attr: &str) -> Option<String> {
    c.find(Locator::Css(css))
        .await
        .ok()?
        .attr(attr)
        .await
        .ok()?
}

pub async fn source(c: &Client) -> String {
    c.source().await.unwrap_or_default()
}

/// Chooses the `n`th option (from 0) of the select `name` in `form`.
pub async fn choose_nth(c: &Client, form: &str, name: &str, n: usize) {
    c.find(Locator::Css(&format!("{form} select[name=\"{name}\"]")))
        .await
        .unwrap_or_else(|e| panic!("{form} has no select {name}: {e}"))
        .select_by_index(n)
        .await
        .unwrap_or_else(|e| panic!("{name} has no option {n}: {e}"));
}
