//! The forms pages through the real HTTP stack: log in with the login form, fill the forms
//! as a browser would (CSRF token from the page), see refusals come back with the field's
//! error in the person's language and their input kept, and successes redirect.

use crate::api::{App, PASSWORD};
use rocket::http::{ContentType, Status};

/// The `_csrf` value of the first form of a page.
fn csrf(html: &str) -> String {
    let at = html
        .find("name=\"_csrf\" value=\"")
        .expect("a form with a CSRF token");
    let rest = &html[at + 20..];
    rest[..rest.find('"').unwrap()].to_string()
}

fn encode(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencoding(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The value as sent. `frame::Posted` does not percent-decode bodies yet (reported), so the
/// tests send raw text without `&`, `=`, `+` or `%`, which reads the same either way.
fn urlencoding(s: &str) -> String {
    s.to_string()
}

async fn get(app: &App, path: &str) -> (Status, String) {
    let r = app.client.get(path.to_string()).dispatch().await;
    (r.status(), r.into_string().await.unwrap_or_default())
}

/// Posts a form with the session's token; returns the status, the Location and the body.
async fn post(app: &App, path: &str, fields: &[(&str, &str)]) -> (Status, String, String) {
    let (_, page) = get(app, "/account/tokens").await;
    let mut all = vec![("_csrf", csrf(&page))];
    all.extend(fields.iter().map(|(k, v)| (*k, (*v).to_string())));
    let body = all
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencoding(v)))
        .collect::<Vec<_>>()
        .join("&");
    let r = app
        .client
        .post(path.to_string())
        .header(ContentType::Form)
        .body(body)
        .dispatch()
        .await;
    let loc = r
        .headers()
        .get_one("Location")
        .unwrap_or_default()
        .to_string();
    (r.status(), loc, r.into_string().await.unwrap_or_default())
}

async fn login(app: &App, who: &str) {
    let (s, page) = get(app, "/account/tokens").await;
    if s == Status::Ok {
        let body = format!("_csrf={}", csrf(&page));
        let r = app
            .client
            .post("/logout")
            .header(ContentType::Form)
            .body(body)
            .dispatch()
            .await;
        assert_eq!(r.status(), Status::SeeOther, "logout");
    }
    let (_, page) = get(app, "/login").await;
    let body = encode(&[
        ("_csrf", &csrf(&page)),
        ("username", who),
        ("password", PASSWORD),
    ]);
    let r = app
        .client
        .post("/login")
        .header(ContentType::Form)
        .body(body)
        .dispatch()
        .await;
    assert_eq!(r.status(), Status::SeeOther, "login as {who}");
}

fn item_fields<'a>(app_ids: &'a [String; 3], code: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("code", code),
        ("title_vi", "Nước sạch cho trường học"),
        ("title_en", "Clean water for schools"),
        ("modality", "programme"),
        ("form", "cash"),
        ("donor_id", &app_ids[0]),
        ("aid_owner_id", &app_ids[1]),
        ("managing_agency_id", &app_ids[2]),
        ("legal_basis", "80/2020/NĐ-CP"),
        ("planned_start", "2025-01-01"),
        ("planned_end", "2025-12-31"),
        ("status", "pipeline"),
        ("sector_1", "HEALTH"),
        ("share_1", "60"),
        ("sector_2", "EDU"),
        ("share_2", "40"),
        ("locality_1", "46"),
        ("lshare_1", "100"),
    ]
}

