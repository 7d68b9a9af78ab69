//! The workflows end to end over HTTP: four-eyes verification, period locks and their
//! refusals, unlock and re-issue as version 2, idempotent retries, sessions, and the audit
//! chain catching a change made behind the application's back.

use super::{App, PASSWORD};
use rocket::http::{ContentType, Header, Status};
use serde_json::json;

#[rocket::async_test]
async fn whoever_enters_a_disbursement_cannot_verify_it_and_only_verified_ones_count() {
    let app = App::new().await;
    app.rates().await;
    let item = app.item_a;
    let d = app
        .disburse(item, "coordinator", "1000.00", "EUR", "2025-03-10")
        .await;
    let path = format!("/disbursements/{d}/verify");
    // A reviewer who entered nothing may verify; the enterer (a coordinator) holds no such
    // right, and a reviewer-entered row cannot exist (reviewers do not record money).
    let (s, b) = app.post(&path, "coordinator", &json!({})).await;
    assert_eq!(s, Status::Forbidden, "{b}");
    let rollup = "/rollups?period=2025-Q1&by=donor&lang=en";
    let (_, before) = app.get(rollup, "reviewer").await;
    assert_eq!(before["total"]["disbursed_vnd"], "0");
    let (s, b) = app.send("POST", &path, "reviewer", None, None).await;
    assert_eq!(s, Status::Ok, "{b}");
    assert_eq!(b["status"], "verified");
    assert_eq!(b["conversion"]["amount_vnd"], "27000000");
    let (_, after) = app.get(rollup, "reviewer").await;
    assert_eq!(after["total"]["disbursed_vnd"], "27000000");
    assert_eq!(after["total"]["disbursed_usd"], "1080.00");
    // Verifying twice is a state error, not a second count.
    let (s, b) = app.send("POST", &path, "reviewer2", None, None).await;
    assert_eq!(s, Status::Conflict, "{b}");
}

#[rocket::async_test]
async fn four_eyes_holds_for_an_ngo_report_accepted_by_a_coordinator() {
    let app = App::new().await;
    app.rates().await;
    let d = app
        .disburse(app.item_a, "ngo_a", "250.00", "USD", "2025-02-10")
        .await;
    let (_, row) = app.get(&format!("/disbursements/{d}"), "coordinator").await;
    assert_eq!(row["status"], "draft");
    // A draft report is not yet in the reviewer's queue.
    let (s, b) = app
        .send(
            "POST",
            &format!("/disbursements/{d}/verify"),
            "reviewer",
            None,
            None,
        )
        .await;
    assert_eq!(s, Status::Conflict, "{b}");
    let (s, b) = app
        .send(
            "POST",
            &format!("/disbursements/{d}/accept"),
            "coordinator",
            None,
            None,
        )
        .await;
    assert_eq!(s, Status::Ok, "{b}");
    assert_eq!(b["status"], "submitted");
    let (s, b) = app
        .send(
            "POST",
            &format!("/disbursements/{d}/verify"),
            "reviewer",
            None,
            None,
        )
        .await;
    assert_eq!(s, Status::Ok, "{b}");
    assert_eq!(b["entered_by"], app.actors["ngo_a"].user_id.unwrap());
}

