//! Aid mobilisation through the API: a stage programme with targets, a proposal taken from
//! proposed to approved with an NGO's interest registered by the NGO itself, the progress the
//! stage shows, and the refusals (roles, NGO scope, the status path, overlapping stages), each
//! leaving nothing stored.

use super::App;
use crate::common::scalar_i64;
use rocket::http::Status;
use serde_json::{Value, json};

fn programme(starts: &str, ends: &str) -> Value {
    json!({
        "name_vi": "Chương trình vận động viện trợ giai đoạn thử",
        "name_en": "Mobilisation programme, test stage",
        "decision_number": "12/QĐ-UBND",
        "decision_date": "2024-12-20",
        "decision_authority": "Chủ tịch UBND tỉnh",
        "starts_on": starts,
        "ends_on": ends,
        "target": "2000000.00",
        "target_currency": "USD",
        "target_items": 4,
        "targets": [
            {"dimension": "sector_group", "code": "HEALTH", "target": "500000.00", "target_items": 2},
            {"dimension": "locality", "code": "46"}
        ]
    })
}

fn proposal(app: &App, programme_id: i64, published: bool) -> Value {
    json!({
        "programme_id": programme_id,
        "title_vi": "Trạm y tế xã vùng cao",
        "title_en": "Upland commune health station",
        "sector_code": "HEALTH.PHC",
        "unit_code": "N1",
        "estimate": "150000.00",
        "currency": "USD",
        "aid_owner_id": app.owner,
        "summary": "Xây dựng và trang bị trạm y tế.",
        "published": published
    })
}

async fn count(app: &App, table: &str) -> i64 {
    scalar_i64(
        &app.db,
        &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}"),
    )
    .await
}

