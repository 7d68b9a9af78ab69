//! Evidence documents through the real HTTP stack (issue 11, point 7): a file attached to a
//! disbursement or milestone is stored with its SHA-256, listed on the item page and in the
//! review queue, downloaded byte for byte as an attachment; a disguised or oversize file is
//! refused with a message and nothing stored; an NGO user fetching another organisation's
//! document gets 404; attaching and removing are audited; and the review queue offers
//! "Xác minh" only for a row with an exchange rate, with a name that says which row.

use crate::api::App;
use crate::common::{fresh_sqlite, system};
use crate::pages::{body, csrf_of, log_in, post_form};
use aidledger::actions::evidence::{self, Target, Upload};
use aidledger::cli::maintenance::{BackupArgs, RestoreArgs, backup, restore};
use aidledger::db::Store;
use rocket::http::{ContentType, Status};
use serde_json::json;

const BOUNDARY: &str = "aidledgerTestBoundary7";

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n".to_vec()
}

fn png() -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    b.extend_from_slice(&[
        0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xDE,
    ]);
    b.extend_from_slice(b"\x00\x00\x00\x00IEND\xaeB`\x82");
    b
}

fn multipart(csrf: &str, file_name: &str, declared: &str, bytes: &[u8]) -> Vec<u8> {
    let mut b = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: {declared}\r\n\r\n"
    )
    .into_bytes();
    b.extend_from_slice(bytes);
    b.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    b
}

/// Uploads through the form on `page` (whose CSRF token is used) and returns the status and
/// where it redirected to.
async fn upload(
    app: &App,
    page: &str,
    action: &str,
    name: &str,
    declared: &str,
    bytes: &[u8],
) -> (Status, String) {
    let html = body(app.client.get(page.to_string()).dispatch().await).await;
    let res = app
        .client
        .post(action.to_string())
        .header(ContentType::new("multipart", "form-data").with_params(("boundary", BOUNDARY)))
        .body(multipart(&csrf_of(&html), name, declared, bytes))
        .dispatch()
        .await;
    let status = res.status();
    let to = res
        .headers()
        .get_one("Location")
        .unwrap_or_default()
        .to_string();
    (status, to)
}

async fn get(app: &App, path: &str) -> (Status, String) {
    let res = app.client.get(path.to_string()).dispatch().await;
    (res.status(), body(res).await)
}

async fn switch(app: &App, username: &str) {
    let res = post_form(&app.client, "/account/tokens", "/logout", "x=1").await;
    assert_eq!(res.status(), Status::SeeOther);
    log_in(&app.client, username).await;
}

