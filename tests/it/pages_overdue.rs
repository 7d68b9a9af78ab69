//! The overdue milestones: the dashboard counts them and lists the ten most overdue with a
//! link to the rest; `/milestones/overdue` shows them all fifty at a time, longest overdue
//! first (planned date, then id), continuing after the last one seen. Only open milestones
//! past their date count: not done or cancelled ones, not those still to come. In
//! Vietnamese and in English; NGO staff are kept out.

use crate::api::App;
use crate::pages_dash::{get, login, post};
use crate::pages_review::{ids_in, link};
use rocket::http::Status;
use serde_json::{Value, json};

/// The milestone ids of the overdue table's rows, in page order.
fn rows(html: &str) -> Vec<i64> {
    ids_in(html, "overdue-table", "data-milestone-id")
}

/// The text of each entry of the dashboard's overdue list.
fn dashboard_entries(html: &str) -> Vec<String> {
    let Some(start) = html.find("id=\"attention-overdue\"") else {
        return Vec::new();
    };
    let list = &html[start..start + html[start..].find("</ul>").unwrap()];
    list.split("<li>")
        .skip(1)
        .map(|li| li[..li.find(" — ").unwrap()].to_string())
        .collect()
}

async fn milestone(app: &App, item: i64, n: u32, body: Value) -> i64 {
    let mut body = body;
    body["title_vi"] = json!(format!("Mốc số {n}"));
    body["title_en"] = json!(format!("Milestone no. {n}"));
    let (s, b) = app
        .post(
            &format!("/aid-items/{item}/milestones"),
            "coordinator",
            &body,
        )
        .await;
    assert_eq!(s, Status::Created, "{b}");
    b["id"].as_i64().unwrap()
}

/// 54 overdue milestones on two items, with planned dates out of id order and shared by
/// pairs (one in progress), and four that are not overdue: done, cancelled, in the future.
/// Returns the overdue ones' (id, number) in the list's order.
async fn seed(app: &App) -> Vec<(i64, u32)> {
    let mut made = Vec::new();
    for n in 0..54u32 {
        // Later milestones get earlier dates, and every pair shares a day.
        let date = format!("2024-{:02}-{:02}", 3 - n / 56, 28 - (n / 2) % 28);
        let item = if n % 2 == 0 { app.item_a } else { app.item_b };
        let status = if n == 7 { "in_progress" } else { "planned" };
        let id = milestone(
            app,
            item,
            n,
            json!({"planned_date": date, "status": status}),
        )
        .await;
        made.push((date, id, n));
    }
    for (n, body) in [
        (
            100,
            json!({"planned_date": "2024-01-01", "status": "done", "actual_date": "2024-01-05"}),
        ),
        (
            101,
            json!({"planned_date": "2024-01-01", "status": "cancelled"}),
        ),
        (102, json!({"planned_date": "2099-01-01"})),
        (
            103,
            json!({"planned_date": "2099-01-01", "status": "in_progress"}),
        ),
    ] {
        milestone(app, app.item_a, n, body).await;
    }
    made.sort();
    made.into_iter().map(|(_, id, n)| (id, n)).collect()
}

