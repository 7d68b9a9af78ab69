//! The periods pages and the forms that refuse early, through the real login form, cookies
//! and CSRF tokens: the list of periods with their state, sections IV-VI saved in one form,
//! issuing only after a confirmation step that says it locks the period, the signer of the
//! report's language; and the money and date fields: 0 and -5 refused at the first submit,
//! the decimal-comma message, the rate named on the confirmation step, dd/mm/yyyy dates and
//! the error summary at the top of a refused form.

use crate::api::{App, PASSWORD};
use aidledger::actions::{periods, queries, reports};
use aidledger::domain::Lang;
use aidledger::domain::period::Period;
use rocket::http::{ContentType, Status};

/// The `_csrf` value of the first form in `html`.
fn csrf(html: &str) -> String {
    let at = html
        .find("name=\"_csrf\" value=\"")
        .expect("a form with a CSRF token");
    let rest = &html[at + 20..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// The value of attribute `attr` on the element with id `id`.
fn attr(html: &str, id: &str, attr: &str) -> Option<String> {
    let at = html.find(&format!("id=\"{id}\""))?;
    let start_tag = html[..at].rfind('<')?;
    let tag = &html[start_tag..at + html[at..].find('>')?];
    let key = format!(" {attr}=\"");
    let start = tag.find(&key)? + key.len();
    Some(tag[start..start + tag[start..].find('"')?].to_string())
}

/// The text inside the element with id `id`, up to its first tag.
fn text_of(html: &str, id: &str) -> Option<String> {
    let at = html.find(&format!("id=\"{id}\""))?;
    let rest = &html[at..];
    let body = &rest[rest.find('>')? + 1..];
    Some(body[..body.find('<')?].to_string())
}

/// The `<tr>` of period `code` in the table with id `table`.
fn row<'a>(html: &'a str, table: &str, code: &str) -> Option<&'a str> {
    let t = &html[html.find(&format!("id=\"{table}\""))?..];
    let t = &t[..t.find("</table>")?];
    let at = t.find(&format!("data-period=\"{code}\""))?;
    Some(&t[at..at + t[at..].find("</tr>")?])
}

async fn get(app: &App, path: &str) -> (Status, String) {
    let res = app.client.get(path.to_string()).dispatch().await;
    (res.status(), res.into_string().await.unwrap_or_default())
}

/// Posts `body` (already encoded) with the session's token; returns the status, the body and
/// where it redirects.
async fn post(app: &App, path: &str, body: &str) -> (Status, String, String) {
    let (_, page) = get(app, "/account/tokens").await;
    let res = app
        .client
        .post(path.to_string())
        .header(ContentType::Form)
        .body(format!("_csrf={}&{body}", csrf(&page)))
        .dispatch()
        .await;
    let location = res.headers().get_one("Location").unwrap_or("").to_string();
    (
        res.status(),
        res.into_string().await.unwrap_or_default(),
        location,
    )
}

/// Percent-encodes a form value.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

async fn login(app: &App, who: &str, lang: Lang) {
    let (_, html) = get(app, "/login").await;
    let body = form(&[("username", who), ("password", PASSWORD)]);
    let res = app
        .client
        .post("/login")
        .header(ContentType::Form)
        .body(format!("_csrf={}&{body}", csrf(&html)))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::SeeOther, "login as {who}");
    let (s, _, _) = post(app, "/lang", &format!("lang={}", lang.code())).await;
    assert_eq!(s, Status::SeeOther, "language");
}

/// An app whose configuration has the test signer and recipients.
async fn signed_app() -> App {
    let mut app = App::new().await;
    let mut config = app.db.ctx.config.clone();
    config.signing = crate::report_issue::signing();
    app.client = rocket::local::asynchronous::Client::tracked(aidledger::build(
        config,
        app.db.store().clone(),
    ))
    .await
    .unwrap();
    app
}

