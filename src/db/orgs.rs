//! Organisations: foreign NGOs (with their registration certificate under Decree 58/2022),
//! funding sources, Vietnamese aid owners and managing agencies.

use super::{Tx, exec, on};
use crate::domain::item::{CertificateType, OrgKind};
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;

#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct Organisation {
    pub id: i64,
    pub kind: OrgKind,
    pub name_vi: String,
    pub name_en: String,
    pub acronym: Option<String>,
    pub nationality: String,
    pub iati_ref: Option<String>,
    pub cert_type: Option<CertificateType>,
    pub cert_number: Option<String>,
    pub cert_valid_from: Option<NaiveDate>,
    pub cert_valid_to: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

/// The fields of a new organisation, already validated by the action.
#[derive(Debug, Clone)]
pub struct NewOrganisation {
    pub kind: OrgKind,
    pub name_vi: String,
    pub name_en: String,
    pub acronym: Option<String>,
    pub nationality: String,
    pub iati_ref: Option<String>,
    pub cert_type: Option<CertificateType>,
    pub cert_number: Option<String>,
    pub cert_valid_from: Option<NaiveDate>,
    pub cert_valid_to: Option<NaiveDate>,
    pub sectors: Vec<String>,
    pub provinces: Vec<String>,
}

const COLUMNS: &str = "id, kind, name_vi, name_en, acronym, nationality, iati_ref, cert_type, cert_number, cert_valid_from, cert_valid_to, created_at";

pub async fn insert_organisation(
    tx: &mut Tx,
    o: &NewOrganisation,
    at: DateTime<Utc>,
) -> Result<i64> {
    const SQL: &str = "INSERT INTO organisation (kind, name_vi, name_en, acronym, nationality, iati_ref, cert_type, cert_number, cert_valid_from, cert_valid_to, created_at) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
    let id: i64 = on!(tx, c => sqlx::query_scalar(SQL)
        .bind(o.kind).bind(&o.name_vi).bind(&o.name_en).bind(&o.acronym).bind(&o.nationality).bind(&o.iati_ref)
        .bind(o.cert_type).bind(&o.cert_number).bind(o.cert_valid_from).bind(o.cert_valid_to).bind(at)
        .fetch_one(&mut *c).await)?;
    assign_code(tx, id).await?;
    for s in &o.sectors {
        exec!(tx, c => sqlx::query("INSERT INTO organisation_sector (organisation_id, sector_code) VALUES ($1, $2)")
            .bind(id).bind(s).execute(&mut *c).await)?;
    }
    for p in &o.provinces {
        exec!(tx, c => sqlx::query("INSERT INTO organisation_province (organisation_id, province_code) VALUES ($1, $2)")
            .bind(id).bind(p).execute(&mut *c).await)?;
    }
    Ok(id)
}

pub async fn get_organisation(tx: &mut Tx, id: i64) -> Result<Option<Organisation>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM organisation WHERE id = $1"));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(id).fetch_optional(&mut *c).await)?)
}

pub async fn list_organisations(tx: &mut Tx, kind: Option<OrgKind>) -> Result<Vec<Organisation>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM organisation WHERE ($1 IS NULL OR kind = $1) ORDER BY name_en, id"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(kind).fetch_all(&mut *c).await)?)
}

pub async fn count_organisations(tx: &mut Tx) -> Result<i64> {
    Ok(
        on!(tx, c => sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM organisation").fetch_one(&mut *c).await)?,
    )
}

/// Writes an organisation's changeable columns (its kind and nationality stay as created).
pub async fn update_organisation(tx: &mut Tx, o: &Organisation) -> Result<()> {
    const SQL: &str = "UPDATE organisation SET name_vi = $1, name_en = $2, acronym = $3, iati_ref = $4, cert_type = $5, cert_number = $6, \
                       cert_valid_from = $7, cert_valid_to = $8 WHERE id = $9";
    exec!(tx, c => sqlx::query(SQL)
        .bind(&o.name_vi).bind(&o.name_en).bind(&o.acronym).bind(&o.iati_ref).bind(o.cert_type).bind(&o.cert_number)
        .bind(o.cert_valid_from).bind(o.cert_valid_to).bind(o.id)
        .execute(&mut *c).await)?;
    Ok(())
}

/// Gives organisation `id` its default code, `ORG-0042`, or `ORG-0042-2` (and so on) when an
/// import already gave that code to another organisation.
async fn assign_code(tx: &mut Tx, id: i64) -> Result<()> {
    const SQL: &str = "UPDATE organisation SET code = $1 WHERE id = $2 \
                       AND NOT EXISTS (SELECT 1 FROM organisation WHERE code = $1)";
    let base = format!("ORG-{id:04}");
    for n in 1_u32.. {
        let code = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        let done = exec!(tx, c => sqlx::query(SQL).bind(&code).bind(id).execute(&mut *c).await)?;
        if done == 1 {
            break;
        }
    }
    Ok(())
}

/// Replaces organisation `id`'s code (an import naming organisations by its own codes).
pub async fn set_code(tx: &mut Tx, id: i64, code: &str) -> Result<()> {
    exec!(tx, c => sqlx::query("UPDATE organisation SET code = $1 WHERE id = $2").bind(code).bind(id).execute(&mut *c).await)?;
    Ok(())
}