async fn count(store: &Store, sql: &'static str) -> i64 {
    match store {
        Store::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
        Store::Pg(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
    }
}

async fn documents(app: &App) -> i64 {
    count(app.db.store(), "SELECT COUNT(*) FROM evidence_document").await
}

/// The id in the first `data-document-id="…"` of a page.
fn first_document(html: &str) -> i64 {
    let at = html
        .find("data-document-id=\"")
        .expect("a document is listed")
        + 18;
    html[at..].split('"').next().unwrap().parse().unwrap()
}

#[rocket::async_test]
async fn a_coordinator_attaches_a_pdf_that_is_listed_downloaded_whole_and_audited() {
    let app = App::new().await;
    app.rates().await;
    let a = app.item_a;
    let d = app
        .disburse(a, "coordinator", "1500.00", "EUR", "2025-03-10")
        .await;
    log_in(&app.client, "coordinator").await;
    let item_page = format!("/items/{a}");
    let (s, to) = upload(
        &app,
        &item_page,
        &format!("/evidence/disbursement/{d}/attach?back=/items/{a}%23item-evidence"),
        "../Biên bản bàn giao.pdf",
        "application/pdf",
        &pdf(),
    )
    .await;
    assert_eq!(s, Status::SeeOther);
    assert_eq!(to, format!("/items/{a}#item-evidence"));
    let (_, html) = get(&app, &item_page).await;
    assert!(
        html.contains("Đã đính kèm tệp Biên bản bàn giao.pdf"),
        "{html}"
    );
    assert!(html.contains(&format!("id=\"evidence-d{d}\"")));
    let id = first_document(&html);
    let res = app.client.get(format!("/evidence/{id}")).dispatch().await;
    assert_eq!(res.status(), Status::Ok);
    assert_eq!(
        res.headers().get_one("Content-Type"),
        Some("application/pdf")
    );
    assert_eq!(
        res.headers().get_one("X-Content-Type-Options"),
        Some("nosniff")
    );
    let cd = res
        .headers()
        .get_one("Content-Disposition")
        .unwrap()
        .to_string();
    assert!(
        cd.starts_with("attachment; filename=\"Bi_n_b_n_b_n_giao.pdf\"")
            && cd.contains("filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n"),
        "{cd}"
    );
    assert_eq!(res.into_bytes().await.unwrap(), pdf());
    let audited = count(
        app.db.store(),
        "SELECT COUNT(*) FROM audit_entry WHERE action = 'evidence.attach' AND entity = 'evidence_document'",
    )
    .await;
    assert_eq!(audited, 1);
    // Removal is offered to the coordinator, and audited too.
    let res = post_form(
        &app.client,
        &item_page,
        &format!("/evidence/{id}/remove?back=/items/{a}"),
        "x=1",
    )
    .await;
    assert_eq!(res.status(), Status::SeeOther);
    assert_eq!(documents(&app).await, 0);
    let removed = count(
        app.db.store(),
        "SELECT COUNT(*) FROM audit_entry WHERE action = 'evidence.remove'",
    )
    .await;
    assert_eq!(removed, 1);
    let (s, _) = get(&app, &format!("/evidence/{id}")).await;
    assert_eq!(s, Status::NotFound);
}

#[rocket::async_test]
async fn a_disguised_file_an_oversize_file_and_a_forged_form_are_refused_and_nothing_is_stored() {
    let app = App::new().await;
    let a = app.item_a;
    let d = app
        .disburse(a, "coordinator", "1500.00", "EUR", "2025-03-10")
        .await;
    log_in(&app.client, "coordinator").await;
    let page = format!("/items/{a}");
    let action = format!("/evidence/disbursement/{d}/attach?back=/items/{a}");
    let html_page = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>";
    let (s, to) = upload(
        &app,
        &page,
        &action,
        "report.pdf",
        "application/pdf",
        html_page,
    )
    .await;
    assert_eq!((s, to.as_str()), (Status::SeeOther, page.as_str()));
    let (_, html) = get(&app, &page).await;
    assert!(
        html.contains("Tệp không phải PDF, JPEG hay PNG"),
        "the refusal is shown in Vietnamese: {html}"
    );
    let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00This program cannot be run in DOS mode";
    let (s, _) = upload(&app, &page, &action, "scan.png", "image/png", exe).await;
    assert_eq!(s, Status::SeeOther);
    // One byte over the 10 MiB limit: refused with the limit named.
    let mut big = pdf();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let (s, _) = upload(&app, &page, &action, "big.pdf", "application/pdf", &big).await;
    assert_eq!(s, Status::SeeOther);
    let (_, html) = get(&app, &page).await;
    assert!(html.contains("Tệp lớn hơn giới hạn 10 MB"), "{html}");
    assert_eq!(documents(&app).await, 0);
    // A multipart form without this session's token is refused before anything is read.
    let res = app
        .client
        .post(action.clone())
        .header(ContentType::new("multipart", "form-data").with_params(("boundary", BOUNDARY)))
        .body(multipart("forged", "a.pdf", "application/pdf", &pdf()))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Forbidden);
    assert_eq!(documents(&app).await, 0);
    let audited = count(
        app.db.store(),
        "SELECT COUNT(*) FROM audit_entry WHERE action LIKE 'evidence.%'",
    )
    .await;
    assert_eq!(audited, 0);
}

