//! Imports and exports on the pages (issue 12, part 4): the upload form with its CSRF token,
//! the preview page in the reader's language with Apply only when nothing is wrong, the
//! confirmation after applying, NGO staff's milestone progress arriving as a report for a
//! coordinator, and the exports page whose template downloads import back unchanged.

use crate::api::App;
use crate::common::scalar_i64;
use crate::pages::{body, csrf_of, log_in, post_form};
use crate::web_imports::{apply, disbursement_count, disbursements, upload};
use rocket::http::{ContentType, Status};
use serde_json::json;

const BOUNDARY: &str = "aidledgerImportBoundary3";

fn multipart(csrf: &str, kind: &str, name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut b = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    b.extend_from_slice(bytes);
    b.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    b
}

/// Uploads through the form on `/imports`; returns the status and where it redirected.
async fn upload_page(app: &App, csrf: Option<&str>, name: &str, bytes: &[u8]) -> (Status, String) {
    let token = match csrf {
        Some(t) => t.to_string(),
        None => csrf_of(&body(app.client.get("/imports").dispatch().await).await),
    };
    let res = app
        .client
        .post("/imports")
        .header(ContentType::new("multipart", "form-data").with_params(("boundary", BOUNDARY)))
        .body(multipart(&token, "csv", name, bytes))
        .dispatch()
        .await;
    let to = res
        .headers()
        .get_one("Location")
        .unwrap_or_default()
        .to_string();
    (res.status(), to)
}

#[rocket::async_test]
async fn the_pages_upload_preview_and_apply_with_csrf_in_the_readers_language() {
    let app = App::new().await;
    app.rates().await;
    log_in(&app.client, "coordinator").await;
    let list = body(app.client.get("/imports").dispatch().await).await;
    assert!(
        list.contains("href=\"/imports\"") && list.contains("Nhập dữ liệu"),
        "the nav links the page"
    );
    // A forged form is refused before anything is read.
    let file = disbursements(&[("A-001/D1", "1500.00")]);
    let (s, _) = upload_page(&app, Some("forged"), "disbursements.csv", &file).await;
    assert_eq!(s, Status::Forbidden);
    let (s, to) = upload_page(&app, None, "disbursements.csv", &file).await;
    assert_eq!(s, Status::SeeOther);
    assert!(to.starts_with("/imports/"), "{to}");
    let html = body(app.client.get(to.clone()).dispatch().await).await;
    assert!(
        html.contains("Các dòng cần chú ý") && html.contains("1 mới, 0 thay đổi"),
        "{html}"
    );
    assert!(html.contains("id=\"apply-form\""), "{html}");
    let res = post_form(&app.client, &to, &format!("{to}/apply"), "x=1").await;
    assert_eq!(res.status(), Status::SeeOther);
    let html = body(app.client.get(to.clone()).dispatch().await).await;
    assert!(
        html.contains("Đã áp dụng dữ liệu nhập") && html.contains("id=\"import-applied\""),
        "{html}"
    );
    assert!(!html.contains("id=\"apply-form\""));
    assert_eq!(disbursement_count(&app).await, 1);

    // A file with a row this account may not import: the preview names it, in Vietnamese.
    let rates =
        b"Currency,Rate date,VND per unit,USD per unit,Source\nGBP,2025-03-01,32000,1.27,SBV\n";
    let (_, to) = upload_page(&app, None, "rates.csv", rates).await;
    let html = body(app.client.get(to).dispatch().await).await;
    assert!(
        html.contains("data-outcome=\"error\"") && html.contains("rates.csv:2"),
        "{html}"
    );
    assert!(
        html.contains("tỷ giá do người thẩm định nhập"),
        "the problem in Vietnamese: {html}"
    );
    assert!(!html.contains("id=\"apply-form\""));
}

