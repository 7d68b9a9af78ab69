//! The SQL of the full transaction export: every commitment, disbursement and pledge of a
//! selection, one row each with its item, donor, people and audit reference, read as a stream
//! so the caller can write each row out and drop it. Nothing here collects rows; it must never
//! `fetch_all`, whatever the size of the ledger.

use super::Tx;
use crate::domain::Currency;
use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};
use rocket::futures::stream::{BoxStream, StreamExt};
use sqlx::FromRow;

/// Which rows to export. Dates bound the row's own date (commitment date, value date, pledge
/// date) inclusively; `donor_id` is the item's donor (for pledges, the pledging donor).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Filter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub donor_id: Option<i64>,
}

/// One exported money row. Columns a kind of row does not have are `None` (a pledge has no
/// conversion, status, reversal or verifier; a pledge need not name an item).
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ExportRow {
    /// `commitment`, `disbursement` or `pledge`: the table, which is also the audit entity.
    pub kind: String,
    pub id: i64,
    pub item_code: Option<String>,
    pub item_title_vi: Option<String>,
    pub donor_id: i64,
    pub donor_name_vi: String,
    pub date: NaiveDate,
    pub amount_minor: i64,
    pub currency: Currency,
    pub amount_vnd: Option<i64>,
    pub amount_usd_cents: Option<i64>,
    pub rate_id: Option<i64>,
    /// A commitment's kind or a disbursement's review status.
    pub status: Option<String>,
    pub reverses_id: Option<i64>,
    pub unconverted_reason: Option<String>,
    pub entered_by: Option<String>,
    pub verified_by: Option<String>,
    /// The first audit entry about the row: the one written in the transaction that created it.
    pub audit_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// Dates the period-less export still has to bind: every date the ledger can hold sorts
/// between them, as ISO text on SQLite and as `DATE` on PostgreSQL. Binding real bounds keeps
/// one SQL text whose date conditions can use the date indexes when a period is given.
const EARLIEST: NaiveDate = NaiveDate::from_ymd_opt(1, 1, 1).expect("a valid date");
const LATEST: NaiveDate = NaiveDate::from_ymd_opt(9999, 12, 31).expect("a valid date");

/// The three money tables as one relation, each branch filtered by date and donor so each can
/// use its own date index. The audit reference is a correlated lookup of the smallest entry id
/// on `audit_entry (entity, entity_id)`: one index probe per row, no join that could multiply
/// rows, and the result streams. Ordered by date, then kind, then id, so the file is stable.
const SQL: &str = "\
SELECT t.kind, t.id, i.code AS item_code, i.title_vi AS item_title_vi, t.donor_id, o.name_vi AS donor_name_vi, \
       t.date, t.amount_minor, t.currency, t.amount_vnd, t.amount_usd_cents, t.rate_id, t.status, t.reverses_id, \
       t.unconverted_reason, eu.username AS entered_by, vu.username AS verified_by, \
       (SELECT MIN(a.id) FROM audit_entry a WHERE a.entity = t.kind AND a.entity_id = CAST(t.id AS TEXT)) AS audit_id, \
       t.created_at \
FROM ( \
    SELECT 'commitment' AS kind, c.id, c.item_id, ci.donor_id, c.commitment_date AS date, c.amount_minor, c.currency, \
           c.amount_vnd, c.amount_usd_cents, c.rate_id, c.kind AS status, NULL AS reverses_id, c.unconverted_reason, \
           c.entered_by, NULL AS verified_by, c.created_at \
    FROM commitment c JOIN aid_item ci ON ci.id = c.item_id \
    WHERE c.commitment_date >= $1 AND c.commitment_date <= $2 AND ($3 IS NULL OR ci.donor_id = $3) \
  UNION ALL \
    SELECT 'disbursement', d.id, d.item_id, di.donor_id, d.value_date, d.amount_minor, d.currency, \
           d.amount_vnd, d.amount_usd_cents, d.rate_id, d.status, d.reverses_id, d.unconverted_reason, \
           d.entered_by, d.verified_by, d.created_at \
    FROM disbursement d JOIN aid_item di ON di.id = d.item_id \
    WHERE d.value_date >= $1 AND d.value_date <= $2 AND ($3 IS NULL OR di.donor_id = $3) \
  UNION ALL \
    SELECT 'pledge', p.id, p.item_id, p.donor_id, p.pledge_date, p.amount_minor, p.currency, \
           NULL, NULL, NULL, NULL, NULL, NULL, \
           p.entered_by, NULL, p.created_at \
    FROM pledge p \
    WHERE p.pledge_date >= $1 AND p.pledge_date <= $2 AND ($3 IS NULL OR p.donor_id = $3) \
) t \
JOIN organisation o ON o.id = t.donor_id \
LEFT JOIN aid_item i ON i.id = t.item_id \
LEFT JOIN app_user eu ON eu.id = t.entered_by \
LEFT JOIN app_user vu ON vu.id = t.verified_by \
ORDER BY t.date, t.kind, t.id";

/// The selected rows, streamed from the database in export order. The stream borrows the
/// transaction, so a read transaction gives the whole file one consistent snapshot.
pub fn transactions<'a>(tx: &'a mut Tx, filter: Filter) -> BoxStream<'a, Result<ExportRow>> {
    let (from, to) = (filter.from.unwrap_or(EARLIEST), filter.to.unwrap_or(LATEST));
    let rows = match tx {
        Tx::Sqlite(t) => sqlx::query_as(SQL)
            .bind(from)
            .bind(to)
            .bind(filter.donor_id)
            .fetch(&mut **t),
        Tx::Pg(t) => sqlx::query_as(SQL)
            .bind(from)
            .bind(to)
            .bind(filter.donor_id)
            .fetch(&mut **t),
    };
    rows.map(|r| r.map_err(Error::from)).boxed()
}
