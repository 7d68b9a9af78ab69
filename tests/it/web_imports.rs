//! Imports through the real HTTP stack (issue 12, part 4): a file uploaded to the API or the
//! pages is stored with its preview, applied all or nothing, and a second apply is a 409; a
//! file with one bad row is refused with that row named and nothing stored; data that
//! changed since the preview refuses the apply with the new preview; NGO staff import their
//! own organisation's disbursements as drafts and nothing else; the preview page speaks the
//! reader's language (`web_imports_pages`); the OpenAPI document lists the paths; an
//! oversize upload is a 413.

use crate::api::App;
use crate::common::scalar_i64;
use rocket::http::{ContentType, Header, Status};
use serde_json::Value;

const HEADER: &str = "Reference,Amount,Currency,Value date,Tranche,Milestone,Reverses,Status,Verified by,Rejection reason";

/// A disbursements template with one row per (reference, amount).
pub fn disbursements(rows: &[(&str, &str)]) -> Vec<u8> {
    let mut s = format!("{HEADER}\n");
    for (r, amount) in rows {
        s.push_str(&format!("{r},{amount},EUR,2025-03-10,,,,,,\n"));
    }
    s.into_bytes()
}

/// Uploads `bytes` to `POST /imports` as `who`, with the query `query`.
pub async fn upload(
    app: &App,
    who: &str,
    query: &str,
    bytes: Vec<u8>,
    key: Option<&str>,
) -> (Status, Value) {
    let mut req = app
        .client
        .post(format!("/api/v1/imports{query}"))
        .header(app.bearer(who))
        .body(bytes);
    if let Some(k) = key {
        req = req.header(Header::new("Idempotency-Key", k.to_string()));
    }
    let res = req.dispatch().await;
    let status = res.status();
    let text = res.into_string().await.unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

pub async fn apply(app: &App, who: &str, id: i64) -> (Status, Value) {
    app.send("POST", &format!("/imports/{id}/apply"), who, None, None)
        .await
}

pub async fn disbursement_count(app: &App) -> i64 {
    scalar_i64(&app.db, "SELECT COUNT(*) FROM disbursement").await
}

#[rocket::async_test]
async fn an_uploaded_file_is_previewed_then_applied_once_and_a_second_apply_is_409() {
    let app = App::new().await;
    app.rates().await;
    let file = disbursements(&[("A-001/D1", "1500.00"), ("A-001/D2", "250.50")]);
    let (s, b) = upload(
        &app,
        "coordinator",
        "?kind=csv&name=disbursements.csv",
        file,
        Some("k-1"),
    )
    .await;
    assert_eq!(s, Status::Created, "{b}");
    assert_eq!(b["state"], "previewed");
    assert_eq!(b["file_name"], "disbursements.csv");
    assert_eq!(
        (
            b["preview"]["new"].as_u64(),
            b["preview"]["errors"].as_u64()
        ),
        (Some(2), Some(0))
    );
    let id = b["id"].as_i64().unwrap();
    assert_eq!(
        disbursement_count(&app).await,
        0,
        "a preview stores no rows"
    );
    // A retry with the same key gets the same import, not a second one.
    let file = disbursements(&[("A-001/D1", "1500.00"), ("A-001/D2", "250.50")]);
    let (s, again) = upload(
        &app,
        "coordinator",
        "?kind=csv&name=disbursements.csv",
        file,
        Some("k-1"),
    )
    .await;
    assert_eq!((s, again["id"].as_i64()), (Status::Created, Some(id)));
    let (s, list) = app.get("/imports", "coordinator").await;
    assert_eq!(s, Status::Ok);
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    for bad in ["AAA", "0", "501"] {
        let (s, b) = app
            .get(&format!("/imports?limit={bad}"), "coordinator")
            .await;
        assert_eq!(s, Status::UnprocessableEntity, "limit={bad}: {b}");
        assert_eq!(b["error"]["field"], "limit");
    }

    let (s, b) = apply(&app, "coordinator", id).await;
    assert_eq!(s, Status::Ok, "{b}");
    assert_eq!(b["state"], "applied");
    assert_eq!(b["preview"]["applied"], true);
    assert_eq!(b["applied_by_name"], "coordinator");
    assert_eq!(disbursement_count(&app).await, 2);
    let audited = scalar_i64(&app.db, "SELECT COUNT(*) FROM audit_entry WHERE action IN ('imports.upload', 'imports.apply', 'sheets.import')").await;
    assert_eq!(audited, 3);

    let (s, b) = apply(&app, "coordinator", id).await;
    assert_eq!(s, Status::Conflict, "{b}");
    assert_eq!(b["error"]["code"], "import_already_applied");
    assert_eq!(disbursement_count(&app).await, 2);
    let (s, got) = app.get(&format!("/imports/{id}"), "coordinator").await;
    assert_eq!((s, got["state"].as_str()), (Status::Ok, Some("applied")));
}

#[rocket::async_test]
async fn one_bad_row_is_named_in_the_preview_and_the_apply_is_refused_with_nothing_stored() {
    let app = App::new().await;
    app.rates().await;
    let file = disbursements(&[
        ("A-001/D1", "1500.00"),
        ("A-001/D2", "abc"),
        ("A-001/D3", "10.00"),
    ]);
    let (s, b) = upload(
        &app,
        "coordinator",
        "?kind=csv&name=disbursements.csv",
        file,
        None,
    )
    .await;
    assert_eq!(s, Status::Created, "{b}");
    assert_eq!(b["state"], "refused");
    assert_eq!(b["preview"]["errors"], 1);
    let bad: Vec<&Value> = b["preview"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["outcome"] == "error")
        .collect();
    assert_eq!(bad.len(), 1);
    assert_eq!(
        (bad[0]["source"].as_str(), bad[0]["line"].as_u64()),
        (Some("disbursements.csv"), Some(3))
    );
    assert_eq!(bad[0]["problems"][0]["column"], "amount");
    assert_eq!(bad[0]["problems"][0]["value"], "abc");
    let id = b["id"].as_i64().unwrap();
    let (s, b) = apply(&app, "coordinator", id).await;
    assert_eq!(s, Status::UnprocessableEntity, "{b}");
    assert_eq!(b["error"]["code"], "import_has_errors");
    assert_eq!(disbursement_count(&app).await, 0);
}

#[rocket::async_test]
async fn rows_that_fail_since_the_preview_refuse_the_apply_with_the_new_preview() {
    let app = App::new().await;
    app.rates().await;
    let file = disbursements(&[("A-001/D1", "1500.00")]);
    let (s, b) = upload(&app, "coordinator", "?name=disbursements.csv", file, None).await;
    // Without ?kind the Content-Type names the kind; this body has none, so it is a 415.
    assert_eq!(s, Status::UnsupportedMediaType, "{b}");
    let file = disbursements(&[("A-001/D1", "1500.00")]);
    let res = app
        .client
        .post("/api/v1/imports?name=disbursements.csv")
        .header(app.bearer("coordinator"))
        .header(ContentType::CSV)
        .body(file)
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Created);
    let b: Value = serde_json::from_str(&res.into_string().await.unwrap()).unwrap();
    let id = b["id"].as_i64().unwrap();
    // Someone records the item's first disbursement meanwhile: the file's D1 is now another row.
    app.disburse(app.item_a, "coordinator", "99.00", "EUR", "2025-03-11")
        .await;
    let (s, b) = apply(&app, "coordinator", id).await;
    assert_eq!(s, Status::UnprocessableEntity, "{b}");
    assert_eq!(b["error"]["code"], "import_has_errors");
    assert_eq!(b["import"]["state"], "refused");
    assert_eq!(b["import"]["preview"]["errors"], 1, "{b}");
    assert_eq!(
        disbursement_count(&app).await,
        1,
        "only the row recorded meanwhile"
    );
}

