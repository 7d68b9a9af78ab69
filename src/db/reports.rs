//! The report archive and the free-text sections saved for a period.

use super::{Tx, exec, on};
use crate::domain::Lang;
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;

#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct IssuedReport {
    pub id: i64,
    pub period: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub lang: Lang,
    pub version: i64,
    pub issued_on: NaiveDate,
    pub issued_by: Option<i64>,
    pub issued_at: DateTime<Utc>,
    pub sha256: String,
    pub byte_size: i64,
    /// The newest audit entry when the report was rendered (the anchor printed in its footer).
    pub audit_entry_id: Option<i64>,
    pub audit_head: Option<String>,
    /// The signature block and recipients as printed, lines separated by '\n'.
    pub signer_name: Option<String>,
    pub signer_lines: Option<String>,
    pub recipients: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewIssuedReport<'a> {
    pub period: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub lang: Lang,
    pub issued_on: NaiveDate,
    pub issued_by: Option<i64>,
    pub sha256: String,
    pub pdf: &'a [u8],
    pub audit_anchor: Option<(i64, String)>,
    pub signer_name: Option<String>,
    pub signer_lines: Option<String>,
    pub recipients: Option<String>,
}

const COLUMNS: &str = "id, period, period_from, period_to, lang, version, issued_on, issued_by, issued_at, sha256, byte_size, \
                       audit_entry_id, audit_head, signer_name, signer_lines, recipients";

/// Archives a PDF as the next version for its period and language.
pub async fn insert_issued(
    tx: &mut Tx,
    r: &NewIssuedReport<'_>,
    at: DateTime<Utc>,
) -> Result<IssuedReport> {
    const NEXT: &str = "SELECT CAST(COALESCE(MAX(version), 0) + 1 AS BIGINT) FROM issued_report WHERE period = $1 AND lang = $2";
    let version: i64 = on!(tx, c => sqlx::query_scalar(NEXT).bind(&r.period).bind(r.lang).fetch_one(&mut *c).await)?;
    let size = i64::try_from(r.pdf.len()).unwrap_or(i64::MAX);
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO issued_report (period, period_from, period_to, lang, version, issued_on, issued_by, issued_at, sha256, byte_size, pdf, \
         audit_entry_id, audit_head, signer_name, signer_lines, recipients) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING {COLUMNS}"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql)
        .bind(&r.period).bind(r.period_from).bind(r.period_to).bind(r.lang).bind(version).bind(r.issued_on)
        .bind(r.issued_by).bind(at).bind(&r.sha256).bind(size).bind(r.pdf)
        .bind(r.audit_anchor.as_ref().map(|a| a.0)).bind(r.audit_anchor.as_ref().map(|a| a.1.as_str()))
        .bind(&r.signer_name).bind(&r.signer_lines).bind(&r.recipients)
        .fetch_one(&mut *c).await)?)
}

pub async fn list_issued(tx: &mut Tx, period: Option<&str>) -> Result<Vec<IssuedReport>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM issued_report WHERE ($1 IS NULL OR period = $1) ORDER BY period, lang, version"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(period).fetch_all(&mut *c).await)?)
}

pub async fn get_issued_pdf(tx: &mut Tx, id: i64) -> Result<Option<(IssuedReport, Vec<u8>)>> {
    let meta_sql =
        sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM issued_report WHERE id = $1"));
    let meta: Option<IssuedReport> =
        on!(tx, c => sqlx::query_as(meta_sql).bind(id).fetch_optional(&mut *c).await)?;
    let Some(meta) = meta else { return Ok(None) };
    let pdf: Vec<u8> = on!(tx, c => sqlx::query_scalar("SELECT pdf FROM issued_report WHERE id = $1").bind(id).fetch_one(&mut *c).await)?;
    Ok(Some((meta, pdf)))
}

/// The id of one archived version of a period's report in a language, if it exists.
pub async fn find_version(
    tx: &mut Tx,
    period: &str,
    lang: Lang,
    version: i64,
) -> Result<Option<i64>> {
    const SQL: &str =
        "SELECT id FROM issued_report WHERE period = $1 AND lang = $2 AND version = $3";
    Ok(
        on!(tx, c => sqlx::query_scalar(SQL).bind(period).bind(lang).bind(version).fetch_optional(&mut *c).await)?,
    )
}

/// The id and hash of the newest audit entry (the chain head), if the trail is not empty.
pub async fn audit_head(tx: &mut Tx) -> Result<Option<(i64, String)>> {
    const SQL: &str = "SELECT id, hash FROM audit_entry ORDER BY id DESC LIMIT 1";
    Ok(on!(tx, c => sqlx::query_as(SQL).fetch_optional(&mut *c).await)?)
}

/// The saved free text of one section, if any.
pub async fn get_text(
    tx: &mut Tx,
    period: &str,
    lang: Lang,
    section: &str,
) -> Result<Option<String>> {
    const SQL: &str =
        "SELECT body FROM report_text WHERE period = $1 AND lang = $2 AND section = $3";
    Ok(
        on!(tx, c => sqlx::query_scalar(SQL).bind(period).bind(lang).bind(section).fetch_optional(&mut *c).await)?,
    )
}

pub async fn save_text(
    tx: &mut Tx,
    period: &str,
    lang: Lang,
    section: &str,
    body: &str,
    by: Option<i64>,
    at: DateTime<Utc>,
) -> Result<()> {
    const SQL: &str = "INSERT INTO report_text (period, lang, section, body, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
                       ON CONFLICT (period, lang, section) DO UPDATE SET body = excluded.body, updated_by = excluded.updated_by, updated_at = excluded.updated_at";
    exec!(tx, c => sqlx::query(SQL).bind(period).bind(lang).bind(section).bind(body).bind(by).bind(at).execute(&mut *c).await)?;
    Ok(())
}
