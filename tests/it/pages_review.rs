//! The reviewer queue a page at a time: each section says how many rows wait, shows the
//! oldest fifty by value date (then id), and links to the next fifty after the last row
//! shown, keeping the other section where it is; in Vietnamese and in English.

use crate::api::App;
use crate::pages_dash::{get, login, post};
use rocket::http::Status;
use serde_json::json;

/// The disbursement ids of the rows in the table with id `table`, in page order.
fn rows(html: &str, table: &str) -> Vec<i64> {
    ids_in(html, table, "data-disbursement-id")
}

/// The values of attribute `attr` (an id) on the rows of the table with id `table`, in page
/// order.
pub(crate) fn ids_in(html: &str, table: &str, attr: &str) -> Vec<i64> {
    let start = html
        .find(&format!("id=\"{table}\""))
        .expect("the table is on the page");
    let body = &html[start..start + html[start..].find("</table>").expect("the table ends")];
    body.split(&format!("{attr}=\""))
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].parse().unwrap())
        .collect()
}

/// The `href` of the link with id `id`, unescaped, if the page has one.
pub(crate) fn link(html: &str, id: &str) -> Option<String> {
    let at = html.find(&format!("id=\"{id}\""))?;
    let tag_start = html[..at].rfind('<')?;
    let tag = &html[tag_start..at + html[at..].find('>')?];
    let start = tag.find("href=\"")? + 6;
    Some(tag[start..start + tag[start..].find('"')?].replace("&amp;", "&"))
}

/// The path a browser requests for `href`: without its fragment.
fn path(href: &str) -> &str {
    href.split('#').next().unwrap_or(href)
}

/// 53 submitted disbursements on item A with value dates out of id order and a shared date;
/// returns their ids in the queue's order (value date, then id).
async fn seed_submitted(app: &App) -> Vec<i64> {
    app.rates().await;
    let mut made = Vec::new();
    for i in 0..53u32 {
        // Later ids get earlier dates, and every pair of rows shares a day.
        let day = 28 - (i / 2) % 28;
        let month = 3 - i / 56;
        let date = format!("2025-{month:02}-{day:02}");
        let id = app
            .disburse(app.item_a, "coordinator", "10.00", "USD", &date)
            .await;
        made.push((date, id));
    }
    made.sort();
    made.into_iter().map(|(_, id)| id).collect()
}

#[rocket::async_test]
async fn pages_review_shows_fifty_oldest_then_the_rest_after_the_last_seen_row() {
    let app = App::new().await;
    let all = seed_submitted(&app).await;
    // Two NGO reports in the other section, which has no second page.
    for d in ["2025-04-02", "2025-04-03"] {
        let (s, b) = app
            .post(
                &format!("/aid-items/{}/disbursements", app.item_a),
                "ngo_a",
                &json!({"amount": "200.00", "currency": "USD", "value_date": d}),
            )
            .await;
        assert_eq!(s, Status::Created, "{b}");
    }
    login(&app, "reviewer").await;

    let (s, html) = get(&app, "/review").await;
    assert_eq!(s, Status::Ok);
    assert!(
        html.contains("53 khoản giải ngân đang chờ"),
        "the count is of all rows"
    );
    assert!(html.contains("2 báo cáo đang chờ"));
    let first = rows(&html, "review-table");
    assert_eq!(first, all[..50], "the oldest fifty, by value date then id");
    assert_eq!(rows(&html, "drafts-table").len(), 2);
    assert_eq!(link(&html, "drafts-next"), None);
    assert_eq!(link(&html, "queue-first"), None, "already at the oldest");
    let next = link(&html, "submitted-next").expect("a next page");
    assert_eq!(next, format!("/review?after={}#submitted", all[49]));

    let (s, html) = get(&app, path(&next)).await;
    assert_eq!(s, Status::Ok);
    assert_eq!(rows(&html, "review-table"), all[50..], "the three after");
    assert_eq!(link(&html, "submitted-next"), None, "nothing follows");
    assert_eq!(
        rows(&html, "drafts-table").len(),
        2,
        "drafts stay at their start"
    );
    assert_eq!(link(&html, "queue-first").as_deref(), Some("/review"));
    assert!(html.contains("53 khoản giải ngân đang chờ"));

    // A row verified meanwhile still marks the place of the page after it.
    let token = login(&app, "reviewer2").await;
    let (s, _, _) = post(
        &app,
        &format!("/review/{}/verify", all[49]),
        "",
        Some(&token),
    )
    .await;
    assert_eq!(s, Status::SeeOther);
    let (_, html) = get(&app, path(&next)).await;
    assert_eq!(rows(&html, "review-table"), all[50..]);
    assert!(html.contains("52 khoản giải ngân đang chờ"));

    // The same in English.
    let (s, _, _) = post(&app, "/lang", "lang=en&next=/review", Some(&token)).await;
    assert_eq!(s, Status::SeeOther);
    let (_, html) = get(&app, "/review").await;
    assert!(html.contains("52 disbursements waiting"), "{html}");
    assert!(html.contains("2 reports waiting"));
    assert!(html.contains(">Next 50 →</a>"));
    assert_eq!(rows(&html, "review-table").len(), 50);
}

#[rocket::async_test]
async fn pages_review_pages_each_section_apart_and_starts_over_on_a_key_that_is_not_an_id() {
    let app = App::new().await;
    app.rates().await;
    let mut drafts = Vec::new();
    for i in 0..51u32 {
        let (s, b) = app
            .post(
                &format!("/aid-items/{}/disbursements", app.item_a),
                "ngo_a",
                &json!({"amount": "5.00", "currency": "USD", "value_date": format!("2025-05-{:02}", 1 + i % 28)}),
            )
            .await;
        assert_eq!(s, Status::Created, "{b}");
        drafts.push((
            format!("2025-05-{:02}", 1 + i % 28),
            b["id"].as_i64().unwrap(),
        ));
    }
    drafts.sort();
    let drafts: Vec<i64> = drafts.into_iter().map(|(_, id)| id).collect();
    let one = app
        .disburse(app.item_a, "coordinator", "10.00", "USD", "2025-02-02")
        .await;
    login(&app, "coordinator").await;

    let (_, html) = get(&app, "/review").await;
    assert!(html.contains("51 báo cáo đang chờ"));
    assert!(html.contains("1 khoản giải ngân đang chờ"));
    assert_eq!(rows(&html, "drafts-table"), drafts[..50]);
    assert_eq!(link(&html, "submitted-next"), None);
    let next = link(&html, "drafts-next").expect("a next page of reports");
    assert_eq!(next, format!("/review?drafts_after={}#drafts", drafts[49]));
    let (_, html) = get(&app, path(&next)).await;
    assert_eq!(rows(&html, "drafts-table"), drafts[50..]);
    assert_eq!(
        rows(&html, "review-table"),
        [one],
        "the other section is unmoved"
    );

    // Both sections moved: each link keeps the other's place.
    let (_, html) = get(
        &app,
        &format!("/review?after={one}&drafts_after={}", drafts[0]),
    )
    .await;
    assert!(rows(&html, "review-table").is_empty());
    assert_eq!(rows(&html, "drafts-table"), drafts[1..51]);
    assert_eq!(link(&html, "submitted-next"), None);
    assert_eq!(link(&html, "drafts-next"), None);

    let (s, html) = get(&app, "/review?after=abc").await;
    assert_eq!(s, Status::Ok);
    assert_eq!(rows(&html, "review-table"), [one]);
}
