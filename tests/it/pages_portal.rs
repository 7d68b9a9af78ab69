//! The NGO portal and the page frame through the real HTTP stack (issue 11 points 8 and 10):
//! open items first and finished ones folded, milestone forms behind one button each and only
//! for open items, the disbursement form defaulting to an open item, a sent report read as
//! sent (not "Nháp"), figures only from issued reports, the language chosen on the login page
//! kept after login, the agency in the header, "Khóa API" only in the account menu, and a way
//! back from a missing page before login.

use crate::api::App;
use crate::pages::{body, log_in, post_form};
use aidledger::actions::Actor;
use aidledger::actions::reports::{IssueCmd, issue_report};
use aidledger::domain::Lang;
use aidledger::domain::period::Period;
use rocket::http::{ContentType, Status};
use rocket::local::asynchronous::Client;
use serde_json::json;

async fn get(client: &Client, path: &str) -> (Status, String) {
    let res = client.get(path.to_string()).dispatch().await;
    let status = res.status();
    (status, body(res).await)
}

/// The text between the element with `id` and the end of its section.
fn section<'h>(html: &'h str, id: &str) -> &'h str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in {html}"));
    let rest = &html[at..];
    let end = rest.find("</section>").or_else(|| rest.find("</details>"));
    &rest[..end.unwrap_or(rest.len())]
}

/// A verified 1,000 USD disbursement (25,000,000 ₫) on item A in March 2025.
async fn verified_money(app: &App) {
    app.rates().await;
    let d = app
        .disburse(app.item_a, "coordinator", "1000.00", "USD", "2025-03-10")
        .await;
    let (s, v) = app
        .send(
            "POST",
            &format!("/disbursements/{d}/verify"),
            "reviewer",
            None,
            None,
        )
        .await;
    assert_eq!(s, Status::Ok, "{v}");
}

async fn issue_h1(app: &App) {
    let mut ctx = app.db.ctx.clone();
    ctx.config.signing = crate::report_issue::signing();
    let cmd = IssueCmd {
        allow_empty_sections: true,
        ..IssueCmd::new(
            Period::parse("2025-H1", false).unwrap(),
            Lang::Vi,
            chrono::NaiveDate::from_ymd_opt(2025, 7, 5).unwrap(),
            "12/BC-SNgV".into(),
        )
    };
    issue_report(&ctx, &Actor::system("test-reviewer"), &cmd)
        .await
        .unwrap();
}

#[rocket::async_test]
async fn pages_portal_shows_figures_only_from_issued_reports_while_they_stay_locked() {
    let app = App::new().await;
    verified_money(&app).await;
    log_in(&app.client, "ngo_a").await;
    let (s, html) = get(&app.client, "/portal").await;
    assert_eq!(s, Status::Ok);
    // Verified money, but no issued report yet: nothing is shown as "in the report".
    assert!(html.contains("id=\"portal-no-issued\""), "{html}");
    assert!(!html.contains("data-vnd="), "{html}");

    issue_h1(&app).await;
    let (_, html) = get(&app.client, "/portal").await;
    let figures = section(&html, "portal-figures");
    assert!(
        figures.contains("Báo cáo 6 tháng đầu năm 2025")
            && figures.contains("Bản 1, ban hành ngày 05/07/2025"),
        "{figures}"
    );
    assert!(figures.contains("data-vnd=\"25000000\""), "{figures}");
    assert!(!html.contains("id=\"portal-no-issued\""));

    // Reopened for corrections: the old figures are no longer claimed to be the report's.
    aidledger::actions::periods::unlock_period(
        &app.db.ctx,
        &Actor::system("test-reviewer"),
        &Period::parse("2025-H1", false).unwrap(),
        "a correction to the March figures",
    )
    .await
    .unwrap();
    let (_, html) = get(&app.client, "/portal").await;
    let figures = section(&html, "portal-figures");
    assert!(
        figures.contains("đang được mở lại") && !figures.contains("data-vnd="),
        "{figures}"
    );
}

#[rocket::async_test]
async fn pages_portal_lists_open_items_first_folds_finished_ones_and_their_milestones() {
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
    log_in(&app.client, "ngo_a").await;
    let (_, html) = get(&app.client, "/portal").await;
    let open = section(&html, "portal-items-table");
    assert!(open.contains(&format!("data-item-id=\"{a}\"")), "{open}");
    assert!(
        !html.contains("id=\"portal-finished\""),
        "nothing finished yet"
    );
    // The milestone's form is folded behind one "Báo cáo tiến độ" button.
    let ms = section(&html, &format!("milestone-{mid}"));
    let folded = ms
        .find("<details class=\"report-progress\">")
        .expect("a folded form");
    let form = ms
        .find(&format!("id=\"progress-form-{mid}\""))
        .expect("the form");
    assert!(
        folded < form && ms.contains(">Báo cáo tiến độ</summary>"),
        "{ms}"
    );
    // The disbursement form starts on the open item.
    assert!(
        html.contains(&format!("<option value=\"{a}\" selected>")),
        "{html}"
    );

    // The item is finished: it moves into the folded list and its milestones go.
    for status in ["implementing", "completed"] {
        let (s, v) = app
            .send(
                "PATCH",
                &format!("/aid-items/{a}"),
                "coordinator",
                Some(&json!({"status": status, "actual_start": "2025-01-10", "actual_end": "2025-06-30"})),
                None,
            )
            .await;
        assert_eq!(s, Status::Ok, "{status}: {v}");
    }
    let (_, html) = get(&app.client, "/portal").await;
    let finished = section(&html, "portal-finished");
    assert!(
        finished.starts_with("id=\"portal-finished\"")
            && finished.contains(&format!("data-item-id=\"{a}\"")),
        "{finished}"
    );
    assert!(html.contains("<details class=\"card folded\" id=\"portal-finished\">"));
    assert!(!html.contains(&format!("id=\"milestone-{mid}\"")), "{html}");
    assert!(html.contains("id=\"portal-no-milestones\"") || html.contains("chưa có mốc nào"));
}

