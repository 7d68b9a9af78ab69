//! Promotion activities ("xúc tiến, vận động viện trợ"): conferences, meetings, delegations and
//! field visits, with the organisations that took part and the proposals presented. An
//! activity's row is updated in place when it is edited (the audit trail keeps before and
//! after); its two lists are replaced as sets in the same transaction.

use super::{Tx, exec, on};
use crate::domain::mobilisation::ActivityKind;
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;

#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct Activity {
    pub id: i64,
    pub programme_id: Option<i64>,
    pub kind: ActivityKind,
    pub title: String,
    pub held_on: NaiveDate,
    pub place: String,
    pub outcome: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An activity's fields as a person gives them, validated by the action.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewActivity {
    pub programme_id: Option<i64>,
    pub kind: ActivityKind,
    pub title: String,
    pub held_on: NaiveDate,
    pub place: String,
    /// A few lines; may be empty (an activity entered before it was held).
    pub outcome: String,
    pub organisation_ids: Vec<i64>,
    pub proposal_ids: Vec<i64>,
}

const COLUMNS: &str =
    "id, programme_id, kind, title, held_on, place, outcome, created_at, updated_at";

pub async fn insert_activity(tx: &mut Tx, a: &NewActivity, at: DateTime<Utc>) -> Result<i64> {
    const SQL: &str = "INSERT INTO promotion_activity (programme_id, kind, title, held_on, place, outcome, created_at, updated_at) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id";
    let id: i64 = on!(tx, c => sqlx::query_scalar(SQL)
        .bind(a.programme_id).bind(a.kind).bind(&a.title).bind(a.held_on).bind(&a.place).bind(&a.outcome).bind(at)
        .fetch_one(&mut *c).await)?;
    replace_links(tx, id, a).await?;
    Ok(id)
}

/// Writes an activity's fields and replaces its organisations and proposals.
pub async fn update_activity(
    tx: &mut Tx,
    id: i64,
    a: &NewActivity,
    at: DateTime<Utc>,
) -> Result<()> {
    const SQL: &str = "UPDATE promotion_activity SET programme_id = $1, kind = $2, title = $3, held_on = $4, place = $5, \
                       outcome = $6, updated_at = $7 WHERE id = $8";
    exec!(tx, c => sqlx::query(SQL)
        .bind(a.programme_id).bind(a.kind).bind(&a.title).bind(a.held_on).bind(&a.place).bind(&a.outcome).bind(at).bind(id)
        .execute(&mut *c).await)?;
    replace_links(tx, id, a).await
}

async fn replace_links(tx: &mut Tx, id: i64, a: &NewActivity) -> Result<()> {
    exec!(tx, c => sqlx::query("DELETE FROM activity_organisation WHERE activity_id = $1").bind(id).execute(&mut *c).await)?;
    exec!(tx, c => sqlx::query("DELETE FROM activity_proposal WHERE activity_id = $1").bind(id).execute(&mut *c).await)?;
    for o in &a.organisation_ids {
        exec!(tx, c => sqlx::query("INSERT INTO activity_organisation (activity_id, organisation_id) VALUES ($1, $2)")
            .bind(id).bind(o).execute(&mut *c).await)?;
    }
    for p in &a.proposal_ids {
        exec!(tx, c => sqlx::query("INSERT INTO activity_proposal (activity_id, proposal_id) VALUES ($1, $2)")
            .bind(id).bind(p).execute(&mut *c).await)?;
    }
    Ok(())
}

pub async fn get_activity(tx: &mut Tx, id: i64) -> Result<Option<Activity>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM promotion_activity WHERE id = $1"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(id).fetch_optional(&mut *c).await)?)
}