#[rocket::async_test]
async fn a_locked_period_refuses_every_dated_change_with_a_409_that_says_how_to_correct() {
    let app = App::new().await;
    app.rates().await;
    let verified = app
        .disburse(app.item_a, "coordinator", "500.00", "EUR", "2025-02-10")
        .await;
    let (s, _) = app
        .send(
            "POST",
            &format!("/disbursements/{verified}/verify"),
            "reviewer",
            None,
            None,
        )
        .await;
    assert_eq!(s, Status::Ok);
    let pending = app
        .disburse(app.item_a, "coordinator", "70.00", "EUR", "2025-03-10")
        .await;
    let (s, lock) = app
        .send("POST", "/periods/2025-Q1/lock", "reviewer", None, None)
        .await;
    assert_eq!(s, Status::Ok, "{lock}");
    assert_eq!(lock["starts_on"], "2025-01-01");
    let (s, b) = app
        .send("POST", "/periods/2025-Q1/lock", "reviewer", None, None)
        .await;
    assert_eq!(
        (s, b["error"]["code"].as_str()),
        (Status::Conflict, Some("already_locked"))
    );

    let item = app.item_a;
    let refusals = [
        (
            "POST",
            format!("/aid-items/{item}/disbursements"),
            json!({"amount": "1.00", "currency": "EUR", "value_date": "2025-03-31"}),
        ),
        (
            "POST",
            format!("/aid-items/{item}/commitments"),
            json!({"amount": "9.00", "currency": "EUR", "date": "2025-01-02"}),
        ),
        (
            "POST",
            format!("/disbursements/{verified}/reverse"),
            json!({"value_date": "2025-04-02", "reason": "paid twice"}),
        ),
        (
            "POST",
            format!("/disbursements/{pending}/reject"),
            json!({"reason": "no receipt"}),
        ),
        (
            "PUT",
            "/exchange-rates".to_string(),
            json!({"currency": "EUR", "date": "2025-03-01", "to_vnd": "27100", "to_usd": "1.09", "source": "SBV correction"}),
        ),
    ];
    for (method, path, body) in &refusals {
        let who = if path.contains("reject") || path.contains("exchange") {
            "reviewer"
        } else {
            "coordinator"
        };
        let (s, b) = app.send(method, path, who, Some(body), None).await;
        assert_eq!(s, Status::Conflict, "{method} {path}: {b}");
        assert_eq!(b["error"]["code"], "period_locked", "{b}");
        let m = b["error"]["message"].as_str().unwrap();
        assert!(m.contains("2025-Q1") && m.contains("open period"), "{m}");
    }
    let (s, b) = app
        .send(
            "POST",
            &format!("/disbursements/{pending}/verify"),
            "reviewer",
            None,
            None,
        )
        .await;
    assert_eq!(
        (s, b["error"]["code"].as_str()),
        (Status::Conflict, Some("period_locked"))
    );
    // Nothing was stored by the refusals.
    let (_, list) = app
        .get(&format!("/aid-items/{item}/disbursements"), "coordinator")
        .await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    // The correction goes into an open period.
    let (s, b) = app
        .post(
            &format!("/aid-items/{item}/disbursements"),
            "coordinator",
            &json!({"amount": "1.00", "currency": "EUR", "value_date": "2025-04-02"}),
        )
        .await;
    assert_eq!(s, Status::Created, "{b}");
}

#[rocket::async_test]
async fn unlocking_needs_a_reason_and_a_reissued_report_is_version_2_beside_version_1() {
    let app = App::new().await;
    app.rates().await;
    let (s, b) = app
        .post(
            &format!("/aid-items/{}/commitments", app.item_a),
            "coordinator",
            &json!({"amount": "5000.00", "currency": "EUR", "date": "2025-02-01"}),
        )
        .await;
    assert_eq!(s, Status::Created, "{b}");
    let issue = json!({"period": "2025-H1", "lang": "en", "issued_on": "2025-07-05", "number": "12/BC-SNgV",
        "signer_name": "Nguyen Van A", "recipients": ["Archive: VT"], "allow_empty_sections": true});
    let (s, v1) = app.post("/reports", "reviewer", &issue).await;
    assert_eq!(s, Status::Created, "{v1}");
    assert_eq!(v1["version"], 1);
    // Issuing locked the period.
    let (s, b) = app.post(&format!("/aid-items/{}/commitments", app.item_a), "coordinator", &json!({"amount": "10.00", "currency": "EUR", "date": "2025-06-30", "kind": "amendment"})).await;
    assert_eq!(
        (s, b["error"]["code"].as_str()),
        (Status::Conflict, Some("period_locked")),
        "{b}"
    );
    let (s, b) = app
        .post(
            "/periods/2025-H1/unlock",
            "reviewer",
            &json!({"reason": "short"}),
        )
        .await;
    assert_eq!(
        (s, b["error"]["field"].as_str()),
        (Status::UnprocessableEntity, Some("reason")),
        "{b}"
    );
    let (s, b) = app
        .post(
            "/periods/2025-H1/unlock",
            "coordinator",
            &json!({"reason": "amendment signed on 30 June arrived late"}),
        )
        .await;
    assert_eq!(s, Status::Forbidden, "{b}");
    let (s, b) = app
        .post(
            "/periods/2025-H1/unlock",
            "reviewer",
            &json!({"reason": "amendment signed on 30 June arrived late"}),
        )
        .await;
    assert_eq!(s, Status::Ok, "{b}");
    assert!(b["unlocked_at"].is_string());
    let (s, b) = app.post(&format!("/aid-items/{}/commitments", app.item_a), "coordinator", &json!({"amount": "10.00", "currency": "EUR", "date": "2025-06-30", "kind": "amendment"})).await;
    assert_eq!(s, Status::Created, "{b}");
    let (s, v2) = app.post("/reports", "reviewer", &issue).await;
    assert_eq!(s, Status::Created, "{v2}");
    assert_eq!(v2["version"], 2);
    assert_ne!(v1["sha256"], v2["sha256"]);
    let (s, list) = app.get("/reports?period=2025-H1", "reviewer").await;
    assert_eq!(s, Status::Ok);
    let versions: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["version"].as_i64().unwrap())
        .collect();
    assert_eq!(versions, vec![1, 2]);
    let (s, pdf) = app
        .send_raw(
            "GET",
            &format!("/reports/{}.pdf", v1["id"]),
            "reviewer",
            None,
            None,
        )
        .await;
    assert_eq!(s, Status::Ok);
    assert!(pdf.starts_with(b"%PDF"));
    let (_, audit) = app.get("/audit?entity=period_lock", "reviewer").await;
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"period.unlock"), "{actions:?}");
}

