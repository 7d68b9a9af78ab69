//! Per-item integer sums from the database: the raw material of every breakdown.

use crate::db::{Tx, on};
use crate::domain::money::limits;
use crate::error::Result;
use chrono::{Datelike, NaiveDate};
use sqlx::FromRow;

/// The day localities changed: before it districts, from it communes (Resolution 202/2025/QH15).
#[must_use]
pub fn reform_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or(NaiveDate::MIN)
}

/// An inclusive date range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Window {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Window {
    /// From the first day a money row may carry to `to`: every "to date" figure.
    #[must_use]
    pub fn to_date(to: NaiveDate) -> Window {
        Window {
            from: first_day(),
            to,
        }
    }

    /// Every day a money row may carry.
    #[must_use]
    pub fn ever() -> Window {
        Window::to_date(last_day())
    }
}

/// Which money flow to sum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Flow {
    /// Commitments with their amendments and cancellations (pledges are never included).
    Committed,
    /// Verified disbursements net of their reversals.
    Disbursed,
    /// Disbursements entered but not yet verified (listed apart, never in totals).
    Unverified,
}

/// One item's converted sum within a window, on one side of the reform date. Sums are `i128`
/// so that no number of accepted rows can overflow them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ItemSum {
    pub item_id: i64,
    /// True for amounts dated on or after 1 July 2025.
    pub after_reform: bool,
    pub vnd: i128,
    pub usd_cents: i128,
    pub rows: i64,
}

/// The row as the database returns it: each money column summed as quotient and remainder of
/// 10^9, which cannot overflow a BIGINT on either engine (bounds in [`limits`]).
#[derive(FromRow)]
struct RawSum {
    item_id: i64,
    after_reform: bool,
    vnd_q: i64,
    vnd_r: i64,
    usd_q: i64,
    usd_r: i64,
    rows: i64,
}

impl From<RawSum> for ItemSum {
    fn from(r: RawSum) -> ItemSum {
        ItemSum {
            item_id: r.item_id,
            after_reform: r.after_reform,
            vnd: limits::join_split(r.vnd_q, r.vnd_r),
            usd_cents: limits::join_split(r.usd_q, r.usd_r),
            rows: r.rows,
        }
    }
}

/// The summed money columns of [`RawSum`]. Integer `/` and `%` truncate toward zero on SQLite
/// and PostgreSQL alike, so `x = (x / 10^9)·10^9 + x % 10^9` for every row, negative ones too.
const SPLIT_SUMS: &str = "CAST(SUM(amount_vnd / 1000000000) AS BIGINT) AS vnd_q, \
    CAST(SUM(amount_vnd % 1000000000) AS BIGINT) AS vnd_r, \
    CAST(SUM(amount_usd_cents / 1000000000) AS BIGINT) AS usd_q, \
    CAST(SUM(amount_usd_cents % 1000000000) AS BIGINT) AS usd_r";

/// The first and last day a money row may carry (the domain refuses any other).
fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN)
}
fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// The disbursement status a disbursement flow counts: verified, or (unverified) submitted.
fn counted_status(flow: Flow) -> &'static str {
    if flow == Flow::Unverified {
        "submitted"
    } else {
        "verified"
    }
}

/// `item_money.flow` of a summarised flow (unverified money is never summarised).
fn summary_flow(flow: Flow) -> &'static str {
    if flow == Flow::Committed {
        "committed"
    } else {
        "disbursed"
    }
}

/// Sums the converted amounts of `flow` in `window` per item, ordered by item and side of
/// the reform. Unconverted rows are left out here and named by the caller through
/// [`unconverted`]: a report refuses to issue while any exist, so leaving them out never
/// produces a wrong official figure.
///
/// A window from the first day (every "to date" figure) is read from `item_money`, the
/// per-item totals kept by migration 0016's triggers, less the rows dated after the window:
/// the same integers as summing the rows, without reading twenty years of them.
pub async fn item_sums(tx: &mut Tx, flow: Flow, window: Window) -> Result<Vec<ItemSum>> {
    if window.from <= first_day() && flow != Flow::Unverified {
        return to_date(tx, flow, window.to, None).await;
    }
    rows_sums(tx, flow, window, None).await
}

