//! The items pages through the real HTTP stack: the list with its accent-free search,
//! filters, sorting and scope; the item page with its facts, money rows, timeline and (staff
//! only) history; the NGO portal with its progress and disbursement reports.

use crate::api::{App, MARKER_B};
use crate::pages::{body, log_in, post_form};
use rocket::http::{ContentType, Status};
use serde_json::json;

async fn get(app: &App, path: &str) -> (Status, String) {
    let res = app.client.get(path.to_string()).dispatch().await;
    let status = res.status();
    (status, body(res).await)
}

/// Logs out whoever is signed in and logs `username` in.
async fn switch(app: &App, username: &str) {
    let res = post_form(&app.client, "/account/tokens", "/logout", "x=1").await;
    assert_eq!(res.status(), Status::SeeOther);
    log_in(&app.client, username).await;
}

fn rows(html: &str) -> usize {
    html.matches("data-item-id=").count()
}

#[rocket::async_test]
async fn the_list_searches_without_accents_filters_sorts_and_keeps_ngo_staff_to_their_items() {
    let app = App::new().await;
    log_in(&app.client, "coordinator").await;
    let (s, html) = get(&app, "/items").await;
    assert_eq!(s, Status::Ok);
    assert!(html.contains("id=\"items-table\"") && html.contains("href=\"/items/new\""));
    assert_eq!(rows(&html), 2);
    // "nuoc sach" finds "Dự án nước sạch …", and so does the accented form.
    let (_, html) = get(&app, "/items?q=nuoc+sach").await;
    assert_eq!(rows(&html), 2, "{html}");
    let (_, html) = get(&app, "/items?q=N%C6%AF%E1%BB%9AC%20S%E1%BA%A0CH%20A-001").await;
    assert_eq!(rows(&html), 1, "{html}");
    assert!(html.contains(&format!("data-item-id=\"{}\"", app.item_a)));
    let (_, html) = get(&app, "/items?status=completed").await;
    assert_eq!(rows(&html), 0);
    let (_, html) = get(&app, &format!("/items?donor={}", app.org_b)).await;
    assert_eq!(rows(&html), 1);
    assert!(html.contains(MARKER_B));
    let (_, html) = get(&app, "/items?sector=HEALTH&period=2025-H1").await;
    assert_eq!(rows(&html), 2, "planned dates overlap the period");
    let (_, html) = get(&app, "/items?period=2020").await;
    assert_eq!(rows(&html), 0);
    let (_, html) = get(&app, "/items?period=soon").await;
    assert!(html.contains("id=\"items-period-error\"") && html.contains("value=\"soon\""));
    // Sorting by code, descending: B- comes before A-.
    let (_, html) = get(&app, "/items?sort=code&dir=desc").await;
    let a = html
        .find(&format!("data-item-id=\"{}\"", app.item_a))
        .unwrap();
    let b = html
        .find(&format!("data-item-id=\"{}\"", app.item_b))
        .unwrap();
    assert!(b < a);
    assert!(html.contains("aria-sort=\"descending\""));
    switch(&app, "ngo_a").await;
    let (_, html) = get(&app, "/items").await;
    assert_eq!(rows(&html), 1);
    assert!(!html.contains(MARKER_B) && !html.contains("href=\"/items/new\""));
}

