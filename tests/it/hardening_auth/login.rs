//! The first login after a session ended (role change, idle timeout, logout elsewhere) works,
//! a login form without its token says it expired, and `next=` / `/lang` return paths that
//! are not plain local paths go to `/` (7, 8).

use crate::api::{App, PASSWORD};
use crate::common::raw_exec;
use crate::pages::{body, csrf_of, log_in, post_form};
use aidledger::actions::auth::{login_at, logout};
use chrono::Duration;
use rocket::http::{ContentType, Cookie, Status};
use rocket::local::asynchronous::Client;
use serde_json::json;

const SESSION: &str = "aidledger_session";

fn pw() -> String {
    PASSWORD.replace(' ', "%20")
}

/// Every byte but letters and digits percent-encoded, as a browser sends form fields.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn sessions(app: &App) -> u64 {
    raw_exec(
        &app.db,
        "UPDATE user_session SET user_id = user_id WHERE id > $1",
        0,
    )
    .await
    .unwrap()
}

async fn fresh_client(app: &App) -> Client {
    Client::tracked(aidledger::build(
        app.db.ctx.config.clone(),
        app.db.store().clone(),
    ))
    .await
    .unwrap()
}

/// Shows the login form and posts it with the right password while the browser still sends
/// the cookie of the ended session `stale`; returns the answer to the post and whether
/// showing the form cleared the stale cookie.
async fn log_in_over(client: &Client, user: &str, stale: &str) -> (Status, bool) {
    let res = client
        .get("/login")
        .private_cookie(Cookie::new(SESSION, stale.to_string()))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Ok);
    let cleared = res
        .cookies()
        .get(SESSION)
        .is_some_and(|c| c.value().is_empty());
    let token = csrf_of(&body(res).await);
    let res = client
        .post("/login")
        .private_cookie(Cookie::new(SESSION, stale.to_string()))
        .header(ContentType::Form)
        .body(format!("_csrf={token}&username={user}&password={}", pw()))
        .dispatch()
        .await;
    (res.status(), cleared)
}

#[rocket::async_test]
async fn the_first_login_after_a_session_ended_works() {
    let app = App::new().await;
    // A role change ends the session.
    log_in(&app.client, "coordinator").await;
    let stale = app
        .client
        .cookies()
        .get_private(SESSION)
        .unwrap()
        .value()
        .to_string();
    let id = app.actors["coordinator"].user_id.unwrap();
    let patch = json!({"role": "reviewer"});
    let path = format!("/users/{id}");
    assert_eq!(
        app.send("PATCH", &path, "admin", Some(&patch), None)
            .await
            .0,
        Status::Ok
    );
    assert_eq!(
        log_in_over(&app.client, "coordinator", &stale).await,
        (Status::SeeOther, true)
    );
    let me = app.client.get("/api/v1/auth/me").dispatch().await;
    assert!(me.into_string().await.unwrap().contains("\"reviewer\""));

    // An idle timeout: a session that started 40 minutes ago and was not used since.
    let ctx = &app.db.ctx;
    let then = aidledger::db::now() - Duration::minutes(40);
    let idle = login_at(ctx, "reviewer", PASSWORD, "192.0.2.1", then)
        .await
        .unwrap();
    let client = fresh_client(&app).await;
    assert_eq!(
        log_in_over(&client, "reviewer", &idle.session).await,
        (Status::SeeOther, true)
    );

    // A logout elsewhere (another tab, the API).
    let other = login_at(ctx, "ngo_a", PASSWORD, "192.0.2.1", aidledger::db::now())
        .await
        .unwrap();
    logout(ctx, &other.session).await.unwrap();
    let client = fresh_client(&app).await;
    assert_eq!(
        log_in_over(&client, "ngo_a", &other.session).await,
        (Status::SeeOther, true)
    );
}

#[rocket::async_test]
async fn a_login_form_without_its_token_says_it_expired_in_the_pages_language() {
    let app = App::new().await;
    let before = sessions(&app).await;
    // English chosen before logging in; the form is posted without a token.
    app.client.get("/login?lang=en").dispatch().await;
    let res = app
        .client
        .post("/login")
        .header(ContentType::Form)
        .body(format!("username=coordinator&password={}", pw()))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Forbidden);
    let html = body(res).await;
    assert!(html.contains("The login form had expired"), "{html}");
    assert!(!html.contains("Your role may not"), "{html}");
    assert!(html.contains("value=\"coordinator\""));
    // The page shown carries a fresh token that works.
    let token = csrf_of(&html);
    // One character changed, whatever the token begins with.
    let first = if token.starts_with('0') { '1' } else { '0' };
    let forged = app
        .client
        .post("/login")
        .header(ContentType::Form)
        .body(format!(
            "_csrf={first}{}&username=coordinator&password={}",
            &token[1..],
            pw()
        ))
        .dispatch()
        .await;
    assert_eq!(forged.status(), Status::Forbidden);
    assert_eq!(
        sessions(&app).await,
        before,
        "a refused form opens no session"
    );
    let res = app
        .client
        .post("/login")
        .header(ContentType::Form)
        .body(format!(
            "_csrf={token}&username=coordinator&password={}",
            pw()
        ))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::SeeOther);
    assert_eq!(sessions(&app).await, before + 1);
    // In Vietnamese (the default) it says the same.
    let client = fresh_client(&app).await;
    let res = client
        .post("/login")
        .header(ContentType::Form)
        .body("username=x&password=y")
        .dispatch()
        .await;
    assert!(body(res).await.contains("Biểu mẫu đăng nhập đã hết hạn"));
}

const UNSAFE: &[&str] = &[
    "/a b",
    "/a\"b",
    "/a'b",
    "/a\tb",
    "/a\nb",
    "/a\0b",
    "/a<b>",
    "//evil.example/x",
    "/\\evil.example",
    "\\\\evil.example",
    "http://evil.example/",
    "https:evil.example",
    "javascript:alert(1)",
    "evil",
    "",
];

#[rocket::async_test]
async fn unsafe_return_paths_go_to_the_start_page() {
    let app = App::new().await;
    let client = fresh_client(&app).await;
    for next in UNSAFE {
        let res = client
            .get(format!("/login?next={}", enc(next)))
            .dispatch()
            .await;
        assert_eq!(res.status(), Status::Ok, "{next:?}");
        let html = body(res).await;
        assert!(
            html.contains("name=\"next\" value=\"/\""),
            "{next:?}: {html}"
        );
        let token = csrf_of(&html);
        let res = client
            .post("/login")
            .header(ContentType::Form)
            .body(format!(
                "_csrf={token}&username=reviewer&password={}&next={}",
                pw(),
                enc(next)
            ))
            .dispatch()
            .await;
        assert_eq!(res.status(), Status::SeeOther, "{next:?}");
        assert_eq!(res.headers().get_one("Location"), Some("/"), "{next:?}");
        // Choosing a language with the same return path.
        let res = post_form(
            &client,
            "/account/tokens",
            "/lang",
            &format!("lang=en&next={}", enc(next)),
        )
        .await;
        assert_eq!(res.status(), Status::SeeOther, "{next:?}");
        assert_eq!(res.headers().get_one("Location"), Some("/"), "{next:?}");
    }
    // A plain local path with a query is kept.
    let res = post_form(
        &client,
        "/account/tokens",
        "/lang",
        "lang=vi&next=/items%3Fstatus%3Dapproved",
    )
    .await;
    assert_eq!(
        res.headers().get_one("Location"),
        Some("/items?status=approved")
    );
}