/// `item_money`'s rows of `flow` (of the items `ids`, or of every item), less the rows dated
/// after `to`.
async fn to_date(
    tx: &mut Tx,
    flow: Flow,
    to: NaiveDate,
    ids: Option<&[i64]>,
) -> Result<Vec<ItemSum>> {
    let only = ids.map(id_list);
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT item_id, after_reform, vnd_q, vnd_r, usd_q, usd_r, row_count AS rows FROM item_money \
         WHERE flow = $1 AND row_count <> 0{} ORDER BY item_id, after_reform",
        only.as_deref()
            .map_or_else(String::new, |l| format!(" AND item_id IN ({l})"))
    ));
    let raw: Vec<RawSum> =
        on!(tx, c => sqlx::query_as(sql).bind(summary_flow(flow)).fetch_all(&mut *c).await)?;
    let mut sums: Vec<ItemSum> = raw.into_iter().map(ItemSum::from).collect();
    let Some(after) = to.succ_opt().filter(|d| *d <= last_day()) else {
        return Ok(sums);
    };
    let later = rows_sums(
        tx,
        flow,
        Window {
            from: after,
            to: last_day(),
        },
        only.as_deref(),
    )
    .await?;
    // Both lists are sorted by (item, side), so one merge pass takes the later rows away.
    let mut at = 0;
    for l in later {
        while sums
            .get(at)
            .is_some_and(|s| (s.item_id, s.after_reform) < (l.item_id, l.after_reform))
        {
            at += 1;
        }
        match sums.get_mut(at) {
            Some(s) if (s.item_id, s.after_reform) == (l.item_id, l.after_reform) => {
                s.vnd -= l.vnd;
                s.usd_cents -= l.usd_cents;
                s.rows -= l.rows;
            }
            _ => {
                return Err(crate::error::Error::Internal(format!(
                    "item_money has no total for item {} that its rows after {to} belong to",
                    l.item_id
                )));
            }
        }
    }
    sums.retain(|s| s.rows != 0);
    Ok(sums)
}

