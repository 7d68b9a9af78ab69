//! `/api/v1/activities`: create, read, replace and list through the real HTTP stack, with the
//! roles and NGO scoping of the rest of the API, and a specific 4xx for every bad body.

use super::seed_mobilisation;
use crate::api::App;
use crate::common::scalar_i64;
use rocket::http::Status;
use serde_json::{Value, json};

fn body(app: &App, programme: i64, proposal: i64) -> Value {
    json!({
        "programme_id": programme,
        "kind": "conference",
        "title": "Hội nghị xúc tiến vận động viện trợ 2024",
        "held_on": "2024-11-20",
        "place": "Hà Nội",
        "outcome": "Ba tổ chức quan tâm.",
        "organisation_ids": [app.org_a, app.owner],
        "proposal_ids": [proposal],
    })
}

#[rocket::async_test]
async fn a_coordinator_records_reads_and_replaces_an_activity() {
    let app = App::new().await;
    let (pr, pp) = seed_mobilisation(&app).await;
    let (s, created) = app
        .post("/activities", "coordinator", &body(&app, pr[0], pp[0]))
        .await;
    assert_eq!(s, Status::Created, "{created}");
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["kind"], "conference");
    assert_eq!(created["held_on"], "2024-11-20");
    assert_eq!(created["proposal_ids"], json!([pp[0]]));

    let (s, got) = app.get(&format!("/activities/{id}"), "reviewer").await;
    assert_eq!(s, Status::Ok, "{got}");
    assert_eq!(got, created);

    let mut changed = body(&app, pr[0], pp[0]);
    changed["kind"] = json!("field_visit");
    changed["organisation_ids"] = json!([app.org_b]);
    changed["outcome"] = Value::Null;
    let (s, put) = app
        .send(
            "PUT",
            &format!("/activities/{id}"),
            "coordinator",
            Some(&changed),
            Some("k-1"),
        )
        .await;
    assert_eq!(s, Status::Ok, "{put}");
    assert_eq!(put["kind"], "field_visit");
    assert_eq!(put["outcome"], "");
    assert_eq!(put["organisation_ids"], json!([app.org_b]));

    // The same key and body replays the first answer; nothing is written twice.
    let entries = "SELECT COUNT(*) FROM audit_entry WHERE entity = 'promotion_activity'";
    let before = scalar_i64(&app.db, entries).await;
    let (s, again) = app
        .send(
            "PUT",
            &format!("/activities/{id}"),
            "coordinator",
            Some(&changed),
            Some("k-1"),
        )
        .await;
    assert_eq!((s, &again), (Status::Ok, &put));
    assert_eq!(scalar_i64(&app.db, entries).await, before);

    let (s, list) = app
        .get(
            &format!("/activities?programme_id={}&kind=field_visit", pr[0]),
            "coordinator",
        )
        .await;
    assert_eq!(s, Status::Ok, "{list}");
    assert_eq!(list.as_array().unwrap().len(), 1);
    let (_, none) = app.get("/activities?kind=meeting", "coordinator").await;
    assert_eq!(none, json!([]));
}

#[rocket::async_test]
async fn ngo_staff_read_their_own_activities_only_and_write_none() {
    let app = App::new().await;
    let (pr, pp) = seed_mobilisation(&app).await;
    let (_, a) = app
        .post("/activities", "coordinator", &body(&app, pr[0], pp[0]))
        .await;
    let id = a["id"].as_i64().unwrap();

    let (s, seen) = app.get(&format!("/activities/{id}"), "ngo_a").await;
    assert_eq!(s, Status::Ok, "{seen}");
    assert_eq!(
        seen["organisation_ids"],
        json!([app.org_a]),
        "not the aid owner"
    );
    let (_, list) = app.get("/activities", "ngo_a").await;
    assert_eq!(list.as_array().unwrap().len(), 1);

    let (s, _) = app.get(&format!("/activities/{id}"), "ngo_b").await;
    assert_eq!(s, Status::NotFound);
    let (_, list) = app.get("/activities", "ngo_b").await;
    assert_eq!(list, json!([]));

    for who in ["ngo_a", "reviewer", "admin"] {
        let (s, b) = app
            .post("/activities", who, &body(&app, pr[0], pp[0]))
            .await;
        assert_eq!(s, Status::Forbidden, "{who}: {b}");
    }
    let (s, _) = app.get("/activities", "").await;
    assert_eq!(s, Status::Unauthorized);
}

#[rocket::async_test]
async fn bad_bodies_are_refused_with_their_field_and_nothing_is_stored() {
    let app = App::new().await;
    let (pr, pp) = seed_mobilisation(&app).await;
    let cases: Vec<(&str, Value, u16, &str)> = vec![
        ("title", json!(""), 422, "invalid_text"),
        ("held_on", json!("20/11/2024"), 422, "invalid_date"),
        ("held_on", json!("2031-01-01"), 422, "outside_programme"),
        ("place", json!("a\u{202e}b"), 422, "text_bidi"),
        ("programme_id", json!(424_242), 422, "unknown_programme"),
        (
            "organisation_ids",
            json!([424_242]),
            422,
            "unknown_organisation",
        ),
        ("proposal_ids", json!([pp[2]]), 422, "proposal_programme"),
        ("proposal_ids", json!([pp[0], pp[0]]), 422, "duplicate"),
    ];
    for (field, value, status, code) in cases {
        let mut b = body(&app, pr[0], pp[0]);
        b[field] = value;
        let (s, answer) = app.post("/activities", "coordinator", &b).await;
        assert_eq!(s.code, status, "{field}: {answer}");
        assert_eq!(answer["error"]["code"], code, "{field}: {answer}");
        assert_eq!(answer["error"]["field"], field, "{answer}");
    }
    let mut unknown = body(&app, pr[0], pp[0]);
    unknown["colour"] = json!("red");
    let (s, _) = app.post("/activities", "coordinator", &unknown).await;
    assert!(s.code >= 400 && s.code < 500, "{s}");
    let mut kind = body(&app, pr[0], pp[0]);
    kind["kind"] = json!("party");
    let (s, _) = app.post("/activities", "coordinator", &kind).await;
    assert!(s.code >= 400 && s.code < 500, "{s}");
    assert_eq!(
        scalar_i64(&app.db, "SELECT COUNT(*) FROM promotion_activity").await,
        0
    );
    let (s, _) = app
        .send(
            "PUT",
            "/activities/424242",
            "coordinator",
            Some(&body(&app, pr[0], pp[0])),
            None,
        )
        .await;
    assert_eq!(s, Status::NotFound);
}
