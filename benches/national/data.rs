//! The generated data set's shape: the rows as they will be inserted (money rows already
//! converted), the seeded random source every choice is drawn from (SplitMix64, so the same
//! seed gives the same rows on every machine) and small helpers shared by the generators in
//! `reference` (the fixed lists) and `items` (aid items and their money). No floats.

use crate::BoxError;
use aidledger::db::items::{AidItem, Allocation};
use aidledger::db::orgs::Organisation;
use aidledger::db::reference::{AdminUnit, Sector};
use aidledger::domain::Currency;
use aidledger::domain::allocation::allocate;
use aidledger::domain::item::{CommitmentKind, DisbursementStatus};
use aidledger::domain::rate::{Converted, Rate};
use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};

/// The users the loader creates: one enters money rows, another verifies them (four-eyes).
pub const ENTERED_BY: i64 = 2;
pub const VERIFIED_BY: i64 = 3;

/// SplitMix64: tiny, fast and the same everywhere.
pub struct Rng(pub u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + i64::try_from(self.below(hi.abs_diff(lo) + 1)).unwrap_or(0)
    }
    pub fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(len as u64)).unwrap_or(0)
    }
    pub fn weighted<T: Copy>(&mut self, table: &[(T, u64)]) -> T {
        let mut x = self.below(table.iter().map(|t| t.1).sum());
        for &(v, w) in table {
            if x < w {
                return v;
            }
            x -= w;
        }
        table[0].0
    }
    /// Heavy-tailed, in integers: a doubling band chosen uniformly, then uniform within it.
    pub fn log_uniform(&mut self, lo: i64, hi: i64) -> i64 {
        let (mut bands, mut b) = (0_u64, lo);
        while b < hi {
            (b, bands) = (b.saturating_mul(2), bands + 1);
        }
        let start = lo << self.below(bands.max(1));
        start + self.range(0, (start.saturating_mul(2).min(hi) - start).max(1) - 1)
    }
    /// Up to `k` distinct values drawn by `draw`.
    pub fn distinct(&mut self, k: usize, mut draw: impl FnMut(&mut Rng) -> usize) -> Vec<usize> {
        let mut out = Vec::with_capacity(k);
        for _ in 0..k * 4 {
            let i = draw(self);
            if out.len() < k && !out.contains(&i) {
                out.push(i);
            }
        }
        out
    }
}

#[derive(Clone, Copy)]
pub struct CommitmentRow {
    pub id: i64,
    pub item_id: i64,
    pub kind: CommitmentKind,
    pub amount_minor: i64,
    pub currency: Currency,
    pub date: NaiveDate,
    pub conv: Converted,
}

#[derive(Clone, Copy)]
pub struct DisbursementRow {
    pub id: i64,
    pub item_id: i64,
    pub amount_minor: i64,
    pub currency: Currency,
    pub date: NaiveDate,
    pub tranche: Option<i64>,
    pub reverses_id: Option<i64>,
    pub status: DisbursementStatus,
    pub conv: Converted,
}

pub struct Dataset {
    pub sectors: Vec<Sector>,
    pub units: Vec<AdminUnit>,
    pub organisations: Vec<Organisation>,
    pub rates: Vec<Rate>,
    pub items: Vec<AidItem>,
    pub item_sectors: Vec<Allocation>,
    pub item_localities: Vec<Allocation>,
    pub commitments: Vec<CommitmentRow>,
    pub disbursements: Vec<DisbursementRow>,
}

impl Dataset {
    /// Verified disbursements dated in `[from, to]` in VND and US cents: what the rollup must
    /// find in the database.
    pub fn disbursed(&self, from: NaiveDate, to: NaiveDate) -> Option<(i64, i64)> {
        let counted = |d: &&DisbursementRow| {
            d.status == DisbursementStatus::Verified && d.date >= from && d.date <= to
        };
        self.disbursements
            .iter()
            .filter(counted)
            .try_fold((0_i64, 0_i64), |(v, u), d| {
                Some((v.checked_add(d.conv.vnd)?, u.checked_add(d.conv.usd_cents)?))
            })
    }
}

pub fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}
pub fn midnight(d: NaiveDate) -> DateTime<Utc> {
    d.and_time(NaiveTime::MIN).and_utc()
}
pub fn id(i: usize) -> Result<i64, BoxError> {
    Ok(i64::try_from(i)?)
}
/// `k` dates in `[start, start + span days]`, sorted.
pub fn dates(rng: &mut Rng, k: usize, start: NaiveDate, span: u64) -> Vec<NaiveDate> {
    let mut v: Vec<NaiveDate> = (0..k)
        .map(|_| start + Days::new(rng.below(span + 1)))
        .collect();
    v.sort_unstable();
    v
}
/// `k` random basis-point shares that sum to exactly 10 000.
pub fn shares(rng: &mut Rng, k: usize) -> Vec<i64> {
    let w: Vec<u32> = (0..k)
        .map(|_| u32::try_from(rng.range(1, 9)).unwrap_or(1))
        .collect();
    allocate(10_000, &w)
}