#[rocket::async_test]
async fn ngo_staff_attach_to_their_own_records_and_get_404_for_another_organisations() {
    let app = App::new().await;
    let (a, b) = (app.item_a, app.item_b);
    let (s, m) = app
        .post(
            &format!("/aid-items/{a}/milestones"),
            "coordinator",
            &json!({"title_vi": "Khởi công", "title_en": "Ground broken", "planned_date": "2025-05-01"}),
        )
        .await;
    assert_eq!(s, Status::Created, "{m}");
    let m = m["id"].as_i64().unwrap();
    let db_ = app
        .disburse(b, "coordinator", "900.00", "EUR", "2025-03-10")
        .await;
    log_in(&app.client, "ngo_a").await;
    // The portal offers a file field on the open milestone, sending to the same endpoint.
    let (_, portal) = get(&app, "/portal").await;
    assert!(
        portal.contains(&format!(
            "action=\"/evidence/milestone/{m}/attach?back=/portal%23milestone-{m}\" enctype=\"multipart/form-data\""
        )),
        "{portal}"
    );
    let page = format!("/items/{a}");
    let (s, _) = upload(
        &app,
        &page,
        &format!("/evidence/milestone/{m}/attach?back=/items/{a}"),
        "anh-cong-trinh.png",
        "image/png",
        &png(),
    )
    .await;
    assert_eq!(s, Status::SeeOther);
    let (_, html) = get(&app, &page).await;
    assert!(html.contains("anh-cong-trinh.png"), "{html}");
    let own = first_document(&html);
    let (s, _) = get(&app, &format!("/evidence/{own}")).await;
    assert_eq!(s, Status::Ok);
    // Another organisation's disbursement: not found, and nothing stored.
    let (s, _) = upload(
        &app,
        &page,
        &format!("/evidence/disbursement/{db_}/attach"),
        "x.pdf",
        "application/pdf",
        &pdf(),
    )
    .await;
    assert_eq!(s, Status::NotFound);
    assert_eq!(documents(&app).await, 1);
    // Organisation B's staff cannot fetch A's document: 404, exactly as a missing one.
    switch(&app, "ngo_b").await;
    let (s, html) = get(&app, &format!("/evidence/{own}")).await;
    assert_eq!(s, Status::NotFound);
    let (s2, html2) = get(&app, "/evidence/987654").await;
    assert_eq!(s2, Status::NotFound);
    let main = |h: &str| {
        let from = h.find("<main").unwrap();
        h[from..h.find("</main>").unwrap()].to_string()
    };
    assert_eq!(
        main(&html).replace(&format!(" {own} "), " N "),
        main(&html2).replace(" 987654 ", " N "),
        "the same answer as for a document that does not exist"
    );
    assert!(!html.contains("anh-cong-trinh"));
    // Nor remove it.
    let res = post_form(
        &app.client,
        "/portal",
        &format!("/evidence/{own}/remove"),
        "x=1",
    )
    .await;
    assert_eq!(res.status(), Status::NotFound);
    assert_eq!(documents(&app).await, 1);
    // A reviewer may read every document but attaches none.
    switch(&app, "reviewer").await;
    let (s, _) = get(&app, &format!("/evidence/{own}")).await;
    assert_eq!(s, Status::Ok);
    let (s, _) = upload(
        &app,
        "/review",
        &format!("/evidence/milestone/{m}/attach"),
        "y.pdf",
        "application/pdf",
        &pdf(),
    )
    .await;
    assert_eq!(s, Status::Forbidden);
    assert_eq!(documents(&app).await, 1);
}

/// The part of `html` from `marker` to the first `end` after it.
fn part<'h>(html: &'h str, marker: &str, end: &str) -> &'h str {
    let from = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {html}"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