/// Money in February and March 2025, with rates; returns the disbursement's id.
async fn seed_money(app: &App) -> i64 {
    app.rates().await;
    let (s, b) = app
        .post(
            &format!("/aid-items/{}/commitments", app.item_a),
            "coordinator",
            &serde_json::json!({"amount": "5000.00", "currency": "EUR", "date": "2025-02-01"}),
        )
        .await;
    assert_eq!(s, Status::Created, "{b}");
    app.disburse(app.item_a, "coordinator", "1000.00", "USD", "2025-03-10")
        .await
}

async fn disbursements(app: &App) -> usize {
    queries::list_disbursements(&app.db.ctx, &app.actors["coordinator"], app.item_a)
        .await
        .unwrap()
        .len()
}

#[rocket::async_test]
async fn pages_periods_list_shows_each_period_of_the_year_with_its_state() {
    let app = App::new().await;
    seed_money(&app).await;
    let reviewer = app.actors["reviewer"].clone();
    let q1 = Period::parse("2025-Q1", false).unwrap();
    periods::lock_period(&app.db.ctx, &reviewer, &q1)
        .await
        .unwrap();
    let mut cmd = reports::IssueCmd::new(
        Period::parse("2025-H1", false).unwrap(),
        Lang::Vi,
        crate::common::date("2025-07-05"),
        "12/BC".into(),
    );
    cmd.signer.name = Some("Nguyễn Văn A".into());
    cmd.recipients = Some(vec!["Lưu: VT".into()]);
    cmd.allow_empty_sections = true;
    reports::issue_report(&app.db.ctx, &reviewer, &cmd)
        .await
        .unwrap();
    login(&app, "reviewer", Lang::Vi).await;

    let (s, html) = get(&app, "/periods?year=2025").await;
    assert_eq!(s, Status::Ok);
    let q1 = row(&html, "periods-table", "2025-Q1").expect("Q1 is listed");
    assert!(q1.contains("data-state=\"locked\""), "{q1}");
    assert!(q1.contains("Quý I năm 2025"), "{q1}");
    let h1 = row(&html, "periods-table", "2025-H1").expect("H1 is listed");
    assert!(h1.contains("data-state=\"locked\""), "{h1}");
    assert!(h1.contains("data-issued=\"v1 (vi)\""), "{h1}");
    let m3 = row(&html, "periods-table", "2025-M03").expect("March has money");
    assert!(m3.contains("data-state=\"open\""), "{m3}");
    assert!(row(&html, "periods-table", "2025").is_some(), "the year");
    assert!(row(&html, "periods-table", "2025-H2").is_some());
    assert!(
        row(&html, "periods-table", "2025-M01").is_none(),
        "January 2025 is before the first money"
    );
    assert!(
        html.contains("href=\"/periods?year=2025\""),
        "2025 is offered"
    );
    let closed = row(&html, "closed-table", "2025-H1").expect("closed periods");
    assert!(closed.contains("v1 (vi)"));

    // The default is this year, which is offered even without money in it.
    let (s, html) = get(&app, "/periods").await;
    assert_eq!(s, Status::Ok);
    assert!(html.contains("class=\"kind-year"), "{html}");
    assert!(
        html.contains(" current\""),
        "the current periods are marked"
    );

    // Another range of dates, typed as two dates.
    let (s, _, to) = post_get(&app, "/periods?from=01/01/2025&to=30/06/2025").await;
    assert_eq!(
        (s, to.as_str()),
        (Status::SeeOther, "/periods/2025-01-01..2025-06-30")
    );
    let (s, html) = get(&app, "/periods?from=30/06/2025&to=01/01/2025").await;
    assert_eq!(s, Status::UnprocessableEntity);
    assert_eq!(
        text_of(&html, "range-to-error").as_deref(),
        Some("Ngày kết thúc phải sau ngày bắt đầu.")
    );
    let (s, html) = get(&app, "/periods?from=31/02/2025&to=01/03/2025").await;
    assert_eq!(s, Status::UnprocessableEntity);
    assert!(html.contains("id=\"range-from-error\""));
}

