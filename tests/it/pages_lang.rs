//! One language per page, and numbers as people read them: the Vietnamese pages of every
//! role carry none of the English sentences and raw codes seen on them before (missing-rate
//! reasons, audit codes, "(s)" plurals), rates print in the Vietnamese notation, and a domain
//! refusal on a form reads in Vietnamese.

use crate::api::App;
use crate::pages::{body, log_in, post_form};
use rocket::http::Status;
use serde_json::json;

/// English text and raw codes that Vietnamese pages showed before issue 11.
const ENGLISH: &[&str] = &[
    "the latest",
    "rate before",
    "rate dated on or before",
    "disbursement.record",
    "aid_item.create",
    "system:demo",
    "aid_item #",
    "(s)",
    "waiting for verification",
];

async fn get(app: &App, path: &str) -> (Status, String) {
    let res = app.client.get(path.to_string()).dispatch().await;
    let status = res.status();
    (status, body(res).await)
}

async fn switch(app: &App, username: &str) {
    let res = post_form(&app.client, "/account/tokens", "/logout", "x=1").await;
    assert_eq!(res.status(), Status::SeeOther);
    log_in(&app.client, username).await;
}

/// Rates, a verified commitment and disbursement, and two disbursements without a usable
/// rate: one in a currency with no rate at all, one long after the last USD rate.
async fn seed(app: &App) {
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
        .await;
    app.disburse(app.item_a, "coordinator", "700.00", "AUD", "2025-03-12")
        .await;
    app.disburse(app.item_a, "coordinator", "300.00", "USD", "2025-12-20")
        .await;
}

fn assert_vietnamese(path: &str, who: &str, html: &str) {
    assert!(
        html.contains("<html lang=\"vi\""),
        "{who} {path} is not Vietnamese"
    );
    for english in ENGLISH {
        assert!(
            !html.contains(english),
            "{who} sees {english:?} on {path}: {html}"
        );
    }
}

#[rocket::async_test]
async fn vietnamese_pages_of_every_role_read_in_vietnamese_with_vietnamese_numbers() {
    let app = App::new().await;
    seed(&app).await;
    let item = format!("/items/{}", app.item_a);
    let pages: &[(&str, &[&str])] = &[
        (
            "coordinator",
            &["/", "/items", &item, "/review", "/rates", "/organisations"],
        ),
        ("reviewer", &["/", "/review", "/rates", &item]),
        ("admin", &["/admin/users", "/"]),
        ("ngo_a", &["/portal", "/items", &item]),
    ];
    let mut first = true;
    for (who, paths) in pages {
        if first {
            log_in(&app.client, who).await;
            first = false;
        } else {
            switch(&app, who).await;
        }
        for path in *paths {
            let (s, html) = get(&app, path).await;
            assert_eq!(s, Status::Ok, "{who} {path}");
            assert_vietnamese(path, who, &html);
        }
    }

    switch(&app, "reviewer").await;
    // Rates in the Vietnamese notation, never "27000" or "1.08".
    let (_, html) = get(&app, "/rates?year=2025").await;
    assert!(
        html.contains(">27.000,00<") && html.contains(">1,08<"),
        "{html}"
    );
    assert!(
        !html.contains(">27000<") && !html.contains(">1.08<"),
        "{html}"
    );
    // The missing rates are explained in Vietnamese, with Vietnamese dates.
    let (_, html) = get(&app, "/review").await;
    assert!(
        html.contains(
            "Thiếu tỷ giá AUD cho ngày 12/03/2025: chưa có tỷ giá nào từ ngày đó trở về trước."
        ),
        "{html}"
    );
    assert!(
        html.contains("Tỷ giá USD gần nhất trước ngày 20/12/2025"),
        "{html}"
    );
    // The item's history reads as words, with people's names.
    let (_, html) = get(&app, &item).await;
    assert!(html.contains("Ghi nhận giải ngân") && html.contains("Test coordinator"));
    assert!(html.contains("Khoản viện trợ A-001"), "{html}");
    // The dashboard counts with the noun from the i18n files and heads in triệu/tỷ đồng.
    let (_, html) = get(&app, "/?period=2025").await;
    assert!(html.contains("khoản giải ngân chờ xác minh"), "{html}");
    assert!(
        html.contains("triệu\u{a0}₫") || html.contains("tỷ\u{a0}₫"),
        "{html}"
    );
}

#[rocket::async_test]
async fn english_pages_explain_a_missing_rate_in_english() {
    let app = App::new().await;
    seed(&app).await;
    log_in(&app.client, "reviewer").await;
    let res = post_form(
        &app.client,
        "/account/tokens",
        "/lang",
        "lang=en&next=/review",
    )
    .await;
    assert_eq!(res.status(), Status::SeeOther);
    let (_, html) = get(&app, "/review").await;
    assert!(html.contains("<html lang=\"en\""));
    assert!(
        html.contains("No AUD rate for 2025-03-12: none is dated on or before it."),
        "{html}"
    );
    assert!(!html.contains("Thiếu tỷ giá AUD"), "{html}");
    let (_, html) = get(&app, "/rates?year=2025").await;
    assert!(
        html.contains(">27,000.00<") && html.contains(">1.08<"),
        "{html}"
    );
}

#[rocket::async_test]
async fn a_refused_form_states_the_domain_rule_in_vietnamese() {
    let app = App::new().await;
    log_in(&app.client, "admin").await;
    let res = post_form(
        &app.client,
        "/admin/users/new",
        "/admin/users/new",
        "username=Ten+Sai&display_name=Nguyen+Van+A&role=coordinator&password=a+long+enough+password",
    )
    .await;
    assert_eq!(res.status(), Status::UnprocessableEntity);
    let html = body(res).await;
    assert!(
        html.contains("Tên đăng nhập từ 3 đến 64 ký tự"),
        "the refusal is in Vietnamese: {html}"
    );
    assert!(!html.contains("a username has"), "{html}");
}

/// Data the province records in one language keeps that language's `lang` attribute on a
/// page in the other, and each title carries its own.
#[rocket::async_test]
async fn one_language_data_is_marked_with_its_language() {
    let app = App::new().await;
    log_in(&app.client, "coordinator").await;
    let res = post_form(
        &app.client,
        "/account/tokens",
        "/lang",
        &format!("lang=en&next=/items/{}", app.item_a),
    )
    .await;
    assert_eq!(res.status(), Status::SeeOther);
    let (s, html) = get(&app, &format!("/items/{}", app.item_a)).await;
    assert_eq!(s, Status::Ok);
    assert!(html.contains("<html lang=\"en\""));
    let facts = &html[html.find("id=\"item-facts\"").unwrap()..];
    let facts = &facts[..facts.find("</dl>").unwrap()];
    // Both titles, the legal basis, the approving authority and the beneficiaries.
    assert_eq!(facts.matches("<dd lang=\"vi\">").count(), 4, "{facts}");
    assert_eq!(facts.matches("<dd lang=\"en\">").count(), 1, "{facts}");
}
