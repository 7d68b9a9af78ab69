//! The aid item pages: the list (`/items`), one item's page (`/items/<id>`) and the NGO
//! portal (`/portal`) with its milestone progress and disbursement reports.

mod budgets;
pub mod list;
pub mod portal;
mod portal_view;
pub mod reverse;
pub mod show;

use crate::db::items::AidItem;
use crate::domain::Lang;

#[must_use]
pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![
        list::list,
        show::show,
        portal::show,
        portal::report_progress,
        portal::report_disbursement,
        reverse::reverse,
    ]
}

fn text(lang: Lang, key: &str) -> &'static str {
    super::i18n::text(lang, key)
}

/// The item's title in the reader's language.
fn item_title(i: &AidItem, lang: Lang) -> &str {
    match lang {
        Lang::Vi => &i.title_vi,
        Lang::En => &i.title_en,
    }
}

/// Percent-encodes a query value (everything but unreserved characters).
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
