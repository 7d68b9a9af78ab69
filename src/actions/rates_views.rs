//! The exchange-rate table as the rates page reads it: one year (or all) of one currency (or
//! all), a page at a time, with the months that have no rate for a currency in use listed as
//! rows to fill in. Staff only (the unconverted rows name items across organisations).
//!
//! A currency is in use from the first month it has a rate or a money row to the last, and
//! on to the current month while it was used in the last three months, so this month's
//! missing rate shows up before anyone records a payment in it. Every month in that span
//! without a current rate is a missing month. The table is built from all current rates (a
//! few hundred rows: one a month per currency) and the distinct (currency, date) pairs of
//! the money rows; what is paged is the table, newest month first.

use super::scope::Scope;
use super::{Actor, Ctx, today_in_vietnam};
use crate::db::forms_views::{self, UnconvertedRow};
use crate::db::rates::{self, RateRow};
use crate::domain::Currency;
use crate::domain::role::Permission;
use crate::error::Result;
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};

/// Lines per page.
pub const RATE_PAGE_SIZE: usize = 24;

/// How many months back a use keeps a currency "in use" up to the current month.
const RECENT_MONTHS: i32 = 3;

/// Which part of the table to show.
#[derive(Debug, Clone, Default)]
pub struct RateFilter {
    pub currency: Option<Currency>,
    /// `None`: every year.
    pub year: Option<i32>,
    pub missing_only: bool,
    /// 1-based; a page past the end shows the last page.
    pub page: usize,
}

/// A month of one currency: year and month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    fn of(d: NaiveDate) -> Month {
        Month {
            year: d.year(),
            month: d.month(),
        }
    }

    fn index(self) -> i32 {
        // month is 1..=12, so this never truncates.
        self.year * 12 + i32::try_from(self.month).unwrap_or(1) - 1
    }

    fn from_index(i: i32) -> Month {
        Month {
            year: i.div_euclid(12),
            month: u32::try_from(i.rem_euclid(12) + 1).unwrap_or(1),
        }
    }

    /// The first day of the month (the date a missing month's form proposes).
    #[must_use]
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }
}

/// One line of the table.
#[derive(Debug, Clone)]
pub enum RateLine {
    Rate(RateRow),
    Missing { currency: Currency, month: Month },
}

impl RateLine {
    fn key(&self) -> (Month, &'static str) {
        match self {
            RateLine::Rate(r) => (Month::of(r.rate_date), r.currency.code()),
            RateLine::Missing { currency, month } => (*month, currency.code()),
        }
    }
}

#[derive(Debug, Clone)]
pub struct RateTable {
    /// This page's lines: newest month first, currencies by code within a month.
    pub lines: Vec<RateLine>,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    /// Missing months within the filter (all pages).
    pub missing: usize,
    /// The currencies in use, by code, and the years the table spans, newest first.
    pub currencies: Vec<Currency>,
    pub years: Vec<i32>,
    pub unconverted: Vec<UnconvertedRow>,
}

pub async fn rate_table(ctx: &Ctx, actor: &Actor, filter: &RateFilter) -> Result<RateTable> {
    Scope::of(actor)?;
    actor.require(Permission::ReadAll)?;
    let mut tx = ctx.store.read().await?;
    let current: Vec<RateRow> = rates::list_rates(&mut tx, None, false)
        .await?
        .into_iter()
        .filter(|r| r.superseded_by.is_none())
        .collect();
    let money: Vec<(Currency, Month)> = forms_views::money_dates(&mut tx)
        .await?
        .into_iter()
        .filter(|d| d.currency != Currency::VND)
        .map(|d| (d.currency, Month::of(d.date)))
        .collect();
    let unconverted = forms_views::unconverted_rows(&mut tx).await?;
    let mut t = build(&current, &money, Month::of(today_in_vietnam()), filter);
    t.unconverted = unconverted;
    Ok(t)
}