/// A GET that does not follow redirects, as (status, body, location).
async fn post_get(app: &App, path: &str) -> (Status, String, String) {
    let res = app.client.get(path.to_string()).dispatch().await;
    let location = res.headers().get_one("Location").unwrap_or("").to_string();
    (
        res.status(),
        res.into_string().await.unwrap_or_default(),
        location,
    )
}

#[rocket::async_test]
async fn pages_periods_sections_are_saved_in_one_form_all_or_none() {
    let app = App::new().await;
    login(&app, "reviewer", Lang::Vi).await;
    let (_, html) = get(&app, "/periods/2025-H1").await;
    assert_eq!(html.matches("id=\"texts-form\"").count(), 1, "one form");
    assert_eq!(html.matches("id=\"texts-save\"").count(), 1, "one save");
    for l in ["vi", "en"] {
        for s in ["assessment", "tasks", "recommendations"] {
            assert!(html.contains(&format!("name=\"text_{l}_{s}\"")), "{l} {s}");
        }
    }
    let all = [
        ("text_vi_assessment", "Đánh giá tốt"),
        ("text_vi_tasks", "Nhiệm vụ"),
        ("text_vi_recommendations", "Kiến nghị"),
        ("text_en_assessment", "Good"),
        ("text_en_tasks", "Tasks"),
        ("text_en_recommendations", "Recommendations"),
    ];
    let (s, _, to) = post(&app, "/periods/2025-H1/texts", &form(&all)).await;
    assert_eq!((s, to.as_str()), (Status::SeeOther, "/periods/2025-H1"));
    let (_, html) = get(&app, "/periods/2025-H1").await;
    for (_, v) in all {
        assert!(html.contains(&format!(">{v}</textarea>")), "{v} saved");
    }

    // One refused section refuses the save: nothing changes, everything typed comes back.
    let (s, html, _) = post(
        &app,
        "/periods/2025-H1/texts",
        &form(&[
            ("text_vi_assessment", "Đổi rồi"),
            ("text_en_tasks", "bad\u{7}text"),
        ]),
    )
    .await;
    assert_eq!(s, Status::UnprocessableEntity);
    assert!(html.contains("id=\"text-en-tasks-error\""), "by its field");
    assert!(html.contains(">Đổi rồi</textarea>"), "kept as typed");
    let (_, html) = get(&app, "/periods/2025-H1").await;
    assert!(html.contains(">Đánh giá tốt</textarea>"), "nothing saved");
}