#[rocket::async_test]
async fn an_idempotent_retry_gets_the_first_answer_and_another_body_under_the_key_is_refused() {
    let app = App::new().await;
    app.rates().await;
    let path = format!("/aid-items/{}/disbursements", app.item_a);
    let body = json!({"amount": "42.00", "currency": "EUR", "value_date": "2025-03-10"});
    let (s1, b1) = app
        .send("POST", &path, "coordinator", Some(&body), Some("k-1"))
        .await;
    assert_eq!(s1, Status::Created, "{b1}");
    let (s2, b2) = app
        .send("POST", &path, "coordinator", Some(&body), Some("k-1"))
        .await;
    assert_eq!((s2, &b2), (Status::Created, &b1));
    let (_, list) = app.get(&path, "coordinator").await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let other = json!({"amount": "43.00", "currency": "EUR", "value_date": "2025-03-10"});
    let (s3, b3) = app
        .send("POST", &path, "coordinator", Some(&other), Some("k-1"))
        .await;
    assert_eq!(
        (s3, b3["error"]["code"].as_str()),
        (Status::Conflict, Some("idempotency_key_reused"))
    );
    // Keys belong to their user: another coordinator's k-1 is a new request.
    let (s4, _) = app
        .send("POST", &path, "coordinator2", Some(&body), Some("k-1"))
        .await;
    assert_eq!(s4, Status::Created);
    // A refused request stores nothing: after fixing it, the same key works.
    let bad = json!({"amount": "1e3", "currency": "EUR", "value_date": "2025-03-10"});
    let (s5, b5) = app
        .send("POST", &path, "coordinator", Some(&bad), Some("k-2"))
        .await;
    assert_eq!(
        (s5, b5["error"]["field"].as_str()),
        (Status::UnprocessableEntity, Some("amount"))
    );
    let (_, list) = app.get(&path, "coordinator").await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    let verify = format!("/disbursements/{}/verify", b1["id"]);
    let (a, first) = app
        .send("POST", &verify, "reviewer", None, Some("v-1"))
        .await;
    let (b, again) = app
        .send("POST", &verify, "reviewer", None, Some("v-1"))
        .await;
    assert_eq!((a, b), (Status::Ok, Status::Ok));
    assert_eq!(first, again);
}

