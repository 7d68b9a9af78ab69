//! Evidence documents in a real browser (issue 11, point 7): an NGO officer reports a
//! disbursement from the portal and attaches a real PDF to it and to an open milestone by
//! choosing the file in the `<input type=file>`, sees both listed, downloads one with the
//! session and gets the same bytes; a disguised file (HTML named `.pdf`) is refused in
//! Vietnamese with nothing stored; an officer of another NGO gets 404 for the document's URL;
//! a coordinator finds the document on the item page and beside the report in the review
//! queue. Screenshots go to `target/screens/evidence-*.png`.

use super::browser::{self, click, fill, source};
use super::server::{self, PASSWORD, Server};
use aidledger::Store;
use aidledger::actions::users::{NewUser, create_user};
use aidledger::actions::{Actor, queries};
use aidledger::domain::item::{OrgKind, Role};
use fantoccini::{Client, Locator};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// A small but complete PDF: one A4 page saying "Bien ban ban giao", with a correct
/// cross-reference table, as a scanner or a word processor would write it.
fn real_pdf() -> Vec<u8> {
    let text = "BT /F1 18 Tf 72 770 Td (Bien ban ban giao - e2e) Tj ET";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for at in offsets {
        out.extend_from_slice(format!("{at:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn screens_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
            PathBuf::from,
        )
        .join("screens")
}

/// Saves the whole page at `width` as `target/screens/evidence-<name>.png`.
async fn screenshot_at(c: &Client, width: u32, name: &str) {
    c.set_window_size(width, 900).await.ok();
    c.execute("window.scrollTo(0, 0)", vec![]).await.ok();
    let tall = c
        .execute("return document.documentElement.scrollHeight", vec![])
        .await
        .ok()
        .and_then(|v| v.as_u64())
        .and_then(|h| u32::try_from(h).ok())
        .unwrap_or(900)
        .clamp(900, 9000);
    c.set_window_size(width, tall).await.ok();
    let dir = screens_dir();
    std::fs::create_dir_all(&dir).expect("the screens folder");
    let png = c.screenshot().await.expect("a screenshot");
    std::fs::write(dir.join(format!("evidence-{name}.png")), png).expect("the screenshot");
    c.set_window_size(1280, 900).await.ok();
}

async fn goto(c: &Client, s: &Server, path: &str) {
    c.goto(&format!("{}{path}", s.base))
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"));
}

async fn login(c: &Client, s: &Server, user: &str) {
    goto(c, s, "/login?lang=vi").await;
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

/// Opens the `<details>` that holds the form `form_id`, chooses `file` in its file field and
/// presses its button, then waits for the page it lands on.
async fn attach(c: &Client, form_id: &str, file: &Path) {
    c.execute(
        "const f = document.getElementById(arguments[0]);
         for (let d = f.closest('details'); d; d = d.parentElement.closest('details')) { d.open = true; }
         f.scrollIntoView();",
        vec![serde_json::json!(form_id)],
    )
    .await
    .expect("opening the upload form");
    c.find(Locator::Css(&format!("#{form_id} input[type='file']")))
        .await
        .unwrap_or_else(|e| panic!("#{form_id} has no file field: {e}"))
        .send_keys(&file.display().to_string())
        .await
        .expect("choosing the file");
    click(c, &format!("#{form_id} button[type='submit']")).await;
}

/// Fetches `path` inside the page (same origin, the session's cookie) and returns its status
/// and body bytes.
async fn fetch_bytes(c: &Client, path: &str) -> (u64, Vec<u8>) {
    let v = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(arguments[0]).then(r => r.arrayBuffer().then(b =>
               done({status: r.status, bytes: Array.from(new Uint8Array(b))})))
             .catch(e => done({status: 0, bytes: [], error: String(e)}));",
            vec![serde_json::json!(path)],
        )
        .await
        .expect("a fetch");
    let bytes = v["bytes"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok()))
                .collect()
        })
        .unwrap_or_default();
    (v["status"].as_u64().unwrap_or(0), bytes)
}