#[rocket::async_test]
async fn pages_periods_issuing_asks_first_and_locks_only_when_confirmed() {
    let app = signed_app().await;
    seed_money(&app).await;
    login(&app, "reviewer", Lang::Vi).await;

    // The signer and recipients are those of the report's language.
    let (_, html) = get(&app, "/periods/2025-H1").await;
    assert_eq!(
        attr(&html, "signer-authority", "value").as_deref(),
        Some("KT. GIÁM ĐỐC")
    );
    assert_eq!(attr(&html, "issue-lang", "value").as_deref(), Some("vi"));
    assert!(
        attr(&html, "issue-button", "data-confirm").is_none(),
        "no script"
    );
    let (_, html) = get(&app, "/periods/2025-H1?report=en").await;
    assert_eq!(
        attr(&html, "signer-authority", "value").as_deref(),
        Some("FOR THE DIRECTOR")
    );
    assert_eq!(attr(&html, "issue-lang", "value").as_deref(), Some("en"));
    assert!(html.contains("Archive: VT, QLNN</textarea>"));

    let fields = [
        ("lang", "vi"),
        ("issued_on", "10/07/2025"),
        ("number", "15/BC-SNgV"),
        ("signer_authority", "KT. GIÁM ĐỐC"),
        ("signer_title", "PHÓ GIÁM ĐỐC"),
        ("signer_name", "Trần Thị B"),
        ("recipients", "UBND tỉnh\nLưu: VT, QLNN"),
        ("allow_empty_sections", "true"),
    ];
    let before = crate::report_issue::counts(&app.db).await;
    let (s, html, _) = post(&app, "/periods/2025-H1/reports", &form(&fields)).await;
    assert_eq!(s, Status::Ok, "a confirmation step");
    let warning = &html[html.find("id=\"lock-warning\"").expect("the warning")..];
    assert!(warning.contains("KHÓA kỳ báo cáo"), "{warning}");
    assert_eq!(
        text_of(&html, "confirm-date").as_deref(),
        Some("10/07/2025")
    );
    assert!(html.contains("Trần Thị B"));
    assert!(html.contains("<li>UBND tỉnh</li>"));
    assert!(
        html.contains("id=\"confirm-empty\""),
        "the empty sections are named"
    );
    assert!(html.contains("name=\"confirm\" value=\"1\""));
    assert_eq!(
        crate::report_issue::counts(&app.db).await,
        before,
        "asking stores nothing"
    );
    let (_, page) = get(&app, "/periods/2025-H1").await;
    assert_eq!(
        attr(&page, "lock-state", "data-locked").as_deref(),
        Some("false")
    );

    // "Go back and change" brings the form back as typed.
    let mut edit = fields.to_vec();
    edit.push(("edit", "1"));
    let (s, html, _) = post(&app, "/periods/2025-H1/reports", &form(&edit)).await;
    assert_eq!(s, Status::Ok);
    assert_eq!(
        attr(&html, "issue-number", "value").as_deref(),
        Some("15/BC-SNgV")
    );
    assert_eq!(
        attr(&html, "signer-name", "value").as_deref(),
        Some("Trần Thị B")
    );

    // A refusal comes at the first press, not after confirming.
    let mut unsigned = fields.to_vec();
    unsigned[5] = ("signer_name", " ");
    let (s, html, _) = post(&app, "/periods/2025-H1/reports", &form(&unsigned)).await;
    assert_eq!(s, Status::UnprocessableEntity);
    assert!(html.contains("id=\"signer-error\""));

    let mut confirmed = fields.to_vec();
    confirmed.push(("confirm", "1"));
    let (s, _, to) = post(&app, "/periods/2025-H1/reports", &form(&confirmed)).await;
    assert_eq!(
        (s, to.as_str()),
        (Status::SeeOther, "/periods/2025-H1#reports")
    );
    let (_, page) = get(&app, "/periods/2025-H1").await;
    assert_eq!(
        attr(&page, "lock-state", "data-locked").as_deref(),
        Some("true")
    );
    let issued = queries::list_issued_reports(&app.db.ctx, &app.actors["reviewer"], None)
        .await
        .unwrap();
    assert_eq!(issued.len(), 1);
    assert_eq!(issued[0].issued_on, crate::common::date("2025-07-10"));

    // The next Vietnamese report is offered the signer of the last one.
    let (_, html) = get(&app, "/periods/2025-H2").await;
    assert_eq!(
        attr(&html, "signer-name", "value").as_deref(),
        Some("Trần Thị B")
    );
}

