//! The item list's pager at a size where listing every page would not do: the first and
//! last pages, two either side of the current one, gaps between, and previous / next; each
//! link goes to its page with the list's sort kept.

use crate::api::App;
use crate::common::seed_item;
use crate::pages_dash::{get, login};
use rocket::http::Status;

/// The pager's entries in order: page numbers, `[n]` for the current one, `…` for a gap,
/// `<` and `>` for previous and next.
fn pager(html: &str) -> String {
    let start = html.find("id=\"items-pager\"").expect("a pager");
    let nav = &html[start..start + html[start..].find("</nav>").unwrap()];
    let mut out = Vec::new();
    for part in nav.split('<').skip(1) {
        let text = part[part.find('>').unwrap() + 1..].trim();
        if part.starts_with("a ") && part.contains("rel=\"prev\"") {
            out.push("<".to_string());
        } else if part.starts_with("a ") && part.contains("rel=\"next\"") {
            out.push(">".to_string());
        } else if part.starts_with("a ") {
            out.push(text.to_string());
        } else if part.starts_with("strong>") {
            out.push(format!("[{text}]"));
        } else if part.starts_with("span class=\"skipped\"") {
            out.push(text.to_string());
        }
    }
    out.join(" ")
}

#[rocket::async_test]
async fn pages_pager_shows_the_ends_and_the_pages_around_the_current_one() {
    let app = App::new().await;
    // With the app's two items, 202 items: nine pages of 25.
    for n in 0..200 {
        seed_item(
            &app.db,
            &format!("P-{n:03}"),
            (app.org_a, app.owner, app.agency),
        )
        .await;
    }
    login(&app, "coordinator").await;
    let (s, html) = get(&app, "/items").await;
    assert_eq!(s, Status::Ok);
    assert_eq!(pager(&html), "[1] 2 3 … 9 >");
    let (_, html) = get(&app, "/items?page=5").await;
    assert_eq!(pager(&html), "< 1 … 3 4 [5] 6 7 … 9 >");
    let (_, html) = get(&app, "/items?page=9").await;
    assert_eq!(pager(&html), "< 1 … 7 8 [9]");
    let (_, html) = get(&app, "/items?page=4&sort=code&dir=desc").await;
    assert_eq!(pager(&html), "< 1 2 3 [4] 5 6 … 9 >");
    assert!(
        html.contains("href=\"/items?sort=code&#38;dir=desc&#38;page=9\""),
        "the last page's link keeps the sort: {html}"
    );
}