#[rocket::async_test]
async fn the_item_page_shows_facts_money_milestones_and_history_to_staff_only() {
    let app = App::new().await;
    let a = app.item_a;
    let (s, b) = app
        .post(
            &format!("/aid-items/{a}/milestones"),
            "coordinator",
            &json!({"title_vi": "Khởi công", "title_en": "Ground broken", "planned_date": "2025-05-01"}),
        )
        .await;
    assert_eq!(s, Status::Created, "{b}");
    app.disburse(a, "coordinator", "1500.00", "EUR", "2025-03-10")
        .await;
    log_in(&app.client, "coordinator").await;
    let (s, html) = get(&app, &format!("/items/{a}")).await;
    assert_eq!(s, Status::Ok);
    for want in [
        "A-001",
        "12/QĐ-UBND",
        "60%",
        "id=\"disbursements-table\"",
        "1.500,00\u{a0}EUR",
        "Chờ xác minh",
        // The donor and the aid owner, and the person who entered the row, named together.
        "Hope Bridges",
        "Sở Y tế",
        "Test coordinator",
        "Khởi công",
        "Quá hạn",
        "id=\"audit-table\"",
        "Tạo khoản viện trợ",
        "Ghi nhận giải ngân",
        &format!("href=\"/items/{a}/disbursements/new\""),
    ] {
        assert!(html.contains(want), "{want} missing: {html}");
    }
    switch(&app, "ngo_a").await;
    let (s, html) = get(&app, &format!("/items/{a}")).await;
    assert_eq!(s, Status::Ok);
    assert!(html.contains("Khởi công") && !html.contains("audit-table"));
    assert!(!html.contains("/disbursements/new"));
    let (s, html) = get(&app, &format!("/items/{}", app.item_b)).await;
    assert_eq!(s, Status::NotFound);
    assert!(html.contains("Không tìm thấy") && !html.contains(MARKER_B));
}

#[rocket::async_test]
async fn the_portal_takes_progress_and_disbursement_reports_with_errors_kept_and_a_confirmation() {
    let app = App::new().await;
    let a = app.item_a;
    let (_, m) = app
        .post(
            &format!("/aid-items/{a}/milestones"),
            "coordinator",
            &json!({"title_vi": "Khởi công", "title_en": "Ground broken", "planned_date": "2025-05-01"}),
        )
        .await;
    let mid = m["id"].as_i64().unwrap();
    log_in(&app.client, "coordinator").await;
    let res = app.client.get("/portal").dispatch().await;
    assert_eq!(res.status(), Status::SeeOther);
    switch(&app, "ngo_a").await;
    let (s, html) = get(&app, "/portal").await;
    assert_eq!(s, Status::Ok);
    assert!(html.contains("id=\"portal-figures\"") && html.contains("id=\"portal-no-issued\""));
    assert!(html.contains(&format!("id=\"progress-form-{mid}\"")) && !html.contains(MARKER_B));
    // Done without a date: refused, with the evidence kept.
    let action = format!("/portal/milestones/{mid}/progress");
    let res = post_form(
        &app.client,
        "/portal",
        &action,
        "status=done&actual_date=&evidence=Xong+m%C3%B3ng",
    )
    .await;
    assert_eq!(res.status(), Status::UnprocessableEntity);
    let html = body(res).await;
    assert!(
        html.contains(&format!("id=\"p{mid}-date-error\"")) && html.contains("Xong móng"),
        "{html}"
    );
    let res = post_form(
        &app.client,
        "/portal",
        &action,
        "status=in_progress&actual_date=&evidence=Đang+làm",
    )
    .await;
    assert_eq!(res.status(), Status::SeeOther);
    let (_, html) = get(&app, "/portal").await;
    assert!(
        html.contains("Chờ xem xét") && html.contains("Đang làm"),
        "{html}"
    );
    // Another organisation's milestone does not exist for this user.
    let (_, mb) = app
        .post(
            &format!("/aid-items/{}/milestones", app.item_b),
            "coordinator",
            &json!({"title_vi": "B", "title_en": "B", "planned_date": "2025-05-01"}),
        )
        .await;
    let other = format!("/portal/milestones/{}/progress", mb["id"].as_i64().unwrap());
    let res = post_form(
        &app.client,
        "/portal",
        &other,
        "status=in_progress&actual_date=&evidence=x",
    )
    .await;
    assert_eq!(res.status(), Status::NotFound);
    // A disbursement: understood in Vietnamese format, shown back, saved only when confirmed.
    let fields = format!("item_id={a}&amount=1.234%2C5&currency=USD&value_date=2025-05-02");
    let res = post_form(&app.client, "/portal", "/portal/disbursements", &fields).await;
    assert_eq!(res.status(), Status::Ok);
    let html = body(res).await;
    assert!(
        html.contains("id=\"disbursement-understood\">1.234,50 USD"),
        "{html}"
    );
    let res = post_form(
        &app.client,
        "/portal",
        "/portal/disbursements",
        &format!("item_id={a}&amount=12%2C34%2C5&currency=USD&value_date=2025-05-02"),
    )
    .await;
    assert_eq!(res.status(), Status::UnprocessableEntity);
    let html = body(res).await;
    assert!(html.contains("id=\"d-amount-error\"") && html.contains("value=\"12,34,5\""));
    let res = post_form(
        &app.client,
        "/portal",
        "/portal/disbursements",
        &format!("{fields}&confirm=1"),
    )
    .await;
    assert_eq!(res.status(), Status::SeeOther);
    let (_, html) = get(&app, "/portal").await;
    assert!(
        html.contains("1.234,50\u{a0}USD") && html.contains("badge draft"),
        "{html}"
    );
    let (_, list) = app
        .get(&format!("/aid-items/{a}/disbursements"), "coordinator")
        .await;
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    // Without the form's token nothing is taken.
    let res = app
        .client
        .post("/portal/disbursements")
        .header(ContentType::Form)
        .body(format!("{fields}&confirm=1"))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Forbidden);
}

