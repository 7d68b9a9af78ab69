//! Every main page, as each role reads it, in both languages, on a desk (1280 px) and on a
//! phone (390 px): the page never scrolls sideways (nor, on a phone, does a table inside its
//! frame: tables stack), no button or link sits off the screen's edge, the header stays one
//! line, a Vietnamese page holds none of the English leftovers seen before, chart text is at
//! least 12 px, and axe-core (installed from the npm registry into `target/axe` on first use) finds no
//! accessibility violation. Screenshots go to `target/screens/<role>-<lang>-<width>-<page>.png`
//! for people to look at.
//!
//! The test visits everything before it judges, then fails with the full list of what it
//! found, page by page, so one run shows all the work left rather than the first problem.

use super::browser::{self, click, fill, source};
use super::server::{self, PASSWORD, Server};
use aidledger::actions::{Actor, queries};
use fantoccini::{Client, Locator};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// English text that must never reach a Vietnamese page (the leftovers seen in issue 11).
const ENGLISH_ON_VI: &[&str] = &[
    "the latest",
    "disbursement.record",
    "system:demo",
    "aid_item #",
    "(s)",
    "rate before",
    "aid_item.",
    "commitment.record",
    "Draft",
    "Submitted",
    "Verified",
    "Log in",
    "API tokens",
];

const WIDTHS: [(u32, u32); 2] = [(1280, 900), (390, 844)];

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
        PathBuf::from,
    )
}

/// axe-core's source, installed with npm into `target/axe` when missing; `Err` says why it
/// cannot be had (then the accessibility check is reported as skipped).
fn axe_source() -> Result<String, String> {
    let prefix = target_dir().join("axe");
    let file = prefix.join("node_modules/axe-core/axe.min.js");
    if !file.exists() {
        let out = std::process::Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&prefix)
            .arg("axe-core@4")
            .output()
            .map_err(|e| format!("npm could not be run: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "npm install axe-core@4 failed: {}",
                String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .last()
                    .unwrap_or("")
            ));
        }
    }
    std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))
}

async fn goto(c: &Client, s: &Server, path: &str) {
    c.goto(&format!("{}{path}", s.base))
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"));
}

/// Logs in from the login page shown in `lang` (so the language chosen there is kept).
async fn login_in(c: &Client, s: &Server, user: &str, lang: &str) {
    goto(c, s, &format!("/login?lang={lang}")).await;
    fill(c, "form[action='/login']", "username", user).await;
    fill(c, "form[action='/login']", "password", PASSWORD).await;
    click(c, "form[action='/login'] button[type='submit']").await;
    let url = c.current_url().await.unwrap();
    assert!(
        !url.path().starts_with("/login"),
        "{user} could not log in: {}",
        source(c).await
    );
}

