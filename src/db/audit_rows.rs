//! The stored rows `audit verify` compares with what their audit entries recorded: money
//! (commitments, pledges, disbursements), exchange rates, period locks and users. Each row is
//! read as the JSON its audit entries wrote (same field names, same encodings), so comparing
//! is comparing JSON values field by field.

use super::{Tx, on};
use crate::domain::Currency;
use crate::domain::item::{CommitmentKind, DisbursementStatus, Role};
use crate::domain::money::Money;
use crate::domain::rate::RateValue;
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Value, json};

/// The kinds of rows checked, as (table = audit entity) names.
pub const TABLES: [&str; 6] = [
    "commitment",
    "pledge",
    "disbursement",
    "exchange_rate",
    "period_lock",
    "app_user",
];

/// One stored row: its id, the audit `entity_id` its entries carry, and its audited fields.
#[derive(Debug, Clone)]
pub struct Tracked {
    pub id: i64,
    pub key: String,
    pub view: Value,
}

/// Which rows of a table to read.
#[derive(Debug, Clone, Copy)]
pub enum Pick {
    /// Rows with an id above this one.
    After(i64),
    /// The row with this id.
    Id(i64),
    /// The next [`CHUNK`] rows with an id above this one, so a full verification holds a
    /// bounded number of rows at a time.
    Chunk(i64),
}

/// The rows [`Pick::Chunk`] reads at a time (the literal in its clause).
pub const CHUNK: usize = 10_000;

impl Pick {
    fn clause(self) -> (&'static str, i64) {
        match self {
            Pick::After(id) => ("id > $1 ORDER BY id", id),
            Pick::Id(id) => ("id = $1", id),
            Pick::Chunk(id) => ("id > $1 ORDER BY id LIMIT 10000", id),
        }
    }
}

type CommitmentRow = (i64, i64, CommitmentKind, i64, Currency, NaiveDate);
type PledgeRow = (i64, i64, Option<i64>, i64, Currency, NaiveDate);
type DisbursementRow = (
    i64,
    i64,
    i64,
    Currency,
    NaiveDate,
    Option<i64>,
    DisbursementStatus,
    Option<i64>,
);
type RateRow = (i64, Currency, NaiveDate, RateValue, RateValue);
type LockRow = (
    i64,
    String,
    NaiveDate,
    NaiveDate,
    Option<i64>,
    Option<DateTime<Utc>>,
    Option<String>,
);
type UserRow = (i64, String, Role, Option<i64>, bool);

/// Reads the picked rows of `table` (one of [`TABLES`]) as their audited fields.
pub async fn rows(tx: &mut Tx, table: &str, pick: Pick) -> Result<Vec<Tracked>> {
    let (clause, arg) = pick.clause();
    let sql =
        |cols: &str| sqlx::AssertSqlSafe(format!("SELECT {cols} FROM {table} WHERE {clause}"));
    let out = match table {
        "commitment" => {
            let q = sql("id, item_id, kind, amount_minor, currency, commitment_date");
            let r: Vec<CommitmentRow> =
                on!(tx, c => sqlx::query_as(q).bind(arg).fetch_all(&mut *c).await)?;
            r.into_iter()
                .map(|(id, item, kind, amount, cur, date)| Tracked {
                    id,
                    key: id.to_string(),
                    view: json!({"item_id": item, "kind": kind,
                        "amount": Money::from_minor(amount, cur).canonical(), "currency": cur, "date": date}),
                })
                .collect()
        }
        "pledge" => {
            let q = sql("id, donor_id, item_id, amount_minor, currency, pledge_date");
            let r: Vec<PledgeRow> =
                on!(tx, c => sqlx::query_as(q).bind(arg).fetch_all(&mut *c).await)?;
            r.into_iter()
                .map(|(id, donor, item, amount, cur, date)| Tracked {
                    id,
                    key: id.to_string(),
                    view: json!({"donor_id": donor, "item_id": item,
                        "amount": Money::from_minor(amount, cur).canonical(), "currency": cur, "date": date}),
                })
                .collect()
        }
        "disbursement" => {
            let q = sql(
                "id, item_id, amount_minor, currency, value_date, reverses_id, status, verified_by",
            );
            let r: Vec<DisbursementRow> =
                on!(tx, c => sqlx::query_as(q).bind(arg).fetch_all(&mut *c).await)?;
            r.into_iter()
                .map(|(id, item, amount, cur, date, rev, status, vby)| Tracked {
                    id,
                    key: id.to_string(),
                    view: json!({"item_id": item, "amount_minor": amount, "currency": cur,
                        "value_date": date, "reverses_id": rev, "status": status, "verified_by": vby}),
                })
                .collect()
        }
        "exchange_rate" => {
            let q = sql("id, currency, rate_date, to_vnd, to_usd");
            let r: Vec<RateRow> =
                on!(tx, c => sqlx::query_as(q).bind(arg).fetch_all(&mut *c).await)?;
            r.into_iter()
                .map(|(id, cur, date, vnd, usd)| Tracked {
                    id,
                    key: format!("{cur}:{date}"),
                    view: json!({"id": id, "currency": cur, "rate_date": date, "to_vnd": vnd, "to_usd": usd}),
                })
                .collect()
        }
        "period_lock" => {
            let q = sql("id, period, starts_on, ends_on, locked_by, unlocked_at, unlock_reason");
            let r: Vec<LockRow> =
                on!(tx, c => sqlx::query_as(q).bind(arg).fetch_all(&mut *c).await)?;
            r.into_iter()
                .map(|(id, period, from, to, by, unlocked, why)| Tracked {
                    id,
                    key: id.to_string(),
                    view: json!({"period": period, "starts_on": from, "ends_on": to,
                        "locked_by": by, "unlocked_at": unlocked, "unlock_reason": why}),
                })
                .collect()
        }
        "app_user" => {
            let q = sql("id, username, role, organisation_id, active");
            let r: Vec<UserRow> =
                on!(tx, c => sqlx::query_as(q).bind(arg).fetch_all(&mut *c).await)?;
            r.into_iter()
                .map(|(id, name, role, org, active)| Tracked {
                    id,
                    key: id.to_string(),
                    view: json!({"username": name, "role": role, "organisation_id": org, "active": active}),
                })
                .collect()
        }
        other => {
            return Err(crate::error::Error::Internal(format!(
                "no audited fields are known for table {other}"
            )));
        }
    };
    Ok(out)
}

/// The highest id of `table` (0 when empty).
pub async fn max_id(tx: &mut Tx, table: &str) -> Result<i64> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM {table}"
    ));
    Ok(on!(tx, c => sqlx::query_scalar(sql).fetch_one(&mut *c).await)?)
}

/// An issued report's anchor: the entry id and hash it recorded as the trail's head.
pub type Anchor = (i64, String, Option<i64>, Option<String>);

/// The anchors of issued reports with an id above `after`: (report id, period, entry id, hash).
pub async fn anchors_after(tx: &mut Tx, after: i64) -> Result<Vec<Anchor>> {
    const SQL: &str = "SELECT id, period, audit_entry_id, audit_head FROM issued_report WHERE id > $1 ORDER BY id";
    Ok(on!(tx, c => sqlx::query_as(SQL).bind(after).fetch_all(&mut *c).await)?)
}