#[rocket::async_test]
async fn the_item_page_lists_budgets_and_planned_disbursements_only_when_there_are_some() {
    use aidledger::db::budgets::NewBudget;
    use aidledger::domain::Currency;
    use aidledger::domain::item::BudgetKind;
    let app = App::new().await;
    let a = app.item_a;
    log_in(&app.client, "coordinator").await;
    let (s, html) = get(&app, &format!("/items/{a}")).await;
    assert_eq!(s, Status::Ok);
    assert!(!html.contains("budgets-table"), "no plans, no table");

    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let plans = [
        NewBudget {
            kind: BudgetKind::Budget,
            type_code: Some("1".into()),
            status_code: Some("2".into()),
            period_start: d("2025-01-01"),
            period_end: Some(d("2025-12-31")),
            currency: Currency::USD,
            amount_minor: 1_234_567,
            value_date: d("2025-01-01"),
        },
        NewBudget {
            kind: BudgetKind::Planned,
            type_code: None,
            status_code: None,
            period_start: d("2025-03-01"),
            period_end: None,
            currency: Currency::VND,
            amount_minor: 50_000_000,
            value_date: d("2025-03-01"),
        },
    ];
    let mut tx = app.db.store().write().await.unwrap();
    aidledger::actions::budgets::replace_budgets_in(&mut tx, &crate::common::system(), a, &plans)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let (s, html) = get(&app, &format!("/items/{a}")).await;
    assert_eq!(s, Status::Ok);
    for want in [
        "id=\"budgets-table\"",
        "Ngân sách và giải ngân dự kiến",
        "Giải ngân dự kiến",
        "12.345,67\u{a0}USD",
        "50.000.000\u{a0}₫",
        "Ban đầu · Đã cam kết",
        "Thay ngân sách và giải ngân dự kiến",
    ] {
        assert!(html.contains(want), "{want} missing");
    }
    let res = post_form(
        &app.client,
        "/account/tokens",
        "/lang",
        &format!("lang=en&next=/items/{a}"),
    )
    .await;
    assert_eq!(res.status(), Status::SeeOther);
    let (s, html) = get(&app, &format!("/items/{a}")).await;
    assert_eq!(s, Status::Ok);
    for want in [
        "Budgets and planned disbursements",
        "Planned disbursement",
        "12,345.67\u{a0}USD",
        "50,000,000\u{a0}VND",
        "Original · Committed",
    ] {
        assert!(html.contains(want), "{want} missing");
    }
}