/// Activities, latest first; of one programme when `programme_id` is given, and only those
/// `organisation_id` took part in when that is given (an NGO's own).
pub async fn list_activities(
    tx: &mut Tx,
    programme_id: Option<i64>,
    organisation_id: Option<i64>,
) -> Result<Vec<Activity>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM promotion_activity a \
         WHERE ($1 IS NULL OR a.programme_id = $1) \
         AND ($2 IS NULL OR EXISTS (SELECT 1 FROM activity_organisation o WHERE o.activity_id = a.id AND o.organisation_id = $2)) \
         ORDER BY a.held_on DESC, a.id DESC"
    ));
    Ok(
        on!(tx, c => sqlx::query_as(sql).bind(programme_id).bind(organisation_id).fetch_all(&mut *c).await)?,
    )
}

/// The organisations that took part in activity `id`, by id.
pub async fn organisations_of(tx: &mut Tx, id: i64) -> Result<Vec<i64>> {
    const SQL: &str = "SELECT organisation_id FROM activity_organisation WHERE activity_id = $1 ORDER BY organisation_id";
    Ok(on!(tx, c => sqlx::query_scalar(SQL).bind(id).fetch_all(&mut *c).await)?)
}

/// The proposals presented at activity `id`, by id.
pub async fn proposals_of(tx: &mut Tx, id: i64) -> Result<Vec<i64>> {
    const SQL: &str =
        "SELECT proposal_id FROM activity_proposal WHERE activity_id = $1 ORDER BY proposal_id";
    Ok(on!(tx, c => sqlx::query_scalar(SQL).bind(id).fetch_all(&mut *c).await)?)
}

/// The activities at which proposal `proposal_id` was presented, oldest first.
pub async fn activities_of_proposal(tx: &mut Tx, proposal_id: i64) -> Result<Vec<i64>> {
    const SQL: &str = "SELECT a.id FROM activity_proposal p JOIN promotion_activity a ON a.id = p.activity_id \
                       WHERE p.proposal_id = $1 ORDER BY a.held_on, a.id";
    Ok(on!(tx, c => sqlx::query_scalar(SQL).bind(proposal_id).fetch_all(&mut *c).await)?)
}

/// Whether `organisation_id` took part in activity `id`.
pub async fn took_part(tx: &mut Tx, id: i64, organisation_id: i64) -> Result<bool> {
    const SQL: &str = "SELECT CAST(COUNT(*) AS BIGINT) FROM activity_organisation WHERE activity_id = $1 AND organisation_id = $2";
    let n: i64 = on!(tx, c => sqlx::query_scalar(SQL).bind(id).bind(organisation_id).fetch_one(&mut *c).await)?;
    Ok(n > 0)
}

/// Whether the proposal was already presented to the organisation on that day (by this
/// activity, another one or a letter): the same presentation is not recorded twice.
pub async fn presentation_exists(
    tx: &mut Tx,
    proposal_id: i64,
    organisation_id: i64,
    on: NaiveDate,
) -> Result<bool> {
    const SQL: &str = "SELECT CAST(COUNT(*) AS BIGINT) FROM proposal_presentation \
                       WHERE proposal_id = $1 AND organisation_id = $2 AND presented_on = $3";
    let n: i64 = on!(tx, c => sqlx::query_scalar(SQL)
        .bind(proposal_id).bind(organisation_id).bind(on).fetch_one(&mut *c).await)?;
    Ok(n > 0)
}

/// The presentations activity `id` recorded: (presentation id, proposal, organisation, date).
pub async fn presentations_of_activity(
    tx: &mut Tx,
    id: i64,
) -> Result<Vec<(i64, i64, i64, NaiveDate)>> {
    const SQL: &str = "SELECT id, proposal_id, organisation_id, presented_on FROM proposal_presentation \
                       WHERE activity_id = $1 ORDER BY id";
    Ok(on!(tx, c => sqlx::query_as(SQL).bind(id).fetch_all(&mut *c).await)?)
}

/// Removes one presentation an activity recorded that its edited lists no longer hold.
pub async fn delete_presentation(tx: &mut Tx, presentation_id: i64) -> Result<u64> {
    Ok(
        exec!(tx, c => sqlx::query("DELETE FROM proposal_presentation WHERE id = $1")
            .bind(presentation_id).execute(&mut *c).await)?,
    )
}