#[rocket::async_test]
async fn the_exports_page_links_downloads_that_import_back_unchanged() {
    let app = App::new().await;
    app.rates().await;
    app.disburse(app.item_a, "coordinator", "1500.00", "EUR", "2025-03-10")
        .await;
    log_in(&app.client, "ngo_a").await;
    let html = body(app.client.get("/exports?period=2025").dispatch().await).await;
    for href in [
        "/exports/transactions.csv?period=2025",
        "/exports/records.xlsx?period=2025",
        "/exports/templates/disbursements.csv?period=2025",
        "/exports/activities.xml?period=2025",
    ] {
        assert!(html.contains(&format!("href=\"{href}\"")), "{href}: {html}");
    }
    let res = app.client.get("/exports/records.xlsx").dispatch().await;
    assert_eq!(res.status(), Status::Ok);
    assert!(res.into_bytes().await.unwrap().starts_with(b"PK"));
    let res = app.client.get("/exports/activities.xml").dispatch().await;
    assert_eq!(res.status(), Status::Ok);
    let xml = res.into_string().await.unwrap();
    assert!(xml.contains("<iati-activities") && !xml.contains(crate::api::MARKER_B));
    // NGO staff get their own organisation's rows, whatever they ask for.
    let items = body(
        app.client
            .get("/exports/templates/items.csv")
            .dispatch()
            .await,
    )
    .await;
    assert!(
        items.contains("A-001") && !items.contains(crate::api::MARKER_B),
        "{items}"
    );
    // The template exported is what an import takes back: nothing changes.
    let res = app
        .client
        .get("/exports/templates/disbursements.csv")
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Ok);
    let csv = res.into_bytes().await.unwrap();
    let (s, b) = upload(
        &app,
        "coordinator",
        "?kind=csv&name=disbursements.csv",
        csv,
        None,
    )
    .await;
    assert_eq!(s, Status::Created, "{b}");
    assert_eq!(
        (b["preview"]["unchanged"].as_u64(), b["state"].as_str()),
        (Some(1), Some("previewed")),
        "{b}"
    );
}

#[rocket::async_test]
async fn ngo_staff_milestone_progress_arrives_as_a_report_and_new_milestones_are_refused() {
    let app = App::new().await;
    let a = app.item_a;
    let (s, m) = app
        .post(
            &format!("/aid-items/{a}/milestones"),
            "coordinator",
            &json!({"title_vi": "Khởi công", "title_en": "Ground broken", "planned_date": "2025-05-01"}),
        )
        .await;
    assert_eq!(s, Status::Created, "{m}");
    let file = "Reference,Title (Vietnamese),Title (English),Planned date,Actual date,Status,Evidence\n\
                A-001/M1,,,,2025-03-01,done,Biên bản nghiệm thu số 12\n\
                A-001/M2,Mốc mới,New milestone,2025-09-01,,planned,\n";
    let (s, b) = upload(
        &app,
        "ngo_a",
        "?kind=csv&name=milestones.csv",
        file.as_bytes().to_vec(),
        None,
    )
    .await;
    assert_eq!(s, Status::Created, "{b}");
    let rows = b["preview"]["rows"].as_array().unwrap();
    assert_eq!(rows[0]["outcome"], "changed", "{b}");
    assert_eq!(rows[1]["outcome"], "error");
    assert!(
        rows[1]["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("added by a coordinator")
    );
    // Only the progress row: applied, it is a report waiting for a coordinator.
    let file = "Reference,Actual date,Status,Evidence\nA-001/M1,2025-03-01,done,Biên bản nghiệm thu số 12\n";
    let (s, b) = upload(
        &app,
        "ngo_a",
        "?kind=csv&name=milestones.csv",
        file.as_bytes().to_vec(),
        None,
    )
    .await;
    assert_eq!(
        (s, b["state"].as_str()),
        (Status::Created, Some("previewed")),
        "{b}"
    );
    let (s, b) = apply(&app, "ngo_a", b["id"].as_i64().unwrap()).await;
    assert_eq!(s, Status::Ok, "{b}");
    let pending = scalar_i64(
        &app.db,
        "SELECT COUNT(*) FROM milestone_report WHERE decision = 'pending'",
    )
    .await;
    let planned = scalar_i64(
        &app.db,
        "SELECT COUNT(*) FROM milestone WHERE status = 'planned'",
    )
    .await;
    assert_eq!(
        (pending, planned),
        (1, 1),
        "the milestone changes only when a coordinator accepts"
    );
}
