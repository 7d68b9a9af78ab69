//! Every figure the period's report states, computed from one read snapshot: totals and
//! comparisons, breakdowns, counts, item lists, milestones, the rates used, and what blocks
//! issuing (transactions without a usable rate).

use super::LookupData;
use super::breakdown::{Breakdown, Dimension, breakdown};
use super::comparisons::{Comparisons, Now, both, total};
use super::sums::{Flow, ItemSum, UnconvertedRow, Window, item_sums, unconverted};
use crate::db::ledger::{self, Milestone, MoneyTable, OriginalSum};
use crate::db::rates::RateRow;
use crate::db::{Tx, rates};
use crate::domain::item::{CommitmentKind, OrgKind};
use crate::domain::period::Period;
use crate::error::Result;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// VND and US cents, summed exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Pair {
    pub vnd: i128,
    pub usd_cents: i128,
}

impl Pair {
    /// The exact sum of per-item sums; overflow is an error, never a clamp.
    pub(crate) fn of(sums: &[ItemSum]) -> Result<Pair> {
        let mut p = Pair::default();
        for s in sums {
            p.add(s.vnd, s.usd_cents)?;
        }
        Ok(p)
    }

    /// `self - other`, exactly; overflow is an error.
    pub(crate) fn minus(self, other: Pair) -> Result<Pair> {
        Ok(Pair {
            vnd: self.vnd.checked_sub(other.vnd).ok_or_else(overflow)?,
            usd_cents: self
                .usd_cents
                .checked_sub(other.usd_cents)
                .ok_or_else(overflow)?,
        })
    }

    pub(crate) fn add(&mut self, vnd: i128, usd_cents: i128) -> Result<()> {
        self.vnd = self.vnd.checked_add(vnd).ok_or_else(overflow)?;
        self.usd_cents = self.usd_cents.checked_add(usd_cents).ok_or_else(overflow)?;
        Ok(())
    }
}

/// A total no `i128` can hold exactly: refused, never clamped.
fn overflow() -> crate::error::Error {
    crate::error::Error::conflict("overflow", "a total is too large to hold exactly")
}

/// Per-item figures for the item appendices.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct ItemFigures {
    pub committed: Pair,
    pub disbursed: Pair,
    pub cumulative_committed: Pair,
    pub cumulative_disbursed: Pair,
    /// Commitments to the end of the period in their own currencies.
    pub committed_original: Vec<(crate::domain::Currency, i128)>,
    /// Commitments dated in the period in their own currencies.
    pub committed_original_in_period: Vec<(crate::domain::Currency, i128)>,
    /// Cancellations dated in the period (negative, as stored; included in `committed`).
    pub cancelled: Pair,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Figures {
    pub period: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub committed: Pair,
    pub disbursed: Pair,
    pub unverified: Pair,
    pub cumulative_committed: Pair,
    pub cumulative_disbursed: Pair,
    pub previous_committed: Pair,
    pub previous_disbursed: Pair,
    pub year_earlier_committed: Pair,
    pub year_earlier_disbursed: Pair,
    /// Cumulative to the end of the same period a year earlier (for the rate's comparison).
    pub year_earlier_cumulative_committed: Pair,
    pub year_earlier_cumulative_disbursed: Pair,
    /// Cancellations dated in the period (negative; already included in `committed`).
    pub cancelled: Pair,
    /// Committed and disbursed by dimension, in the period.
    pub committed_by: BTreeMap<String, Breakdown>,
    pub disbursed_by: BTreeMap<String, Breakdown>,
    /// Disbursed per quarter of the period, only the quarters the period covers (see
    /// [`super::measures::period_quarters`]); codes like "2025-Q1".
    pub quarterly_disbursed: Vec<(String, Pair)>,
    pub ngos_with_valid_certificate: Vec<i64>,
    pub ngos_active: Vec<i64>,
    pub ngos_new: Vec<i64>,
    pub items_approved: Vec<i64>,
    /// Items with money dated in the period (commitment changes or verified disbursements).
    pub items_with_money: Vec<i64>,
    /// Items with money or approval in the period, or any cumulative money to its end, with
    /// their figures (so the per-item table adds up to the cumulative totals).
    pub item_figures: BTreeMap<i64, ItemFigures>,
    pub amendments: i64,
    pub milestones_due: Vec<Milestone>,
    pub milestones_done: Vec<Milestone>,
    pub milestones_overdue: Vec<Milestone>,
    pub rates_used: Vec<RateRow>,
    pub unconverted: Vec<UnconvertedRow>,
    /// The stage programme whose stage holds the period's last day, and how far it has come
    /// to that day; `None` when no programme covers it.
    pub stage: Option<super::progress::StageProgress>,
}