#[rocket::async_test]
async fn bodies_are_refused_with_the_field_named_and_nothing_stored() {
    let app = App::new().await;
    let path = format!("/aid-items/{}/disbursements", app.item_a);
    let cases = [
        (
            json!({"amount": "1e309", "currency": "EUR", "value_date": "2025-03-10"}),
            "amount",
        ),
        (
            json!({"amount": "12,5", "currency": "EUR", "value_date": "2025-03-10"}),
            "amount",
        ),
        (
            json!({"amount": "100.5", "currency": "VND", "value_date": "2025-03-10"}),
            "amount",
        ),
        (
            json!({"amount": "0.001", "currency": "USD", "value_date": "2025-03-10"}),
            "amount",
        ),
        (
            json!({"amount": 12.5, "currency": "USD", "value_date": "2025-03-10"}),
            "amount",
        ),
        (
            json!({"amount": "-100", "currency": "USD", "value_date": "2025-03-10"}),
            "amount",
        ),
        (
            json!({"amount": "10", "currency": "usd", "value_date": "2025-03-10"}),
            "currency",
        ),
        (
            json!({"amount": "10", "currency": "XXX", "value_date": "2025-03-10"}),
            "currency",
        ),
        (
            json!({"amount": "10", "currency": "USD", "value_date": "2025-02-30"}),
            "value_date",
        ),
        (
            json!({"amount": "10", "currency": "USD", "value_date": "30/01/2025"}),
            "value_date",
        ),
        (
            json!({"amount": "10", "currency": "USD", "value_date": "2999-01-01"}),
            "value_date",
        ),
        (
            json!({"amount": "10", "currency": "USD", "value_date": "2025-03-10", "status": "verified"}),
            "status",
        ),
        (
            json!({"amount": "10", "currency": "USD", "value_date": "2025-03-10", "item_id": 999}),
            "item_id",
        ),
        (
            json!({"currency": "USD", "value_date": "2025-03-10"}),
            "amount",
        ),
    ];
    for (body, field) in &cases {
        let (s, b) = app.post(&path, "coordinator", body).await;
        assert!(s.code >= 400 && s.code < 500, "{body}: {s} {b}");
        assert_eq!(b["error"]["field"], *field, "{body}: {b}");
    }
    let res = app
        .client
        .post(format!("/api/v1{path}"))
        .header(app.bearer("coordinator"))
        .header(ContentType::Form)
        .body("amount=1")
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::UnsupportedMediaType);
    let big = format!("{{\"amount\": \"{}\"}}", "1".repeat(100_000));
    let (s, _) = app
        .send(
            "POST",
            &path,
            "coordinator",
            Some(&serde_json::from_str(&big).unwrap()),
            None,
        )
        .await;
    assert_eq!(s, Status::PayloadTooLarge);
    let (s, b) = app.get("/aid-items/abc", "coordinator").await;
    assert!(
        s == Status::NotFound || s == Status::UnprocessableEntity,
        "{s} {b}"
    );
    let (_, list) = app.get(&path, "coordinator").await;
    assert_eq!(list, json!([]));
}

#[rocket::async_test]
async fn a_session_cookie_is_private_httponly_strict_and_ends_at_logout() {
    let app = App::new().await;
    let res = app
        .client
        .post("/api/v1/auth/login")
        .header(ContentType::JSON)
        .body(json!({"username": "coordinator", "password": PASSWORD}).to_string())
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Ok);
    let set = res.headers().get_one("Set-Cookie").unwrap().to_string();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    assert!(!set.contains(PASSWORD));
    let me = app.client.get("/api/v1/auth/me").dispatch().await;
    assert_eq!(me.status(), Status::Ok);
    let first_cookie = app
        .client
        .cookies()
        .get_private("aidledger_session")
        .unwrap()
        .value()
        .to_string();
    let out = app.client.post("/api/v1/auth/logout").dispatch().await;
    assert_eq!(out.status(), Status::NoContent);
    // Replaying the old cookie after logout does not bring the session back.
    let replay = app
        .client
        .get("/api/v1/auth/me")
        .private_cookie(rocket::http::Cookie::new("aidledger_session", first_cookie))
        .dispatch()
        .await;
    assert_eq!(replay.status(), Status::Unauthorized);
    let wrong = app
        .client
        .post("/api/v1/auth/login")
        .header(ContentType::JSON)
        .body(json!({"username": "nobody", "password": "whatever at all"}).to_string())
        .dispatch()
        .await;
    assert_eq!(wrong.status(), Status::Unauthorized);
    let body: serde_json::Value = wrong.into_json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_credentials");
    let res = app
        .client
        .get("/api/v1/aid-items")
        .header(Header::new("Authorization", "Bearer al_not_a_token"))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Unauthorized);
    assert_eq!(res.headers().get_one("Cache-Control"), Some("no-store"));
}

#[rocket::async_test]
async fn a_token_from_credentials_works_and_stops_working_when_revoked() {
    let app = App::new().await;
    let (s, t) = app
        .post(
            "/auth/token",
            "",
            &json!({"username": "reviewer", "password": PASSWORD, "name": "script"}),
        )
        .await;
    assert_eq!(s, Status::Created, "{t}");
    let token = t["token"].as_str().unwrap().to_string();
    let call = async |tok: &str| {
        app.client
            .get("/api/v1/periods")
            .header(Header::new("Authorization", format!("Bearer {tok}")))
            .dispatch()
            .await
            .status()
    };
    assert_eq!(call(&token).await, Status::Ok);
    let (_, mine) = app.get("/tokens", "reviewer").await;
    assert!(
        mine.as_array()
            .unwrap()
            .iter()
            .any(|x| x["id"] == t["id"] && x["last_used_at"].is_string())
    );
    let (s, _) = app
        .send(
            "DELETE",
            &format!("/tokens/{}", t["id"]),
            "coordinator",
            None,
            None,
        )
        .await;
    assert_eq!(s, Status::NotFound);
    let (s, _) = app
        .send(
            "DELETE",
            &format!("/tokens/{}", t["id"]),
            "reviewer",
            None,
            None,
        )
        .await;
    assert_eq!(s, Status::Ok);
    assert_eq!(call(&token).await, Status::Unauthorized);
}