#[rocket::async_test]
async fn pages_periods_zero_and_negative_amounts_are_refused_at_the_first_submit() {
    let app = App::new().await;
    app.rates().await;
    login(&app, "coordinator", Lang::Vi).await;
    let path = format!("/items/{}/disbursements/new", app.item_a);
    for amount in ["0", "-5", "0,00"] {
        let body = form(&[
            ("amount", amount),
            ("currency", "USD"),
            ("value_date", "10/03/2025"),
        ]);
        let (s, html, _) = post(&app, &path, &body).await;
        assert_eq!(s, Status::UnprocessableEntity, "{amount}");
        assert!(
            !html.contains("id=\"confirm-button\""),
            "{amount}: no confirmation"
        );
        let e = text_of(&html, "f-amount-error").unwrap();
        assert!(e.starts_with("Số tiền giải ngân phải lớn hơn 0."), "{e}");
    }
    assert_eq!(disbursements(&app).await, 0, "nothing stored");

    let cpath = format!("/items/{}/commitments/new", app.item_a);
    let commit = |kind: &'static str, amount: &'static str| {
        form(&[
            ("kind", kind),
            ("amount", amount),
            ("currency", "EUR"),
            ("date", "01/02/2025"),
        ])
    };
    let (s, html, _) = post(&app, &cpath, &commit("original", "-5")).await;
    assert_eq!(s, Status::UnprocessableEntity);
    assert!(
        text_of(&html, "f-amount-error")
            .unwrap()
            .contains("lớn hơn 0")
    );
    let (s, html, _) = post(&app, &cpath, &commit("cancellation", "5")).await;
    assert_eq!(s, Status::UnprocessableEntity);
    assert!(text_of(&html, "f-amount-error").unwrap().contains("số âm"));
    let (s, html, _) = post(&app, &cpath, &commit("amendment", "-5")).await;
    assert_eq!(s, Status::Ok, "a decrease is an amendment");
    assert!(html.contains("id=\"confirm-button\""));
}

#[rocket::async_test]
async fn pages_periods_a_second_decimal_mark_is_explained_in_each_language() {
    let app = App::new().await;
    let path = format!("/items/{}/disbursements/new", app.item_a);
    for (lang, typed, words) in [
        (Lang::Vi, "12,5,0", "dấu phẩy thập phân"),
        (Lang::Vi, "12,5.0", "dấu phẩy thập phân"),
        (Lang::En, "12.5.0", "decimal point"),
    ] {
        login(&app, "coordinator", lang).await;
        let body = form(&[
            ("amount", typed),
            ("currency", "USD"),
            ("value_date", "10/03/2025"),
        ]);
        let (s, html, _) = post(&app, &path, &body).await;
        assert_eq!(s, Status::UnprocessableEntity, "{typed}");
        let e = text_of(&html, "f-amount-error").unwrap();
        assert!(e.contains(words), "{typed}: {e}");
        assert_eq!(attr(&html, "f-amount", "value").as_deref(), Some(typed));
    }
}

#[rocket::async_test]
async fn pages_periods_the_confirmation_names_the_rate_or_says_there_is_none() {
    let app = App::new().await;
    app.rates().await;
    login(&app, "coordinator", Lang::Vi).await;
    let path = format!("/items/{}/disbursements/new", app.item_a);
    let body = form(&[
        ("amount", "1.000,00"),
        ("currency", "EUR"),
        ("value_date", "10/03/2025"),
    ]);
    let (s, html, _) = post(&app, &path, &body).await;
    assert_eq!(s, Status::Ok);
    assert_eq!(
        text_of(&html, "rate-value").as_deref(),
        Some("1\u{a0}EUR = 27.000,00\u{a0}₫ · 1\u{a0}EUR = 1,08\u{a0}USD")
    );
    assert_eq!(text_of(&html, "rate-date").as_deref(), Some("01/03/2025"));
    assert_eq!(
        text_of(&html, "rate-source").as_deref(),
        Some("SBV central rate")
    );

    let body = form(&[
        ("amount", "1.000"),
        ("currency", "JPY"),
        ("value_date", "10/03/2025"),
    ]);
    let (s, html, _) = post(&app, &path, &body).await;
    assert_eq!(s, Status::Ok);
    assert!(!html.contains("id=\"understood-rate\""));
    let none = &html[html.find("id=\"understood-unconverted\"").unwrap()..];
    assert!(
        none.contains(
            "Thiếu tỷ giá JPY cho ngày 10/03/2025: chưa có tỷ giá nào từ ngày đó trở về trước."
        ),
        "{none}"
    );
    assert!(none.contains("chưa quy đổi"), "what it means: {none}");
}