#[tokio::test]
async fn a_proposal_goes_from_proposed_to_approved_with_the_ngos_own_interest() {
    let app = App::new().await;
    let (st, p) = app
        .post(
            "/programmes",
            "coordinator",
            &programme("2025-01-01", "2029-12-31"),
        )
        .await;
    assert_eq!(st, Status::Created, "{p}");
    let pid = p["id"].as_i64().unwrap();
    assert_eq!(p["target"], "2000000.00");
    assert_eq!(p["targets"].as_array().unwrap().len(), 2);

    let (st, prop) = app
        .post("/proposals", "coordinator", &proposal(&app, pid, true))
        .await;
    assert_eq!(st, Status::Created, "{prop}");
    let id = prop["id"].as_i64().unwrap();
    assert_eq!(prop["status"], "proposed");

    // Presented to NGO A, which then registers its interest itself.
    let (st, pres) = app
        .post(
            &format!("/proposals/{id}/presentations"),
            "coordinator",
            &json!({"organisation_id": app.org_a, "presented_on": "2025-03-04"}),
        )
        .await;
    assert_eq!(st, Status::Created, "{pres}");
    let (_, now) = app.get(&format!("/proposals/{id}"), "coordinator").await;
    assert_eq!(now["status"], "presented");

    let (st, seen) = app.get("/proposals", "ngo_a").await;
    assert_eq!(st, Status::Ok);
    assert_eq!(
        seen.as_array().unwrap().len(),
        1,
        "NGO A sees the published proposal"
    );
    let (st, interest) = app
        .post(
            &format!("/proposals/{id}/interest"),
            "ngo_a",
            &json!({"note": "Chúng tôi muốn khảo sát địa bàn."}),
        )
        .await;
    assert_eq!(st, Status::Created, "{interest}");
    assert_eq!(interest["organisation_id"], app.org_a);
    let (st, again) = app
        .post(&format!("/proposals/{id}/interest"), "ngo_a", &json!({}))
        .await;
    assert_eq!(st, Status::Conflict, "{again}");
    assert_eq!(count(&app, "proposal_interest").await, 1);

    // NGO B sees the proposal but neither A's presentation nor A's interest.
    let (st, b_view) = app.get(&format!("/proposals/{id}"), "ngo_b").await;
    assert_eq!(st, Status::Ok);
    assert_eq!(b_view["status"], "interested");
    assert!(b_view["interests"].as_array().unwrap().is_empty());
    assert!(b_view["presentations"].as_array().unwrap().is_empty());

    // The coordinator sees the interest waiting and acknowledges it.
    let (_, open) = app.get("/interests", "coordinator").await;
    assert_eq!(open.as_array().unwrap().len(), 1);
    let iid = interest["id"].as_i64().unwrap();
    let (st, ack) = app
        .post(
            &format!("/interests/{iid}/acknowledge"),
            "coordinator",
            &json!({}),
        )
        .await;
    assert_eq!(st, Status::Ok, "{ack}");
    let (_, open) = app.get("/interests", "coordinator").await;
    assert!(open.as_array().unwrap().is_empty());

    let step = |status: &str, item: Option<i64>| json!({"status": status, "item_id": item});
    let path = format!("/proposals/{id}/status");
    let (st, body) = app
        .post(&path, "coordinator", &step("approved", None))
        .await;
    assert_eq!(
        st,
        Status::UnprocessableEntity,
        "no skipping to approved: {body}"
    );
    let (st, _) = app.post(&path, "coordinator", &step("agreed", None)).await;
    assert_eq!(st, Status::Ok);
    let (st, body) = app
        .post(&path, "coordinator", &step("approved", None))
        .await;
    assert_eq!(
        st,
        Status::UnprocessableEntity,
        "approval names the item: {body}"
    );
    assert_eq!(body["error"]["field"], "item_id");
    let (st, done) = app
        .post(&path, "coordinator", &step("approved", Some(app.item_a)))
        .await;
    assert_eq!(st, Status::Ok, "{done}");
    assert_eq!(done["status"], "approved");
    assert_eq!(done["item_id"], app.item_a);
    let (st, body) = app
        .post(&path, "coordinator", &step("withdrawn", None))
        .await;
    assert_eq!(st, Status::UnprocessableEntity, "approved is final: {body}");

    // Every move is in the audit trail: created, presented, moved to presented, interest
    // (NGO's own move), agreed, approved.
    let moves = scalar_i64(
        &app.db,
        &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_entry WHERE entity = 'proposal' AND entity_id = '{id}'"),
    )
    .await;
    assert_eq!(moves, 6);
    let by_ngo = scalar_i64(
        &app.db,
        &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_entry WHERE entity = 'proposal' AND entity_id = '{id}' AND actor = 'ngo_a'"),
    )
    .await;
    assert_eq!(
        by_ngo, 1,
        "the NGO's interest moved the proposal under its own name"
    );

    // Progress: province staff only; the NGO is refused.
    let (st, _) = app
        .get(&format!("/programmes/{pid}/progress"), "ngo_a")
        .await;
    assert_eq!(st, Status::Forbidden);
    let (st, prog) = app
        .get(
            &format!("/programmes/{pid}/progress?to=2029-12-31"),
            "reviewer",
        )
        .await;
    assert_eq!(st, Status::Ok, "{prog}");
    assert_eq!(prog["proposals_by_status"]["approved"], 1);
    assert_eq!(prog["targets"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn refusals_store_nothing() {
    let app = App::new().await;
    let (st, _) = app
        .post(
            "/programmes",
            "ngo_a",
            &programme("2025-01-01", "2029-12-31"),
        )
        .await;
    assert_eq!(st, Status::Forbidden);
    let (st, _) = app
        .post(
            "/programmes",
            "reviewer",
            &programme("2025-01-01", "2029-12-31"),
        )
        .await;
    assert_eq!(st, Status::Forbidden);
    let (_, p) = app
        .post(
            "/programmes",
            "coordinator",
            &programme("2025-01-01", "2029-12-31"),
        )
        .await;
    let pid = p["id"].as_i64().unwrap();
    let before = (
        count(&app, "programme").await,
        count(&app, "audit_entry").await,
    );

    let mut bad = programme("2028-01-01", "2032-12-31");
    let (st, body) = app.post("/programmes", "coordinator", &bad).await;
    assert_eq!(st, Status::UnprocessableEntity, "overlapping stage: {body}");
    assert_eq!(body["error"]["code"], "overlapping_stage");
    bad = programme("2031-01-01", "2030-12-31");
    let (st, body) = app.post("/programmes", "coordinator", &bad).await;
    assert_eq!(
        (st, body["error"]["field"].clone()),
        (Status::UnprocessableEntity, json!("ends_on"))
    );
    bad = programme("2031-01-01", "2035-12-31");
    bad["targets"][0]["target"] = json!("9000000.00");
    let (st, body) = app.post("/programmes", "coordinator", &bad).await;
    assert_eq!(
        (st, body["error"]["code"].clone()),
        (Status::UnprocessableEntity, json!("above_total"))
    );
    bad = programme("2031-01-01", "2035-12-31");
    bad["targets"][1]["code"] = json!("HEALTH.PHC");
    bad["targets"][1]["dimension"] = json!("sector_group");
    let (st, body) = app.post("/programmes", "coordinator", &bad).await;
    assert_eq!(
        (st, body["error"]["code"].clone()),
        (Status::UnprocessableEntity, json!("unknown_code")),
        "a sub-sector is not a group"
    );
    bad = programme("2031-01-01", "2035-12-31");
    bad["target_currency"] = json!("EUR");
    let (st, _) = app.post("/programmes", "coordinator", &bad).await;
    assert_eq!(st, Status::UnprocessableEntity);
    assert_eq!(
        (
            count(&app, "programme").await,
            count(&app, "audit_entry").await
        ),
        before
    );

    // An unpublished proposal does not exist for an NGO; interest in it is refused alike.
    let (_, hidden) = app
        .post("/proposals", "coordinator", &proposal(&app, pid, false))
        .await;
    let hid = hidden["id"].as_i64().unwrap();
    let (st, _) = app.get(&format!("/proposals/{hid}"), "ngo_a").await;
    assert_eq!(st, Status::NotFound);
    let (st, _) = app
        .post(&format!("/proposals/{hid}/interest"), "ngo_a", &json!({}))
        .await;
    assert_eq!(st, Status::NotFound);
    let (st, list) = app.get("/proposals", "ngo_a").await;
    assert_eq!((st, list), (Status::Ok, json!([])));
    // Only NGO staff register interest; only coordinators move proposals.
    let (st, _) = app
        .post(
            &format!("/proposals/{hid}/interest"),
            "coordinator",
            &json!({}),
        )
        .await;
    assert_eq!(st, Status::Forbidden);
    let (st, _) = app
        .post(
            &format!("/proposals/{hid}/status"),
            "reviewer",
            &json!({"status": "presented"}),
        )
        .await;
    assert_eq!(st, Status::Forbidden);
    // A presentation goes to a foreign NGO, not to an aid owner.
    let (st, body) = app
        .post(
            &format!("/proposals/{hid}/presentations"),
            "coordinator",
            &json!({"organisation_id": app.owner, "presented_on": "2025-03-04"}),
        )
        .await;
    assert_eq!(
        (st, body["error"]["field"].clone()),
        (Status::UnprocessableEntity, json!("organisation_id"))
    );
    let mut wrong = proposal(&app, pid, true);
    wrong["estimate"] = json!("0");
    let (st, _) = app.post("/proposals", "coordinator", &wrong).await;
    assert_eq!(st, Status::UnprocessableEntity);
    wrong = proposal(&app, pid, true);
    wrong["aid_owner_id"] = json!(app.org_a);
    let (st, body) = app.post("/proposals", "coordinator", &wrong).await;
    assert_eq!(
        (st, body["error"]["field"].clone()),
        (Status::UnprocessableEntity, json!("aid_owner_id"))
    );
    assert_eq!(count(&app, "proposal").await, 1);
    assert_eq!(count(&app, "proposal_presentation").await, 0);
    assert_eq!(count(&app, "proposal_interest").await, 0);
}
