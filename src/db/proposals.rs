//! The list of programmes and projects a province offers to NGOs ("danh mục kêu gọi vận động
//! viện trợ"), which NGOs each was presented to, and the interest NGOs registered in them.

use super::{Tx, exec, on};
use crate::domain::Currency;
use crate::domain::mobilisation::ProposalStatus;
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;

#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct Proposal {
    pub id: i64,
    pub programme_id: i64,
    pub title_vi: String,
    pub title_en: String,
    pub sector_code: String,
    pub unit_code: String,
    pub currency: Currency,
    pub estimate_minor: i64,
    pub aid_owner_id: i64,
    pub summary: String,
    pub status: ProposalStatus,
    pub published: bool,
    pub item_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A proposal's editable fields, already validated by the action. Its status moves only
/// through `set_status`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NewProposal {
    pub programme_id: i64,
    pub title_vi: String,
    pub title_en: String,
    pub sector_code: String,
    pub unit_code: String,
    pub currency: Currency,
    pub estimate_minor: i64,
    pub aid_owner_id: i64,
    pub summary: String,
    pub published: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct Presentation {
    pub id: i64,
    pub proposal_id: i64,
    pub organisation_id: i64,
    pub presented_on: NaiveDate,
    pub activity_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct Interest {
    pub id: i64,
    pub proposal_id: i64,
    pub organisation_id: i64,
    pub user_id: Option<i64>,
    pub note: String,
    pub registered_at: DateTime<Utc>,
    pub acknowledged_by: Option<i64>,
    pub acknowledged_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, programme_id, title_vi, title_en, sector_code, unit_code, currency, estimate_minor, aid_owner_id, \
                       summary, status, published, item_id, created_at, updated_at";

pub async fn insert_proposal(tx: &mut Tx, p: &NewProposal, at: DateTime<Utc>) -> Result<i64> {
    const SQL: &str = "INSERT INTO proposal (programme_id, title_vi, title_en, sector_code, unit_code, currency, estimate_minor, aid_owner_id, \
                       summary, status, published, item_id, created_at, updated_at) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'proposed', $10, NULL, $11, $11) RETURNING id";
    Ok(on!(tx, c => sqlx::query_scalar(SQL)
        .bind(p.programme_id).bind(&p.title_vi).bind(&p.title_en).bind(&p.sector_code).bind(&p.unit_code)
        .bind(p.currency).bind(p.estimate_minor).bind(p.aid_owner_id).bind(&p.summary).bind(p.published).bind(at)
        .fetch_one(&mut *c).await)?)
}

pub async fn update_proposal(
    tx: &mut Tx,
    id: i64,
    p: &NewProposal,
    at: DateTime<Utc>,
) -> Result<()> {
    const SQL: &str = "UPDATE proposal SET programme_id = $1, title_vi = $2, title_en = $3, sector_code = $4, unit_code = $5, currency = $6, \
                       estimate_minor = $7, aid_owner_id = $8, summary = $9, published = $10, updated_at = $11 WHERE id = $12";
    exec!(tx, c => sqlx::query(SQL)
        .bind(p.programme_id).bind(&p.title_vi).bind(&p.title_en).bind(&p.sector_code).bind(&p.unit_code)
        .bind(p.currency).bind(p.estimate_minor).bind(p.aid_owner_id).bind(&p.summary).bind(p.published).bind(at).bind(id)
        .execute(&mut *c).await)?;
    Ok(())
}

/// Moves a proposal; `item_id` is the aid item an approved proposal became (NULL otherwise).
pub async fn set_status(
    tx: &mut Tx,
    id: i64,
    status: ProposalStatus,
    item_id: Option<i64>,
    at: DateTime<Utc>,
) -> Result<()> {
    exec!(tx, c => sqlx::query("UPDATE proposal SET status = $1, item_id = $2, updated_at = $3 WHERE id = $4")
        .bind(status).bind(item_id).bind(at).bind(id).execute(&mut *c).await)?;
    Ok(())
}

pub async fn get_proposal(tx: &mut Tx, id: i64) -> Result<Option<Proposal>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM proposal WHERE id = $1"));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(id).fetch_optional(&mut *c).await)?)
}

/// Proposals of one programme or of all, in the order they were entered.
pub async fn list_proposals(tx: &mut Tx, programme_id: Option<i64>) -> Result<Vec<Proposal>> {
    Ok(match programme_id {
        Some(p) => {
            let sql = sqlx::AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM proposal WHERE programme_id = $1 ORDER BY id"
            ));
            on!(tx, c => sqlx::query_as(sql).bind(p).fetch_all(&mut *c).await)?
        }
        None => {
            let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM proposal ORDER BY id"));
            on!(tx, c => sqlx::query_as(sql).fetch_all(&mut *c).await)?
        }
    })
}