#[rocket::async_test]
async fn the_portal_lists_the_documents_of_its_own_milestones_and_reported_disbursements() {
    let app = App::new().await;
    let (a, b) = (app.item_a, app.item_b);
    let milestone = |item: i64| {
        let app = &app;
        async move {
            let (s, m) = app
                .post(
                    &format!("/aid-items/{item}/milestones"),
                    "coordinator",
                    &json!({"title_vi": "Bàn giao", "title_en": "Handover", "planned_date": "2025-06-01"}),
                )
                .await;
            assert_eq!(s, Status::Created, "{m}");
            m["id"].as_i64().unwrap()
        }
    };
    let (ma, mb) = (milestone(a).await, milestone(b).await);
    let da = app
        .disburse(a, "ngo_a", "250.00", "USD", "2025-03-05")
        .await;
    let db_ = app
        .disburse(b, "ngo_b", "300.00", "USD", "2025-03-06")
        .await;
    // Organisation B's records get documents too, which A's portal must not list.
    log_in(&app.client, "ngo_b").await;
    for (on, id) in [("milestone", mb), ("disbursement", db_)] {
        let (s, _) = upload(
            &app,
            "/portal",
            &format!("/evidence/{on}/{id}/attach?back=/portal"),
            "cua-to-chuc-b.pdf",
            "application/pdf",
            &pdf(),
        )
        .await;
        assert_eq!(s, Status::SeeOther);
    }
    switch(&app, "ngo_a").await;
    let (_, html) = get(&app, "/portal").await;
    assert!(
        part(&html, &format!("id=\"evidence-m{ma}\""), "</div>")
            .contains("Tài liệu minh chứng:</span> chưa có"),
        "an empty list says so"
    );
    let (s, _) = upload(
        &app,
        "/portal",
        &format!("/evidence/milestone/{ma}/attach?back=/portal%23milestone-{ma}"),
        "bien-ban-ban-giao.pdf",
        "application/pdf",
        &pdf(),
    )
    .await;
    assert_eq!(s, Status::SeeOther);
    let (s, _) = upload(
        &app,
        "/portal",
        &format!("/evidence/disbursement/{da}/attach?back=/portal"),
        "uy-nhiem-chi.png",
        "image/png",
        &png(),
    )
    .await;
    assert_eq!(s, Status::SeeOther);

    let (s, html) = get(&app, "/portal").await;
    assert_eq!(s, Status::Ok);
    // The milestone's document under the milestone: name, type, size and a download link.
    let m_part = part(&html, &format!("id=\"evidence-m{ma}\""), "</div>");
    assert!(m_part.contains("bien-ban-ban-giao.pdf"), "{m_part}");
    assert!(m_part.contains("PDF · 1\u{a0}KB"), "{m_part}");
    let doc = first_document(m_part);
    assert!(m_part.contains(&format!("href=\"/evidence/{doc}\" download")));
    // The reported disbursement's document in its row.
    let d_part = part(&html, &format!("id=\"evidence-d{da}\""), "</td>");
    assert!(d_part.contains("uy-nhiem-chi.png"), "{d_part}");
    assert!(d_part.contains("PNG · 1\u{a0}KB"), "{d_part}");
    assert!(!d_part.contains("bien-ban-ban-giao.pdf"));
    // Nothing of organisation B's.
    assert!(!html.contains("cua-to-chuc-b.pdf"), "{html}");
    // The link downloads the bytes that were sent.
    let res = app.client.get(format!("/evidence/{doc}")).dispatch().await;
    assert_eq!(res.status(), Status::Ok);
    assert_eq!(res.into_bytes().await.unwrap(), pdf());
    // The same list in English.
    let res = post_form(&app.client, "/portal", "/lang", "lang=en").await;
    assert!(res.status().code < 400);
    let (_, html) = get(&app, "/portal").await;
    assert!(html.contains("<h4>Evidence documents</h4>"));
    let m_part = part(&html, &format!("id=\"evidence-m{ma}\""), "</div>");
    assert!(m_part.contains("bien-ban-ban-giao.pdf"), "{m_part}");
    assert!(!html.contains("cua-to-chuc-b.pdf"));
}