#[rocket::async_test]
async fn pages_forms_item_form_keeps_input_and_creates() {
    let app = App::new().await;
    login(&app, "coordinator").await;
    let (s, page) = get(&app, "/items/new").await;
    assert_eq!(s, Status::Ok);
    assert!(page.contains("id=\"item-form\""));
    let ids = [
        app.org_a.to_string(),
        app.owner.to_string(),
        app.agency.to_string(),
    ];
    let mut bad = item_fields(&ids, "F-001");
    bad.retain(|(k, _)| *k != "legal_basis");
    bad.push(("share_2", "40,5"));
    bad.retain(|(k, v)| !(*k == "share_2" && *v == "40"));
    let (s, _, body) = post(&app, "/items/new", &bad).await;
    assert_eq!(s, Status::UnprocessableEntity);
    assert!(
        body.contains("value=\"Nước sạch cho trường học\""),
        "input kept"
    );
    assert!(body.contains("id=\"f-legal_basis-error\""));
    assert!(body.contains("Trường này là bắt buộc."), "Vietnamese error");
    // Shares that do not add up are refused by the action, shown beside the shares.
    let mut uneven = item_fields(&ids, "F-001");
    uneven.retain(|(k, _)| *k != "share_2");
    uneven.push(("share_2", "30"));
    let (s, _, body) = post(&app, "/items/new", &uneven).await;
    assert_eq!(s, Status::UnprocessableEntity);
    assert!(body.contains("id=\"f-share_1-error\""), "{body}");
    let (s, loc, _) = post(&app, "/items/new", &item_fields(&ids, "F-001")).await;
    assert_eq!(s, Status::SeeOther);
    assert!(loc.starts_with("/items/"), "{loc}");
    let id = loc.trim_start_matches("/items/").to_string();
    let (s, page) = get(&app, &format!("/items/{id}/edit")).await;
    assert_eq!(s, Status::Ok);
    assert!(page.contains("F-001"));
    // NGO staff may not register items; a CSRF-less post is refused before anything.
    let r = app
        .client
        .post("/items/new")
        .header(ContentType::Form)
        .body("code=X")
        .dispatch()
        .await;
    assert_eq!(r.status(), Status::Forbidden);
}

#[rocket::async_test]
async fn pages_forms_money_is_confirmed_before_saving() {
    let app = App::new().await;
    app.rates().await;
    login(&app, "coordinator").await;
    let path = format!("/items/{}/commitments/new", app.item_a);
    let (s, page) = get(&app, &path).await;
    assert_eq!(s, Status::Ok);
    assert!(page.contains("id=\"commitment-form\""));
    let fields = [
        ("kind", "original"),
        ("amount", "1.234.567,89"),
        ("currency", "EUR"),
        ("date", "2025-03-05"),
    ];
    let (s, _, body) = post(&app, &path, &fields).await;
    assert_eq!(s, Status::Ok);
    assert!(body.contains("id=\"confirm-button\""));
    assert!(body.contains("1.234.567,89\u{a0}EUR"), "{body}");
    assert!(body.contains("name=\"understood\" value=\"1234567.89\""));
    // Too many decimals for the currency: refused, input kept.
    let (s, _, body) = post(
        &app,
        &path,
        &[
            ("kind", "original"),
            ("amount", "1.234,567"),
            ("currency", "EUR"),
            ("date", "2025-03-05"),
        ],
    )
    .await;
    assert_eq!(s, Status::UnprocessableEntity);
    assert!(body.contains("id=\"f-amount-error\"") && body.contains("value=\"1.234,567\""));
    let mut confirmed = fields.to_vec();
    confirmed.extend([("understood", "1234567.89"), ("confirm", "1")]);
    let (s, loc, _) = post(&app, &path, &confirmed).await;
    assert_eq!(s, Status::SeeOther);
    assert_eq!(loc, format!("/items/{}", app.item_a));
    let list = aidledger::actions::queries::list_commitments(
        &app.db.ctx,
        &app.actors["coordinator"],
        app.item_a,
    )
    .await
    .unwrap();
    assert!(
        list.iter().any(|c| c.amount_minor == 123_456_789),
        "{list:?}"
    );
    // A disbursement dated in the future is refused by the action, in Vietnamese.
    let dpath = format!("/items/{}/disbursements/new", app.item_a);
    let (s, _, body) = post(
        &app,
        &dpath,
        &[
            ("amount", "1000"),
            ("currency", "USD"),
            ("value_date", "2999-01-01"),
            ("understood", "1000.00"),
            ("confirm", "1"),
        ],
    )
    .await;
    assert_eq!(s, Status::UnprocessableEntity);
    assert!(body.contains("Ngày này ở trong tương lai."), "{body}");
}