#[rocket::async_test]
async fn ngo_staff_import_their_own_disbursements_as_drafts_and_nothing_else() {
    let app = App::new().await;
    app.rates().await;
    let other = format!("B-{}/D1", crate::api::MARKER_B);
    let file = disbursements(&[("A-001/D1", "1500.00"), (&other, "20.00")]);
    let (s, b) = upload(
        &app,
        "ngo_a",
        "?kind=csv&name=disbursements.csv",
        file,
        None,
    )
    .await;
    assert_eq!(s, Status::Created, "{b}");
    let rows = b["preview"]["rows"].as_array().unwrap();
    assert_eq!(rows[0]["outcome"], "new", "{b}");
    assert_eq!(rows[1]["outcome"], "error");
    let msg = rows[1]["problems"][0]["message"].as_str().unwrap();
    assert!(msg.contains("there is no aid item with code"), "{msg}");
    assert!(
        !b.to_string().contains("Org ZEBRA"),
        "nothing of the other organisation shows"
    );
    // Only the own row: it applies, as a draft for a coordinator.
    let file = disbursements(&[("A-001/D1", "1500.00")]);
    let (s, b) = upload(
        &app,
        "ngo_a",
        "?kind=csv&name=disbursements.csv",
        file,
        None,
    )
    .await;
    assert_eq!(
        (s, b["organisation_id"].as_i64()),
        (Status::Created, Some(app.org_a))
    );
    let id = b["id"].as_i64().unwrap();
    let (s, b) = apply(&app, "ngo_a", id).await;
    assert_eq!(s, Status::Ok, "{b}");
    let drafts = scalar_i64(
        &app.db,
        "SELECT COUNT(*) FROM disbursement WHERE status = 'draft'",
    )
    .await;
    assert_eq!((disbursement_count(&app).await, drafts), (1, 1));
    // The other NGO neither sees nor applies it.
    let (s, _) = app.get(&format!("/imports/{id}"), "ngo_b").await;
    assert_eq!(s, Status::NotFound);
    let (s, list) = app.get("/imports", "ngo_b").await;
    assert_eq!((s, list.as_array().map(Vec::len)), (Status::Ok, Some(0)));
    // An items row is refused, saying who imports items; administrators may not upload.
    let items = "Item code,Title (Vietnamese),Title (English)\nA-001,Tên mới,New title\n"
        .as_bytes()
        .to_vec();
    let (s, b) = upload(
        &app,
        "ngo_a",
        "?kind=csv&name=items.csv",
        items.clone(),
        None,
    )
    .await;
    assert_eq!(
        (s, b["state"].as_str()),
        (Status::Created, Some("refused")),
        "{b}"
    );
    let msg = b["preview"]["rows"][0]["problems"][0]["message"]
        .as_str()
        .unwrap();
    assert!(
        msg.contains("aid items are imported by a coordinator"),
        "{msg}"
    );
    let (s, _) = upload(&app, "admin", "?kind=csv&name=items.csv", items, None).await;
    assert_eq!(s, Status::Forbidden);
}