#[rocket::async_test]
async fn audit_verify_catches_a_row_changed_behind_the_applications_back() {
    let app = App::new().await;
    app.rates().await;
    app.disburse(app.item_a, "coordinator", "9.00", "EUR", "2025-03-10")
        .await;
    let report = verify(&app).await;
    assert!(report.broken_at.is_none());
    let (_, entries) = app.get("/audit?entity=disbursement", "admin").await;
    let id = entries[0]["id"].as_i64().unwrap();
    // The triggers refuse the change on both engines...
    let sql = "UPDATE audit_entry SET after = '{\"amount\":\"9000.00\"}' WHERE id = $1";
    assert!(crate::common::raw_exec(&app.db, sql, id).await.is_err());
    // ...so someone with the database's owner rights drops them first.
    crate::common::drop_audit_guard(&app.db).await;
    crate::common::raw_exec(&app.db, sql, id).await.unwrap();
    let report = verify(&app).await;
    assert_eq!(report.broken_at.map(|(at, _)| at), Some(id));
    // The command a person runs says so too, and fails.
    if let aidledger::db::Store::Sqlite(_) = app.db.store() {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_aidledger"))
            .args(["audit", "verify"])
            .env("DATABASE_URL", &app.db.ctx.config.database_url)
            .env_remove("AIDLEDGER_TEST_PG_URL")
            .output()
            .unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("broken at entry {id}")), "{err}");
    }
}

async fn verify(app: &App) -> aidledger::db::audit::ChainReport {
    let mut tx = app.db.store().read().await.unwrap();
    aidledger::db::audit::verify_chain(&mut tx).await.unwrap()
}

#[rocket::async_test]
async fn inputs_schemathesis_found_are_refused_as_4xx_not_500() {
    let app = App::new().await;
    let a = app.item_a;
    let cases = [
        (
            "/organisations".to_string(),
            json!({"kind": "funder", "name_vi": "Quỹ", "name_en": "Fund", "nationality": "US", "provinces": ["ô¿"]}),
            "provinces",
        ),
        (
            "/organisations".to_string(),
            json!({"kind": "funder", "name_vi": "Quỹ", "name_en": "Fund", "nationality": "US", "sectors": ["EDU", "EDU"]}),
            "sectors",
        ),
        (
            format!("/aid-items/{a}/milestones"),
            json!({"title_vi": "Xong", "title_en": "Done", "planned_date": "2020-07-25", "status": "done"}),
            "actual_date",
        ),
        (
            format!("/aid-items/{a}/disbursements"),
            json!({"amount": "1.00", "currency": "USD", "value_date": "2025-01-02", "tranche": 0}),
            "tranche",
        ),
    ];
    for (path, body, field) in &cases {
        let (s, b) = app.post(path, "coordinator", body).await;
        assert_eq!(
            (s, b["error"]["field"].as_str()),
            (Status::UnprocessableEntity, Some(*field)),
            "{path} {body}: {b}"
        );
    }
    let (s, b) = app
        .get("/aid-items?status=approved&status=pipeline", "coordinator")
        .await;
    assert_eq!(
        (s, b["error"]["code"].as_str()),
        (Status::UnprocessableEntity, Some("duplicate_parameter")),
        "{b}"
    );
    let (s, b) = app.get("/aid-items?donor_id=abc", "coordinator").await;
    assert_eq!(
        (s, b["error"]["field"].as_str()),
        (Status::UnprocessableEntity, Some("donor_id")),
        "{b}"
    );
    let res = app
        .client
        .put(format!("/api/v1/aid-items/{a}"))
        .header(app.bearer("coordinator"))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::MethodNotAllowed);
    assert_eq!(res.headers().get_one("Allow"), Some("GET, PATCH"));
}

#[rocket::async_test]
async fn a_body_must_be_a_json_object_not_an_array_of_its_fields() {
    let app = App::new().await;
    let (s, b) = app.post("/tokens", "coordinator", &json!(["laptop"])).await;
    assert_eq!(
        (s, b["error"]["code"].as_str()),
        (Status::UnprocessableEntity, Some("invalid_json")),
        "{b}"
    );
    let (_, list) = app.get("/tokens", "coordinator").await;
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "only the fixture's token"
    );
}