#[rocket::async_test]
async fn pages_portal_a_sent_disbursement_report_reads_as_sent_not_as_a_draft() {
    let app = App::new().await;
    let a = app.item_a;
    log_in(&app.client, "ngo_a").await;
    let fields =
        format!("item_id={a}&amount=1.234%2C5&currency=USD&value_date=2025-05-02&confirm=1");
    let res = post_form(&app.client, "/portal", "/portal/disbursements", &fields).await;
    assert_eq!(res.status(), Status::SeeOther);
    let (_, html) = get(&app.client, "/portal").await;
    let table = section(&html, "portal-disbursements-table");
    assert!(
        table.contains("Đã gửi, chờ cán bộ điều phối tiếp nhận") && !table.contains(">Nháp<"),
        "{table}"
    );
}

#[rocket::async_test]
async fn pages_portal_the_language_chosen_on_the_login_page_is_kept_after_login() {
    let app = App::new().await;
    let page = body(app.client.get("/login?lang=en").dispatch().await).await;
    assert!(page.contains("name=\"lang\" value=\"en\""), "{page}");
    let token = page
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_string();
    let res = app
        .client
        .post("/login")
        .header(ContentType::Form)
        .body(format!(
            "_csrf={token}&lang=en&username=ngo_a&password={}",
            crate::api::PASSWORD.replace(' ', "%20")
        ))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::SeeOther);
    let (_, html) = get(&app.client, "/portal").await;
    assert!(
        html.starts_with("<!doctype html>\n<html lang=\"en\">"),
        "{html}"
    );
    // Remembered for the user, not only for this browser.
    let me = aidledger::actions::account::me(&app.db.ctx, &app.actors["ngo_a"])
        .await
        .unwrap();
    assert_eq!(me.lang, Lang::En);
    // A login page shown without a choice does not send a language (the user's own wins).
    let other = Client::tracked(aidledger::build(
        app.db.ctx.config.clone(),
        app.db.store().clone(),
    ))
    .await
    .unwrap();
    let page = body(other.get("/login").dispatch().await).await;
    assert!(!page.contains("name=\"lang\""), "{page}");
    log_in(&other, "ngo_a").await;
    let (_, html) = get(&other, "/portal").await;
    assert!(html.contains("<html lang=\"en\">"));
}

#[rocket::async_test]
async fn pages_portal_the_frame_names_the_agency_keeps_api_tokens_in_the_account_menu() {
    let app = App::new().await;
    // Before login, a missing page still offers the way to the login page.
    let (s, html) = get(&app.client, "/no/such/page").await;
    assert_eq!(s, Status::NotFound);
    assert!(html.contains("href=\"/login\""), "{html}");
    let (_, html) = get(&app.client, "/login").await;
    assert!(
        html.contains("<span class=\"agency\" title=\"SỞ NGOẠI VỤ\">SỞ NGOẠI VỤ</span>"),
        "{html}"
    );
    log_in(&app.client, "coordinator").await;
    let (_, html) = get(&app.client, "/items").await;
    assert!(html.contains("<span class=\"agency\" title=\"SỞ NGOẠI VỤ\">SỞ NGOẠI VỤ</span>"));
    // "Khóa API" is in the account menus (wide and phone), never in the navigation.
    for nav in html.split("<nav").skip(1) {
        let nav = &nav[..nav.find("</nav>").unwrap()];
        assert!(!nav.contains("/account/tokens"), "{nav}");
        assert!(
            nav.contains("href=\"/items\" aria-current=\"page\""),
            "{nav}"
        );
    }
    let menu = section(&html, "account-menu-panel");
    assert!(
        menu.contains("href=\"/account/tokens\">Khóa API</a>"),
        "{menu}"
    );
    assert!(html.contains("<details class=\"dropdown menu narrow-only\">"));
    // Tables of the portal stack on a phone: every cell says its column.
    log_in(&app.client, "ngo_a").await;
    let (_, html) = get(&app.client, "/portal").await;
    let table = section(&html, "portal-items-table");
    assert!(
        table.contains("class=\"stack\"") && table.contains("data-label=\"Mã\""),
        "{table}"
    );
}
