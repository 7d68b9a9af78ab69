//! `/milestones/overdue`: every milestone still open after its planned date, the longest
//! overdue first, fifty at a time, for the province staff who follow them up. The dashboard
//! lists the first few and links here.

use crate::actions::Ctx;
use crate::actions::overdue::{self, OverdueMilestone};
use crate::domain::Lang;
use crate::error::Result;
use crate::web::pages::fmt;
use crate::web::pages::frame::{Frame, Page, Viewer};
use askama::Template;
use rocket::State;

pub struct Row {
    pub id: i64,
    pub item_id: i64,
    pub item_code: String,
    pub item_title: String,
    pub title: String,
    pub planned: String,
    pub late: String,
    pub status: &'static str,
}

#[derive(Template)]
#[template(path = "dash/overdue.html", config = "src/web/pages/askama.toml")]
struct OverduePage {
    f: Frame,
    rows: Vec<Row>,
    /// How many are overdue in all, worded.
    total: String,
    /// The next page, when one follows, and the first, when this page starts further on.
    next: Option<String>,
    first: Option<&'static str>,
}

fn row(o: OverdueMilestone, lang: Lang) -> Row {
    let m = o.milestone;
    Row {
        id: m.id,
        item_id: m.item_id,
        item_code: o.item_code,
        item_title: o.item_title,
        title: if lang == Lang::Vi {
            m.title_vi
        } else {
            m.title_en
        },
        planned: fmt::date(m.planned_date, lang),
        late: fmt::count(lang, "dash.overdue.days", o.days_late),
        status: m.status.label(lang),
    }
}

/// The list from the longest overdue, or after the milestone with id `after`.
#[rocket::get("/milestones/overdue?<after>")]
pub async fn list(ctx: &State<Ctx>, v: Viewer, after: Option<i64>) -> Result<Page> {
    let lang = v.lang;
    let p = overdue::overdue_milestones(ctx, &v.actor, lang, after).await?;
    Page::render(&OverduePage {
        f: Frame::new(&v, "/milestones/overdue", "dash.overdue.title", None),
        total: fmt::count(lang, "dash.overdue.count", p.total),
        next: p
            .next_after
            .map(|id| format!("/milestones/overdue?after={id}")),
        first: after.map(|_| "/milestones/overdue"),
        rows: p.rows.into_iter().map(|o| row(o, lang)).collect(),
    })
}

#[cfg(test)]
mod tests {
    use crate::domain::Lang;
    use crate::web::pages::dash::t;

    #[test]
    fn both_languages_word_the_page() {
        for lang in [Lang::Vi, Lang::En] {
            for key in [
                "dash.overdue.title",
                "dash.overdue.intro",
                "dash.overdue.next",
            ] {
                assert_ne!(t(lang, key), "?", "{key} in {lang:?}");
            }
        }
    }
}