/// Ids are integers, so listing them in a statement is safe, and one statement per list
/// avoids a bind per id.
fn id_list(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The sums of the items `ids` only from the first day to `to`, as [`item_sums`] gives them
/// for that window: for a page of items or a programme's proposals, without reading every
/// item.
pub async fn to_date_of_items(
    tx: &mut Tx,
    flow: Flow,
    ids: &[i64],
    to: NaiveDate,
) -> Result<Vec<ItemSum>> {
    if ids.is_empty() || flow == Flow::Unverified {
        return Ok(Vec::new());
    }
    to_date(tx, flow, to, Some(ids)).await
}

async fn rows_sums(
    tx: &mut Tx,
    flow: Flow,
    window: Window,
    only: Option<&str>,
) -> Result<Vec<ItemSum>> {
    let only = only.map_or_else(String::new, |l| format!(" AND item_id IN ({l})"));
    let committed = sqlx::AssertSqlSafe(format!(
        "SELECT item_id, commitment_date >= $3 AS after_reform, {SPLIT_SUMS}, CAST(COUNT(*) AS BIGINT) AS rows \
        FROM commitment WHERE commitment_date >= $1 AND commitment_date <= $2 AND rate_id IS NOT NULL{only} \
        GROUP BY item_id, commitment_date >= $3 ORDER BY item_id, after_reform"
    ));
    let disbursed = sqlx::AssertSqlSafe(format!(
        "SELECT item_id, value_date >= $3 AS after_reform, {SPLIT_SUMS}, CAST(COUNT(*) AS BIGINT) AS rows \
        FROM disbursement WHERE value_date >= $1 AND value_date <= $2 AND rate_id IS NOT NULL AND status = $4{only} \
        GROUP BY item_id, value_date >= $3 ORDER BY item_id, after_reform"
    ));
    let cut = reform_date();
    let raw: Vec<RawSum> = match flow {
        Flow::Committed => {
            on!(tx, c => sqlx::query_as(committed).bind(window.from).bind(window.to).bind(cut).fetch_all(&mut *c).await)?
        }
        Flow::Disbursed | Flow::Unverified => {
            let status = counted_status(flow);
            on!(tx, c => sqlx::query_as(disbursed).bind(window.from).bind(window.to).bind(cut).bind(status).fetch_all(&mut *c).await)?
        }
    };
    Ok(raw.into_iter().map(ItemSum::from).collect())
}

/// The four split columns of one total, zero when nothing matched.
#[derive(FromRow)]
struct RawTotal {
    vnd_q: i64,
    vnd_r: i64,
    usd_q: i64,
    usd_r: i64,
}

impl RawTotal {
    fn joined(self) -> (i128, i128) {
        (
            limits::join_split(self.vnd_q, self.vnd_r),
            limits::join_split(self.usd_q, self.usd_r),
        )
    }
}

const SPLIT_TOTALS: &str = "CAST(COALESCE(SUM(amount_vnd / 1000000000), 0) AS BIGINT) AS vnd_q, \
    CAST(COALESCE(SUM(amount_vnd % 1000000000), 0) AS BIGINT) AS vnd_r, \
    CAST(COALESCE(SUM(amount_usd_cents / 1000000000), 0) AS BIGINT) AS usd_q, \
    CAST(COALESCE(SUM(amount_usd_cents % 1000000000), 0) AS BIGINT) AS usd_r";

/// The sum over items of [`item_sums`] (VND, USD cents), added up by the database: for the
/// figures that are only ever totals (quarters, previous periods, the year-earlier cumulative),
/// so no per-item row crosses to Rust. The same integers as adding up `item_sums`.
///
/// The whole months inside the window are read from `month_money`, the monthly totals kept by
/// migration 0017's triggers, and only the days before the first and after the last whole
/// month from the rows: a year or everything to a quarter's end reads a few hundred rows.
pub async fn total_sums(tx: &mut Tx, flow: Flow, window: Window) -> Result<(i128, i128)> {
    let Some((first, last)) = whole_months(window) else {
        return rows_total(tx, flow, window).await;
    };
    const KEPT: &str = "SELECT CAST(COALESCE(SUM(vnd_q), 0) AS BIGINT) AS vnd_q, \
        CAST(COALESCE(SUM(vnd_r), 0) AS BIGINT) AS vnd_r, CAST(COALESCE(SUM(usd_q), 0) AS BIGINT) AS usd_q, \
        CAST(COALESCE(SUM(usd_r), 0) AS BIGINT) AS usd_r FROM month_money \
        WHERE flow = $1 AND month >= $2 AND month <= $3";
    let last_month = last.with_day(1).unwrap_or(last);
    let kept: RawTotal = on!(tx, c => sqlx::query_as(KEPT)
        .bind(month_flow(flow))
        .bind(first)
        .bind(last_month)
        .fetch_one(&mut *c)
        .await)?;
    let (mut vnd, mut usd) = kept.joined();
    let before = first.pred_opt().filter(|d| *d >= window.from);
    let after = last.succ_opt().filter(|d| *d <= window.to);
    for part in [
        before.map(|to| Window {
            from: window.from,
            to,
        }),
        after.map(|from| Window {
            from,
            to: window.to,
        }),
    ]
    .into_iter()
    .flatten()
    {
        let (v, u) = rows_total(tx, flow, part).await?;
        vnd += v;
        usd += u;
    }
    Ok((vnd, usd))
}

/// The first day of the first and the last day of the last calendar month wholly inside
/// `window`, when there is one.
fn whole_months(window: Window) -> Option<(NaiveDate, NaiveDate)> {
    let first = if window.from.day() == 1 {
        window.from
    } else {
        next_month(window.from)?
    };
    let last = match window.to.succ_opt() {
        Some(next) if next.day() == 1 => window.to,
        _ => window.to.with_day(1)?.pred_opt()?,
    };
    (first <= last).then_some((first, last))
}

/// The first day of the month after `day`'s.
fn next_month(day: NaiveDate) -> Option<NaiveDate> {
    let (y, m) = if day.month() == 12 {
        (day.year() + 1, 1)
    } else {
        (day.year(), day.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
}

/// `month_money.flow` of a flow.
fn month_flow(flow: Flow) -> &'static str {
    match flow {
        Flow::Committed => "committed",
        Flow::Disbursed => "disbursed",
        Flow::Unverified => "unverified",
    }
}

async fn rows_total(tx: &mut Tx, flow: Flow, window: Window) -> Result<(i128, i128)> {
    let committed = sqlx::AssertSqlSafe(format!(
        "SELECT {SPLIT_TOTALS} FROM commitment \
         WHERE commitment_date >= $1 AND commitment_date <= $2 AND rate_id IS NOT NULL"
    ));
    let disbursed = sqlx::AssertSqlSafe(format!(
        "SELECT {SPLIT_TOTALS} FROM disbursement \
         WHERE value_date >= $1 AND value_date <= $2 AND rate_id IS NOT NULL AND status = $3"
    ));
    let t: RawTotal = match flow {
        Flow::Committed => {
            on!(tx, c => sqlx::query_as(committed).bind(window.from).bind(window.to).fetch_one(&mut *c).await)?
        }
        Flow::Disbursed | Flow::Unverified => {
            let status = counted_status(flow);
            on!(tx, c => sqlx::query_as(disbursed).bind(window.from).bind(window.to).bind(status).fetch_one(&mut *c).await)?
        }
    };
    Ok(t.joined())
}

/// A money row in the window that has no usable rate, with the stored reason.
#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct UnconvertedRow {
    pub table_name: String,
    pub id: i64,
    pub item_id: i64,
    pub currency: crate::domain::Currency,
    pub amount_minor: i64,
    pub date: NaiveDate,
    pub reason: String,
}

/// Every commitment and counted disbursement in `window` that could not be converted.
pub async fn unconverted(tx: &mut Tx, window: Window) -> Result<Vec<UnconvertedRow>> {
    const SQL: &str = "SELECT 'commitment' AS table_name, id, item_id, currency, amount_minor, commitment_date AS date, unconverted_reason AS reason \
            FROM commitment WHERE rate_id IS NULL AND commitment_date >= $1 AND commitment_date <= $2 \
        UNION ALL \
        SELECT 'disbursement' AS table_name, id, item_id, currency, amount_minor, value_date AS date, unconverted_reason AS reason \
            FROM disbursement WHERE rate_id IS NULL AND status IN ('submitted', 'verified') AND value_date >= $1 AND value_date <= $2 \
        ORDER BY date, table_name, id";
    Ok(
        on!(tx, c => sqlx::query_as(SQL).bind(window.from).bind(window.to).fetch_all(&mut *c).await)?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap_or(NaiveDate::MIN)
    }

    fn w(from: &str, to: &str) -> Window {
        Window {
            from: d(from),
            to: d(to),
        }
    }

    #[test]
    fn whole_months_are_the_calendar_months_inside_a_window() {
        assert_eq!(
            whole_months(w("2025-01-01", "2025-12-31")),
            Some((d("2025-01-01"), d("2025-12-31")))
        );
        assert_eq!(
            whole_months(w("2025-01-02", "2025-03-30")),
            Some((d("2025-02-01"), d("2025-02-28")))
        );
        assert_eq!(
            whole_months(w("2024-12-15", "2025-02-28")),
            Some((d("2025-01-01"), d("2025-02-28")))
        );
        assert_eq!(whole_months(w("2025-02-02", "2025-03-30")), None);
        assert_eq!(whole_months(w("2025-03-01", "2025-03-30")), None);
        assert_eq!(whole_months(w("2025-03-05", "2025-03-01")), None);
        assert_eq!(
            whole_months(Window::ever()),
            Some((d("1900-01-01"), d("9999-12-31")))
        );
        assert_eq!(
            whole_months(Window::to_date(d("2024-02-29"))),
            Some((d("1900-01-01"), d("2024-02-29")))
        );
    }
}
