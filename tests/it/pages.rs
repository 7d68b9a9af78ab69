//! The pages' shared machinery through the real HTTP stack: login with its CSRF token,
//! sessions that end at logout, language choice remembered per user, the redirect to login,
//! the friendly error pages, the security headers, and the API-token page.

use crate::api::{App, PASSWORD};
use rocket::http::{ContentType, Status};
use rocket::local::asynchronous::{Client, LocalResponse};

/// The value of the first `name="_csrf"` field of a page.
pub fn csrf_of(html: &str) -> String {
    let at = html
        .find("name=\"_csrf\" value=\"")
        .expect("the page has a CSRF field");
    html[at + 20..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

pub async fn body(res: LocalResponse<'_>) -> String {
    res.into_string().await.unwrap_or_default()
}

/// Logs `username` in through the login form; the tracked client keeps the session cookie.
pub async fn log_in(client: &Client, username: &str) {
    let page = body(client.get("/login").dispatch().await).await;
    let token = csrf_of(&page);
    let res = client
        .post("/login")
        .header(ContentType::Form)
        .body(format!(
            "_csrf={token}&username={username}&password={}",
            PASSWORD.replace(' ', "%20")
        ))
        .dispatch()
        .await;
    let status = res.status();
    assert_eq!(
        status,
        Status::SeeOther,
        "login of {username}: {}",
        body(res).await
    );
}

/// Posts a form with the CSRF token of `page_path`.
pub async fn post_form<'c>(
    client: &'c Client,
    page_path: &str,
    action: &str,
    fields: &str,
) -> LocalResponse<'c> {
    let page = body(client.get(page_path).dispatch().await).await;
    let token = csrf_of(&page);
    client
        .post(action.to_string())
        .header(ContentType::Form)
        .body(format!("_csrf={token}&{fields}"))
        .dispatch()
        .await
}

#[rocket::async_test]
async fn login_page_is_vietnamese_first_with_headers_that_forbid_inline_script_and_caching() {
    let app = App::new().await;
    let res = app.client.get("/login").dispatch().await;
    assert_eq!(res.status(), Status::Ok);
    let csp = res
        .headers()
        .get_one("Content-Security-Policy")
        .unwrap()
        .to_string();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(res.headers().get_one("Cache-Control"), Some("no-store"));
    let html = body(res).await;
    assert!(html.contains("<html lang=\"vi\">") && html.contains("Đăng nhập"));
    assert!(html.contains("<label for=\"username\">"));
    assert!(!html.contains("<script>") && !html.contains("style=\""));
    let en = body(app.client.get("/login?lang=en").dispatch().await).await;
    assert!(en.contains("<html lang=\"en\">") && en.contains("Log in"));
}

#[rocket::async_test]
async fn a_login_without_the_forms_token_is_refused_and_a_wrong_password_keeps_the_name() {
    let app = App::new().await;
    let res = app
        .client
        .post("/login")
        .header(ContentType::Form)
        .body(format!(
            "username=coordinator&password={}",
            PASSWORD.replace(' ', "%20")
        ))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Forbidden);
    assert!(body(res).await.contains("Biểu mẫu đăng nhập đã hết hạn"));
    let res = post_form(
        &app.client,
        "/login",
        "/login",
        "username=coordinator&password=wrong+password+here",
    )
    .await;
    assert_eq!(res.status(), Status::Unauthorized);
    let html = body(res).await;
    assert!(
        html.contains("value=\"coordinator\"") && html.contains("không đúng"),
        "{html}"
    );
}

#[rocket::async_test]
async fn pages_need_a_session_which_logout_ends() {
    let app = App::new().await;
    let res = app.client.get("/account/tokens").dispatch().await;
    assert_eq!(res.status(), Status::SeeOther);
    assert_eq!(
        res.headers().get_one("Location"),
        Some("/login?next=/account/tokens")
    );
    log_in(&app.client, "coordinator").await;
    let res = app.client.get("/account/tokens").dispatch().await;
    assert_eq!(res.status(), Status::Ok);
    let html = body(res).await;
    assert!(html.contains("Khóa API của tôi") && html.contains("Test coordinator"));
    let res = post_form(&app.client, "/account/tokens", "/logout", "x=1").await;
    assert_eq!(res.status(), Status::SeeOther);
    assert_eq!(
        app.client.get("/account/tokens").dispatch().await.status(),
        Status::SeeOther
    );
}