/// The table from the rates and money months (pure, so the rules are tested without a
/// database).
#[must_use]
pub fn build(
    current: &[RateRow],
    money: &[(Currency, Month)],
    now: Month,
    filter: &RateFilter,
) -> RateTable {
    // Per currency: the months it has rates in, and the span it is in use.
    let mut rated: BTreeSet<(&'static str, Month)> = BTreeSet::new();
    let mut span: BTreeMap<&'static str, (Currency, Month, Month)> = BTreeMap::new();
    let mut widen = |c: Currency, m: Month| {
        let e = span.entry(c.code()).or_insert((c, m, m));
        e.1 = e.1.min(m);
        e.2 = e.2.max(m);
    };
    for r in current {
        rated.insert((r.currency.code(), Month::of(r.rate_date)));
        widen(r.currency, Month::of(r.rate_date));
    }
    for (c, m) in money {
        widen(*c, *m);
    }
    let currencies: Vec<Currency> = span.values().map(|(c, _, _)| *c).collect();
    let mut all: Vec<RateLine> = current.iter().cloned().map(RateLine::Rate).collect();
    let mut years = BTreeSet::new();
    for (c, first, last) in span.values() {
        let last = if now.index() - last.index() <= RECENT_MONTHS {
            (*last).max(now)
        } else {
            *last
        };
        for i in first.index()..=last.index() {
            let month = Month::from_index(i);
            years.insert(month.year);
            if !rated.contains(&(c.code(), month)) {
                all.push(RateLine::Missing {
                    currency: *c,
                    month,
                });
            }
        }
    }
    all.retain(|l| {
        let (m, code) = l.key();
        filter.currency.is_none_or(|c| c.code() == code)
            && filter.year.is_none_or(|y| m.year == y)
            && (!filter.missing_only || matches!(l, RateLine::Missing { .. }))
    });
    // Newest month first; within a month currencies by code, and a month's rates newest first.
    all.sort_by(|a, b| {
        let (ma, ca) = a.key();
        let (mb, cb) = b.key();
        let day = |l: &RateLine| match l {
            RateLine::Rate(r) => r.rate_date,
            RateLine::Missing { month, .. } => month.first_day(),
        };
        mb.cmp(&ma)
            .then_with(|| ca.cmp(cb))
            .then_with(|| day(b).cmp(&day(a)))
    });
    let missing = all
        .iter()
        .filter(|l| matches!(l, RateLine::Missing { .. }))
        .count();
    let total = all.len();
    let pages = total.div_ceil(RATE_PAGE_SIZE).max(1);
    let page = filter.page.clamp(1, pages);
    let lines = all
        .into_iter()
        .skip((page - 1) * RATE_PAGE_SIZE)
        .take(RATE_PAGE_SIZE)
        .collect();
    RateTable {
        lines,
        total,
        page,
        pages,
        missing,
        currencies,
        years: years.into_iter().rev().collect(),
        unconverted: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::domain::rate::RateValue;

    fn cur(code: &str) -> Currency {
        code.parse().unwrap()
    }

    fn rate(id: i64, c: &str, d: &str) -> RateRow {
        RateRow {
            id,
            currency: cur(c),
            rate_date: d.parse().unwrap(),
            to_vnd: "17000".parse::<RateValue>().unwrap(),
            to_usd: "0.65".parse::<RateValue>().unwrap(),
            source: "SBV".into(),
            entered_by: None,
            created_at: chrono::Utc::now(),
            superseded_by: None,
        }
    }

    fn m(year: i32, month: u32) -> Month {
        Month { year, month }
    }

    fn missing(t: &RateTable) -> Vec<(&'static str, Month)> {
        t.lines
            .iter()
            .filter_map(|l| match l {
                RateLine::Missing { currency, month } => Some((currency.code(), *month)),
                RateLine::Rate(_) => None,
            })
            .collect()
    }

    #[test]
    fn months_without_a_rate_inside_the_span_in_use_are_missing_rows() {
        let rates = [
            rate(1, "AUD", "2026-07-01"),
            rate(2, "AUD", "2026-08-01"),
            rate(3, "AUD", "2026-11-01"),
            rate(4, "EUR", "2026-11-01"),
        ];
        let money = [(cur("AUD"), m(2026, 10))];
        let all = RateFilter {
            page: 1,
            ..RateFilter::default()
        };
        let t = build(&rates, &money, m(2026, 12), &all);
        // AUD: September, October and (still in use) December; EUR: December only.
        assert_eq!(
            missing(&t),
            vec![
                ("AUD", m(2026, 12)),
                ("EUR", m(2026, 12)),
                ("AUD", m(2026, 10)),
                ("AUD", m(2026, 9)),
            ]
        );
        assert_eq!((t.total, t.missing), (8, 4));
        let aud_2026_missing = RateFilter {
            currency: Some(cur("AUD")),
            year: Some(2026),
            missing_only: true,
            page: 1,
        };
        let t = build(&rates, &money, m(2026, 12), &aud_2026_missing);
        assert_eq!(t.total, 3);
        assert!(
            t.lines
                .iter()
                .all(|l| matches!(l, RateLine::Missing { .. }))
        );
    }

    #[test]
    fn a_currency_unused_for_long_is_not_asked_for_this_months_rate_and_pages_are_clamped() {
        let rates: Vec<RateRow> = (1..=12)
            .map(|mo| rate(i64::from(mo), "JPY", &format!("2020-{mo:02}-01")))
            .collect();
        let f = RateFilter {
            page: 9,
            ..RateFilter::default()
        };
        let t = build(&rates, &[], m(2026, 12), &f);
        assert_eq!((t.total, t.missing, t.pages, t.page), (12, 0, 1, 1));
        assert_eq!(t.years, vec![2020]);
    }
}
