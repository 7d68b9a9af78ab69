//! The state of the latest disbursements: tranches from August 2026 are half verified and
//! half awaiting verification (two still drafts, one rejected), and the one AUD tranche dated
//! inside the deliberate gap in the AUD rates, 15 October 2026, which stays unconverted.

use super::fates::is_aud_gap_project;
use super::plan::Item;
use super::rng::{Rng, round_significant};
use super::schedule::{Ledger, Tranche};
use super::{DATA_AS_OF, date};
use crate::domain::item::DisbursementStatus;
use chrono::NaiveDate;

const UNDER_REVIEW_FROM: NaiveDate = date(2026, 8, 1);
pub const AUD_GAP_DAY: NaiveDate = date(2026, 10, 15);

/// Leaves exactly one AUD tranche inside the gap in the AUD rates, on 15 October 2026:
/// other AUD tranches dated in the gap move to 31 August.
pub fn aud_gap(items: &[Item], ledgers: &mut [Ledger]) {
    let target = items.iter().position(is_aud_gap_project);
    let gap = |d: NaiveDate| d >= date(2026, 9, 1) && d <= DATA_AS_OF;
    for (i, (it, l)) in items.iter().zip(ledgers.iter_mut()).enumerate() {
        if it.currency.code() != "AUD" {
            continue;
        }
        for t in l.tranches.iter_mut().filter(|t| gap(t.date)) {
            t.date = date(2026, 8, 31);
        }
        if Some(i) == target {
            let number = l.tranches.last().map_or(1, |t| t.number + 1);
            let unit = 10_i64.pow(it.currency.minor_units());
            let amount = round_significant((it.value / 20 / unit).max(1), 2) * unit;
            l.tranches.push(Tranche {
                amount,
                date: AUD_GAP_DAY,
                number,
                milestone: None,
                status: DisbursementStatus::Submitted,
                verified_on: None,
            });
        }
    }
}

/// Tranches from August 2026 are half verified and half awaiting verification; two of them
/// are still drafts and one was rejected.
pub fn review(rng: &mut Rng, ledgers: &mut [Ledger]) {
    let mut recent: Vec<&mut Tranche> = ledgers
        .iter_mut()
        .flat_map(|l| l.tranches.iter_mut())
        .filter(|t| t.date >= UNDER_REVIEW_FROM)
        .collect();
    for t in &mut recent {
        if t.date == AUD_GAP_DAY || rng.chance(50) {
            t.status = DisbursementStatus::Submitted;
            t.verified_on = None;
        }
    }
    for status in [
        DisbursementStatus::Draft,
        DisbursementStatus::Draft,
        DisbursementStatus::Rejected,
    ] {
        let submitted: Vec<usize> = (0..recent.len())
            .filter(|&i| recent[i].status == DisbursementStatus::Submitted)
            .filter(|&i| recent[i].date != AUD_GAP_DAY)
            .collect();
        if submitted.is_empty() {
            break;
        }
        let i = submitted[rng.index(submitted.len())];
        recent[i].status = status;
    }
}
