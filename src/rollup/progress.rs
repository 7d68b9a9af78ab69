//! How far a stage programme has come: commitments dated in the stage (to a cut-off) against
//! the stage's target, overall and per priority sector group and locality, the aid items
//! approved in the stage against the number targeted, and where each proposal stands.
//!
//! The committed value is the ledger's, summed exactly as the report's section II sums a
//! period's commitments (new commitments, amendments and cancellations, converted at the rate
//! of their date), so the sum of the periods' figures over a stage is the stage's figure.
//! A proposal's estimate is a plan and is never counted.

use super::LookupData;
use super::breakdown::{Dimension, breakdown};
use super::figures::Pair;
use super::sums::{Flow, Window, item_sums, to_date_of_items};
use crate::db::Tx;
use crate::db::programmes::{self, Programme, ProgrammeTarget};
use crate::db::proposals::{self, Proposal};
use crate::domain::Currency;
use crate::domain::mobilisation::{ProposalStatus, TargetDimension};
use crate::error::Result;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// One priority sector group or locality and what the stage achieved in it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TargetProgress {
    pub target: ProgrammeTarget,
    pub committed: Pair,
    /// Items approved in the stage with a share in this sector group or locality.
    pub items: usize,
}

/// A proposal and, once approved, the committed value of the item it became (to the cut-off).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProposalProgress {
    pub proposal: Proposal,
    pub item_committed: Option<Pair>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StageProgress {
    pub programme: Programme,
    /// The last day counted: the cut-off, or the stage's end when the cut-off is later.
    pub through: NaiveDate,
    /// Commitments dated from the stage's start to `through`.
    pub committed: Pair,
    /// Commitments dated in the period and in the stage.
    pub committed_in_period: Pair,
    /// Items approved from the stage's start to `through`, and those in the period.
    pub items: Vec<i64>,
    pub items_in_period: Vec<i64>,
    pub targets: Vec<TargetProgress>,
    pub proposals: Vec<ProposalProgress>,
    /// The committed value, to the cut-off, of the items that came from proposals.
    pub from_proposals: Pair,
}

impl StageProgress {
    /// The figure that meets the stage's target: US cents or đồng, as the target is set.
    #[must_use]
    pub fn achieved(&self) -> i128 {
        in_currency(self.committed, self.programme.target_currency)
    }

    /// How many proposals are in each status, in the path's order (every status listed).
    #[must_use]
    pub fn by_status(&self) -> Vec<(ProposalStatus, usize)> {
        ProposalStatus::ALL
            .iter()
            .map(|s| {
                (
                    *s,
                    self.proposals
                        .iter()
                        .filter(|p| p.proposal.status == *s)
                        .count(),
                )
            })
            .collect()
    }
}

/// `p` in the currency a target is set in.
#[must_use]
pub fn in_currency(p: Pair, currency: Currency) -> i128 {
    if currency == Currency::VND {
        p.vnd
    } else {
        p.usd_cents
    }
}

/// The progress of `programme` from its start to `to` (and within `period_from..=to`).
pub async fn stage_progress(
    tx: &mut Tx,
    look: &LookupData,
    programme: Programme,
    targets: Vec<ProgrammeTarget>,
    period_from: NaiveDate,
    to: NaiveDate,
) -> Result<StageProgress> {
    let through = to.min(programme.ends_on);
    let stage = Window {
        from: programme.starts_on,
        to: through,
    };
    let period = Window {
        from: period_from.max(programme.starts_on),
        to: through,
    };
    let sums = item_sums(tx, Flow::Committed, stage).await?;
    let committed = Pair::of(&sums)?;
    let committed_in_period = if period.from <= period.to {
        {
            let (vnd, usd_cents) = super::sums::total_sums(tx, Flow::Committed, period).await?;
            Pair { vnd, usd_cents }
        }
    } else {
        Pair::default()
    };
    let approved_in = |w: Window| -> Vec<i64> {
        look.items
            .iter()
            .filter(|i| i.approval_date.is_some_and(|d| d >= w.from && d <= w.to))
            .map(|i| i.id)
            .collect()
    };
    let items = approved_in(stage);
    let items_in_period = approved_in(period);

    let by_group = breakdown(&sums, Dimension::SectorGroup, &look.lookup())?;
    let by_unit = breakdown(&sums, Dimension::Locality, &look.lookup())?;
    let parents = look.unit_parents();
    let mut target_rows = Vec::new();
    for t in targets {
        let matches = |key: &str| match t.dimension {
            TargetDimension::SectorGroup => key == t.code,
            TargetDimension::Locality => super::unit_within(&parents, key, &t.code),
        };
        let rows = match t.dimension {
            TargetDimension::SectorGroup => &by_group.rows,
            TargetDimension::Locality => &by_unit.rows,
        };
        let committed = sum_pairs(
            rows.iter()
                .filter(|r| matches(&r.key))
                .map(|r| (r.vnd, r.usd_cents)),
        )?;
        let count = items
            .iter()
            .filter(|id| {
                let shares = match t.dimension {
                    TargetDimension::SectorGroup => look.sectors_of(**id),
                    TargetDimension::Locality => look.localities_of(**id),
                };
                shares.iter().any(|a| {
                    let key = match t.dimension {
                        TargetDimension::SectorGroup => look
                            .sector_parent
                            .get(&a.code)
                            .cloned()
                            .unwrap_or_else(|| a.code.clone()),
                        TargetDimension::Locality => a.code.clone(),
                    };
                    matches(&key)
                })
            })
            .count();
        target_rows.push(TargetProgress {
            target: t,
            committed,
            items: count,
        });
    }

    let linked: Vec<Proposal> = proposals::list_proposals(tx, Some(programme.id)).await?;
    // Only the items proposals became, not every item's money to the cut-off.
    let became: Vec<i64> = linked.iter().filter_map(|p| p.item_id).collect();
    let mut item_totals: BTreeMap<i64, Pair> = BTreeMap::new();
    for s in to_date_of_items(tx, Flow::Committed, &became, to).await? {
        item_totals
            .entry(s.item_id)
            .or_default()
            .add(s.vnd, s.usd_cents)?;
    }
    let proposals: Vec<ProposalProgress> = linked
        .into_iter()
        .map(|p| ProposalProgress {
            item_committed: p
                .item_id
                .map(|id| item_totals.get(&id).copied().unwrap_or_default()),
            proposal: p,
        })
        .collect();
    let from_proposals = sum_pairs(
        proposals
            .iter()
            .filter_map(|p| p.item_committed)
            .map(|c| (c.vnd, c.usd_cents)),
    )?;
    Ok(StageProgress {
        from_proposals,
        programme,
        through,
        committed,
        committed_in_period,
        items,
        items_in_period,
        targets: target_rows,
        proposals,
    })
}

/// The progress of the programme whose stage holds `period`'s last day, if one does.
pub async fn stage_of(
    tx: &mut Tx,
    look: &LookupData,
    period: &crate::domain::period::Period,
) -> Result<Option<StageProgress>> {
    let Some(p) = programmes::overlapping(tx, period.to, period.to, None)
        .await?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let targets = programmes::targets_of(tx, p.id).await?;
    Ok(Some(
        stage_progress(tx, look, p, targets, period.from, period.to).await?,
    ))
}

fn sum_pairs(parts: impl IntoIterator<Item = (i128, i128)>) -> Result<Pair> {
    let mut p = Pair::default();
    for (vnd, usd) in parts {
        p.add(vnd, usd)?;
    }
    Ok(p)
}