#[rocket::async_test]
async fn the_review_queue_shows_documents_and_offers_verify_only_with_a_rate_naming_the_row() {
    let app = App::new().await;
    let a = app.item_a;
    // EUR has a rate on 2025-03-01; AUD has none.
    app.rates().await;
    let with_rate = app
        .disburse(a, "coordinator", "1500.00", "EUR", "2025-03-10")
        .await;
    let without = app
        .disburse(a, "coordinator", "700.00", "AUD", "2025-03-12")
        .await;
    log_in(&app.client, "coordinator").await;
    let (s, _) = upload(
        &app,
        &format!("/items/{a}"),
        &format!("/evidence/disbursement/{with_rate}/attach?back=/review"),
        "uy-nhiem-chi.pdf",
        "application/pdf",
        &pdf(),
    )
    .await;
    assert_eq!(s, Status::SeeOther);
    switch(&app, "reviewer").await;
    let (s, html) = get(&app, "/review").await;
    assert_eq!(s, Status::Ok);
    // The document is shown in the row, before the verify button.
    let row = &html[html
        .find(&format!("data-disbursement-id=\"{with_rate}\""))
        .unwrap()..];
    let doc_at = row
        .find("uy-nhiem-chi.pdf")
        .expect("the document is in the row");
    let verify_at = row
        .find(&format!("id=\"verify-form-{with_rate}\""))
        .expect("verify is offered with a rate");
    assert!(doc_at < verify_at);
    assert!(
        row.contains("aria-label=\"Xác minh khoản giải ngân A-001, ngày 10/03/2025, 1.500,00"),
        "{row}"
    );
    // Without a rate: no verify form, and the queue says what is missing, in Vietnamese.
    assert!(!html.contains(&format!("id=\"verify-form-{without}\"")));
    assert!(html.contains(&format!("id=\"cannot-verify-{without}\"")));
    assert!(
        html.contains("Thiếu tỷ giá AUD cho ngày 12/03/2025"),
        "{html}"
    );
    assert!(!html.contains("rate dated on or before"));
    // A verify sent anyway (an old page, a crafted form) is refused by the action, in
    // Vietnamese, and the row stays in the queue.
    let res = post_form(
        &app.client,
        "/review",
        &format!("/review/{without}/verify"),
        "x=1",
    )
    .await;
    assert_eq!(res.status(), Status::Conflict);
    let html = body(res).await;
    assert!(
        html.contains(
            "Chưa thể xác minh: cần có tỷ giá quy đổi trước. Thiếu tỷ giá AUD cho ngày 12/03/2025: chưa có tỷ giá nào từ ngày đó trở về trước."
        ),
        "the refusal names the currency and the date: {html}"
    );
    assert!(!html.contains("no VND/USD conversion"));
    assert!(html.contains(&format!("id=\"cannot-verify-{without}\"")));
    // In English too.
    let res = post_form(&app.client, "/review", "/lang", "lang=en").await;
    assert!(res.status().code < 400);
    let (_, html) = get(&app, "/review").await;
    assert!(html.contains("No AUD rate for 2025-03-12"), "{html}");
    assert!(html.contains("aria-label=\"Verify disbursement A-001"));
}

/// A SQLite backup holds the documents' bytes; a restore brings them back whole.
#[rocket::async_test]
async fn a_backup_holds_the_documents_and_a_restore_brings_them_back() {
    let db = fresh_sqlite().await;
    let orgs = crate::common::seed_basics(&db).await;
    let item = crate::common::seed_item(&db, "E-1", orgs).await;
    let d = aidledger::actions::ledger::record_disbursement(
        &db.ctx,
        &system(),
        crate::periods::disb(item, 100, "2025-01-10"),
    )
    .await
    .unwrap();
    let file = Upload {
        name: "bien-ban.pdf".into(),
        bytes: pdf(),
    };
    let (_, doc) = evidence::attach(&db.ctx, &system(), Target::Disbursement(d), &file)
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b.db");
    backup(
        db.store(),
        &db.ctx.config.database_url,
        &BackupArgs { out: out.clone() },
    )
    .await
    .unwrap();
    let target = fresh_sqlite().await;
    restore(
        target.store(),
        &target.ctx.config.database_url,
        &RestoreArgs { file: out },
    )
    .await
    .unwrap();
    let back = evidence::download(&target.ctx, &system(), doc.id)
        .await
        .unwrap();
    assert_eq!(back.bytes, pdf());
    assert_eq!(back.doc, doc);
}
