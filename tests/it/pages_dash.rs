//! The dashboard, reviewer queue and periods pages through the real login form, cookies and
//! CSRF tokens: exact card figures, verify/reject with the note kept when refused, NGO staff
//! kept out, period lock/unlock, free text, issuing and the downloads.

use crate::api::{App, PASSWORD};
use rocket::http::{ContentType, Status};
use serde_json::json;

/// The `_csrf` value of the first form in `html`.
pub(crate) fn csrf(html: &str) -> String {
    let at = html
        .find("name=\"_csrf\" value=\"")
        .expect("a form with a CSRF token");
    let rest = &html[at + 20..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// The value of attribute `attr` on the element with id `id`.
fn attr(html: &str, id: &str, attr: &str) -> Option<String> {
    let at = html.find(&format!("id=\"{id}\""))?;
    let tag = &html[at..at + html[at..].find('>')?];
    let key = format!("{attr}=\"");
    let start = tag.find(&key)? + key.len();
    Some(tag[start..start + tag[start..].find('"')?].to_string())
}

pub(crate) async fn get(app: &App, path: &str) -> (Status, String) {
    let res = app.client.get(path.to_string()).dispatch().await;
    (res.status(), res.into_string().await.unwrap_or_default())
}

/// Posts a form (with the session's CSRF token unless `token` is None); returns the status,
/// the body and where it redirects.
pub(crate) async fn post(
    app: &App,
    path: &str,
    body: &str,
    token: Option<&str>,
) -> (Status, String, String) {
    let body = match token {
        Some(t) => format!("_csrf={t}&{body}"),
        None => body.to_string(),
    };
    let res = app
        .client
        .post(path.to_string())
        .header(ContentType::Form)
        .body(body)
        .dispatch()
        .await;
    let location = res.headers().get_one("Location").unwrap_or("").to_string();
    (
        res.status(),
        res.into_string().await.unwrap_or_default(),
        location,
    )
}

/// Logs in through the login form and returns the session's CSRF token.
pub(crate) async fn login(app: &App, who: &str) -> String {
    let (_, html) = get(app, "/login").await;
    let (s, _, _) = post(
        app,
        "/login",
        &format!("username={who}&password={}", PASSWORD.replace(" ", "%20")),
        Some(&csrf(&html)),
    )
    .await;
    assert_eq!(s, Status::SeeOther, "login as {who}");
    let (_, html) = get(app, "/account/tokens").await;
    csrf(&html)
}

/// One commitment (5,000 EUR = 135,000,000 ₫) and one submitted disbursement (1,000 USD =
/// 25,000,000 ₫) in 2025-H1 on item A; returns the disbursement's id.
async fn seed_money(app: &App) -> i64 {
    app.rates().await;
    let (s, b) = app
        .post(
            &format!("/aid-items/{}/commitments", app.item_a),
            "coordinator",
            &json!({"amount": "5000.00", "currency": "EUR", "date": "2025-02-01"}),
        )
        .await;
    assert_eq!(s, Status::Created, "{b}");
    app.disburse(app.item_a, "coordinator", "1000.00", "USD", "2025-03-10")
        .await
}

#[rocket::async_test]
async fn pages_dash_cards_show_exact_figures_after_verification() {
    let app = App::new().await;
    let id = seed_money(&app).await;
    let token = login(&app, "reviewer").await;

    let (s, html) = get(&app, "/?period=2025-H1").await;
    assert_eq!(s, Status::Ok);
    assert_eq!(
        attr(&html, "card-committed", "data-vnd").as_deref(),
        Some("135000000")
    );
    assert_eq!(
        attr(&html, "card-disbursed", "data-vnd").as_deref(),
        Some("0")
    );
    assert!(
        html.contains("id=\"attention-queue\""),
        "the submitted row needs attention"
    );

    let (s, html) = get(&app, "/review").await;
    assert_eq!(s, Status::Ok);
    assert!(html.contains(&format!("data-disbursement-id=\"{id}\"")));
    assert!(html.contains("Test coordinator"), "who entered it is shown");
    let (s, _, to) = post(&app, &format!("/review/{id}/verify"), "", Some(&token)).await;
    assert_eq!((s, to.as_str()), (Status::SeeOther, "/review"));

    let (_, html) = get(&app, "/?period=2025-H1").await;
    assert_eq!(
        attr(&html, "card-disbursed", "data-vnd").as_deref(),
        Some("25000000")
    );
    assert_eq!(attr(&html, "card-rate", "data-bp").as_deref(), Some("1852"));
    assert!(html.contains("id=\"chart-sector\""));
    assert!(html.contains("id=\"chart-quarter-table\""));

    let (s, html) = get(&app, "/?period=2025-X9").await;
    assert_eq!(s, Status::UnprocessableEntity);
    assert!(html.contains("id=\"period-error\""));
    assert!(html.contains("aria-invalid=\"true\""));
}

#[rocket::async_test]
async fn pages_dash_review_refuses_a_short_reason_and_keeps_it() {
    let app = App::new().await;
    let id = seed_money(&app).await;
    let token = login(&app, "reviewer").await;

    let (s, html, _) = post(
        &app,
        &format!("/review/{id}/reject"),
        "note=no",
        Some(&token),
    )
    .await;
    assert_eq!(s, Status::UnprocessableEntity);
    assert!(html.contains(&format!("id=\"reject-note-{id}-error\"")));
    assert!(html.contains(">no</textarea>"), "the note is kept");

    let (s, _, _) = post(
        &app,
        &format!("/review/{id}/reject"),
        "note=wrong%20amount",
        None,
    )
    .await;
    assert_eq!(
        s,
        Status::Forbidden,
        "a form without the CSRF token is refused"
    );

    let (s, _, to) = post(
        &app,
        &format!("/review/{id}/reject"),
        "note=wrong%20amount",
        Some(&token),
    )
    .await;
    assert_eq!((s, to.as_str()), (Status::SeeOther, "/review"));
    let (_, html) = get(&app, "/review").await;
    assert!(!html.contains(&format!("data-disbursement-id=\"{id}\"")));
}

#[rocket::async_test]
async fn pages_dash_coordinator_accepts_an_ngo_report() {
    let app = App::new().await;
    app.rates().await;
    let (s, b) = app
        .post(
            &format!("/aid-items/{}/disbursements", app.item_a),
            "ngo_a",
            &json!({"amount": "200.00", "currency": "USD", "value_date": "2025-04-02"}),
        )
        .await;
    assert_eq!(s, Status::Created, "{b}");
    let id = b["id"].as_i64().unwrap();
    let token = login(&app, "coordinator").await;
    let (_, html) = get(&app, "/review").await;
    assert!(html.contains(&format!("id=\"accept-form-{id}\"")));
    assert!(
        !html.contains("id=\"verify-form-"),
        "coordinators do not verify"
    );
    let (s, _, _) = post(&app, &format!("/review/{id}/accept"), "", Some(&token)).await;
    assert_eq!(s, Status::SeeOther);
    let (_, html) = get(&app, "/review").await;
    assert!(html.contains(&format!("data-disbursement-id=\"{id}\"")));
    assert!(!html.contains(&format!("id=\"accept-form-{id}\"")));
}

#[rocket::async_test]
async fn pages_dash_ngo_staff_go_to_their_portal_and_see_no_reports() {
    let app = App::new().await;
    let id = seed_money(&app).await;
    let token = login(&app, "ngo_a").await;
    let res = app.client.get("/").dispatch().await;
    assert_eq!(res.status(), Status::SeeOther);
    assert_eq!(res.headers().get_one("Location"), Some("/portal"));
    assert_eq!(get(&app, "/review").await.0, Status::Forbidden);
    let (s, _, _) = post(&app, &format!("/review/{id}/verify"), "", Some(&token)).await;
    assert_eq!(s, Status::Forbidden);
    assert_eq!(
        get(&app, "/periods/2025-H1/reports/1.pdf").await.0,
        Status::NotFound
    );
}

#[rocket::async_test]
async fn pages_dash_periods_lock_unlock_text_issue_and_download() {
    let app = App::new().await;
    let id = seed_money(&app).await;
    let reviewer2 = app.actors["reviewer2"].clone();
    aidledger::actions::review::verify_disbursement(&app.db.ctx, &reviewer2, id)
        .await
        .unwrap();
    let token = login(&app, "reviewer").await;

    let (s, _, to) = post(&app, "/periods/2025-H1/lock", "", Some(&token)).await;
    assert_eq!((s, to.as_str()), (Status::SeeOther, "/periods/2025-H1"));
    let (_, html) = get(&app, "/periods/2025-H1").await;
    assert_eq!(
        attr(&html, "lock-state", "data-locked").as_deref(),
        Some("true")
    );
    let (_, html) = get(&app, "/periods").await;
    assert!(html.contains("data-period=\"2025-H1\""));

    let (s, html, _) = post(&app, "/periods/2025-H1/unlock", "reason=oops", Some(&token)).await;
    assert_eq!(s, Status::UnprocessableEntity);
    assert!(html.contains("id=\"unlock-reason-error\""));
    assert!(html.contains(">oops</textarea>"));
    let (s, _, _) = post(
        &app,
        "/periods/2025-H1/unlock",
        "reason=a%20late%20invoice%20must%20be%20entered",
        Some(&token),
    )
    .await;
    assert_eq!(s, Status::SeeOther);
    let (_, html) = get(&app, "/periods/2025-H1").await;
    assert_eq!(
        attr(&html, "lock-state", "data-locked").as_deref(),
        Some("false")
    );
    assert!(html.contains("a late invoice must be entered"));

    let (s, _, _) = post(
        &app,
        "/periods/2025-H1/texts",
        "text_vi_assessment=K%E1%BA%BFt%20qu%E1%BA%A3%20t%E1%BB%91t",
        Some(&token),
    )
    .await;
    assert_eq!(s, Status::SeeOther);
    let (_, html) = get(&app, "/periods/2025-H1").await;
    assert!(html.contains("Kết quả tốt</textarea>"));

    let (s, html, _) = post(
        &app,
        "/periods/2025-H1/reports",
        "lang=vi&issued_on=2025-13-01&number=12%2FBC",
        Some(&token),
    )
    .await;
    assert_eq!(s, Status::UnprocessableEntity);
    assert!(html.contains("id=\"issue-on-error\""));
    assert!(html.contains("value=\"12/BC\""), "the number is kept");
    let (s, _, to) = post(
        &app,
        "/periods/2025-H1/reports",
        &format!(
            "lang=vi&issued_on=2025-07-10&number=12%2FBC&{SIGNED}&allow_empty_sections=true&confirm=1"
        ),
        Some(&token),
    )
    .await;
    assert_eq!(
        (s, to.as_str()),
        (Status::SeeOther, "/periods/2025-H1#reports")
    );
    let (_, html) = get(&app, "/periods/2025-H1").await;
    let at = html.find("data-report-id=\"").unwrap() + 16;
    let rid: i64 = html[at..at + html[at..].find('"').unwrap()]
        .parse()
        .unwrap();
    assert_eq!(
        attr(&html, "lock-state", "data-locked").as_deref(),
        Some("true")
    );

    let res = app
        .client
        .get(format!("/periods/2025-H1/reports/{rid}.pdf"))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Ok);
    assert!(res.into_bytes().await.unwrap().starts_with(b"%PDF"));
    let wrong = format!("/periods/2024-H1/reports/{rid}.pdf");
    assert_eq!(get(&app, &wrong).await.0, Status::NotFound);
    let res = app
        .client
        .get("/periods/2025-H1/export.xlsx?lang=en")
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Ok);
    assert!(res.into_bytes().await.unwrap().starts_with(b"PK"));
}

