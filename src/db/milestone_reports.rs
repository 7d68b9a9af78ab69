//! Milestone progress reported by NGO staff, waiting for a coordinator's decision. A report
//! is written once; only its decision columns are filled in later, once.

use super::{Tx, exec, on};
use crate::domain::item::{MilestoneStatus, ReportDecision};
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;

#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct MilestoneReport {
    pub id: i64,
    pub milestone_id: i64,
    pub reported_by: i64,
    pub status: MilestoneStatus,
    pub actual_date: Option<NaiveDate>,
    pub evidence: String,
    pub created_at: DateTime<Utc>,
    pub decision: ReportDecision,
    pub decided_by: Option<i64>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewMilestoneReport {
    pub milestone_id: i64,
    pub reported_by: i64,
    pub status: MilestoneStatus,
    pub actual_date: Option<NaiveDate>,
    pub evidence: String,
}

const COLUMNS: &str = "id, milestone_id, reported_by, status, actual_date, evidence, created_at, decision, decided_by, decided_at, decision_note";

pub async fn insert_report(
    tx: &mut Tx,
    r: &NewMilestoneReport,
    at: DateTime<Utc>,
) -> Result<MilestoneReport> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO milestone_report (milestone_id, reported_by, status, actual_date, evidence, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING {COLUMNS}"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql)
        .bind(r.milestone_id).bind(r.reported_by).bind(r.status).bind(r.actual_date).bind(&r.evidence).bind(at)
        .fetch_one(&mut *c).await)?)
}

pub async fn get_report(tx: &mut Tx, id: i64) -> Result<Option<MilestoneReport>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM milestone_report WHERE id = $1"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(id).fetch_optional(&mut *c).await)?)
}

pub async fn list_reports(tx: &mut Tx, milestone_id: i64) -> Result<Vec<MilestoneReport>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM milestone_report WHERE milestone_id = $1 ORDER BY id"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(milestone_id).fetch_all(&mut *c).await)?)
}

/// Records the decision on a pending report; returns the row after the change.
pub async fn decide(
    tx: &mut Tx,
    id: i64,
    decision: ReportDecision,
    by: Option<i64>,
    at: DateTime<Utc>,
    note: Option<&str>,
) -> Result<MilestoneReport> {
    exec!(tx, c => sqlx::query("UPDATE milestone_report SET decision = $1, decided_by = $2, decided_at = $3, decision_note = $4 WHERE id = $5 AND decision = 'pending'")
        .bind(decision).bind(by).bind(at).bind(note).bind(id).execute(&mut *c).await)?;
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM milestone_report WHERE id = $1"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(id).fetch_one(&mut *c).await)?)
}
