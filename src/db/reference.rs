//! Reference data: administrative units (with validity dates and successors, because
//! districts ended on 1 July 2025) and the two-level sector list.

use super::{Tx, exec, on};
use crate::domain::item::AdminLevel;
use crate::error::Result;
use chrono::NaiveDate;
use sqlx::FromRow;

#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct AdminUnit {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub level: AdminLevel,
    pub parent_code: Option<String>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub successor_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct Sector {
    pub code: String,
    pub parent_code: Option<String>,
    pub name_vi: String,
    pub name_en: String,
    pub dac_code: Option<String>,
    pub sort_order: i64,
}

pub async fn insert_admin_unit(tx: &mut Tx, u: &AdminUnit) -> Result<()> {
    const SQL: &str = "INSERT INTO admin_unit (code, name_vi, name_en, level, parent_code, valid_from, valid_to, successor_code) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    exec!(tx, c => sqlx::query(SQL)
        .bind(&u.code).bind(&u.name_vi).bind(&u.name_en).bind(u.level).bind(&u.parent_code)
        .bind(u.valid_from).bind(u.valid_to).bind(&u.successor_code)
        .execute(&mut *c).await)?;
    Ok(())
}

pub async fn list_admin_units(tx: &mut Tx) -> Result<Vec<AdminUnit>> {
    const SQL: &str = "SELECT code, name_vi, name_en, level, parent_code, valid_from, valid_to, successor_code FROM admin_unit ORDER BY code";
    Ok(on!(tx, c => sqlx::query_as(SQL).fetch_all(&mut *c).await)?)
}

pub async fn insert_sector(tx: &mut Tx, s: &Sector) -> Result<()> {
    const SQL: &str = "INSERT INTO sector (code, parent_code, name_vi, name_en, dac_code, sort_order) VALUES ($1, $2, $3, $4, $5, $6)";
    exec!(tx, c => sqlx::query(SQL)
        .bind(&s.code).bind(&s.parent_code).bind(&s.name_vi).bind(&s.name_en).bind(&s.dac_code).bind(s.sort_order)
        .execute(&mut *c).await)?;
    Ok(())
}

pub async fn list_sectors(tx: &mut Tx) -> Result<Vec<Sector>> {
    const SQL: &str = "SELECT code, parent_code, name_vi, name_en, dac_code, sort_order FROM sector ORDER BY sort_order, code";
    Ok(on!(tx, c => sqlx::query_as(SQL).fetch_all(&mut *c).await)?)
}
