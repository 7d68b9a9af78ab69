//! Stage programmes of aid mobilisation ("chương trình vận động viện trợ giai đoạn …") and
//! their targets per sector group and locality. A programme's row is updated in place when it
//! is amended; the history lives in the audit trail, which the action writes.

use super::{Tx, exec, on};
use crate::domain::Currency;
use crate::domain::mobilisation::TargetDimension;
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;

#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct Programme {
    pub id: i64,
    pub name_vi: String,
    pub name_en: String,
    pub decision_number: String,
    pub decision_date: NaiveDate,
    pub decision_authority: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub target_currency: Currency,
    pub target_minor: i64,
    pub target_items: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A priority sector group or locality, with its optional targets.
#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize, serde::Deserialize)]
pub struct ProgrammeTarget {
    pub dimension: TargetDimension,
    pub code: String,
    pub target_minor: Option<i64>,
    pub target_items: Option<i64>,
}

/// A programme's fields as a person gives them, already validated by the action.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NewProgramme {
    pub name_vi: String,
    pub name_en: String,
    pub decision_number: String,
    pub decision_date: NaiveDate,
    pub decision_authority: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub target_currency: Currency,
    pub target_minor: i64,
    pub target_items: Option<i64>,
    pub targets: Vec<ProgrammeTarget>,
}

const COLUMNS: &str = "id, name_vi, name_en, decision_number, decision_date, decision_authority, starts_on, ends_on, \
                       target_currency, target_minor, target_items, created_at, updated_at";

pub async fn insert_programme(tx: &mut Tx, p: &NewProgramme, at: DateTime<Utc>) -> Result<i64> {
    const SQL: &str = "INSERT INTO programme (name_vi, name_en, decision_number, decision_date, decision_authority, starts_on, ends_on, \
                       target_currency, target_minor, target_items, created_at, updated_at) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id";
    let id: i64 = on!(tx, c => sqlx::query_scalar(SQL)
        .bind(&p.name_vi).bind(&p.name_en).bind(&p.decision_number).bind(p.decision_date).bind(&p.decision_authority)
        .bind(p.starts_on).bind(p.ends_on).bind(p.target_currency).bind(p.target_minor).bind(p.target_items).bind(at)
        .fetch_one(&mut *c).await)?;
    insert_targets(tx, id, &p.targets).await?;
    Ok(id)
}

async fn insert_targets(tx: &mut Tx, id: i64, targets: &[ProgrammeTarget]) -> Result<()> {
    const SQL: &str = "INSERT INTO programme_target (programme_id, dimension, code, target_minor, target_items) VALUES ($1, $2, $3, $4, $5)";
    for t in targets {
        exec!(tx, c => sqlx::query(SQL).bind(id).bind(t.dimension).bind(&t.code).bind(t.target_minor).bind(t.target_items)
            .execute(&mut *c).await)?;
    }
    Ok(())
}

/// Writes an amended programme and replaces its targets as a set.
pub async fn update_programme(
    tx: &mut Tx,
    id: i64,
    p: &NewProgramme,
    at: DateTime<Utc>,
) -> Result<()> {
    const SQL: &str = "UPDATE programme SET name_vi = $1, name_en = $2, decision_number = $3, decision_date = $4, decision_authority = $5, \
                       starts_on = $6, ends_on = $7, target_currency = $8, target_minor = $9, target_items = $10, updated_at = $11 WHERE id = $12";
    exec!(tx, c => sqlx::query(SQL)
        .bind(&p.name_vi).bind(&p.name_en).bind(&p.decision_number).bind(p.decision_date).bind(&p.decision_authority)
        .bind(p.starts_on).bind(p.ends_on).bind(p.target_currency).bind(p.target_minor).bind(p.target_items).bind(at).bind(id)
        .execute(&mut *c).await)?;
    exec!(tx, c => sqlx::query("DELETE FROM programme_target WHERE programme_id = $1").bind(id).execute(&mut *c).await)?;
    insert_targets(tx, id, &p.targets).await
}

pub async fn get_programme(tx: &mut Tx, id: i64) -> Result<Option<Programme>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM programme WHERE id = $1"));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(id).fetch_optional(&mut *c).await)?)
}

/// Every programme, the newest stage first.
pub async fn list_programmes(tx: &mut Tx) -> Result<Vec<Programme>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM programme ORDER BY starts_on DESC, id DESC"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql).fetch_all(&mut *c).await)?)
}

/// Programmes whose stage shares a day with `from..=to`, other than `except`.
pub async fn overlapping(
    tx: &mut Tx,
    from: NaiveDate,
    to: NaiveDate,
    except: Option<i64>,
) -> Result<Vec<Programme>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM programme WHERE starts_on <= $2 AND ends_on >= $1 AND id <> $3 ORDER BY starts_on"
    ));
    Ok(
        on!(tx, c => sqlx::query_as(sql).bind(from).bind(to).bind(except.unwrap_or(0)).fetch_all(&mut *c).await)?,
    )
}

/// A programme's priority sector groups and localities, sector groups first.
pub async fn targets_of(tx: &mut Tx, id: i64) -> Result<Vec<ProgrammeTarget>> {
    const SQL: &str = "SELECT dimension, code, target_minor, target_items FROM programme_target WHERE programme_id = $1 \
                       ORDER BY CASE dimension WHEN 'sector_group' THEN 0 ELSE 1 END, code";
    Ok(on!(tx, c => sqlx::query_as(SQL).bind(id).fetch_all(&mut *c).await)?)
}
