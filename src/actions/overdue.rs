//! The overdue milestones: those still planned or in progress after their planned date,
//! most overdue first. The dashboard shows how many and the first few; `/milestones/overdue`
//! pages through them all. Province staff only (`ReadAll`), as the dashboard: NGO staff see
//! their own milestones on their portal.

use super::{Actor, Ctx, today_in_vietnam};
use crate::db::Tx;
use crate::db::dash_views::{self, Overdue};
use crate::db::ledger::Milestone;
use crate::domain::Lang;
use crate::domain::role::Permission;
use crate::error::Result;
use chrono::NaiveDate;

/// How many the dashboard lists; the rest are a link away.
pub const ON_DASHBOARD: i64 = 10;

/// How many one page of the full list shows.
pub const PAGE: i64 = 50;

#[derive(Debug, Clone)]
pub struct OverdueMilestone {
    pub milestone: Milestone,
    pub item_code: String,
    /// The item's title in the reader's language.
    pub item_title: String,
    pub days_late: i64,
}

/// How many milestones are overdue in all, and one page of them.
#[derive(Debug, Clone)]
pub struct OverduePage {
    pub total: i64,
    pub rows: Vec<OverdueMilestone>,
    /// The id to continue after, when rows follow this page.
    pub next_after: Option<i64>,
}

/// Up to `size` overdue milestones on `today` after the one with id `after`, with the count
/// of all of them, read in `tx`.
pub async fn page_in(
    tx: &mut Tx,
    today: NaiveDate,
    after: Option<i64>,
    size: i64,
    lang: Lang,
) -> Result<OverduePage> {
    let total = dash_views::count_overdue(tx, today).await?;
    // One row more than a page says whether another page follows.
    let rows = dash_views::overdue_milestones(tx, today, after, size + 1).await?;
    let (rows, next_after) = super::keyset_page(rows, size, |o| o.m.id);
    let rows = rows
        .into_iter()
        .map(|o: Overdue| OverdueMilestone {
            days_late: (today - o.m.planned_date).num_days(),
            item_code: o.item_code,
            item_title: if lang == Lang::Vi {
                o.item_title_vi
            } else {
                o.item_title_en
            },
            milestone: o.m,
        })
        .collect();
    Ok(OverduePage {
        total,
        rows,
        next_after,
    })
}

/// One page of the overdue milestones, from the most overdue or after the one with id
/// `after`, from one snapshot.
pub async fn overdue_milestones(
    ctx: &Ctx,
    actor: &Actor,
    lang: Lang,
    after: Option<i64>,
) -> Result<OverduePage> {
    actor.require(Permission::ReadAll)?;
    let mut tx = ctx.store.read().await?;
    page_in(&mut tx, today_in_vietnam(), after, PAGE, lang).await
}
