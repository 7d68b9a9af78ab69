//! The money rows: commitments, pledges and disbursements, and the milestones disbursements
//! hang on. Money rows are inserted, never edited or deleted (triggers enforce it); only their
//! derived conversion columns and a disbursement's review status change.

use super::{Tx, exec, on};
use crate::domain::Currency;
use crate::domain::item::{CommitmentKind, DisbursementStatus, MilestoneStatus};
use crate::domain::rate::{Converted, Unconverted};
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;

/// The stored outcome of converting a row: the four columns every money table carries.
#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct Conversion {
    pub rate_id: Option<i64>,
    pub amount_vnd: Option<i64>,
    pub amount_usd_cents: Option<i64>,
    pub unconverted_reason: Option<String>,
}

impl From<&Result<Converted, Unconverted>> for Conversion {
    fn from(r: &Result<Converted, Unconverted>) -> Self {
        match r {
            Ok(c) => Conversion {
                rate_id: Some(c.rate_id),
                amount_vnd: Some(c.vnd),
                amount_usd_cents: Some(c.usd_cents),
                unconverted_reason: None,
            },
            Err(u) => Conversion {
                rate_id: None,
                amount_vnd: None,
                amount_usd_cents: None,
                unconverted_reason: Some(u.to_string()),
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct Commitment {
    pub id: i64,
    pub item_id: i64,
    pub kind: CommitmentKind,
    pub amount_minor: i64,
    pub currency: Currency,
    pub commitment_date: NaiveDate,
    pub reference: Option<String>,
    pub entered_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    #[sqlx(flatten)]
    pub conversion: Conversion,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct Disbursement {
    pub id: i64,
    pub item_id: i64,
    pub amount_minor: i64,
    pub currency: Currency,
    pub value_date: NaiveDate,
    pub tranche: Option<i64>,
    pub milestone_id: Option<i64>,
    pub reverses_id: Option<i64>,
    pub status: DisbursementStatus,
    pub entered_by: Option<i64>,
    pub verified_by: Option<i64>,
    pub verified_at: Option<DateTime<Utc>>,
    pub rejection_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    #[sqlx(flatten)]
    pub conversion: Conversion,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct Milestone {
    pub id: i64,
    pub item_id: i64,
    pub title_vi: String,
    pub title_en: String,
    pub planned_date: NaiveDate,
    pub actual_date: Option<NaiveDate>,
    pub status: MilestoneStatus,
    pub evidence: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewCommitment {
    pub item_id: i64,
    pub kind: CommitmentKind,
    pub amount_minor: i64,
    pub currency: Currency,
    pub date: NaiveDate,
    pub reference: Option<String>,
    pub entered_by: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewDisbursement {
    pub item_id: i64,
    pub amount_minor: i64,
    pub currency: Currency,
    pub value_date: NaiveDate,
    pub tranche: Option<i64>,
    pub milestone_id: Option<i64>,
    pub reverses_id: Option<i64>,
    pub status: DisbursementStatus,
    pub entered_by: Option<i64>,
    pub verified_by: Option<i64>,
    pub verified_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct NewMilestone {
    pub item_id: i64,
    pub title_vi: String,
    pub title_en: String,
    pub planned_date: NaiveDate,
    pub actual_date: Option<NaiveDate>,
    pub status: MilestoneStatus,
    pub evidence: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewPledge {
    pub donor_id: i64,
    pub item_id: Option<i64>,
    pub amount_minor: i64,
    pub currency: Currency,
    pub date: NaiveDate,
    pub note: Option<String>,
    pub entered_by: Option<i64>,
}

const CONV: &str = "rate_id, amount_vnd, amount_usd_cents, unconverted_reason";

pub async fn insert_commitment(
    tx: &mut Tx,
    c: &NewCommitment,
    conv: &Conversion,
    at: DateTime<Utc>,
) -> Result<i64> {
    const SQL: &str = "INSERT INTO commitment (item_id, kind, amount_minor, currency, commitment_date, reference, entered_by, created_at, \
                       rate_id, amount_vnd, amount_usd_cents, unconverted_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id";
    Ok(on!(tx, x => sqlx::query_scalar(SQL)
        .bind(c.item_id).bind(c.kind).bind(c.amount_minor).bind(c.currency).bind(c.date).bind(&c.reference).bind(c.entered_by).bind(at)
        .bind(conv.rate_id).bind(conv.amount_vnd).bind(conv.amount_usd_cents).bind(&conv.unconverted_reason)
        .fetch_one(&mut *x).await)?)
}

pub async fn insert_disbursement(
    tx: &mut Tx,
    d: &NewDisbursement,
    conv: &Conversion,
    at: DateTime<Utc>,
) -> Result<Disbursement> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO disbursement (item_id, amount_minor, currency, value_date, tranche, milestone_id, reverses_id, status, \
         entered_by, verified_by, verified_at, created_at, rate_id, amount_vnd, amount_usd_cents, unconverted_reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING {DISB_COLUMNS}"
    ));
    Ok(on!(tx, x => sqlx::query_as(sql)
        .bind(d.item_id).bind(d.amount_minor).bind(d.currency).bind(d.value_date).bind(d.tranche).bind(d.milestone_id)
        .bind(d.reverses_id).bind(d.status).bind(d.entered_by).bind(d.verified_by).bind(d.verified_at).bind(at)
        .bind(conv.rate_id).bind(conv.amount_vnd).bind(conv.amount_usd_cents).bind(&conv.unconverted_reason)
        .fetch_one(&mut *x).await)?)
}

pub async fn insert_milestone(tx: &mut Tx, m: &NewMilestone, at: DateTime<Utc>) -> Result<i64> {
    const SQL: &str = "INSERT INTO milestone (item_id, title_vi, title_en, planned_date, actual_date, status, evidence, created_at) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
    Ok(on!(tx, x => sqlx::query_scalar(SQL)
        .bind(m.item_id).bind(&m.title_vi).bind(&m.title_en).bind(m.planned_date).bind(m.actual_date).bind(m.status).bind(&m.evidence).bind(at)
        .fetch_one(&mut *x).await)?)
}

pub async fn insert_pledge(tx: &mut Tx, p: &NewPledge, at: DateTime<Utc>) -> Result<i64> {
    const SQL: &str = "INSERT INTO pledge (donor_id, item_id, amount_minor, currency, pledge_date, note, entered_by, created_at) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
    Ok(on!(tx, x => sqlx::query_scalar(SQL)
        .bind(p.donor_id).bind(p.item_id).bind(p.amount_minor).bind(p.currency).bind(p.date).bind(&p.note).bind(p.entered_by).bind(at)
        .fetch_one(&mut *x).await)?)
}

pub async fn list_commitments(tx: &mut Tx, item_id: i64) -> Result<Vec<Commitment>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT id, item_id, kind, amount_minor, currency, commitment_date, reference, entered_by, created_at, {CONV} \
         FROM commitment WHERE item_id = $1 ORDER BY commitment_date, id"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(item_id).fetch_all(&mut *c).await)?)
}

pub async fn list_disbursements(tx: &mut Tx, item_id: i64) -> Result<Vec<Disbursement>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT id, item_id, amount_minor, currency, value_date, tranche, milestone_id, reverses_id, status, entered_by, verified_by, \
         verified_at, rejection_reason, created_at, {CONV} FROM disbursement WHERE item_id = $1 ORDER BY value_date, id"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(item_id).fetch_all(&mut *c).await)?)
}

pub async fn list_milestones(tx: &mut Tx, item_id: i64) -> Result<Vec<Milestone>> {
    const SQL: &str = "SELECT id, item_id, title_vi, title_en, planned_date, actual_date, status, evidence, created_at \
                       FROM milestone WHERE item_id = $1 ORDER BY planned_date, id";
    Ok(on!(tx, c => sqlx::query_as(SQL).bind(item_id).fetch_all(&mut *c).await)?)
}

const DISB_COLUMNS: &str = "id, item_id, amount_minor, currency, value_date, tranche, milestone_id, reverses_id, status, entered_by, verified_by, \
                            verified_at, rejection_reason, created_at, rate_id, amount_vnd, amount_usd_cents, unconverted_reason";
const MS_COLUMNS: &str =
    "id, item_id, title_vi, title_en, planned_date, actual_date, status, evidence, created_at";

pub async fn get_commitment(tx: &mut Tx, id: i64) -> Result<Option<Commitment>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT id, item_id, kind, amount_minor, currency, commitment_date, reference, entered_by, created_at, {CONV} \
         FROM commitment WHERE id = $1"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(id).fetch_optional(&mut *c).await)?)
}

pub async fn get_disbursement(tx: &mut Tx, id: i64) -> Result<Option<Disbursement>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {DISB_COLUMNS} FROM disbursement WHERE id = $1"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(id).fetch_optional(&mut *c).await)?)
}

/// The reversal of disbursement `id`, if one was recorded (at most one: `reverses_id` is unique).
pub async fn reversal_of(tx: &mut Tx, id: i64) -> Result<Option<Disbursement>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {DISB_COLUMNS} FROM disbursement WHERE reverses_id = $1"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(id).fetch_optional(&mut *c).await)?)
}

/// The review columns of a disbursement: the only columns besides the conversion that change.
#[derive(Debug, Clone)]
pub struct Review {
    pub status: DisbursementStatus,
    pub verified_by: Option<i64>,
    pub verified_at: Option<DateTime<Utc>>,
    pub rejection_reason: Option<String>,
}

pub async fn set_review(tx: &mut Tx, id: i64, r: &Review) -> Result<()> {
    exec!(tx, c => sqlx::query("UPDATE disbursement SET status = $1, verified_by = $2, verified_at = $3, rejection_reason = $4 WHERE id = $5")
        .bind(r.status).bind(r.verified_by).bind(r.verified_at).bind(&r.rejection_reason).bind(id)
        .execute(&mut *c).await)?;
    Ok(())
}

pub async fn get_milestone(tx: &mut Tx, id: i64) -> Result<Option<Milestone>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {MS_COLUMNS} FROM milestone WHERE id = $1"));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(id).fetch_optional(&mut *c).await)?)
}

/// Writes a milestone's changeable columns (everything but its item and creation time).
pub async fn update_milestone(tx: &mut Tx, m: &Milestone) -> Result<()> {
    exec!(tx, c => sqlx::query("UPDATE milestone SET title_vi = $1, title_en = $2, planned_date = $3, actual_date = $4, status = $5, evidence = $6 WHERE id = $7")
        .bind(&m.title_vi).bind(&m.title_en).bind(m.planned_date).bind(m.actual_date).bind(m.status).bind(&m.evidence).bind(m.id)
        .execute(&mut *c).await)?;
    Ok(())
}

/// Which money table a row lives in, for the conversion queries both tables share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyTable {
    Commitment,
    Disbursement,
}

impl MoneyTable {
    fn date_column(self) -> &'static str {
        match self {
            MoneyTable::Commitment => "commitment_date",
            MoneyTable::Disbursement => "value_date",
        }
    }
    /// The table's name, which is also how messages name its rows.
    #[must_use]
    pub fn name(self) -> &'static str {
        self.table()
    }
    fn table(self) -> &'static str {
        match self {
            MoneyTable::Commitment => "commitment",
            MoneyTable::Disbursement => "disbursement",
        }
    }
}