async fn documents(store: &Store) -> i64 {
    const SQL: &str = "SELECT COUNT(*) FROM evidence_document";
    match store {
        Store::Sqlite(p) => sqlx::query_scalar(SQL).fetch_one(p).await.unwrap(),
        Store::Pg(p) => sqlx::query_scalar(SQL).fetch_one(p).await.unwrap(),
    }
}

/// The number after `prefix` in the first `id` attribute of the elements matching `css`.
async fn id_of(c: &Client, css: &str, prefix: &str) -> i64 {
    let id = c
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("nothing matches {css}: {e}"))
        .attr("id")
        .await
        .unwrap()
        .unwrap_or_default();
    id.trim_start_matches(prefix)
        .parse()
        .unwrap_or_else(|_| panic!("{id} does not start with {prefix} and a number"))
}

/// The document ids listed inside `css`.
async fn listed(c: &Client, css: &str) -> Vec<i64> {
    let mut out = Vec::new();
    for li in c
        .find_all(Locator::Css(&format!("{css} li[data-document-id]")))
        .await
        .unwrap_or_default()
    {
        if let Some(id) = li.attr("data-document-id").await.ok().flatten() {
            out.push(id.parse().unwrap());
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(aidledger_browser),
    ignore = "needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)"
)]
async fn an_ngo_attaches_downloads_and_is_refused_a_disguised_file_and_others_cannot_see_it() {
    if let Some(why) = browser::missing() {
        panic!("the browser was found when the tests were built, but now {why}");
    }
    let s = server::start().await;
    // An officer of another foreign NGO.
    let system = Actor::system("e2e");
    let other_org = queries::list_organisations(&s.ctx, &system, Some(OrgKind::ForeignNgo), None)
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.id != server::NGO_ORG)
        .expect("the demo has a second foreign NGO")
        .id;
    create_user(
        &s.ctx,
        &system,
        NewUser {
            username: "e2e_ngo_other".into(),
            display_name: "E2E other NGO".into(),
            role: Role::Ngo,
            organisation_id: Some(other_org),
            password: PASSWORD.into(),
        },
    )
    .await
    .unwrap();
    let files = tempfile::tempdir().unwrap();
    let pdf = real_pdf();
    let pdf_path = files.path().join("bien-ban-ban-giao.pdf");
    std::fs::write(&pdf_path, &pdf).unwrap();
    let fake_path = files.path().join("hoa-don.pdf");
    std::fs::write(
        &fake_path,
        "<!doctype html><html><body><script>alert(1)</script>Hóa đơn</body></html>",
    )
    .unwrap();

    let driver = browser::start_driver().await;
    let c = browser::open(&driver, 1280, 900).await;
    login(&c, &s, "e2e_ngo").await;
    goto(&c, &s, "/portal").await;

    // 1. Report a disbursement from the portal, to have a report of its own in the queue.
    let today = aidledger::actions::today_in_vietnam()
        .format("%d/%m/%Y")
        .to_string();
    fill(&c, "#disbursement-report-form", "amount", "1500").await;
    fill(&c, "#disbursement-report-form", "currency", "USD").await;
    fill(&c, "#disbursement-report-form", "value_date", &today).await;
    click(&c, "#disbursement-report-form button[type='submit']").await;
    click(&c, "#disbursement-confirm-button").await;
    let disb = id_of(
        &c,
        "form.evidence-upload[id^='evidence-form-d']",
        "evidence-form-d",
    )
    .await;

    // 2. A real PDF on the first open milestone and on the report.
    let milestone = id_of(
        &c,
        "form.evidence-upload[id^='evidence-form-m']",
        "evidence-form-m",
    )
    .await;
    attach(&c, &format!("evidence-form-m{milestone}"), &pdf_path).await;
    assert!(
        source(&c)
            .await
            .contains("Đã đính kèm tệp bien-ban-ban-giao.pdf"),
        "the portal confirms the upload"
    );
    let docs = listed(&c, &format!("#evidence-m{milestone}")).await;
    assert_eq!(docs.len(), 1, "the milestone lists its document");
    let doc = docs[0];
    attach(&c, &format!("evidence-form-d{disb}"), &pdf_path).await;
    assert_eq!(listed(&c, &format!("#evidence-d{disb}")).await.len(), 1);
    let listing = c
        .find(Locator::Css(&format!("#evidence-m{milestone}")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(listing.contains("bien-ban-ban-giao.pdf"), "{listing}");
    assert!(listing.contains("PDF ·"), "the type is shown: {listing}");
    assert!(listing.contains("KB"), "the size is shown: {listing}");

    // 3. The download link gives back the very bytes that were chosen.
    let href = c
        .find(Locator::Css(&format!(
            "#evidence-m{milestone} li[data-document-id='{doc}'] a"
        )))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(href, format!("/evidence/{doc}"));
    let (status, bytes) = fetch_bytes(&c, &href).await;
    assert_eq!(status, 200);
    assert_eq!(
        hex::encode(Sha256::digest(&bytes)),
        hex::encode(Sha256::digest(&pdf)),
        "the download is the uploaded file"
    );
    screenshot_at(&c, 1280, "portal-vi-1280").await;
    screenshot_at(&c, 390, "portal-vi-390").await;

    // 4. HTML named .pdf: refused, in Vietnamese, and nothing stored.
    let before = documents(&s.ctx.store).await;
    attach(&c, &format!("evidence-form-m{milestone}"), &fake_path).await;
    let page = source(&c).await;
    assert!(
        page.contains("Tệp không phải PDF, JPEG hay PNG"),
        "the refusal is shown in Vietnamese: {page}"
    );
    assert!(
        !page.contains("hoa-don.pdf"),
        "the disguised file is not listed"
    );
    assert_eq!(documents(&s.ctx.store).await, before, "nothing was stored");
    assert_eq!(listed(&c, &format!("#evidence-m{milestone}")).await, [doc]);
    screenshot_at(&c, 1280, "refused-vi-1280").await;
    screenshot_at(&c, 390, "refused-vi-390").await;
    super::pages::header_action(&c, "/logout").await;

    // 5. Another NGO's officer: 404 for the document, as for one that does not exist.
    login(&c, &s, "e2e_ngo_other").await;
    let (status, bytes) = fetch_bytes(&c, &href).await;
    assert_eq!(status, 404);
    assert!(!bytes.starts_with(b"%PDF"));
    goto(&c, &s, &href).await;
    let page = source(&c).await;
    assert!(!page.contains("bien-ban-ban-giao"), "{page}");
    goto(&c, &s, "/portal").await;
    assert!(!source(&c).await.contains("bien-ban-ban-giao.pdf"));
    super::pages::header_action(&c, "/logout").await;

    // 6. The coordinator sees it on the item page and beside the report in the review queue.
    login(&c, &s, "e2e_coordinator").await;
    let item = queries::get_milestone(&s.ctx, &system, milestone)
        .await
        .unwrap()
        .item_id;
    goto(&c, &s, &format!("/items/{item}")).await;
    let page = source(&c).await;
    assert!(
        page.contains(&format!("data-document-id=\"{doc}\"")),
        "the item page lists the milestone's document"
    );
    assert!(page.contains("bien-ban-ban-giao.pdf"));
    screenshot_at(&c, 1280, "item-vi-1280").await;
    screenshot_at(&c, 390, "item-vi-390").await;
    goto(&c, &s, "/review").await;
    let in_queue = listed(&c, &format!("#evidence-{disb}")).await;
    assert_eq!(in_queue.len(), 1, "the report's document is in the queue");
    let row = c
        .find(Locator::Css(&format!("#evidence-{disb}")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(row.contains("bien-ban-ban-giao.pdf"), "{row}");
    let (status, bytes) = fetch_bytes(&c, &format!("/evidence/{}", in_queue[0])).await;
    assert_eq!((status, bytes), (200, pdf.clone()));
    screenshot_at(&c, 1280, "review-vi-1280").await;
    screenshot_at(&c, 390, "review-vi-390").await;
    c.close().await.ok();
}
