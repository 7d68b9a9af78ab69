//! The money and progress of each planned item: the original commitment on the approval
//! date, a few amendments, cancellations of what revoked and cancelled items never received,
//! milestones with planned and actual dates and evidence, and disbursement tranches over the
//! item's life in the commitment currency, about three quarters of the committed value by the
//! data set's last day. The latest tranches' review states are set afterwards by
//! [`super::review`].

use super::plan::Item;
use super::rng::{Rng, round_significant};
use super::titles::MILESTONES;
use super::{DATA_AS_OF, days, review};
use crate::domain::allocation::allocate;
use crate::domain::item::{
    CommitmentKind, DisbursementStatus, ItemStatus, MilestoneStatus, Modality,
};
use chrono::NaiveDate;

pub struct Commit {
    pub kind: CommitmentKind,
    pub amount: i64,
    pub date: NaiveDate,
    pub reference: String,
}

pub struct Mile {
    pub title_vi: &'static str,
    pub title_en: &'static str,
    pub planned: NaiveDate,
    pub actual: Option<NaiveDate>,
    pub status: MilestoneStatus,
    pub evidence: Option<String>,
}

pub struct Tranche {
    pub amount: i64,
    pub date: NaiveDate,
    pub number: i64,
    /// Index into the item's milestones.
    pub milestone: Option<usize>,
    pub status: DisbursementStatus,
    pub verified_on: Option<NaiveDate>,
}

#[derive(Default)]
pub struct Ledger {
    pub commitments: Vec<Commit>,
    pub milestones: Vec<Mile>,
    pub tranches: Vec<Tranche>,
}

/// One ledger per item, in the same order.
#[must_use]
pub fn ledgers(items: &[Item]) -> Vec<Ledger> {
    let mut rng = Rng::stream("ledger");
    let mut out: Vec<Ledger> = items.iter().map(|it| ledger(&mut rng, it)).collect();
    review::aud_gap(items, &mut out);
    review::review(&mut rng, &mut out);
    out
}

fn ledger(rng: &mut Rng, it: &Item) -> Ledger {
    let Some(approval) = &it.approval else {
        return Ledger::default();
    };
    let unit = 10_i64.pow(it.currency.minor_units());
    let mut commitments = vec![Commit {
        kind: CommitmentKind::Original,
        amount: it.value,
        date: approval.date,
        reference: format!("Quyết định phê duyệt số {}", approval.number),
    }];
    let limit = it.stopped.unwrap_or(DATA_AS_OF).min(DATA_AS_OF);
    let mut total = it.value;
    if let Some(start) = it
        .actual_start
        .filter(|_| it.is_project() && rng.chance(18))
    {
        let life = (it.planned_end - start).num_days();
        let on = days(start, life * rng.range(35, 65) / 100);
        let percent = if rng.chance(70) {
            rng.range(10, 25)
        } else {
            -rng.range(5, 15)
        };
        let size = round_significant((it.value * percent.abs() / 100 / unit).max(1), 2) * unit;
        let delta = if percent < 0 { -size } else { size };
        if on < limit {
            commitments.push(Commit {
                kind: CommitmentKind::Amendment,
                amount: delta,
                date: on,
                reference: "Phụ lục điều chỉnh thỏa thuận viện trợ số 01".to_string(),
            });
            total += delta;
        }
    }
    let milestones = if it.is_project() {
        milestones(rng, it)
    } else {
        Vec::new()
    };
    let tranches = match it.actual_start {
        Some(start) => tranches(rng, it, start, total, &milestones),
        None => Vec::new(),
    };
    if let (Some(stop), ItemStatus::Revoked | ItemStatus::Cancelled) = (it.stopped, it.status) {
        let rest = total - tranches.iter().map(|t| t.amount).sum::<i64>();
        if rest > 0 {
            let reference = if it.status == ItemStatus::Revoked {
                "Quyết định thu hồi quyết định phê duyệt khoản viện trợ"
            } else {
                "Thư rút cam kết của nhà tài trợ"
            };
            commitments.push(Commit {
                kind: CommitmentKind::Cancellation,
                amount: -rest,
                date: stop,
                reference: reference.to_string(),
            });
        }
    }
    Ledger {
        commitments,
        milestones,
        tranches,
    }
}