/// A money row as the converter needs it.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ToConvert {
    pub id: i64,
    pub amount_minor: i64,
    pub currency: Currency,
    pub date: NaiveDate,
    #[sqlx(flatten)]
    pub conversion: Conversion,
}

/// Rows of `currency` dated within `[from, to]`: the only rows a rate dated `from` can affect.
pub async fn rows_to_convert(
    tx: &mut Tx,
    table: MoneyTable,
    currency: Currency,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ToConvert>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT id, amount_minor, currency, {d} AS date, {CONV} FROM {t} WHERE currency = $1 AND {d} >= $2 AND {d} <= $3 ORDER BY id",
        d = table.date_column(),
        t = table.table()
    ));
    Ok(
        on!(tx, c => sqlx::query_as(sql).bind(currency).bind(from).bind(to).fetch_all(&mut *c).await)?,
    )
}

pub async fn set_conversion(
    tx: &mut Tx,
    table: MoneyTable,
    id: i64,
    conv: &Conversion,
) -> Result<()> {
    let sql = sqlx::AssertSqlSafe(format!(
        "UPDATE {} SET rate_id = $1, amount_vnd = $2, amount_usd_cents = $3, unconverted_reason = $4 WHERE id = $5",
        table.table()
    ));
    exec!(tx, c => sqlx::query(sql)
        .bind(conv.rate_id).bind(conv.amount_vnd).bind(conv.amount_usd_cents).bind(&conv.unconverted_reason).bind(id)
        .execute(&mut *c).await)?;
    Ok(())
}