#[rocket::async_test]
async fn the_language_is_remembered_per_user() {
    let app = App::new().await;
    log_in(&app.client, "reviewer").await;
    let res = post_form(
        &app.client,
        "/account/tokens",
        "/lang",
        "lang=en&next=/account/tokens",
    )
    .await;
    assert_eq!(res.status(), Status::SeeOther);
    assert_eq!(res.headers().get_one("Location"), Some("/account/tokens"));
    // A new browser (no cookies) logging in as the same user gets English.
    let other = Client::tracked(aidledger::build(
        app.db.ctx.config.clone(),
        app.db.store().clone(),
    ))
    .await
    .unwrap();
    log_in(&other, "reviewer").await;
    let html = body(other.get("/account/tokens").dispatch().await).await;
    assert!(html.contains("My API tokens"), "{html}");
    let (_, audit) = app.get("/audit?entity=app_user", "admin").await;
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "user.language")
    );
}

#[rocket::async_test]
async fn a_token_made_on_its_page_is_shown_once_and_escaped() {
    let app = App::new().await;
    log_in(&app.client, "coordinator").await;
    let res = post_form(
        &app.client,
        "/account/tokens",
        "/account/tokens",
        "name=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    )
    .await;
    assert_eq!(res.status(), Status::Created);
    let html = body(res).await;
    assert!(html.contains("id=\"new-token\">al_"), "the secret is shown");
    assert!(
        !html.contains("<script>alert(1)</script>") && html.contains("&#60;script&#62;"),
        "escaped"
    );
    let again = body(app.client.get("/account/tokens").dispatch().await).await;
    assert!(!again.contains("id=\"new-token\""), "shown only once");
    let res = post_form(&app.client, "/account/tokens", "/account/tokens", "name=").await;
    assert_eq!(res.status(), Status::UnprocessableEntity);
    assert!(body(res).await.contains("aria-invalid=\"true\""));
}

#[rocket::async_test]
async fn unknown_pages_get_a_friendly_404_and_the_api_keeps_json() {
    let app = App::new().await;
    log_in(&app.client, "coordinator").await;
    let res = app.client.get("/no/such/page").dispatch().await;
    assert_eq!(res.status(), Status::NotFound);
    assert_eq!(res.content_type(), Some(ContentType::HTML));
    assert!(body(res).await.contains("Không tìm thấy"));
    let res = app.client.get("/api/v1/no/such").dispatch().await;
    assert_eq!(res.content_type(), Some(ContentType::JSON));
}

#[rocket::async_test]
async fn an_ngo_user_finds_no_trace_of_another_organisation_on_any_page() {
    use crate::api::MARKER_B;
    let app = App::new().await;
    app.rates().await;
    let b = app.item_b;
    let d = app
        .disburse(b, "coordinator", "300.00", "EUR", "2025-02-15")
        .await;
    app.send(
        "POST",
        &format!("/disbursements/{d}/verify"),
        "reviewer",
        None,
        None,
    )
    .await;
    log_in(&app.client, "ngo_a").await;
    let pages = [
        "/".to_string(),
        "/portal".into(),
        "/items".into(),
        // B's item is also "nước sạch": the search must not find it.
        "/items?q=nuoc+sach".into(),
        format!("/items?donor={}", app.org_b),
        format!("/items/{b}"),
        format!("/items/{b}/disbursements/new"),
        format!("/items/{b}/edit"),
        "/organisations".into(),
        format!("/organisations/{}", app.org_b),
        "/review".into(),
        "/periods".into(),
        "/periods/2025".into(),
        "/periods/2025/export.xlsx".into(),
        "/rates".into(),
        "/admin/users".into(),
        "/account/tokens".into(),
    ];
    let mut own = false;
    for path in &pages {
        let res = app.client.get(path.clone()).dispatch().await;
        let status = res.status();
        let bytes = res.into_bytes().await.unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        if let Some(at) = text.find(MARKER_B) {
            let around = &text[at.saturating_sub(200)..(at + 50).min(text.len())];
            panic!("GET {path} ({status}) shows organisation B: …{around}…");
        }
        assert!(status.code < 500, "GET {path}: {status}");
        own |= text.contains("A-001");
    }
    assert!(own, "the NGO user saw its own item somewhere");
}

#[rocket::async_test]
async fn a_broken_database_gives_a_friendly_500_with_a_reference_never_the_cause() {
    let app = App::new().await;
    log_in(&app.client, "coordinator").await;
    // Someone removes a table behind the application's back.
    crate::common::raw_exec(&app.db, "DROP TABLE aid_item_sector", 0)
        .await
        .unwrap();
    let res = app
        .client
        .get(format!("/items/{}", app.item_a))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::InternalServerError);
    let html = body(res).await;
    assert!(
        html.contains("Lỗi hệ thống") && html.contains("<code>"),
        "{html}"
    );
    assert!(
        !html.contains("aid_item_sector") && !html.to_lowercase().contains("sqlite"),
        "{html}"
    );
    let (s, b) = app
        .get(&format!("/aid-items/{}", app.item_a), "coordinator")
        .await;
    assert_eq!(s, Status::InternalServerError);
    let m = b["error"]["message"].as_str().unwrap();
    assert!(
        m.contains("quote reference") && !m.contains("aid_item_sector"),
        "{m}"
    );
}