/// Opens whichever header menu is shown at this width and holds `form[action=…]`, then
/// presses that form's button, as a person would.
pub async fn header_action(c: &Client, action: &str) {
    c.execute(
        "const action = arguments[0];
         for (const d of document.querySelectorAll('header details.dropdown')) {
           if (d.offsetParent !== null && d.querySelector(`form[action='${action}']`)) { d.open = true; }
         }",
        vec![serde_json::json!(action)],
    )
    .await
    .expect("opening the header menu");
    let buttons = c
        .find_all(Locator::Css(&format!(
            "header form[action='{action}'] button"
        )))
        .await
        .unwrap_or_default();
    for b in buttons {
        if b.is_displayed().await.unwrap_or(false) {
            let old = c.find(Locator::Css("html")).await.expect("a page");
            b.click().await.expect("click");
            for _ in 0..200 {
                if old.tag_name().await.is_err() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
            return;
        }
    }
    panic!("no visible button of form[action='{action}'] in the header");
}

/// Saves the whole page (the window is made as tall as the page for the picture).
async fn screenshot_whole(c: &Client, width: u32, height: u32, name: &str) {
    let dir = target_dir().join("screens");
    std::fs::create_dir_all(&dir).expect("the screens folder");
    let tall = c
        .execute("return document.documentElement.scrollHeight", vec![])
        .await
        .ok()
        .and_then(|v| v.as_u64())
        .and_then(|h| u32::try_from(h).ok())
        .unwrap_or(height)
        .clamp(height, 9000);
    c.set_window_size(width, tall).await.ok();
    if let Ok(png) = c.screenshot().await {
        std::fs::write(dir.join(format!("{name}.png")), png).expect("the screenshot is written");
    }
    c.set_window_size(width, height).await.ok();
}

/// What one page shows that a person would call a fault, one line each.
async fn judge(c: &Client, lang: &str, axe: Option<&str>) -> Vec<String> {
    let mut found = Vec::new();
    let m = c
        .execute(
            "const h = document.querySelector('header.top');
             const svgText = [...document.querySelectorAll('svg text')].map(t => {
               const m = t.getScreenCTM();
               return parseFloat(getComputedStyle(t).fontSize) * (m ? Math.hypot(m.a, m.b) : 1);
             });
             const clone = document.body.cloneNode(true);
             clone.querySelectorAll('[lang]:not([lang=vi]), script, style').forEach(e => e.remove());
             const id = e => e.id || (e.querySelector('table[id]') || {}).id || e.className;
             const sideways = [...document.querySelectorAll('.table-wrap, table')]
               .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1
                            && getComputedStyle(e).overflowX !== 'visible')
               .map(id);
             const unreachable = [...document.querySelectorAll('main button, main a, main summary')]
               .filter(e => e.checkVisibility() && e.getBoundingClientRect().right > window.innerWidth + 1)
               .map(e => (e.getAttribute('aria-label') || e.textContent).trim().slice(0, 40));
             return {
               sideways, unreachable,
               scroll: document.documentElement.scrollWidth,
               inner: window.innerWidth,
               header: h ? Math.round(h.getBoundingClientRect().height) : 0,
               text: clone.textContent,
               smallest: svgText.length ? Math.min(...svgText) : null,
             };",
            vec![],
        )
        .await
        .expect("measuring the page");
    let scroll = m["scroll"].as_i64().unwrap_or(0);
    let inner = m["inner"].as_i64().unwrap_or(0);
    if scroll > inner {
        found.push(format!(
            "scrolls sideways (scrollWidth {scroll} > innerWidth {inner})"
        ));
    }
    let names = |key: &str| -> Vec<String> {
        m[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    };
    let sideways = names("sideways");
    if inner < 700 && !sideways.is_empty() {
        found.push(format!(
            "table(s) scroll sideways inside their frame instead of stacking: {}",
            sideways.join(", ")
        ));
    }
    let unreachable = names("unreachable");
    if !unreachable.is_empty() {
        found.push(format!(
            "{} control(s) off the right edge of the screen: {}",
            unreachable.len(),
            unreachable
                .iter()
                .take(5)
                .cloned()
                .collect::<Vec<_>>()
                .join(" | ")
        ));
    }
    let header = m["header"].as_i64().unwrap_or(0);
    if header > 64 {
        found.push(format!("the header takes {header} px (more than one line)"));
    }
    if let Some(px) = m["smallest"].as_f64()
        && px < 11.95
    {
        found.push(format!("chart text drawn at {px:.1} px (below 12)"));
    }
    if lang == "vi" {
        let text = m["text"].as_str().unwrap_or_default();
        for word in ENGLISH_ON_VI {
            if let Some(at) = text.find(word) {
                let before: String = text[..at]
                    .chars()
                    .rev()
                    .take(40)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                let after: String = text[at..].chars().take(word.chars().count() + 40).collect();
                let around = format!("{before}{after}")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                found.push(format!(
                    "English \"{word}\" on a Vietnamese page: …{around}…"
                ));
            }
        }
    }
    if let Some(src) = axe {
        found.extend(axe_violations(c, src).await);
    }
    found
}

async fn axe_violations(c: &Client, src: &str) -> Vec<String> {
    if c.execute(&format!("{src}\n;return typeof axe;"), vec![])
        .await
        .map(|v| v != "object")
        .unwrap_or(true)
    {
        return vec!["axe-core could not be loaded into the page".into()];
    }
    let out = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {resultTypes: ['violations']})
               .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact,
                  nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')), count: v.nodes.length}))))
               .catch(e => done([{id: 'axe-error', impact: String(e), nodes: [], count: 0}]));",
            vec![],
        )
        .await
        .unwrap_or_else(|e| serde_json::json!([{"id": "axe-error", "impact": e.to_string()}]));
    out.as_array()
        .into_iter()
        .flatten()
        .map(|v| {
            format!(
                "axe {} ({}) on {} element(s): {}",
                v["id"].as_str().unwrap_or("?"),
                v["impact"].as_str().unwrap_or("?"),
                v["count"],
                v["nodes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|n| n.as_str())
                    .collect::<Vec<_>>()
                    .join(" | ")
            )
        })
        .collect()
}