/// Sums `amount_minor` as quotient and remainder of 10^9, so no number of accepted rows can
/// overflow a BIGINT on either engine (bounds in [`crate::domain::money::limits`]).
const SPLIT_MINOR: &str = "CAST(SUM(amount_minor / 1000000000) AS BIGINT) AS minor_q, \
    CAST(SUM(amount_minor % 1000000000) AS BIGINT) AS minor_r";

/// Totals in original currencies, one row per currency, summed exactly.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CurrencyTotal {
    pub currency: Currency,
    pub rows: i64,
    pub amount_minor: i128,
}

#[derive(FromRow)]
struct RawCurrencyTotal {
    currency: Currency,
    rows: i64,
    minor_q: i64,
    minor_r: i64,
}

pub async fn totals_by_currency(tx: &mut Tx, table: MoneyTable) -> Result<Vec<CurrencyTotal>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT currency, CAST(COUNT(*) AS BIGINT) AS rows, {SPLIT_MINOR} FROM {} GROUP BY currency ORDER BY currency",
        table.table()
    ));
    let raw: Vec<RawCurrencyTotal> = on!(tx, c => sqlx::query_as(sql).fetch_all(&mut *c).await)?;
    Ok(raw
        .into_iter()
        .map(|r| CurrencyTotal {
            currency: r.currency,
            rows: r.rows,
            amount_minor: crate::domain::money::limits::join_split(r.minor_q, r.minor_r),
        })
        .collect())
}

