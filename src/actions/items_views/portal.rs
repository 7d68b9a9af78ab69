//! What an NGO's portal shows: its organisation, its items with their milestones and the
//! progress reports on them, the disbursements its staff reported and what became of them,
//! the evidence documents attached to those records (read in one query),
//! and what the province's issued reports show for it: for the newest issued periods, the
//! rollup over its own items only. Only issued (and still locked) periods are shown, so the
//! figures are those of a report the province has sent, never of a draft still moving.

use super::super::evidence;
use super::super::queries;
use super::super::scope::Scope;
use super::super::{Actor, Ctx};
use crate::db::evidence::Document;
use crate::db::items::AidItem;
use crate::db::ledger::{self, Disbursement, Milestone};
use crate::db::milestone_reports::{self, MilestoneReport};
use crate::db::orgs::Organisation;
use crate::db::periods;
use crate::db::reports::{self, IssuedReport};
use crate::db::users;
use crate::domain::Lang;
use crate::domain::period::Period;
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

/// One issued period's report, as the organisation's figures appear in it. `figures` is
/// `None` while the period has been reopened after issuing (its data may be changing until
/// the next version is issued).
pub struct IssuedFigures {
    pub version: i64,
    pub issued_on: chrono::NaiveDate,
    pub period: Period,
    pub figures: Option<PortalFigures>,
}

/// How many issued periods the portal shows, newest first.
const ISSUED_SHOWN: usize = 2;

pub struct Portal {
    pub organisation: Organisation,
    pub items: Vec<PortalItem>,
    /// Disbursements the organisation's staff reported, newest first, with the item code.
    pub reported: Vec<(Disbursement, String)>,
    /// The newest issued periods (at most [`ISSUED_SHOWN`]), newest first.
    pub issued: Vec<IssuedFigures>,
    /// The evidence documents of the organisation's items' milestones and disbursements.
    pub documents: Vec<Document>,
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
    let issued = issued_figures(tx, actor, ctx.config.vn_reporting_periods, lang).await?;
    let listed: Vec<&AidItem> = items.iter().map(|pi| &pi.item).collect();
    let documents = evidence::of_items_in(tx, actor, &listed).await?;
    Ok(Portal {
        organisation,
        items,
        reported,
        issued,
        documents,
    })
}

/// The newest issued periods (one entry per period, its latest version in any language)
/// and, where the period is still locked, the organisation's figures in it.
async fn issued_figures(
    tx: &mut crate::db::Tx,
    actor: &Actor,
    vn: bool,
    lang: Lang,
) -> Result<Vec<IssuedFigures>> {
    let mut latest: Vec<IssuedReport> = Vec::new();
    for r in reports::list_issued(tx, None).await? {
        match latest.iter_mut().find(|l| l.period == r.period) {
            Some(l) if l.version < r.version => *l = r,
            Some(_) => {}
            None => latest.push(r),
        }
    }
    latest.sort_by(|a, b| {
        (b.period_to, b.period_from, b.issued_at).cmp(&(a.period_to, a.period_from, a.issued_at))
    });
    let mut out = Vec::new();
    for r in latest.into_iter().take(ISSUED_SHOWN) {
        let period = match Period::parse(&r.period, vn) {
            Ok(p) if p.from == r.period_from && p.to == r.period_to => p,
            _ => Period::parse(&format!("{}..{}", r.period_from, r.period_to), vn)
                .map_err(|e| Error::Internal(format!("issued report {}: {e}", r.id)))?,
        };
        let locked = periods::active_lock_on(tx, r.period_from, r.period_to)
            .await?
            .is_some();
        let figures = if locked {
            let t = queries::rollup_in(tx, actor, &period, Dimension::Donor, lang).await?;
            Some(PortalFigures {
                period,
                total: t.total,
                unconverted: t.unconverted.len(),
            })
        } else {
            None
        };
        out.push(IssuedFigures {
            version: r.version,
            issued_on: r.issued_on,
            period,
            figures,
        });
    }
    Ok(out)
}
