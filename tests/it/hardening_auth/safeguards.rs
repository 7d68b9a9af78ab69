//! Cross-site writes are refused (JSON for the API, a page for forms), HSTS is sent over TLS
//! only (a proxy's word believed only when one is configured), and the session cookie lives
//! as long as a session (13).

use super::client_with;
use crate::api::{App, PASSWORD};
use crate::pages::{body, log_in};
use aidledger::actions::auth::SESSION_ABSOLUTE;
use rocket::http::{ContentType, Header, Status};
use serde_json::{Value, json};

#[rocket::async_test]
async fn a_write_from_another_site_is_refused_and_the_same_site_is_not() {
    let app = App::new().await;
    let create = |origin: Option<&'static str>| {
        let mut req = app
            .client
            .post("/api/v1/tokens")
            .header(app.bearer("coordinator"))
            .header(Header::new("Host", "aid.example.gov.vn"))
            .header(ContentType::JSON)
            .body(r#"{"name": "script"}"#);
        if let Some(o) = origin {
            req = req.header(Header::new("Origin", o));
        }
        req.dispatch()
    };
    for evil in [
        "https://evil.example",
        "null",
        "http://aid.example.gov.vn.evil.example",
    ] {
        let res = create(Some(evil)).await;
        assert_eq!(res.status(), Status::Forbidden, "{evil}");
        let v: Value = serde_json::from_str(&res.into_string().await.unwrap()).unwrap();
        assert_eq!(v["error"]["code"], "cross_origin", "{v}");
    }
    let (_, list) = app.get("/tokens", "coordinator").await;
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "nothing was created: {list}"
    );
    for ok in [
        Some("https://aid.example.gov.vn"),
        Some("http://AID.example.gov.vn:80"),
        None,
    ] {
        assert_eq!(create(ok).await.status(), Status::Created, "{ok:?}");
    }
    // A form: the refusal is a page in the reader's language; reading is not refused.
    log_in(&app.client, "coordinator").await;
    let res = app
        .client
        .get("/account/tokens")
        .header(Header::new("Origin", "https://evil.example"))
        .dispatch()
        .await;
    let html = body(res).await;
    let token = crate::pages::csrf_of(&html);
    let res = app
        .client
        .post("/account/tokens")
        .header(Header::new("Origin", "https://evil.example"))
        .header(Header::new("Host", "aid.example.gov.vn"))
        .header(ContentType::Form)
        .body(format!("_csrf={token}&name=forged"))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Forbidden);
    let html = body(res).await;
    assert!(html.contains("đến từ một trang web khác"), "{html}");
    let (_, list) = app.get("/tokens", "coordinator").await;
    assert!(!list.to_string().contains("forged"));
    // Nobody reaches the refusal's route directly.
    let res = app.client.get("/__refused/cross-site").dispatch().await;
    assert_eq!(res.status(), Status::NotFound);
}

#[rocket::async_test]
async fn hsts_is_sent_over_tls_only_and_the_session_cookie_lives_as_long_as_a_session() {
    let app = App::new().await;
    let plain = app
        .client
        .get("/login")
        .header(Header::new("X-Forwarded-Proto", "https"));
    let res = plain.dispatch().await;
    assert_eq!(res.headers().get_one("Strict-Transport-Security"), None);
    let proxied = client_with(&app, |c| c.trusted_ip_header = Some("X-Real-IP".into())).await;
    let res = proxied.get("/login").dispatch().await;
    assert_eq!(res.headers().get_one("Strict-Transport-Security"), None);
    let res = proxied
        .get("/login")
        .header(Header::new("X-Forwarded-Proto", "https"))
        .dispatch()
        .await;
    assert_eq!(
        res.headers().get_one("Strict-Transport-Security"),
        Some("max-age=31536000")
    );

    let res = app
        .client
        .post("/api/v1/auth/login")
        .header(ContentType::JSON)
        .body(json!({"username": "reviewer", "password": PASSWORD}).to_string())
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Ok);
    let cookie = res.cookies().get("aidledger_session").unwrap().clone();
    let lifetime = SESSION_ABSOLUTE.num_seconds();
    assert_eq!(
        cookie.max_age(),
        Some(rocket::time::Duration::seconds(lifetime))
    );
    let expires = cookie.expires_datetime().unwrap();
    let left = expires - rocket::time::OffsetDateTime::now_utc();
    assert!(left <= rocket::time::Duration::seconds(lifetime), "{left}");
    assert!(left > rocket::time::Duration::hours(11), "{left}");
}