#[rocket::async_test]
async fn pages_forms_rates_scope_and_admin() {
    let app = App::new().await;
    login(&app, "reviewer").await;
    let (s, page) = get(&app, "/rates").await;
    assert_eq!(s, Status::Ok);
    assert!(page.contains("id=\"rate-form\"") && page.contains("id=\"rates-table\""));
    let (s, _, body) = post(
        &app,
        "/rates",
        &[
            ("currency", "EUR"),
            ("date", "2025-03-01"),
            ("to_vnd", "abc"),
            ("to_usd", "1,08"),
            ("source", "SBV"),
        ],
    )
    .await;
    assert_eq!(s, Status::UnprocessableEntity);
    assert!(body.contains("id=\"f-to_vnd-error\"") && body.contains("value=\"abc\""));
    let (s, loc, _) = post(
        &app,
        "/rates",
        &[
            ("currency", "EUR"),
            ("date", "2025-03-01"),
            ("to_vnd", "27000"),
            ("to_usd", "1,08"),
            ("source", "SBV"),
        ],
    )
    .await;
    assert_eq!(
        (s, loc.as_str()),
        (Status::SeeOther, "/rates?currency=EUR&year=2025")
    );
    let (_, page) = get(&app, &loc).await;
    // Rates read in the page's language: "27.000" and "1,08" in Vietnamese.
    assert!(page.contains("27.000") && page.contains("1,08"));

    // NGO staff: another organisation's item and organisation are "not found".
    login(&app, "ngo_a").await;
    let (s, _) = get(&app, &format!("/organisations/{}", app.org_b)).await;
    assert_eq!(s, Status::NotFound);
    let (s, _) = get(&app, &format!("/items/{}/disbursements/new", app.item_b)).await;
    assert_eq!(s, Status::NotFound);
    let (s, _) = get(&app, &format!("/organisations/{}", app.org_a)).await;
    assert_eq!(s, Status::Ok);

    // Administrators manage users; the password never comes back.
    login(&app, "admin").await;
    let (s, page) = get(&app, "/admin/users").await;
    assert_eq!(s, Status::Ok);
    assert!(page.contains("id=\"users-table\"") && page.contains("coordinator2"));
    let (s, _, body) = post(
        &app,
        "/admin/users/new",
        &[
            ("username", "newbie"),
            ("display_name", "Người mới"),
            ("role", "coordinator"),
            ("password", "short"),
        ],
    )
    .await;
    assert_eq!(s, Status::UnprocessableEntity);
    assert!(body.contains("id=\"f-password-error\"") && !body.contains("value=\"short\""));
    let (s, loc, _) = post(
        &app,
        "/admin/users/new",
        &[
            ("username", "newbie"),
            ("display_name", "Người mới"),
            ("role", "coordinator"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!((s, loc.as_str()), (Status::SeeOther, "/admin/users"));
    // Organisations: a coordinator registers one; a bad nationality is shown on its field.
    login(&app, "coordinator").await;
    let org = [
        ("kind", "foreign_ngo"),
        ("name_vi", "Tổ chức Mới"),
        ("name_en", "New Org"),
        ("nationality", "VN"),
    ];
    let (s, _, body) = post(&app, "/organisations/new", &org).await;
    assert_eq!(s, Status::UnprocessableEntity);
    assert!(body.contains("id=\"f-nationality-error\"") && body.contains("value=\"Tổ chức Mới\""));
    let mut ok = org.to_vec();
    ok[3] = ("nationality", "de");
    let (s, loc, _) = post(&app, "/organisations/new", &ok).await;
    assert_eq!(s, Status::SeeOther);
    assert!(loc.starts_with("/organisations/"));
    let (s, page) = get(&app, "/organisations").await;
    assert_eq!(s, Status::Ok);
    assert!(page.contains("New Org") || page.contains("Tổ chức Mới"));
}