/// The main pages of each role, as (path, short name).
fn main_pages(item: i64, own_item: i64) -> Vec<(&'static str, Vec<(String, &'static str)>)> {
    vec![
        (
            "e2e_coordinator",
            vec![
                ("/".into(), "dashboard"),
                ("/items".into(), "items"),
                (format!("/items/{item}"), "item"),
                ("/organisations".into(), "organisations"),
                ("/review".into(), "review"),
                ("/periods".into(), "periods"),
                ("/rates".into(), "rates"),
                ("/account/tokens".into(), "tokens"),
                ("/programmes".into(), "programmes"),
                ("/programmes/new".into(), "programme-form"),
                ("/proposals".into(), "proposals"),
                ("/proposals/new".into(), "proposal-form"),
            ],
        ),
        (
            "e2e_reviewer",
            vec![
                ("/".into(), "dashboard"),
                ("/items".into(), "items"),
                ("/review".into(), "review"),
                ("/periods".into(), "periods"),
                ("/rates".into(), "rates"),
            ],
        ),
        (
            "e2e_ngo",
            vec![
                ("/portal".into(), "portal"),
                ("/portal/proposals".into(), "portal-proposals"),
                ("/items".into(), "items"),
                (format!("/items/{own_item}"), "item"),
                ("/account/tokens".into(), "tokens"),
            ],
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(aidledger_browser),
    ignore = "needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)"
)]
async fn every_main_page_per_role_language_and_width() {
    if let Some(why) = browser::missing() {
        panic!("the browser was found when the tests were built, but now {why}");
    }
    let axe = axe_source();
    if let Err(why) = &axe {
        // CI must run axe (the issue asks for it there); elsewhere say plainly it did not.
        assert!(
            std::env::var_os("CI").is_none(),
            "axe-core is required in CI: {why}"
        );
        eprintln!("SKIPPED: the axe-core check ({why}); the other checks run");
    }
    let axe = axe.ok();
    let s = server::start().await;
    let driver = browser::start_driver().await;
    let system = Actor::system("e2e check");
    let items = queries::list_items(
        &s.ctx,
        &system,
        &queries::ItemFilter {
            limit: 500,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let item = items.first().expect("demo items").id;
    let own = items
        .iter()
        .find(|i| i.donor_id == server::NGO_ORG)
        .expect("an item of the test NGO")
        .id;
    let mut faults: Vec<String> = Vec::new();
    let mut seen = 0;
    for (width, height) in WIDTHS {
        let c = browser::open(&driver, width, height).await;
        for lang in ["vi", "en"] {
            // Before login: the login page and a missing page keep a way back.
            goto(&c, &s, &format!("/login?lang={lang}")).await;
            for f in judge(&c, lang, axe.as_deref()).await {
                faults.push(format!("anonymous {lang} {width} /login: {f}"));
            }
            screenshot_whole(
                &c,
                width,
                height,
                &format!("anonymous-{lang}-{width}-login"),
            )
            .await;
            goto(&c, &s, "/no/such/page").await;
            if c.find(Locator::Css("main a[href='/login']")).await.is_err() {
                faults.push(format!(
                    "anonymous {lang} {width} 404: no link back to the login page"
                ));
            }
            screenshot_whole(&c, width, height, &format!("anonymous-{lang}-{width}-404")).await;
            for (user, pages) in main_pages(item, own) {
                let role = user.trim_start_matches("e2e_");
                login_in(&c, &s, user, lang).await;
                for (path, name) in &pages {
                    goto(&c, &s, path).await;
                    let html_lang = browser::attr_of(&c, "html", "lang")
                        .await
                        .unwrap_or_default();
                    if html_lang != lang {
                        faults.push(format!(
                            "{role} {lang} {width} {path}: the page is in \"{html_lang}\", not the language chosen at login"
                        ));
                    }
                    for f in judge(&c, lang, axe.as_deref()).await {
                        faults.push(format!("{role} {lang} {width} {path}: {f}"));
                    }
                    screenshot_whole(&c, width, height, &format!("{role}-{lang}-{width}-{name}"))
                        .await;
                    seen += 1;
                }
                header_action(&c, "/logout").await;
            }
        }
        c.close().await.ok();
    }
    assert!(seen >= 60, "only {seen} pages were visited");
    assert!(
        faults.is_empty(),
        "{} fault(s) on the main pages:\n{}",
        faults.len(),
        faults.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(aidledger_browser),
    ignore = "needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)"
)]
async fn on_a_phone_the_menu_opens_and_the_portal_folds_its_forms() {
    if let Some(why) = browser::missing() {
        panic!("the browser was found when the tests were built, but now {why}");
    }
    let s = server::start().await;
    let driver = browser::start_driver().await;
    let c = browser::open(&driver, 390, 844).await;
    login_in(&c, &s, "e2e_ngo", "vi").await;
    goto(&c, &s, "/portal").await;
    // The navigation is behind the menu button, and one tap shows it.
    let nav_link = "header details.menu nav a[href='/items']";
    let link = c
        .find(Locator::Css(nav_link))
        .await
        .expect("the phone menu");
    assert!(
        !link.is_displayed().await.unwrap(),
        "the menu starts closed"
    );
    c.find(Locator::Css("header details.menu > summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(link.is_displayed().await.unwrap(), "the menu opened");
    // "Khóa API" is in the account part of the menu, not in the navigation.
    assert!(
        c.find(Locator::Css("header nav a[href='/account/tokens']"))
            .await
            .is_err()
    );
    // Each milestone's form is folded behind one "Báo cáo tiến độ" button.
    let forms = c
        .find_all(Locator::Css("form.progress-form"))
        .await
        .unwrap();
    assert!(!forms.is_empty(), "the test NGO has open milestones");
    for f in &forms {
        assert!(
            !f.is_displayed().await.unwrap(),
            "a progress form is folded"
        );
    }
    let summary = c
        .find(Locator::Css("details.report-progress > summary"))
        .await
        .unwrap();
    assert_eq!(summary.text().await.unwrap(), "Báo cáo tiến độ");
    summary.click().await.unwrap();
    assert!(forms[0].is_displayed().await.unwrap(), "the form opened");
    // English chosen on the login page is kept after login.
    header_action(&c, "/logout").await;
    login_in(&c, &s, "e2e_ngo", "en").await;
    goto(&c, &s, "/portal").await;
    assert_eq!(
        browser::attr_of(&c, "html", "lang").await.as_deref(),
        Some("en")
    );
    c.close().await.ok();
}