/// Sums in original currency per item and currency for rows dated within `[from, to]`
/// (commitments, or verified disbursements), for the report's item lists.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OriginalSum {
    pub item_id: i64,
    pub currency: Currency,
    pub amount_minor: i128,
}

#[derive(FromRow)]
struct RawOriginalSum {
    item_id: i64,
    currency: Currency,
    minor_q: i64,
    minor_r: i64,
}

pub async fn original_sums(
    tx: &mut Tx,
    table: MoneyTable,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<OriginalSum>> {
    let status = if table == MoneyTable::Disbursement {
        " AND status = 'verified'"
    } else {
        ""
    };
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT item_id, currency, {SPLIT_MINOR} FROM {t} WHERE {d} >= $1 AND {d} <= $2{status} \
         GROUP BY item_id, currency ORDER BY item_id, currency",
        t = table.table(),
        d = table.date_column()
    ));
    let raw: Vec<RawOriginalSum> =
        on!(tx, c => sqlx::query_as(sql).bind(from).bind(to).fetch_all(&mut *c).await)?;
    Ok(raw
        .into_iter()
        .map(|r| OriginalSum {
            item_id: r.item_id,
            currency: r.currency,
            amount_minor: crate::domain::money::limits::join_split(r.minor_q, r.minor_r),
        })
        .collect())
}

/// Every rate that converted a counted row dated within `[from, to]`.
pub async fn rate_ids_used(tx: &mut Tx, from: NaiveDate, to: NaiveDate) -> Result<Vec<i64>> {
    const SQL: &str = "SELECT rate_id FROM commitment WHERE rate_id IS NOT NULL AND commitment_date >= $1 AND commitment_date <= $2 \
                       UNION SELECT rate_id FROM disbursement WHERE rate_id IS NOT NULL AND status = 'verified' AND value_date >= $1 AND value_date <= $2 \
                       ORDER BY 1";
    Ok(on!(tx, c => sqlx::query_scalar(SQL).bind(from).bind(to).fetch_all(&mut *c).await)?)
}

pub async fn all_milestones(tx: &mut Tx) -> Result<Vec<Milestone>> {
    milestones_where(tx, "TRUE", &[]).await
}

/// The milestones a report on `[from, to]` counts and lists, each by planned date then id:
/// those planned in the period, those done in it, and those still open (planned or in
/// progress) planned up to its end. Filtered here: a nation's milestones are too many to
/// read for a few thousand (the open ones come through the `milestone_open` index).
pub async fn report_milestones(
    tx: &mut Tx,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(Vec<Milestone>, Vec<Milestone>, Vec<Milestone>)> {
    let due =
        milestones_where(tx, "planned_date >= $1 AND planned_date <= $2", &[from, to]).await?;
    let done = milestones_where(
        tx,
        "status = 'done' AND actual_date >= $1 AND actual_date <= $2",
        &[from, to],
    )
    .await?;
    let open = milestones_where(
        tx,
        "status IN ('planned', 'in_progress') AND planned_date <= $1",
        &[to],
    )
    .await?;
    Ok((due, done, open))
}

/// The milestones matching `filter` (a constant condition over the dates bound in turn as
/// `$1`, `$2`), by planned date then id.
async fn milestones_where(
    tx: &mut Tx,
    filter: &'static str,
    dates: &[NaiveDate],
) -> Result<Vec<Milestone>> {
    let sql = format!(
        "SELECT id, item_id, title_vi, title_en, planned_date, actual_date, status, evidence, created_at \
         FROM milestone WHERE {filter} ORDER BY planned_date, id"
    );
    Ok(on!(tx, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for d in dates {
            q = q.bind(*d);
        }
        q.fetch_all(&mut *c).await
    })?)
}

/// Commitment rows of one kind dated within `[from, to]` (for counting amendments).
pub async fn count_commitments_of_kind(
    tx: &mut Tx,
    kind: CommitmentKind,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<i64> {
    const SQL: &str = "SELECT CAST(COUNT(*) AS BIGINT) FROM commitment WHERE kind = $1 AND commitment_date >= $2 AND commitment_date <= $3";
    Ok(
        on!(tx, c => sqlx::query_scalar(SQL).bind(kind).bind(from).bind(to).fetch_one(&mut *c).await)?,
    )
}