/// The proposal an aid item came from, if any.
pub async fn proposal_of_item(tx: &mut Tx, item_id: i64) -> Result<Option<Proposal>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM proposal WHERE item_id = $1"));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(item_id).fetch_optional(&mut *c).await)?)
}

pub async fn insert_presentation(
    tx: &mut Tx,
    proposal_id: i64,
    organisation_id: i64,
    presented_on: NaiveDate,
    activity_id: Option<i64>,
) -> Result<i64> {
    const SQL: &str = "INSERT INTO proposal_presentation (proposal_id, organisation_id, presented_on, activity_id) \
                       VALUES ($1, $2, $3, $4) RETURNING id";
    Ok(on!(tx, c => sqlx::query_scalar(SQL)
        .bind(proposal_id).bind(organisation_id).bind(presented_on).bind(activity_id)
        .fetch_one(&mut *c).await)?)
}

pub async fn presentations_of(tx: &mut Tx, proposal_id: i64) -> Result<Vec<Presentation>> {
    const SQL: &str = "SELECT id, proposal_id, organisation_id, presented_on, activity_id FROM proposal_presentation \
                       WHERE proposal_id = $1 ORDER BY presented_on, id";
    Ok(on!(tx, c => sqlx::query_as(SQL).bind(proposal_id).fetch_all(&mut *c).await)?)
}

const INTEREST_COLUMNS: &str = "id, proposal_id, organisation_id, user_id, note, registered_at, acknowledged_by, acknowledged_at";

pub async fn insert_interest(
    tx: &mut Tx,
    proposal_id: i64,
    organisation_id: i64,
    user_id: Option<i64>,
    note: &str,
    at: DateTime<Utc>,
) -> Result<i64> {
    const SQL: &str = "INSERT INTO proposal_interest (proposal_id, organisation_id, user_id, note, registered_at) \
                       VALUES ($1, $2, $3, $4, $5) RETURNING id";
    Ok(on!(tx, c => sqlx::query_scalar(SQL)
        .bind(proposal_id).bind(organisation_id).bind(user_id).bind(note).bind(at)
        .fetch_one(&mut *c).await)?)
}

pub async fn get_interest(tx: &mut Tx, id: i64) -> Result<Option<Interest>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {INTEREST_COLUMNS} FROM proposal_interest WHERE id = $1"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(id).fetch_optional(&mut *c).await)?)
}

pub async fn interests_of(tx: &mut Tx, proposal_id: i64) -> Result<Vec<Interest>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {INTEREST_COLUMNS} FROM proposal_interest WHERE proposal_id = $1 ORDER BY registered_at, id"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(proposal_id).fetch_all(&mut *c).await)?)
}

/// Interests no coordinator has acknowledged yet, oldest first (the review queue's section).
pub async fn open_interests(tx: &mut Tx) -> Result<Vec<Interest>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {INTEREST_COLUMNS} FROM proposal_interest WHERE acknowledged_at IS NULL ORDER BY registered_at, id"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql).fetch_all(&mut *c).await)?)
}

pub async fn acknowledge_interest(
    tx: &mut Tx,
    id: i64,
    user_id: Option<i64>,
    at: DateTime<Utc>,
) -> Result<()> {
    exec!(tx, c => sqlx::query("UPDATE proposal_interest SET acknowledged_by = $1, acknowledged_at = $2 WHERE id = $3")
        .bind(user_id).bind(at).bind(id).execute(&mut *c).await)?;
    Ok(())
}