#[rocket::async_test]
async fn pages_periods_dates_are_typed_and_shown_as_day_month_year() {
    let app = App::new().await;
    app.rates().await;
    login(&app, "coordinator", Lang::En).await;
    let path = format!("/items/{}/disbursements/new", app.item_a);
    let (_, html) = get(&app, &path).await;
    assert_eq!(attr(&html, "f-value_date", "type").as_deref(), Some("text"));
    assert_eq!(
        attr(&html, "f-value_date", "inputmode").as_deref(),
        Some("numeric")
    );
    assert_eq!(
        attr(&html, "f-value_date", "placeholder").as_deref(),
        Some("dd/mm/yyyy")
    );

    let fields = [
        ("amount", "1,000.00"),
        ("currency", "USD"),
        ("value_date", "10/03/2025"),
    ];
    let (s, html, _) = post(&app, &path, &form(&fields)).await;
    assert_eq!(s, Status::Ok);
    let mut confirmed = fields.to_vec();
    confirmed.extend([("understood", "1000.00"), ("confirm", "1")]);
    let (s, _, _) = post(&app, &path, &form(&confirmed)).await;
    assert_eq!(s, Status::SeeOther, "{html}");
    let rows = queries::list_disbursements(&app.db.ctx, &app.actors["coordinator"], app.item_a)
        .await
        .unwrap();
    assert_eq!(rows[0].value_date, crate::common::date("2025-03-10"));

    // The ISO form is read too, and a wrong date is refused by its field in plain words.
    let bad = form(&[
        ("amount", "1"),
        ("currency", "USD"),
        ("value_date", "31/02/2025"),
    ]);
    let (s, html, _) = post(&app, &path, &bad).await;
    assert_eq!(s, Status::UnprocessableEntity);
    assert!(
        text_of(&html, "f-value_date-error")
            .unwrap()
            .contains("day/month/year")
    );
    assert_eq!(
        attr(&html, "f-value_date", "value").as_deref(),
        Some("31/02/2025")
    );

    // A stored date shows as dd/mm/yyyy in a form that edits it.
    let (s, _, to) = post(
        &app,
        &format!("/items/{}/milestones/new", app.item_a),
        &form(&[
            ("title_vi", "Khởi công"),
            ("title_en", "Start"),
            ("planned_date", "2025-04-15"),
            ("status", "planned"),
        ]),
    )
    .await;
    assert_eq!(s, Status::SeeOther, "{to}");
    let ms = queries::list_milestones(&app.db.ctx, &app.actors["coordinator"], app.item_a)
        .await
        .unwrap();
    let (_, html) = get(&app, &format!("/milestones/{}/edit", ms[0].id)).await;
    assert_eq!(
        attr(&html, "f-planned_date", "value").as_deref(),
        Some("15/04/2025")
    );
}

#[rocket::async_test]
async fn pages_periods_a_refused_form_opens_with_a_summary_linking_each_field() {
    let app = App::new().await;
    login(&app, "coordinator", Lang::Vi).await;
    let (s, html, _) = post(
        &app,
        &format!("/items/{}/milestones/new", app.item_a),
        &form(&[
            ("title_vi", ""),
            ("planned_date", "2025-13-40"),
            ("status", "planned"),
        ]),
    )
    .await;
    assert_eq!(s, Status::UnprocessableEntity);
    let at = html.find("id=\"error-summary\"").expect("a summary");
    let summary = &html[at..at + html[at..].find("</div>").unwrap()];
    assert!(summary.contains("tabindex=\"-1\""), "focusable");
    assert!(summary.contains("Có 3 chỗ cần sửa"), "{summary}");
    let links: Vec<&str> = summary
        .split("<a href=\"#")
        .skip(1)
        .map(|l| &l[..l.find('"').unwrap()])
        .collect();
    assert_eq!(links, ["f-title_vi", "f-title_en", "f-planned_date"]);
    for id in links {
        assert!(
            html.contains(&format!("<input id=\"{id}\"")),
            "{id} is a field"
        );
    }
    assert!(summary.contains("Ngày theo kế hoạch: Nhập ngày theo dạng ngày/tháng/năm"));
    assert!(
        html.find("id=\"error-summary\"") < html.find("id=\"f-title_vi\""),
        "at the top"
    );
}
