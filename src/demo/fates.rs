//! Where each planned item stands on the data set's last day, 31 October 2026: approved but
//! not started, implementing or completed as its dates say, and a few singled out for the
//! statuses a monitoring office must also handle: four suspended, three revoked because
//! implementation had not started six months after approval, one revoked during
//! implementation and one cancelled by its donor before it started.
//!
//! It also makes sure one Australian-dollar project is running in October 2026, the one the
//! deliberate gap in the AUD rates leaves unconverted.

use super::plan::Item;
use super::rng::Rng;
use super::{DATA_AS_OF, date, days};
use crate::domain::Currency;
use crate::domain::item::{ItemStatus, Modality};
use chrono::NaiveDate;

/// Sets every item's status from its dates, then applies the special fates.
pub fn settle(rng: &mut Rng, items: &mut [Item]) {
    for it in items.iter_mut() {
        let (Some(start), Some(end)) = (it.actual_start, it.actual_end) else {
            continue;
        };
        if it.status == ItemStatus::Pipeline {
            continue;
        }
        if start > DATA_AS_OF {
            it.status = ItemStatus::Approved;
            (it.actual_start, it.actual_end) = (None, None);
        } else if end <= DATA_AS_OF {
            it.status = ItemStatus::Completed;
        } else {
            it.status = ItemStatus::Implementing;
            it.actual_end = None;
        }
    }
    let approved_between = |it: &Item, from: NaiveDate, to: NaiveDate| {
        it.approval
            .as_ref()
            .is_some_and(|a| a.date >= from && a.date <= to)
    };
    let plain_project = |it: &Item| it.is_project() && it.modality != Modality::Programme;
    choose(
        rng,
        items,
        4,
        |it| {
            plain_project(it)
                && it.status == ItemStatus::Implementing
                && it.actual_start <= Some(date(2026, 3, 31))
        },
        |rng, it| {
            let start = it.actual_start.unwrap_or(DATA_AS_OF);
            let span = (DATA_AS_OF - start).num_days();
            it.stopped = Some(days(start, span * rng.range(40, 75) / 100));
            it.status = ItemStatus::Suspended;
            it.actual_end = None;
        },
    );
    choose(
        rng,
        items,
        3,
        |it| plain_project(it) && approved_between(it, date(2023, 1, 1), date(2025, 9, 30)),
        |rng, it| {
            let approved = it.approval.as_ref().map_or(DATA_AS_OF, |a| a.date);
            it.stopped = Some(days(approved, rng.range(185, 240)).min(DATA_AS_OF));
            it.status = ItemStatus::Revoked;
            (it.actual_start, it.actual_end) = (None, None);
        },
    );
    choose(
        rng,
        items,
        1,
        |it| {
            plain_project(it)
                && approved_between(it, date(2022, 1, 1), date(2024, 6, 30))
                && it.actual_start.is_some()
        },
        |rng, it| {
            let start = it.actual_start.unwrap_or(DATA_AS_OF);
            let life = (it.planned_end - start).num_days();
            it.stopped = Some(days(start, life * rng.range(35, 60) / 100).min(DATA_AS_OF));
            it.status = ItemStatus::Revoked;
            it.actual_end = None;
        },
    );
    choose(
        rng,
        items,
        1,
        |it| plain_project(it) && approved_between(it, date(2025, 11, 1), date(2026, 4, 30)),
        |rng, it| {
            let approved = it.approval.as_ref().map_or(DATA_AS_OF, |a| a.date);
            it.stopped = Some(days(approved, rng.range(30, 100)).min(DATA_AS_OF));
            it.status = ItemStatus::Cancelled;
            (it.actual_start, it.actual_end) = (None, None);
        },
    );
    ensure_aud_project(rng, items);
}

/// Applies `apply` to `n` distinct items drawn from those `eligible` and not yet singled out.
fn choose(
    rng: &mut Rng,
    items: &mut [Item],
    n: usize,
    eligible: impl Fn(&Item) -> bool,
    apply: impl Fn(&mut Rng, &mut Item),
) {
    for _ in 0..n {
        let candidates: Vec<usize> = (0..items.len())
            .filter(|&i| items[i].stopped.is_none() && eligible(&items[i]))
            .collect();
        if candidates.is_empty() {
            return;
        }
        let i = candidates[rng.index(candidates.len())];
        apply(rng, &mut items[i]);
    }
}

/// The project that receives the AUD disbursement of 15 October 2026.
#[must_use]
pub fn is_aud_gap_project(it: &Item) -> bool {
    it.currency.code() == "AUD"
        && it.status == ItemStatus::Implementing
        && it.is_project()
        && it.actual_start < Some(date(2026, 8, 1))
}

fn ensure_aud_project(rng: &mut Rng, items: &mut [Item]) {
    if items.iter().any(is_aud_gap_project) {
        return;
    }
    let aud: Currency = "AUD".parse().unwrap_or(Currency::USD);
    let pick = items.iter().position(|it| {
        it.status == ItemStatus::Implementing
            && it.is_project()
            && it.modality != Modality::Programme
            && it.actual_start < Some(date(2026, 8, 1))
            && super::names::NGOS[it.donor].country == "AU"
    });
    let pick = pick.or_else(|| {
        items.iter().position(|it| {
            it.status == ItemStatus::Implementing
                && it.modality != Modality::Programme
                && it.is_project()
                && it.actual_start < Some(date(2026, 8, 1))
        })
    });
    if let Some(i) = pick {
        items[i].currency = aud;
        items[i].value = super::pick::value(rng, items[i].modality, aud);
    }
}