const SPLIT_DIMENSIONS: [Dimension; 6] = [
    Dimension::SectorGroup,
    Dimension::Locality,
    Dimension::Donor,
    Dimension::Country,
    Dimension::Region,
    Dimension::Modality,
];

fn dim_key(d: Dimension) -> String {
    serde_json::to_value(d)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The dimensions the dashboard charts the period's disbursements by.
const HEADLINE_DIMENSIONS: [Dimension; 2] = [Dimension::SectorGroup, Dimension::Country];

/// The figures the dashboard shows, the same integers as [`figures`] gives for them: the
/// totals and their comparisons, the cumulative rate's two sides, the period's disbursements
/// by sector group and by country, the quarters and the stage programme's progress. The
/// report's other figures (each item's, commitments by dimension, NGOs, milestones, rates,
/// the window's unconverted rows) are left empty: at national scale they are most of the
/// report's time and the dashboard shows none of them.
pub async fn headline(tx: &mut Tx, look: &LookupData, period: &Period) -> Result<Figures> {
    let w = Window {
        from: period.from,
        to: period.to,
    };
    let disbursed = item_sums(tx, Flow::Disbursed, w).await?;
    let mut disbursed_by = BTreeMap::new();
    for dim in HEADLINE_DIMENSIONS {
        disbursed_by.insert(dim_key(dim), breakdown(&disbursed, dim, &look.lookup())?);
    }
    let since_start = Window::to_date(period.to);
    let now = Now {
        in_period: (total(tx, Flow::Committed, w).await?, Pair::of(&disbursed)?),
        to_date: both(tx, since_start).await?,
    };
    let stage = super::progress::stage_of(tx, look, period).await?;
    let comparisons = Comparisons::of(tx, period, now).await?;
    Ok(Figures {
        committed: now.in_period.0,
        disbursed: now.in_period.1,
        cumulative_committed: now.to_date.0,
        cumulative_disbursed: now.to_date.1,
        disbursed_by,
        stage,
        ..comparisons.into_figures(period)
    })
}

/// Computes the figures of `period` inside `tx`.
pub async fn figures(tx: &mut Tx, look: &LookupData, period: &Period) -> Result<Figures> {
    let w = Window {
        from: period.from,
        to: period.to,
    };
    let since_start = Window::to_date(period.to);
    let committed = item_sums(tx, Flow::Committed, w).await?;
    let disbursed = item_sums(tx, Flow::Disbursed, w).await?;
    let cum_c = item_sums(tx, Flow::Committed, since_start).await?;
    let cum_d = item_sums(tx, Flow::Disbursed, since_start).await?;
    let mut committed_by = BTreeMap::new();
    let mut disbursed_by = BTreeMap::new();
    for dim in SPLIT_DIMENSIONS {
        committed_by.insert(dim_key(dim), breakdown(&committed, dim, &look.lookup())?);
        disbursed_by.insert(dim_key(dim), breakdown(&disbursed, dim, &look.lookup())?);
    }
    // One locality rule for the locality table: every unit follows its July 2025 successor,
    // and cancellations go to their own column.
    let cancelled = super::kinds::cancellations(tx, w).await?;
    let current = super::kinds::as_current_units;
    committed_by.insert(
        "locality_current".into(),
        breakdown(
            &current(&super::kinds::without(&committed, &cancelled)),
            Dimension::Locality,
            &look.lookup(),
        )?,
    );
    committed_by.insert(
        "locality_cancelled".into(),
        breakdown(&current(&cancelled), Dimension::Locality, &look.lookup())?,
    );
    disbursed_by.insert(
        "locality_current".into(),
        breakdown(&current(&disbursed), Dimension::Locality, &look.lookup())?,
    );
    let now = Now {
        in_period: (Pair::of(&committed)?, Pair::of(&disbursed)?),
        to_date: (Pair::of(&cum_c)?, Pair::of(&cum_d)?),
    };
    let comparisons = Comparisons::of(tx, period, now).await?;

    let mut item_figures: BTreeMap<i64, ItemFigures> = BTreeMap::new();
    let items_approved: Vec<i64> = look
        .items
        .iter()
        .filter(|i| i.approval_date.is_some_and(|d| period.contains(d)))
        .map(|i| i.id)
        .collect();
    let items_with_money: BTreeSet<i64> = committed
        .iter()
        .chain(&disbursed)
        .map(|s| s.item_id)
        .collect();
    let touched: BTreeSet<i64> = items_with_money
        .iter()
        .copied()
        .chain(items_approved.iter().copied())
        .collect();
    let listed: BTreeSet<i64> = touched
        .iter()
        .copied()
        .chain(
            cum_c
                .iter()
                .chain(&cum_d)
                .filter(|s| s.vnd != 0 || s.usd_cents != 0)
                .map(|s| s.item_id),
        )
        .collect();
    for id in &listed {
        item_figures.insert(*id, ItemFigures::default());
    }
    let add = |map: &mut BTreeMap<i64, ItemFigures>,
               sums: &[ItemSum],
               pick: fn(&mut ItemFigures) -> &mut Pair|
     -> Result<()> {
        for s in sums {
            if let Some(f) = map.get_mut(&s.item_id) {
                pick(f).add(s.vnd, s.usd_cents)?;
            }
        }
        Ok(())
    };
    add(&mut item_figures, &committed, |f| &mut f.committed)?;
    add(&mut item_figures, &disbursed, |f| &mut f.disbursed)?;
    add(&mut item_figures, &cum_c, |f| &mut f.cumulative_committed)?;
    add(&mut item_figures, &cum_d, |f| &mut f.cumulative_disbursed)?;
    add(&mut item_figures, &cancelled, |f| &mut f.cancelled)?;
    let originals: Vec<OriginalSum> =
        ledger::original_sums(tx, MoneyTable::Commitment, since_start.from, period.to).await?;
    for o in originals {
        if let Some(f) = item_figures.get_mut(&o.item_id) {
            f.committed_original.push((o.currency, o.amount_minor));
        }
    }
    for o in ledger::original_sums(tx, MoneyTable::Commitment, period.from, period.to).await? {
        if let Some(f) = item_figures.get_mut(&o.item_id) {
            f.committed_original_in_period
                .push((o.currency, o.amount_minor));
        }
    }

    // NGOs: certificate valid at the period's end; active = money in the period or an item
    // being implemented across it; new = first approval ever falls in the period.
    let ngos = look
        .organisations
        .iter()
        .filter(|o| o.kind == OrgKind::ForeignNgo);
    let ngos_with_valid_certificate = ngos
        .clone()
        .filter(|o| {
            o.cert_number.is_some()
                && o.cert_valid_from.is_none_or(|f| f <= period.to)
                && o.cert_valid_to.is_none_or(|t| t >= period.to)
        })
        .map(|o| o.id)
        .collect();
    let donor_of = |item: i64| look.item(item).map(|i| i.donor_id);
    let mut active: BTreeSet<i64> = touched.iter().filter_map(|i| donor_of(*i)).collect();
    for i in &look.items {
        let start = i.actual_start.unwrap_or(i.planned_start);
        let end = i.actual_end.unwrap_or(i.planned_end);
        if i.status == crate::domain::item::ItemStatus::Implementing
            && start <= period.to
            && end >= period.from
        {
            active.insert(i.donor_id);
        }
    }
    let mut first_approval: BTreeMap<i64, NaiveDate> = BTreeMap::new();
    for i in &look.items {
        if let Some(d) = i.approval_date {
            first_approval
                .entry(i.donor_id)
                .and_modify(|x| *x = (*x).min(d))
                .or_insert(d);
        }
    }
    let ngos_new = ngos
        .filter(|o| {
            first_approval
                .get(&o.id)
                .is_some_and(|d| period.contains(*d))
        })
        .map(|o| o.id)
        .collect();

    // Planned in the period, done in it, and still open (neither done nor cancelled) at its end.
    let (milestones_due, milestones_done, milestones_overdue) =
        ledger::report_milestones(tx, period.from, period.to).await?;

    let mut rates_used = Vec::new();
    for id in ledger::rate_ids_used(tx, period.from, period.to).await? {
        if let Some(r) = rates::get_rate(tx, id).await? {
            rates_used.push(r);
        }
    }
    rates_used.sort_by_key(|r| (r.currency, r.rate_date));

    Ok(Figures {
        committed: now.in_period.0,
        disbursed: now.in_period.1,
        cumulative_committed: now.to_date.0,
        cumulative_disbursed: now.to_date.1,
        cancelled: Pair::of(&cancelled)?,
        committed_by,
        disbursed_by,
        ngos_with_valid_certificate,
        ngos_active: active.into_iter().collect(),
        ngos_new,
        items_approved,
        items_with_money: items_with_money.into_iter().collect(),
        item_figures,
        amendments: ledger::count_commitments_of_kind(
            tx,
            CommitmentKind::Amendment,
            period.from,
            period.to,
        )
        .await?,
        milestones_due,
        milestones_done,
        milestones_overdue,
        rates_used,
        unconverted: unconverted(tx, w).await?,
        stage: super::progress::stage_of(tx, look, period).await?,
        ..comparisons.into_figures(period)
    })
}
