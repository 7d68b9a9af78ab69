//! An NGO user sees its own organisation and nothing of any other: every body it can get —
//! lists, searches, item pages, rollups in every dimension and language, the report archive
//! and PDFs, error messages — is searched for the other organisation's marker string.

use super::{App, MARKER_B};
use rocket::http::Status;
use serde_json::json;

#[rocket::async_test]
async fn an_ngo_user_never_sees_another_organisations_marker() {
    let app = App::new().await;
    app.rates().await;
    let b = app.item_b;
    // Organisation B's records, each carrying the marker where text can go.
    let (s, _) = app
        .post(&format!("/aid-items/{b}/commitments"), "coordinator", &json!({"amount": "900.00", "currency": "EUR", "date": "2025-02-01", "reference": format!("ref {MARKER_B}")}))
        .await;
    assert_eq!(s, Status::Created);
    let d_b = app
        .disburse(b, "coordinator", "300.00", "EUR", "2025-02-15")
        .await;
    app.send(
        "POST",
        &format!("/disbursements/{d_b}/verify"),
        "reviewer",
        None,
        None,
    )
    .await;
    let (_, ms_b) = app
        .post(&format!("/aid-items/{b}/milestones"), "coordinator", &json!({"title_vi": format!("Mốc {MARKER_B}"), "title_en": format!("Milestone {MARKER_B}"), "planned_date": "2025-03-01"}))
        .await;
    let ms_b = ms_b["id"].as_i64().unwrap();
    let (_, rep_b) = app
        .post(
            &format!("/milestones/{ms_b}/reports"),
            "ngo_b",
            &json!({"status": "in_progress", "evidence": format!("evidence {MARKER_B}")}),
        )
        .await;
    // Organisation A's own records, which its user must see.
    let a = app.item_a;
    let d_a = app
        .disburse(a, "coordinator", "100.00", "EUR", "2025-02-15")
        .await;
    app.send(
        "POST",
        &format!("/disbursements/{d_a}/verify"),
        "reviewer",
        None,
        None,
    )
    .await;
    let (s, issued) = app
        .post(
            "/reports",
            "reviewer",
            &json!({"period": "2025-H1", "lang": "en", "signer_name": "A", "recipients": ["VT"], "allow_empty_sections": true}),
        )
        .await;
    assert_eq!(s, Status::Created, "{issued}");

    let mut paths = vec![
        "/auth/me".to_string(),
        "/organisations".into(),
        format!("/organisations?q={MARKER_B}"),
        "/organisations?kind=foreign_ngo".into(),
        format!("/organisations/{}", app.org_a),
        format!("/organisations/{}", app.org_b),
        "/aid-items".into(),
        format!("/aid-items?q={MARKER_B}"),
        "/aid-items?q=nuoc%20sach".into(),
        format!("/aid-items?donor_id={}", app.org_b),
        format!("/aid-items/{a}"),
        format!("/aid-items/{b}"),
        format!("/aid-items/{b}/commitments"),
        format!("/aid-items/{b}/disbursements"),
        format!("/aid-items/{b}/milestones"),
        format!("/aid-items/{a}/commitments"),
        format!("/aid-items/{a}/disbursements"),
        format!("/aid-items/{a}/milestones"),
        format!("/disbursements/{d_b}"),
        format!("/milestones/{ms_b}/reports"),
        "/exchange-rates".into(),
        "/periods".into(),
        "/reports".into(),
        "/reports?period=2025-H1".into(),
        format!("/reports/{}.pdf", issued["id"]),
        "/audit".into(),
        format!("/audit?entity=aid_item&entity_id={b}"),
        "/users".into(),
        "/tokens".into(),
    ];
    for by in [
        "sector",
        "sector_group",
        "locality",
        "donor",
        "country",
        "region",
        "modality",
        "aid_owner",
        "status",
    ] {
        for lang in ["vi", "en"] {
            paths.push(format!("/rollups?period=2025&by={by}&lang={lang}"));
        }
    }
    let mut seen_own = false;
    for path in &paths {
        let (status, body) = app.send_raw("GET", path, "ngo_a", None, None).await;
        let text = String::from_utf8_lossy(&body);
        assert!(
            !text.contains(MARKER_B),
            "GET {path} ({status}) shows organisation B: {text}"
        );
        seen_own |= text.contains("A-001");
    }
    assert!(seen_own, "the NGO user saw none of its own items");
    let (_, mine) = app.get("/aid-items", "ngo_a").await;
    let ids: Vec<i64> = mine
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![a]);
    // Its rollup counts its own verified disbursement and nothing of B's.
    let (_, r) = app.get("/rollups?period=2025&by=donor", "ngo_a").await;
    assert_eq!(r["total"]["disbursed_vnd"], "2700000", "{r}");
    // Writes against B's objects are refused as not found too, and change nothing.
    let writes = [
        (
            format!("/aid-items/{b}/disbursements"),
            json!({"amount": "1.00", "currency": "EUR", "value_date": "2025-03-01"}),
        ),
        (
            format!("/milestones/{ms_b}/reports"),
            json!({"status": "done", "actual_date": "2025-03-01", "evidence": "not ours"}),
        ),
    ];
    for (path, body) in &writes {
        let (s, text) = app.send_raw("POST", path, "ngo_a", Some(body), None).await;
        assert_eq!(s, Status::NotFound, "{path}");
        assert!(!String::from_utf8_lossy(&text).contains(MARKER_B));
    }
    let (s, _) = app
        .send(
            "POST",
            &format!("/milestone-reports/{}/accept", rep_b["id"]),
            "ngo_a",
            None,
            None,
        )
        .await;
    assert!(s == Status::NotFound || s == Status::Forbidden);
    // The province's staff, of course, see B.
    let (_, all) = app
        .get(&format!("/aid-items?q={MARKER_B}"), "coordinator")
        .await;
    assert_eq!(all.as_array().unwrap().len(), 1);
    // The PDF, read as text, names B: which is why NGO users never get it.
    if let Some(text) = crate::common::pdftotext_bytes(
        &app.send_raw(
            "GET",
            &format!("/reports/{}.pdf", issued["id"]),
            "reviewer",
            None,
            None,
        )
        .await
        .1,
    ) {
        assert!(text.contains(MARKER_B));
    }
}
