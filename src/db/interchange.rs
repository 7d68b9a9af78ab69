//! What the spreadsheet templates read that other modules do not: organisations with their
//! codes and registered sectors and provinces, and every money row and milestone in the
//! order the templates number them (by item, then by id, so `ITEM/D3` is the item's third
//! disbursement on any database the file is imported into).

use super::ledger::{Commitment, Disbursement, Milestone};
use super::{Tx, on};
use crate::domain::item::{CertificateType, OrgKind};
use crate::error::Result;
use chrono::NaiveDate;
use sqlx::FromRow;

/// An organisation as the template shows it: its code instead of its id.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct OrgRow {
    pub id: i64,
    pub code: String,
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
}

/// Every organisation, oldest first. A row without a code (written before this module, and
/// missed by the migration's backfill) is shown as `ORG-<id>`, the code it would get.
pub async fn organisations(tx: &mut Tx) -> Result<Vec<OrgRow>> {
    const SQL: &str = "SELECT id, COALESCE(code, '') AS code, kind, name_vi, name_en, acronym, nationality, iati_ref, \
                       cert_type, cert_number, cert_valid_from, cert_valid_to FROM organisation ORDER BY id";
    let mut rows: Vec<OrgRow> = on!(tx, c => sqlx::query_as(SQL).fetch_all(&mut *c).await)?;
    for r in rows.iter_mut().filter(|r| r.code.is_empty()) {
        r.code = format!("ORG-{:04}", r.id);
    }
    Ok(rows)
}

/// The organisation with `code`, if any (codes compare exactly).
pub async fn organisation_id_by_code(tx: &mut Tx, code: &str) -> Result<Option<i64>> {
    Ok(
        on!(tx, c => sqlx::query_scalar("SELECT id FROM organisation WHERE code = $1").bind(code).fetch_optional(&mut *c).await)?,
    )
}

/// `(organisation id, code)` of every sector an organisation registered, by organisation
/// then code.
pub async fn organisation_sectors(tx: &mut Tx) -> Result<Vec<(i64, String)>> {
    const SQL: &str = "SELECT organisation_id, sector_code FROM organisation_sector ORDER BY organisation_id, sector_code";
    Ok(on!(tx, c => sqlx::query_as(SQL).fetch_all(&mut *c).await)?)
}

/// `(organisation id, code)` of every province an organisation registered.
pub async fn organisation_provinces(tx: &mut Tx) -> Result<Vec<(i64, String)>> {
    const SQL: &str = "SELECT organisation_id, province_code FROM organisation_province ORDER BY organisation_id, province_code";
    Ok(on!(tx, c => sqlx::query_as(SQL).fetch_all(&mut *c).await)?)
}

/// Every commitment, by item then id.
pub async fn commitments(tx: &mut Tx) -> Result<Vec<Commitment>> {
    const SQL: &str = "SELECT id, item_id, kind, amount_minor, currency, commitment_date, reference, entered_by, created_at, \
                       rate_id, amount_vnd, amount_usd_cents, unconverted_reason FROM commitment ORDER BY item_id, id";
    Ok(on!(tx, c => sqlx::query_as(SQL).fetch_all(&mut *c).await)?)
}

/// One item's commitments, milestones and disbursements, by id: what an import compares
/// its rows of that item with, read when the file first names the item. The ledger's own
/// per-item reads, put in id order, the order references are numbered in.
pub async fn rows_of_item(
    tx: &mut Tx,
    item_id: i64,
) -> Result<(Vec<Commitment>, Vec<Milestone>, Vec<Disbursement>)> {
    let mut c = super::ledger::list_commitments(tx, item_id).await?;
    let mut m = super::ledger::list_milestones(tx, item_id).await?;
    let mut d = super::ledger::list_disbursements(tx, item_id).await?;
    c.sort_by_key(|r| r.id);
    m.sort_by_key(|r| r.id);
    d.sort_by_key(|r| r.id);
    Ok((c, m, d))
}

/// Every disbursement, by item then id.
pub async fn disbursements(tx: &mut Tx) -> Result<Vec<Disbursement>> {
    const SQL: &str = "SELECT id, item_id, amount_minor, currency, value_date, tranche, milestone_id, reverses_id, status, entered_by, \
                       verified_by, verified_at, rejection_reason, created_at, rate_id, amount_vnd, amount_usd_cents, unconverted_reason \
                       FROM disbursement ORDER BY item_id, id";
    Ok(on!(tx, c => sqlx::query_as(SQL).fetch_all(&mut *c).await)?)
}

/// The id of an item's `n`th disbursement (from 1) in the templates' numbering, `ITEM/Dn`.
pub async fn nth_disbursement(tx: &mut Tx, item_id: i64, n: i64) -> Result<Option<i64>> {
    const SQL: &str =
        "SELECT id FROM disbursement WHERE item_id = $1 ORDER BY id LIMIT 1 OFFSET $2";
    if n < 1 {
        return Ok(None);
    }
    Ok(
        on!(tx, c => sqlx::query_scalar(SQL).bind(item_id).bind(n - 1).fetch_optional(&mut *c).await)?,
    )
}

/// Every milestone, by item then id.
pub async fn milestones(tx: &mut Tx) -> Result<Vec<Milestone>> {
    const SQL: &str = "SELECT id, item_id, title_vi, title_en, planned_date, actual_date, status, evidence, created_at \
                       FROM milestone ORDER BY item_id, id";
    Ok(on!(tx, c => sqlx::query_as(SQL).fetch_all(&mut *c).await)?)
}

/// `(id, username)` of every user, to name verifiers.
pub async fn usernames(tx: &mut Tx) -> Result<Vec<(i64, String)>> {
    Ok(
        on!(tx, c => sqlx::query_as("SELECT id, username FROM app_user ORDER BY id").fetch_all(&mut *c).await)?,
    )
}
