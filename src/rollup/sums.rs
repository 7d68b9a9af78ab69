//! Per-item integer sums from the database: the raw material of every breakdown.

use crate::db::{Tx, on};
use crate::domain::money::limits;
use crate::error::Result;
use chrono::NaiveDate;
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

/// Sums the converted amounts of `flow` in `window` per item. Unconverted rows are left out
/// here and named by the caller through [`unconverted`]: a report refuses to issue while any
/// exist, so leaving them out never produces a wrong official figure.
pub async fn item_sums(tx: &mut Tx, flow: Flow, window: Window) -> Result<Vec<ItemSum>> {
    let committed = sqlx::AssertSqlSafe(format!(
        "SELECT item_id, commitment_date >= $3 AS after_reform, {SPLIT_SUMS}, CAST(COUNT(*) AS BIGINT) AS rows \
        FROM commitment WHERE commitment_date >= $1 AND commitment_date <= $2 AND rate_id IS NOT NULL \
        GROUP BY item_id, commitment_date >= $3 ORDER BY item_id, after_reform"
    ));
    let disbursed = sqlx::AssertSqlSafe(format!(
        "SELECT item_id, value_date >= $3 AS after_reform, {SPLIT_SUMS}, CAST(COUNT(*) AS BIGINT) AS rows \
        FROM disbursement WHERE value_date >= $1 AND value_date <= $2 AND rate_id IS NOT NULL AND status = $4 \
        GROUP BY item_id, value_date >= $3 ORDER BY item_id, after_reform"
    ));
    let cut = reform_date();
    let raw: Vec<RawSum> = match flow {
        Flow::Committed => {
            on!(tx, c => sqlx::query_as(committed).bind(window.from).bind(window.to).bind(cut).fetch_all(&mut *c).await)?
        }
        Flow::Disbursed | Flow::Unverified => {
            let status = if flow == Flow::Disbursed {
                "verified"
            } else {
                "submitted"
            };
            on!(tx, c => sqlx::query_as(disbursed).bind(window.from).bind(window.to).bind(cut).bind(status).fetch_all(&mut *c).await)?
        }
    };
    Ok(raw.into_iter().map(ItemSum::from).collect())
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
