//! Exchange rates. A correction inserts a new row and marks the old one superseded, so the
//! rate a past report used is still on record.

use super::{Tx, exec, on};
use crate::domain::Currency;
use crate::domain::rate::{Rate, RateValue};
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;

#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct RateRow {
    pub id: i64,
    pub currency: Currency,
    pub rate_date: NaiveDate,
    pub to_vnd: RateValue,
    pub to_usd: RateValue,
    pub source: String,
    pub entered_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub superseded_by: Option<i64>,
}

impl RateRow {
    #[must_use]
    pub fn to_rate(&self) -> Rate {
        Rate {
            id: self.id,
            currency: self.currency,
            date: self.rate_date,
            to_vnd: self.to_vnd,
            to_usd: self.to_usd,
        }
    }
}

const COLUMNS: &str =
    "id, currency, rate_date, to_vnd, to_usd, source, entered_by, created_at, superseded_by";

pub async fn insert_rate(
    tx: &mut Tx,
    r: &Rate,
    source: &str,
    entered_by: Option<i64>,
    at: DateTime<Utc>,
) -> Result<i64> {
    const SQL: &str = "INSERT INTO exchange_rate (currency, rate_date, to_vnd, to_usd, source, entered_by, created_at) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
    Ok(on!(tx, c => sqlx::query_scalar(SQL)
        .bind(r.currency).bind(r.date).bind(r.to_vnd).bind(r.to_usd).bind(source).bind(entered_by).bind(at)
        .fetch_one(&mut *c).await)?)
}

pub async fn mark_superseded(tx: &mut Tx, old_id: i64, new_id: i64) -> Result<()> {
    exec!(tx, c => sqlx::query("UPDATE exchange_rate SET superseded_by = $1 WHERE id = $2").bind(new_id).bind(old_id).execute(&mut *c).await)?;
    Ok(())
}

/// The current (not superseded) rate for `currency` on exactly `date`, if any.
pub async fn current_rate_on(
    tx: &mut Tx,
    currency: Currency,
    date: NaiveDate,
) -> Result<Option<RateRow>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM exchange_rate WHERE currency = $1 AND rate_date = $2 AND superseded_by IS NULL"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(currency).bind(date).fetch_optional(&mut *c).await)?)
}

/// Current rates of `currency` dated within `[from, to]`, oldest first.
pub async fn current_rates_between(
    tx: &mut Tx,
    currency: Currency,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Rate>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM exchange_rate WHERE currency = $1 AND rate_date >= $2 AND rate_date <= $3 AND superseded_by IS NULL ORDER BY rate_date"
    ));
    let rows: Vec<RateRow> = on!(tx, c => sqlx::query_as(sql).bind(currency).bind(from).bind(to).fetch_all(&mut *c).await)?;
    Ok(rows.iter().map(RateRow::to_rate).collect())
}

/// The latest current rate of `currency` dated on or before `date` (staleness is the caller's).
pub async fn latest_rate_on_or_before(
    tx: &mut Tx,
    currency: Currency,
    date: NaiveDate,
) -> Result<Option<Rate>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM exchange_rate WHERE currency = $1 AND rate_date <= $2 AND superseded_by IS NULL ORDER BY rate_date DESC LIMIT 1"
    ));
    let row: Option<RateRow> =
        on!(tx, c => sqlx::query_as(sql).bind(currency).bind(date).fetch_optional(&mut *c).await)?;
    Ok(row.as_ref().map(RateRow::to_rate))
}

pub async fn list_rates(
    tx: &mut Tx,
    currency: Option<Currency>,
    include_superseded: bool,
) -> Result<Vec<RateRow>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM exchange_rate WHERE ($1 IS NULL OR currency = $1) AND ($2 OR superseded_by IS NULL) ORDER BY currency, rate_date, id"
    ));
    Ok(
        on!(tx, c => sqlx::query_as(sql).bind(currency).bind(include_superseded).fetch_all(&mut *c).await)?,
    )
}

pub async fn get_rate(tx: &mut Tx, id: i64) -> Result<Option<RateRow>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM exchange_rate WHERE id = $1"));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(id).fetch_optional(&mut *c).await)?)
}

/// Retires a rate before its correction is inserted: only one current row per currency and
/// date may exist, and the correction's id is not known yet, so the row points at itself
/// until [`mark_superseded`] points it at its correction in the same transaction.
pub async fn mark_superseded_placeholder(tx: &mut Tx, id: i64) -> Result<()> {
    exec!(tx, c => sqlx::query("UPDATE exchange_rate SET superseded_by = id WHERE id = $1").bind(id).execute(&mut *c).await)?;
    Ok(())
}
