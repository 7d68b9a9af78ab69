//! Period locks: append-only rows saying who closed which dates and, once, who reopened them
//! and why (triggers in migration 0003 refuse any other change). A lock is "active" while its
//! unlock columns are empty.

use super::{Tx, exec, on};
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;

#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct PeriodLock {
    pub id: i64,
    pub period: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub locked_by: Option<i64>,
    pub locked_at: DateTime<Utc>,
    pub unlocked_by: Option<i64>,
    pub unlocked_at: Option<DateTime<Utc>>,
    pub unlock_reason: Option<String>,
}

const COLUMNS: &str =
    "id, period, starts_on, ends_on, locked_by, locked_at, unlocked_by, unlocked_at, unlock_reason";

pub async fn insert_lock(
    tx: &mut Tx,
    period: &str,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    by: Option<i64>,
    at: DateTime<Utc>,
) -> Result<PeriodLock> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO period_lock (period, starts_on, ends_on, locked_by, locked_at) VALUES ($1, $2, $3, $4, $5) RETURNING {COLUMNS}"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql)
        .bind(period).bind(starts_on).bind(ends_on).bind(by).bind(at)
        .fetch_one(&mut *c).await)?)
}

/// The active lock on exactly these dates, if any.
pub async fn active_lock_on(
    tx: &mut Tx,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
) -> Result<Option<PeriodLock>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM period_lock WHERE starts_on = $1 AND ends_on = $2 AND unlocked_at IS NULL ORDER BY id LIMIT 1"
    ));
    Ok(
        on!(tx, c => sqlx::query_as(sql).bind(starts_on).bind(ends_on).fetch_optional(&mut *c).await)?,
    )
}

/// An active lock whose dates include `from..=to` entirely (for a single date, `from == to`).
pub async fn active_lock_covering(
    tx: &mut Tx,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Option<PeriodLock>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM period_lock WHERE starts_on <= $1 AND ends_on >= $2 AND unlocked_at IS NULL ORDER BY starts_on, id LIMIT 1"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(from).bind(to).fetch_optional(&mut *c).await)?)
}

/// Fills in the unlock columns of lock `id` (once: a trigger refuses a second time).
pub async fn unlock(
    tx: &mut Tx,
    id: i64,
    by: Option<i64>,
    at: DateTime<Utc>,
    reason: &str,
) -> Result<PeriodLock> {
    exec!(tx, c => sqlx::query("UPDATE period_lock SET unlocked_by = $1, unlocked_at = $2, unlock_reason = $3 WHERE id = $4")
        .bind(by).bind(at).bind(reason).bind(id).execute(&mut *c).await)?;
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM period_lock WHERE id = $1"));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(id).fetch_one(&mut *c).await)?)
}

/// Every lock ever taken, oldest first.
pub async fn list_locks(tx: &mut Tx) -> Result<Vec<PeriodLock>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM period_lock ORDER BY starts_on, ends_on, id"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql).fetch_all(&mut *c).await)?)
}

/// The first and last dates any commitment or disbursement is dated (value dates), or
/// `None` while the ledger holds no money: the years the periods page offers.
pub async fn money_span(tx: &mut Tx) -> Result<Option<(NaiveDate, NaiveDate)>> {
    const SQL: &str = "SELECT MIN(d), MAX(d) FROM (SELECT commitment_date AS d FROM commitment \
                       UNION ALL SELECT value_date AS d FROM disbursement) AS dated";
    let (first, last): (Option<NaiveDate>, Option<NaiveDate>) =
        on!(tx, c => sqlx::query_as(SQL).fetch_one(&mut *c).await)?;
    Ok(first.zip(last))
}
