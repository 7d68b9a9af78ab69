//! Issue 10, access hardening, through the real HTTP stack: API tokens end with the facts
//! they were made under (5), the login throttle counts the real client address and a lock
//! cannot be stretched (6), cross-site writes, HSTS, the session cookie's lifetime, changing
//! one's own password and the last administrator (13). The login form after a session ends
//! and unsafe `next=` values are in `login`, the configuration checks of `serve` in `cli`.

pub(crate) mod cli;
mod login;
mod safeguards;

use crate::api::{App, PASSWORD};
use crate::common::system;
use crate::pages::{body, log_in, post_form};
use aidledger::Config;
use aidledger::actions::auth::login_at;
use aidledger::actions::users::{UserPatch, update_user};
use aidledger::auth::throttle::WINDOW;
use aidledger::domain::item::Role;
use aidledger::error::Error;
use chrono::Duration;
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::Client;
use serde_json::{Value, json};

/// A second client on the same database, with `config` changed by `change`.
pub(crate) async fn client_with(app: &App, change: impl FnOnce(&mut Config)) -> Client {
    let mut config = app.db.ctx.config.clone();
    change(&mut config);
    Client::tracked(aidledger::build(config, app.db.store().clone()))
        .await
        .unwrap()
}

async fn audit_actions(app: &App) -> Vec<String> {
    let (_, audit) = app.get("/audit?entity=app_user", "admin").await;
    audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[rocket::async_test]
async fn a_token_made_before_a_password_reset_role_organisation_or_status_change_is_revoked() {
    let app = App::new().await;
    for who in ["coordinator", "coordinator2", "reviewer2", "ngo_a"] {
        assert_eq!(app.get("/auth/me", who).await.0, Status::Ok, "{who}");
    }
    let id = |who: &str| app.actors[who].user_id.unwrap();
    // Role, organisation and status changes through the API.
    for (who, patch) in [
        ("coordinator", json!({"role": "reviewer"})),
        ("ngo_a", json!({"organisation_id": app.org_b})),
        ("reviewer2", json!({"active": false})),
    ] {
        let path = format!("/users/{}", id(who));
        let (status, v) = app.send("PATCH", &path, "admin", Some(&patch), None).await;
        assert_eq!(status, Status::Ok, "{who}: {v}");
        let (status, v) = app.get("/auth/me", who).await;
        assert_eq!(
            status,
            Status::Unauthorized,
            "{who} still has its token: {v}"
        );
        assert_eq!(v["error"]["code"], "invalid_token");
    }
    // A password reset by an administrator, on the user page (which says so).
    log_in(&app.client, "admin").await;
    let page = format!("/admin/users/{}", id("coordinator2"));
    let html = body(app.client.get(page.clone()).dispatch().await).await;
    assert!(html.contains("thu hồi các khóa API của họ"), "{html}");
    let res = post_form(
        &app.client,
        &page,
        &format!("{page}/password"),
        "password=a+brand+new+passphrase",
    )
    .await;
    assert_eq!(res.status(), Status::SeeOther);
    let (status, _) = app.get("/auth/me", "coordinator2").await;
    assert_eq!(status, Status::Unauthorized);
    // The administrator's own token is untouched; each revocation is audited.
    assert_eq!(app.get("/auth/me", "admin").await.0, Status::Ok);
    let revocations = audit_actions(&app)
        .await
        .iter()
        .filter(|a| *a == "token.revoke_all")
        .count();
    assert_eq!(revocations, 4);
}

/// Posts a wrong login to the API from socket address `remote`, claiming `claimed` in
/// `X-Real-IP`.
async fn api_login(client: &Client, user: &str, pw: &str, remote: &str, claimed: &str) -> Status {
    client
        .post("/api/v1/auth/login")
        .remote(remote.parse().unwrap())
        .header(Header::new("X-Real-IP", claimed.to_string()))
        .header(ContentType::JSON)
        .body(json!({"username": user, "password": pw}).to_string())
        .dispatch()
        .await
        .status()
}

#[rocket::async_test]
async fn a_client_address_header_is_believed_only_when_configured() {
    let app = App::new().await;
    let socket = "192.0.2.10:40000";
    // 40 failures, each claiming another address: the socket's address is what counts, so
    // the 21st and later are throttled.
    let mut statuses = Vec::new();
    for i in 0..40 {
        let claimed = format!("10.0.{i}.1");
        statuses.push(
            api_login(
                &app.client,
                &format!("guess{i}"),
                "wrong!",
                socket,
                &claimed,
            )
            .await,
        );
    }
    assert!(
        statuses[..20].iter().all(|s| *s == Status::Unauthorized),
        "{statuses:?}"
    );
    assert!(
        statuses[20..].iter().all(|s| *s == Status::TooManyRequests),
        "{statuses:?}"
    );
    // The blocked address cannot get in with the right password by claiming another one.
    let s = api_login(&app.client, "admin", PASSWORD, socket, "198.51.100.77").await;
    assert_eq!(s, Status::TooManyRequests);
    // Another socket address is not affected.
    let s = api_login(
        &app.client,
        "admin",
        PASSWORD,
        "192.0.2.11:40000",
        "10.0.0.1",
    )
    .await;
    assert_eq!(s, Status::Ok);

    // Behind a configured proxy the header is the address: one claimed address is throttled,
    // another (through the same proxy) is not.
    let proxied = client_with(&app, |c| c.trusted_ip_header = Some("X-Real-IP".into())).await;
    let proxy = "10.9.9.9:443";
    for i in 0..20 {
        let s = api_login(
            &proxied,
            &format!("other{i}"),
            "wrong!",
            proxy,
            "203.0.113.5",
        )
        .await;
        assert_eq!(s, Status::Unauthorized, "attempt {i}");
    }
    let s = api_login(&proxied, "coordinator", PASSWORD, proxy, "203.0.113.5").await;
    assert_eq!(s, Status::TooManyRequests);
    let s = api_login(&proxied, "coordinator", PASSWORD, proxy, "203.0.113.6").await;
    assert_eq!(s, Status::Ok);
}

#[rocket::async_test]
async fn refused_attempts_do_not_extend_a_lock_beyond_the_window() {
    let app = App::new().await;
    let ctx = &app.db.ctx;
    let t0 = aidledger::db::now();
    for i in 0..5 {
        let r = login_at(
            ctx,
            "admin",
            "wrong password!",
            &format!("198.51.100.{i}"),
            t0,
        )
        .await;
        assert!(matches!(r, Err(Error::Unauthorized { .. })), "{r:?}");
    }
    // An attacker keeps knocking, from ever new addresses, through the whole window.
    for minute in 1..15 {
        let at = t0 + Duration::minutes(minute);
        let r = login_at(
            ctx,
            "admin",
            "wrong password!",
            &format!("203.0.113.{minute}"),
            at,
        )
        .await;
        let Err(Error::TooManyRequests(m)) = r else {
            panic!("minute {minute}: {r:?}")
        };
        let left = 15 - minute;
        let unit = if left == 1 { "minute" } else { "minutes" };
        assert_eq!(
            m,
            format!("too many failed logins; try again in {left} {unit}")
        );
    }
    // One window after the first failure the right password works again.
    let after = t0 + WINDOW + Duration::seconds(1);
    login_at(ctx, "admin", PASSWORD, "192.0.2.50", after)
        .await
        .unwrap();
}

#[rocket::async_test]
async fn users_change_their_own_password_which_ends_their_other_sessions_and_tokens() {
    let app = App::new().await;
    log_in(&app.client, "reviewer").await;
    let elsewhere = client_with(&app, |_| {}).await;
    log_in(&elsewhere, "reviewer").await;
    let change = |current: &str, new: &str| {
        app.client
            .post("/api/v1/auth/password")
            .header(ContentType::JSON)
            .body(json!({"current_password": current, "new_password": new}).to_string())
            .dispatch()
    };
    let res = change("not my password", "a brand new passphrase").await;
    assert_eq!(res.status(), Status::UnprocessableEntity);
    let v: Value = serde_json::from_str(&res.into_string().await.unwrap()).unwrap();
    assert_eq!(v["error"]["field"], "current_password", "{v}");
    let res = change(PASSWORD, "short").await;
    assert_eq!(res.status(), Status::UnprocessableEntity);
    assert_eq!(app.get("/auth/me", "reviewer").await.0, Status::Ok);

    assert_eq!(
        change(PASSWORD, "a brand new passphrase").await.status(),
        Status::NoContent
    );
    // This session goes on; the other one and the token do not.
    assert_eq!(
        app.client.get("/api/v1/auth/me").dispatch().await.status(),
        Status::Ok
    );
    let other = elsewhere.get("/api/v1/auth/me").dispatch().await;
    assert_eq!(other.status(), Status::Unauthorized);
    assert_eq!(
        app.get("/auth/me", "reviewer").await.0,
        Status::Unauthorized
    );
    assert!(
        audit_actions(&app)
            .await
            .iter()
            .any(|a| a == "user.password")
    );

    // The page does the same, and says so.
    log_in(&elsewhere, "coordinator").await;
    let res = post_form(
        &elsewhere,
        "/account/password",
        "/account/password",
        &format!(
            "current_password={}&new_password=another+new+passphrase",
            PASSWORD.replace(' ', "+")
        ),
    )
    .await;
    assert_eq!(res.status(), Status::SeeOther);
    let html = body(elsewhere.get("/account/tokens").dispatch().await).await;
    assert!(html.contains("Đã đổi mật khẩu"), "{html}");
    assert_eq!(
        app.get("/auth/me", "coordinator").await.0,
        Status::Unauthorized
    );
    let res = post_form(
        &elsewhere,
        "/account/password",
        "/account/password",
        "current_password=wrong+wrong+wrong&new_password=yet+another+passphrase",
    )
    .await;
    assert_eq!(res.status(), Status::UnprocessableEntity);
    assert!(body(res).await.contains("Mật khẩu hiện tại không đúng"));
}

#[rocket::async_test]
async fn the_last_active_administrator_cannot_be_deactivated_or_demoted() {
    let app = App::new().await;
    let ctx = &app.db.ctx;
    let admin = app.actors["admin"].user_id.unwrap();
    for patch in [
        UserPatch {
            active: Some(false),
            ..UserPatch::default()
        },
        UserPatch {
            role: Some(Role::Coordinator),
            ..UserPatch::default()
        },
    ] {
        let r = update_user(ctx, &system(), admin, &patch).await;
        assert!(
            matches!(&r, Err(Error::Conflict { code: "last_admin", message })
                if message.contains("last active administrator")),
            "{r:?}"
        );
    }
    // With a second administrator, the first may be demoted (by the second, over HTTP).
    let (status, second) = app
        .post(
            "/users",
            "admin",
            &json!({"username": "admin2", "display_name": "Second", "role": "admin",
                    "organisation_id": null, "password": PASSWORD}),
        )
        .await;
    assert_eq!(status, Status::Created, "{second}");
    let second_id = second["id"].as_i64().unwrap();
    let deactivate = UserPatch {
        active: Some(false),
        ..UserPatch::default()
    };
    update_user(ctx, &system(), second_id, &deactivate)
        .await
        .unwrap();
    // An inactive administrator does not count.
    let r = update_user(ctx, &system(), admin, &deactivate).await;
    assert!(
        matches!(
            r,
            Err(Error::Conflict {
                code: "last_admin",
                ..
            })
        ),
        "{r:?}"
    );
    let activate = UserPatch {
        active: Some(true),
        ..UserPatch::default()
    };
    update_user(ctx, &system(), second_id, &activate)
        .await
        .unwrap();
    let demote = UserPatch {
        role: Some(Role::Coordinator),
        ..UserPatch::default()
    };
    update_user(ctx, &system(), admin, &demote).await.unwrap();
}
