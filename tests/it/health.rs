//! `GET /healthz` through the real Rocket stack.

use crate::common::fresh_db;
use rocket::http::Status;
use rocket::local::asynchronous::Client;

#[rocket::async_test]
async fn healthz_reports_backend_and_schema_version() {
    let db = fresh_db().await;
    let client = Client::tracked(aidledger::build(db.ctx.config.clone(), db.store().clone()))
        .await
        .unwrap();
    let res = client.get("/healthz").dispatch().await;
    assert_eq!(res.status(), Status::Ok);
    let body: serde_json::Value = res.into_json().await.unwrap();
    assert_eq!(body["status"], "ok");
    let expected = if crate::common::pg_url().is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    assert_eq!(body["backend"], expected);
    assert!(body["schema_version"].as_i64().unwrap() >= 1);
}

#[rocket::async_test]
async fn unknown_api_paths_get_a_json_404() {
    let db = fresh_db().await;
    let client = Client::tracked(aidledger::build(db.ctx.config.clone(), db.store().clone()))
        .await
        .unwrap();
    let res = client.get("/api/v1/no/such/thing").dispatch().await;
    assert_eq!(res.status(), Status::NotFound);
    let body: serde_json::Value = res.into_json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
}