fn milestones(rng: &mut Rng, it: &Item) -> Vec<Mile> {
    let count = if it.modality == Modality::Programme {
        4
    } else {
        rng.weighted(&[20, 35, 30, 15]) + 1
    };
    let mut pool: Vec<usize> = (0..MILESTONES.len()).collect();
    let mut chosen: Vec<usize> = Vec::new();
    while chosen.len() < count {
        chosen.push(pool.remove(rng.index(pool.len())));
    }
    chosen.sort_unstable();
    let start = it.actual_start.unwrap_or(it.planned_start);
    let span = (it.planned_end - start).num_days();
    let n = i64::try_from(count).unwrap_or(1);
    let mut out = Vec::new();
    for (k, &m) in (1_i64..).zip(&chosen) {
        let planned = days(start, span * k / n - rng.range(0, 20)).max(start);
        let (title_vi, title_en, evidence) = MILESTONES[m];
        let limit = it.actual_end.or(it.stopped).unwrap_or(DATA_AS_OF);
        let done = |rng: &mut Rng| days(planned, rng.range(-7, 30)).min(limit).max(start);
        let (status, actual) = match it.status {
            ItemStatus::Completed => (MilestoneStatus::Done, Some(done(rng))),
            ItemStatus::Approved => (MilestoneStatus::Planned, None),
            ItemStatus::Cancelled => (MilestoneStatus::Cancelled, None),
            ItemStatus::Revoked if it.actual_start.is_none() || Some(planned) > it.stopped => {
                (MilestoneStatus::Cancelled, None)
            }
            ItemStatus::Revoked if rng.chance(85) => (MilestoneStatus::Done, Some(done(rng))),
            ItemStatus::Revoked => (MilestoneStatus::Cancelled, None),
            ItemStatus::Suspended if Some(planned) > it.stopped => (MilestoneStatus::Planned, None),
            _ if planned <= DATA_AS_OF && rng.chance(75) => {
                (MilestoneStatus::Done, Some(done(rng)))
            }
            _ if planned <= days(DATA_AS_OF, 45) && rng.chance(50) => {
                (MilestoneStatus::InProgress, None)
            }
            _ => (MilestoneStatus::Planned, None),
        };
        let evidence = actual.map(|d| evidence.replace("{}", &d.format("%d/%m/%Y").to_string()));
        out.push(Mile {
            title_vi,
            title_en,
            planned,
            actual,
            status,
            evidence,
        });
    }
    out
}

fn tranches(
    rng: &mut Rng,
    it: &Item,
    start: NaiveDate,
    total: i64,
    miles: &[Mile],
) -> Vec<Tranche> {
    let end = it.actual_end.unwrap_or(it.planned_end).max(start);
    let life = (end - start).num_days();
    let n: i64 = match it.modality {
        Modality::Programme => (life / 120).clamp(6, 12),
        _ if it.is_project() => (life / 150).clamp(2, 6),
        _ if rng.chance(20) => 2,
        _ => 1,
    };
    let share = match it.status {
        ItemStatus::Completed if !it.is_project() => rng.range(9_000, 10_000),
        ItemStatus::Completed => rng.range(8_200, 9_800),
        _ => rng.range(9_500, 10_000),
    };
    let target = total * share / 10_000;
    let weights: Vec<u32> = (0..n)
        .map(|i| {
            u32::try_from(if i == 0 {
                rng.range(150, 250)
            } else {
                rng.range(80, 120)
            })
        })
        .map(|w| w.unwrap_or(100))
        .collect();
    let mut parts = allocate(target, &weights);
    let round = if it.currency.minor_units() == 2 {
        100
    } else {
        1000
    };
    let mut carry = 0;
    let last = parts.len().saturating_sub(1);
    for (i, p) in parts.iter_mut().enumerate() {
        if i < last {
            carry += *p % round;
            *p -= *p % round;
        } else {
            *p += carry;
        }
    }
    let cutoff = it
        .stopped
        .map_or(DATA_AS_OF, |s| days(s, -1))
        .min(DATA_AS_OF);
    let mut out = Vec::new();
    let mut prev = start;
    for (i, amount) in (0_i64..).zip(parts) {
        let on = if i == 0 {
            days(start, rng.range(3, 20))
        } else {
            days(start, life * i / (n - 1).max(1) - rng.range(0, 12))
        };
        let on = on.min(end).max(prev);
        prev = on;
        if on > cutoff || amount <= 0 {
            continue;
        }
        let ms = usize::try_from(i - 1)
            .ok()
            .and_then(|m| miles.get(m).map(|x| (m, x)));
        let milestone = ms
            .filter(|(_, x)| x.actual.is_some_and(|a| a <= on))
            .filter(|_| rng.chance(70))
            .map(|(m, _)| m);
        out.push(Tranche {
            amount,
            date: on,
            number: i + 1,
            milestone,
            status: DisbursementStatus::Verified,
            verified_on: Some(days(on, rng.range(3, 14))),
        });
    }
    out
}