#[rocket::async_test]
async fn pages_overdue_milestones_ten_on_the_dashboard_then_all_fifty_at_a_time() {
    let app = App::new().await;
    let all = seed(&app).await;
    let ids: Vec<i64> = all.iter().map(|(id, _)| *id).collect();
    login(&app, "coordinator").await;

    let (s, html) = get(&app, "/").await;
    assert_eq!(s, Status::Ok);
    let shown = dashboard_entries(&html);
    assert_eq!(shown.len(), 10, "the ten most overdue");
    for (entry, (_, n)) in shown.iter().zip(&all) {
        assert!(entry.contains(&format!("· Mốc số {n} ·")), "{entry}");
    }
    assert!(
        shown[0].contains("Mốc số 52 · dự kiến 02/03/2024"),
        "{}",
        shown[0]
    );
    assert_eq!(
        link(&html, "overdue-all").as_deref(),
        Some("/milestones/overdue")
    );
    assert!(html.contains(">Xem tất cả 54 mốc tiến độ quá hạn →</a>"));

    let (s, html) = get(&app, "/milestones/overdue").await;
    assert_eq!(s, Status::Ok);
    assert_eq!(rows(&html), ids[..50], "the longest overdue fifty");
    assert!(html.contains("54 mốc quá hạn; mỗi lần hiện 50 mốc."));
    assert!(html.contains(&format!(
        "href=\"/items/{}#milestone-{}\"",
        app.item_a, ids[0]
    )));
    assert!(html.contains("Đang thực hiện"), "the one in progress");
    let late = (aidledger::actions::today_in_vietnam()
        - chrono::NaiveDate::from_ymd_opt(2024, 3, 2).unwrap())
    .num_days();
    let words =
        aidledger::web::pages::fmt::count(aidledger::domain::Lang::Vi, "dash.overdue.days", late);
    assert!(words.ends_with(" ngày") && words.len() > 5, "{words}");
    assert!(
        html.contains(&format!(">{words}</td>")),
        "the first row's days late: {words}"
    );
    assert_eq!(link(&html, "overdue-first"), None, "already at the start");
    let next = link(&html, "overdue-next").expect("a next page");
    assert_eq!(next, format!("/milestones/overdue?after={}", ids[49]));

    let (s, html) = get(&app, &next).await;
    assert_eq!(s, Status::Ok);
    assert_eq!(rows(&html), ids[50..], "the four after");
    assert_eq!(link(&html, "overdue-next"), None, "nothing follows");
    assert_eq!(
        link(&html, "overdue-first").as_deref(),
        Some("/milestones/overdue")
    );

    // One marked done meanwhile leaves the list and still marks the place of the page after it.
    let (s, b) = app
        .send(
            "PATCH",
            &format!("/milestones/{}", ids[49]),
            "coordinator",
            Some(&json!({"status": "done", "actual_date": "2025-01-02"})),
            None,
        )
        .await;
    assert_eq!(s, Status::Ok, "{b}");
    let (_, html) = get(&app, &next).await;
    assert_eq!(rows(&html), ids[50..]);
    assert!(html.contains("53 mốc quá hạn"));
    let (_, html) = get(&app, "/milestones/overdue").await;
    let moved_up: Vec<i64> = ids[..49].iter().chain(&ids[50..51]).copied().collect();
    assert_eq!(
        rows(&html),
        moved_up,
        "the done one is gone, the next moves up"
    );
    assert_eq!(
        link(&html, "overdue-next"),
        Some(format!("/milestones/overdue?after={}", ids[50]))
    );

    // The same in English, for a reviewer.
    let token = login(&app, "reviewer").await;
    let (s, _, _) = post(&app, "/lang", "lang=en&next=/", Some(&token)).await;
    assert_eq!(s, Status::SeeOther);
    let (_, html) = get(&app, "/").await;
    assert!(
        html.contains(">See all 53 overdue milestones →</a>"),
        "{html}"
    );
    let shown = dashboard_entries(&html);
    assert!(
        shown[0].contains("Milestone no. 52 · planned for 2024-03-02"),
        "{}",
        shown[0]
    );
    let (_, html) = get(&app, "/milestones/overdue").await;
    assert!(html.contains("53 overdue milestones; shown 50 at a time."));
    assert!(html.contains(">Next 50 →</a>"));
    assert!(html.contains("In progress"));
}

#[rocket::async_test]
async fn pages_overdue_a_few_need_no_link_and_ngo_staff_are_kept_out() {
    let app = App::new().await;
    let a = milestone(&app, app.item_a, 1, json!({"planned_date": "2024-05-01"})).await;
    let b = milestone(&app, app.item_b, 2, json!({"planned_date": "2024-04-01"})).await;
    milestone(&app, app.item_b, 3, json!({"planned_date": "2099-04-01"})).await;
    login(&app, "reviewer").await;
    let (_, html) = get(&app, "/").await;
    assert_eq!(dashboard_entries(&html).len(), 2);
    assert_eq!(
        link(&html, "overdue-all"),
        None,
        "both are on the dashboard"
    );
    let (_, html) = get(&app, "/milestones/overdue").await;
    assert_eq!(rows(&html), [b, a]);
    assert!(html.contains("2 mốc quá hạn"));
    // A place that is not a milestone id starts at the beginning.
    let (s, html) = get(&app, "/milestones/overdue?after=abc").await;
    assert_eq!(s, Status::Ok);
    assert_eq!(rows(&html), [b, a]);

    login(&app, "ngo_a").await;
    let (s, html) = get(&app, "/milestones/overdue").await;
    assert_eq!(s, Status::Forbidden, "{html}");
    assert!(!html.contains("data-milestone-id"));
}
