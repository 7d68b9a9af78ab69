//! What an NGO's portal shows: its organisation, its items with their milestones and the
//! progress reports on them, the disbursements its staff reported and what became of them,
//! and what the province's report shows for it (the rollup over its own items only).

use super::super::queries;
use super::super::scope::Scope;
use super::super::{Actor, Ctx, today_in_vietnam};
use crate::db::items::AidItem;
use crate::db::ledger::{self, Disbursement, Milestone};
use crate::db::milestone_reports::{self, MilestoneReport};
use crate::db::orgs::Organisation;
use crate::db::users;
use crate::domain::Lang;
use crate::domain::period::{Period, PeriodKind};
use crate::error::{Error, Result};
use crate::rollup::Dimension;
use crate::rollup::table::TableRow;
use std::collections::HashMap;

pub struct PortalItem {
    pub item: AidItem,
    pub milestones: Vec<(Milestone, Vec<MilestoneReport>)>,
}

/// A period's committed and disbursed totals over the organisation's items, and how many of
/// its rows the figures leave out for want of a rate.
pub struct PortalFigures {
    pub period: Period,
    pub total: TableRow,
    pub unconverted: usize,
}

pub struct Portal {
    pub organisation: Organisation,
    pub items: Vec<PortalItem>,
    /// Disbursements the organisation's staff reported, newest first, with the item code.
    pub reported: Vec<(Disbursement, String)>,
    pub this_year: PortalFigures,
    pub last_period: PortalFigures,
}

/// The half-year that holds `today` (with the configured convention).
fn current_half(today: chrono::NaiveDate, vn: bool) -> Period {
    use chrono::Datelike;
    let y = today.year();
    [
        Period::of(y, PeriodKind::Half(1), vn),
        Period::of(y, PeriodKind::Half(2), vn),
        Period::of(y + 1, PeriodKind::Half(1), vn),
    ]
    .into_iter()
    .find(|p| p.contains(today))
    .unwrap_or_else(|| Period::of(y, PeriodKind::Half(1), vn))
}

/// The reporting year that holds `today`, and the last half-year that has ended.
#[must_use]
pub fn portal_periods(today: chrono::NaiveDate, vn: bool) -> (Period, Period) {
    use chrono::Datelike;
    let y = today.year();
    let year = [
        Period::of(y, PeriodKind::Year, vn),
        Period::of(y + 1, PeriodKind::Year, vn),
    ]
    .into_iter()
    .find(|p| p.contains(today))
    .unwrap_or_else(|| Period::of(y, PeriodKind::Year, vn));
    (year, current_half(today, vn).previous())
}

pub async fn portal(ctx: &Ctx, actor: &Actor, lang: Lang) -> Result<Portal> {
    let tx = &mut ctx.store.read().await?;
    let Scope::Organisation(org_id) = Scope::of(actor)? else {
        return Err(Error::NotFound("the portal is for NGO staff".into()));
    };
    let organisation = queries::get_organisation_in(tx, actor, org_id).await?;
    let list = queries::list_items_in(
        tx,
        actor,
        &queries::ItemFilter {
            limit: 500,
            ..queries::ItemFilter::default()
        },
    )
    .await?;
    let mut items = Vec::new();
    let mut reported = Vec::new();
    let mut org_of: HashMap<i64, Option<i64>> = HashMap::new();
    for item in list {
        let mut milestones = Vec::new();
        for m in queries::list_milestones_in(tx, actor, item.id).await? {
            let reports = milestone_reports::list_reports(tx, m.id).await?;
            milestones.push((m, reports));
        }
        for d in ledger::list_disbursements(tx, item.id).await? {
            let Some(by) = d.entered_by else { continue };
            let org = match org_of.get(&by) {
                Some(o) => *o,
                None => {
                    let o = users::get_user(tx, by)
                        .await?
                        .and_then(|u| u.organisation_id);
                    org_of.insert(by, o);
                    o
                }
            };
            if org == Some(org_id) {
                reported.push((d, item.code.clone()));
            }
        }
        items.push(PortalItem { item, milestones });
    }
    reported.sort_by_key(|(d, _)| std::cmp::Reverse(d.id));
    let (year, last) = portal_periods(today_in_vietnam(), ctx.config.vn_reporting_periods);
    let mut figures = Vec::new();
    for period in [year, last] {
        let t = queries::rollup_in(tx, actor, &period, Dimension::Donor, lang).await?;
        figures.push(PortalFigures {
            period,
            total: t.total,
            unconverted: t.unconverted.len(),
        });
    }
    let last_period = figures
        .pop()
        .ok_or_else(|| Error::Internal("no figures".into()))?;
    let this_year = figures
        .pop()
        .ok_or_else(|| Error::Internal("no figures".into()))?;
    Ok(Portal {
        organisation,
        items,
        reported,
        this_year,
        last_period,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_period_is_the_half_year_before_today() {
        let d = chrono::NaiveDate::from_ymd_opt(2025, 8, 1).unwrap_or_default();
        let (year, last) = portal_periods(d, false);
        assert_eq!(year.code(), "2025");
        assert_eq!(last.code(), "2025-H1");
        let d = chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap_or_default();
        assert_eq!(portal_periods(d, false).1.code(), "2024-H2");
    }
}