#[rocket::async_test]
async fn too_large_uploads_are_413_and_the_openapi_document_lists_the_paths() {
    let app = App::new().await;
    let big =
        vec![b'a'; usize::try_from(aidledger::interchange::read::MAX_FILE_BYTES).unwrap() + 1];
    let (s, b) = upload(&app, "coordinator", "?kind=csv&name=big.csv", big, None).await;
    assert_eq!(s, Status::PayloadTooLarge, "{b}");
    assert_eq!(b["error"]["code"], "import_too_large");
    let (_, doc) = app.get("/openapi.json", "").await;
    for (path, method) in [
        ("/imports", "post"),
        ("/imports", "get"),
        ("/imports/{id}", "get"),
        ("/imports/{id}/apply", "post"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
    }
    assert!(doc["paths"]["/imports"]["post"]["requestBody"]["content"]["text/csv"].is_object());
}

#[rocket::async_test]
async fn an_iati_file_is_checked_previewed_and_applied_through_the_api() {
    let app = App::new().await;
    app.rates().await;
    // The ledger's own export, uploaded back: every activity matches its item, nothing is new.
    let sel = aidledger::actions::iati_export::IatiSelection {
        period: None,
        organisation_id: None,
    };
    let (xml, _) = aidledger::actions::iati_export::export_iati(
        &app.db.ctx,
        &crate::common::system(),
        &sel,
        Vec::new(),
    )
    .await
    .unwrap();
    let (s, b) = upload(
        &app,
        "coordinator",
        "?kind=iati&name=activities.xml",
        xml,
        None,
    )
    .await;
    assert_eq!(s, Status::Created, "{b}");
    assert_eq!(b["kind"], "iati");
    assert_eq!(
        (
            b["preview"]["new"].as_u64(),
            b["preview"]["errors"].as_u64()
        ),
        (Some(0), Some(0)),
        "{b}"
    );
    let id = b["id"].as_i64().unwrap();
    let before = disbursement_count(&app).await;
    let (s, b) = apply(&app, "coordinator", id).await;
    assert_eq!(
        (s, b["state"].as_str()),
        (Status::Ok, Some("applied")),
        "{b}"
    );
    assert_eq!(disbursement_count(&app).await, before);
    let audited = scalar_i64(
        &app.db,
        "SELECT COUNT(*) FROM audit_entry WHERE action = 'iati.import'",
    )
    .await;
    assert_eq!(audited, 1);

    // A file that breaks the schema is refused at upload with the violation's line.
    let bad = b"<?xml version=\"1.0\"?>\n<iati-activities version=\"2.03\">\n<iati-activity><title/></iati-activity>\n</iati-activities>\n".to_vec();
    let (s, b) = upload(&app, "coordinator", "?kind=iati&name=bad.xml", bad, None).await;
    assert_eq!(s, Status::UnprocessableEntity, "{b}");
    assert_eq!(b["error"]["code"], "invalid_iati");
    assert!(
        b["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("line 3"),
        "{b}"
    );
}