/// A signer and recipients as the form sends them ("Nguyễn Văn A"; two recipient lines).
const SIGNED: &str = "signer_authority=KT.%20GI%C3%81M%20%C4%90%E1%BB%90C&signer_title=PH%C3%93%20GI%C3%81M%20%C4%90%E1%BB%90C&signer_name=Nguy%E1%BB%85n%20V%C4%83n%20A&recipients=UBND%20th%C3%A0nh%20ph%E1%BB%91%20Hu%E1%BA%BF%0AL%C6%B0u%3A%20VT%2C%20QLNN";

#[rocket::async_test]
async fn pages_dash_period_draft_and_issue_with_signer_recipients_and_confirmations() {
    let mut app = App::new().await;
    let mut config = app.db.ctx.config.clone();
    config.signing = crate::report_issue::signing();
    app.client = rocket::local::asynchronous::Client::tracked(aidledger::build(
        config,
        app.db.store().clone(),
    ))
    .await
    .unwrap();
    let id = seed_money(&app).await;
    let reviewer2 = app.actors["reviewer2"].clone();
    aidledger::actions::review::verify_disbursement(&app.db.ctx, &reviewer2, id)
        .await
        .unwrap();
    let token = login(&app, "reviewer").await;
    let (_, html) = get(&app, "/periods/2025-H1").await;
    assert_eq!(
        attr(&html, "signer-name", "value").as_deref(),
        Some("Nguyễn Văn A"),
        "prefilled from configuration"
    );
    assert_eq!(
        attr(&html, "signer-authority", "value").as_deref(),
        Some("KT. GIÁM ĐỐC")
    );
    assert!(html.contains(">UBND thành phố Huế\nLưu: VT, QLNN</textarea>"));
    assert_eq!(
        attr(&html, "draft-button", "formaction").as_deref(),
        Some("/periods/2025-H1/draft")
    );
    assert!(html.contains("id=\"allow-empty\""));

    let before = crate::report_issue::counts(&app.db).await;
    // A draft without a signer and with empty sections is still a PDF, and changes nothing.
    let res = app
        .client
        .post("/periods/2025-H1/draft")
        .header(ContentType::Form)
        .body(format!(
            "_csrf={token}&lang=vi&issued_on=2025-07-10&number=12%2FBC&signer_name=&recipients="
        ))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Ok);
    assert!(res.into_bytes().await.unwrap().starts_with(b"%PDF"));
    assert_eq!(crate::report_issue::counts(&app.db).await, before);
    // A draft may be asked for before the registry gives the number: the clerk's blank.
    let res = app
        .client
        .post("/periods/2025-H1/draft")
        .header(ContentType::Form)
        .body(format!(
            "_csrf={token}&lang=vi&issued_on=2025-07-10&number=&signer_name=&recipients="
        ))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Ok);
    assert!(res.into_bytes().await.unwrap().starts_with(b"%PDF"));
    assert_eq!(crate::report_issue::counts(&app.db).await, before);

    let form = |extra: &str| format!("lang=vi&issued_on=2025-07-10&number=12%2FBC&{extra}");
    // Issuing still needs the number.
    let (s, html, _) = post(
        &app,
        "/periods/2025-H1/reports",
        &format!("lang=vi&issued_on=2025-07-10&number=&{SIGNED}"),
        Some(&token),
    )
    .await;
    assert_eq!(s, Status::UnprocessableEntity);
    assert!(html.contains("id=\"issue-number-error\""), "{html}");
    assert_eq!(crate::report_issue::counts(&app.db).await, before);
    let (s, html, _) = post(
        &app,
        "/periods/2025-H1/reports",
        &form(SIGNED),
        Some(&token),
    )
    .await;
    assert_eq!(s, Status::UnprocessableEntity);
    let at = html
        .find("id=\"allow-empty-error\"")
        .expect("the empty sections are named");
    let named = &html[at..at + html[at..].find("</span>").unwrap()];
    for title in ["IV. Đánh giá", "V. Nhiệm vụ kỳ tới", "VI. Kiến nghị"] {
        assert!(named.contains(title), "{named}");
    }
    let (s, html, _) = post(
        &app,
        "/periods/2025-H1/reports",
        &form("signer_name=%20&recipients=L%C6%B0u&allow_empty_sections=true"),
        Some(&token),
    )
    .await;
    assert_eq!(s, Status::UnprocessableEntity);
    assert!(html.contains("id=\"signer-error\""));
    assert!(html.contains(" checked"), "the confirmation is kept");
    let (s, html, _) = post(
        &app,
        "/periods/2025-H1/reports",
        &form("signer_name=A&recipients=%0A%20&allow_empty_sections=true"),
        Some(&token),
    )
    .await;
    assert_eq!(s, Status::UnprocessableEntity);
    assert!(html.contains("id=\"recipients-error\""));
    assert_eq!(
        crate::report_issue::counts(&app.db).await,
        before,
        "nothing stored"
    );

    // The first press asks: the step says issuing locks the period, and stores nothing.
    let (s, html, _) = post(
        &app,
        "/periods/2025-H1/reports",
        &form(&format!("{SIGNED}&allow_empty_sections=true")),
        Some(&token),
    )
    .await;
    assert_eq!(s, Status::Ok);
    assert!(html.contains("KHÓA"), "the step says issuing locks");
    assert!(html.contains("id=\"confirm-issue-button\""));
    assert_eq!(crate::report_issue::counts(&app.db).await, before);
    let (s, _, to) = post(
        &app,
        "/periods/2025-H1/reports",
        &form(&format!("{SIGNED}&allow_empty_sections=true&confirm=1")),
        Some(&token),
    )
    .await;
    assert_eq!(
        (s, to.as_str()),
        (Status::SeeOther, "/periods/2025-H1#reports")
    );
    let (_, html) = get(&app, "/periods/2025-H1").await;
    assert!(
        html.contains("<td>Nguyễn Văn A</td>"),
        "the history shows who signed"
    );
    assert!(
        html.contains("Kỳ báo cáo đã được khóa."),
        "the flash says the period is locked"
    );
    let (s, html, _) = post(
        &app,
        "/periods/2025-H1/reports",
        &form(&format!("{SIGNED}&allow_empty_sections=true")),
        Some(&token),
    )
    .await;
    assert_eq!(s, Status::Conflict);
    let error = html.split("id=\"period-error\">").nth(1).unwrap();
    assert!(
        error.starts_with("Báo cáo của kỳ này đã được ban hành"),
        "{error}"
    );
}
