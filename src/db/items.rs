//! Aid items and their sector and locality allocations.

use super::{Tx, exec, on};
use crate::domain::item::{AidForm, ItemStatus, Modality};
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;

#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct AidItem {
    pub id: i64,
    pub code: String,
    pub title_vi: String,
    pub title_en: String,
    pub modality: Modality,
    pub form: AidForm,
    pub donor_id: i64,
    pub funding_source_id: Option<i64>,
    pub aid_owner_id: i64,
    pub managing_agency_id: i64,
    pub approval_number: Option<String>,
    pub approval_date: Option<NaiveDate>,
    pub approval_authority: Option<String>,
    pub legal_basis: String,
    pub planned_start: NaiveDate,
    pub planned_end: NaiveDate,
    pub actual_start: Option<NaiveDate>,
    pub actual_end: Option<NaiveDate>,
    pub status: ItemStatus,
    pub beneficiaries: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A new item with its allocations (basis points), validated by the action.
#[derive(Debug, Clone)]
pub struct NewAidItem {
    pub code: String,
    pub title_vi: String,
    pub title_en: String,
    pub modality: Modality,
    pub form: AidForm,
    pub donor_id: i64,
    pub funding_source_id: Option<i64>,
    pub aid_owner_id: i64,
    pub managing_agency_id: i64,
    pub approval_number: Option<String>,
    pub approval_date: Option<NaiveDate>,
    pub approval_authority: Option<String>,
    pub legal_basis: String,
    pub planned_start: NaiveDate,
    pub planned_end: NaiveDate,
    pub actual_start: Option<NaiveDate>,
    pub actual_end: Option<NaiveDate>,
    pub status: ItemStatus,
    pub beneficiaries: Option<String>,
    pub sectors: Vec<(String, u32)>,
    pub localities: Vec<(String, u32)>,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct Allocation {
    pub item_id: i64,
    pub code: String,
    pub share_bp: i64,
}

const COLUMNS: &str = "id, code, title_vi, title_en, modality, form, donor_id, funding_source_id, aid_owner_id, managing_agency_id, \
                       approval_number, approval_date, approval_authority, legal_basis, planned_start, planned_end, actual_start, actual_end, \
                       status, beneficiaries, created_at";

pub async fn insert_item(tx: &mut Tx, i: &NewAidItem, at: DateTime<Utc>) -> Result<i64> {
    const SQL: &str = "INSERT INTO aid_item (code, title_vi, title_en, modality, form, donor_id, funding_source_id, aid_owner_id, managing_agency_id, \
                       approval_number, approval_date, approval_authority, legal_basis, planned_start, planned_end, actual_start, actual_end, status, beneficiaries, created_at) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id";
    let id: i64 = on!(tx, c => sqlx::query_scalar(SQL)
        .bind(&i.code).bind(&i.title_vi).bind(&i.title_en).bind(i.modality).bind(i.form)
        .bind(i.donor_id).bind(i.funding_source_id).bind(i.aid_owner_id).bind(i.managing_agency_id)
        .bind(&i.approval_number).bind(i.approval_date).bind(&i.approval_authority).bind(&i.legal_basis)
        .bind(i.planned_start).bind(i.planned_end).bind(i.actual_start).bind(i.actual_end)
        .bind(i.status).bind(&i.beneficiaries).bind(at)
        .fetch_one(&mut *c).await)?;
    for (code, bp) in &i.sectors {
        exec!(tx, c => sqlx::query("INSERT INTO aid_item_sector (item_id, sector_code, share_bp) VALUES ($1, $2, $3)")
            .bind(id).bind(code).bind(i64::from(*bp)).execute(&mut *c).await)?;
    }
    for (code, bp) in &i.localities {
        exec!(tx, c => sqlx::query("INSERT INTO aid_item_locality (item_id, unit_code, share_bp) VALUES ($1, $2, $3)")
            .bind(id).bind(code).bind(i64::from(*bp)).execute(&mut *c).await)?;
    }
    Ok(id)
}

pub async fn get_item(tx: &mut Tx, id: i64) -> Result<Option<AidItem>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM aid_item WHERE id = $1"));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(id).fetch_optional(&mut *c).await)?)
}

pub async fn list_items(tx: &mut Tx) -> Result<Vec<AidItem>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM aid_item ORDER BY code"));
    Ok(on!(tx, c => sqlx::query_as(sql).fetch_all(&mut *c).await)?)
}

pub async fn count_items(tx: &mut Tx) -> Result<i64> {
    Ok(
        on!(tx, c => sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM aid_item").fetch_one(&mut *c).await)?,
    )
}

pub async fn set_item_status(
    tx: &mut Tx,
    id: i64,
    status: crate::domain::item::ItemStatus,
) -> Result<()> {
    exec!(tx, c => sqlx::query("UPDATE aid_item SET status = $1 WHERE id = $2").bind(status).bind(id).execute(&mut *c).await)?;
    Ok(())
}

/// Every item's sector shares, ordered by item then sector code (the allocation order).
pub async fn all_sector_allocations(tx: &mut Tx) -> Result<Vec<Allocation>> {
    const SQL: &str = "SELECT item_id, sector_code AS code, share_bp FROM aid_item_sector ORDER BY item_id, sector_code";
    Ok(on!(tx, c => sqlx::query_as(SQL).fetch_all(&mut *c).await)?)
}

/// Every item's locality shares, ordered by item then unit code (the allocation order).
pub async fn all_locality_allocations(tx: &mut Tx) -> Result<Vec<Allocation>> {
    const SQL: &str = "SELECT item_id, unit_code AS code, share_bp FROM aid_item_locality ORDER BY item_id, unit_code";
    Ok(on!(tx, c => sqlx::query_as(SQL).fetch_all(&mut *c).await)?)
}

pub async fn item_allocations(
    tx: &mut Tx,
    item_id: i64,
) -> Result<(Vec<Allocation>, Vec<Allocation>)> {
    const S: &str = "SELECT item_id, sector_code AS code, share_bp FROM aid_item_sector WHERE item_id = $1 ORDER BY sector_code";
    const L: &str = "SELECT item_id, unit_code AS code, share_bp FROM aid_item_locality WHERE item_id = $1 ORDER BY unit_code";
    let s = on!(tx, c => sqlx::query_as(S).bind(item_id).fetch_all(&mut *c).await)?;
    let l = on!(tx, c => sqlx::query_as(L).bind(item_id).fetch_all(&mut *c).await)?;
    Ok((s, l))
}

/// Writes an item's changeable columns; its code, modality, form, organisations and
/// allocations stay as created (a change there is a new item).
pub async fn update_item(tx: &mut Tx, i: &AidItem) -> Result<()> {
    const SQL: &str = "UPDATE aid_item SET title_vi = $1, title_en = $2, status = $3, approval_number = $4, approval_date = $5, \
                       approval_authority = $6, planned_start = $7, planned_end = $8, actual_start = $9, actual_end = $10, beneficiaries = $11 \
                       WHERE id = $12";
    exec!(tx, c => sqlx::query(SQL)
        .bind(&i.title_vi).bind(&i.title_en).bind(i.status).bind(&i.approval_number).bind(i.approval_date)
        .bind(&i.approval_authority).bind(i.planned_start).bind(i.planned_end).bind(i.actual_start).bind(i.actual_end)
        .bind(&i.beneficiaries).bind(i.id)
        .execute(&mut *c).await)?;
    Ok(())
}