#[rocket::async_test]
async fn an_administrator_sees_and_revokes_everyones_tokens() {
    let app = App::new().await;
    log_in(&app.client, "admin").await;
    let html = body(app.client.get("/account/tokens").dispatch().await).await;
    // The fixture gives every user a token named "tests".
    assert!(
        html.contains(">coordinator</td>") && html.contains(">ngo_b</td>"),
        "{html}"
    );
    let (_, list) = app.get("/tokens", "coordinator").await;
    let id = list[0]["id"].as_i64().unwrap();
    let res = post_form(
        &app.client,
        "/account/tokens",
        &format!("/account/tokens/{id}/revoke"),
        "x=1",
    )
    .await;
    assert_eq!(res.status(), Status::SeeOther);
    let (s, _) = app.get("/tokens", "coordinator").await;
    assert_eq!(
        s,
        Status::Unauthorized,
        "the coordinator's token stopped working"
    );
}

#[rocket::async_test]
async fn a_coordinator_reverses_a_verified_disbursement_from_the_item_page() {
    let app = App::new().await;
    app.rates().await;
    let a = app.item_a;
    let d = app
        .disburse(a, "coordinator", "70.00", "EUR", "2025-03-10")
        .await;
    app.send(
        "POST",
        &format!("/disbursements/{d}/verify"),
        "reviewer",
        None,
        None,
    )
    .await;
    log_in(&app.client, "coordinator").await;
    let page = format!("/items/{a}");
    let html = body(app.client.get(page.clone()).dispatch().await).await;
    assert!(
        html.contains(&format!("id=\"reverse-form-{d}\"")),
        "the verified row offers a reversal"
    );
    let action = format!("/items/{a}/disbursements/{d}/reverse");
    let res = post_form(
        &app.client,
        &page,
        &action,
        "value_date=2025-04-02&reason=no",
    )
    .await;
    assert_eq!(res.status(), Status::SeeOther);
    let html = body(app.client.get(page.clone()).dispatch().await).await;
    assert!(
        html.contains("Không thể ghi bút toán đảo"),
        "a too-short reason is refused"
    );
    let res = post_form(
        &app.client,
        &page,
        &action,
        "value_date=02%2F04%2F2025&reason=paid+twice+by+the+bank",
    )
    .await;
    assert_eq!(res.status(), Status::SeeOther);
    let html = body(app.client.get(page.clone()).dispatch().await).await;
    assert!(html.contains("Đã ghi bút toán đảo"), "{html}");
    assert!(
        !html.contains(&format!("id=\"reverse-form-{d}\"")),
        "reversed once only"
    );
    let (_, rows) = app
        .get(&format!("/aid-items/{a}/disbursements"), "coordinator")
        .await;
    let rev = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["reverses_id"] == d)
        .unwrap();
    assert_eq!(
        (rev["amount"].as_str(), rev["status"].as_str()),
        (Some("-70.00"), Some("submitted"))
    );
    // Another item's path for this disbursement is not found.
    let res = post_form(
        &app.client,
        &page,
        &format!("/items/{}/disbursements/{d}/reverse", app.item_b),
        "value_date=2025-04-02&reason=wrong+item+path",
    )
    .await;
    assert_eq!(res.status(), Status::NotFound);
}

#[rocket::async_test]
async fn an_administrator_sets_a_new_password_which_ends_the_users_sessions() {
    let app = App::new().await;
    let other = Client::tracked(aidledger::build(
        app.db.ctx.config.clone(),
        app.db.store().clone(),
    ))
    .await
    .unwrap();
    log_in(&other, "coordinator").await;
    log_in(&app.client, "admin").await;
    let id = app.actors["coordinator"].user_id.unwrap();
    let page = format!("/admin/users/{id}");
    let action = format!("/admin/users/{id}/password");
    let res = post_form(&app.client, &page, &action, "password=short").await;
    assert_eq!(res.status(), Status::SeeOther);
    assert!(
        body(app.client.get(page.clone()).dispatch().await)
            .await
            .contains("12")
    );
    let res = post_form(
        &app.client,
        &page,
        &action,
        "password=a+brand+new+passphrase",
    )
    .await;
    assert_eq!(res.status(), Status::SeeOther);
    assert!(
        body(app.client.get(page.clone()).dispatch().await)
            .await
            .contains("Đã đặt mật khẩu mới")
    );
    // The coordinator's open session ended with the change.
    assert_eq!(
        other.get("/account/tokens").dispatch().await.status(),
        Status::SeeOther
    );
    let (_, audit) = app.get("/audit?entity=app_user", "admin").await;
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "user.password")
    );
}
