//! Evidence documents: the bytes of a file attached to a disbursement, a milestone or a
//! promotion activity, with its
//! name, content-checked type, size, SHA-256 and who attached it when. Lists read the metadata
//! only; the bytes are read one document at a time, for a download.

use super::{Tx, exec, on};
use crate::error::Result;
use chrono::{DateTime, Utc};
use sqlx::FromRow;

/// A stored document without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct Document {
    pub id: i64,
    pub disbursement_id: Option<i64>,
    pub milestone_id: Option<i64>,
    pub activity_id: Option<i64>,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_by: Option<i64>,
    pub uploaded_by_name: String,
    pub uploaded_at: DateTime<Utc>,
}

/// A document to store; the caller has checked the content and made the name safe.
#[derive(Debug, Clone)]
pub struct NewDocument<'a> {
    pub disbursement_id: Option<i64>,
    pub milestone_id: Option<i64>,
    pub activity_id: Option<i64>,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub content: &'a [u8],
    pub uploaded_by: Option<i64>,
    pub uploaded_by_name: &'a str,
}

const PLAIN: &str = "id, disbursement_id, milestone_id, activity_id, file_name, content_type, size_bytes, \
                     sha256, uploaded_by, uploaded_by_name, uploaded_at";
const COLUMNS: &str = "e.id, e.disbursement_id, e.milestone_id, e.activity_id, e.file_name, e.content_type, e.size_bytes, \
                       e.sha256, e.uploaded_by, e.uploaded_by_name, e.uploaded_at";

pub async fn insert_document(
    tx: &mut Tx,
    d: &NewDocument<'_>,
    at: DateTime<Utc>,
) -> Result<Document> {
    let size = i64::try_from(d.content.len()).unwrap_or(i64::MAX);
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO evidence_document (disbursement_id, milestone_id, activity_id, file_name, content_type, size_bytes, \
         sha256, content, uploaded_by, uploaded_by_name, uploaded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING {PLAIN}"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql)
        .bind(d.disbursement_id).bind(d.milestone_id).bind(d.activity_id).bind(d.file_name).bind(d.content_type)
        .bind(size).bind(d.sha256).bind(d.content).bind(d.uploaded_by).bind(d.uploaded_by_name).bind(at)
        .fetch_one(&mut *c).await)?)
}

pub async fn get_document(tx: &mut Tx, id: i64) -> Result<Option<Document>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM evidence_document e WHERE e.id = $1"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(id).fetch_optional(&mut *c).await)?)
}

/// The stored bytes of document `id`.
pub async fn get_content(tx: &mut Tx, id: i64) -> Result<Option<Vec<u8>>> {
    const SQL: &str = "SELECT content FROM evidence_document WHERE id = $1";
    Ok(on!(tx, c => sqlx::query_scalar(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

/// Every document of the given items' disbursements and milestones, oldest first, in one
/// query however many items there are.
pub async fn list_for_items(tx: &mut Tx, item_ids: &[i64]) -> Result<Vec<Document>> {
    if item_ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = id_list(item_ids);
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM evidence_document e \
         LEFT JOIN disbursement d ON d.id = e.disbursement_id \
         LEFT JOIN milestone m ON m.id = e.milestone_id \
         WHERE d.item_id IN ({list}) OR m.item_id IN ({list}) ORDER BY e.id"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql).fetch_all(&mut *c).await)?)
}

/// Ids written into a statement's `IN (…)`: they are integers, so this is safe and works on
/// both engines.
fn id_list(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The documents of the given disbursements, oldest first.
pub async fn list_for_disbursements(tx: &mut Tx, ids: &[i64]) -> Result<Vec<Document>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = id_list(ids);
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM evidence_document e WHERE e.disbursement_id IN ({list}) ORDER BY e.id"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql).fetch_all(&mut *c).await)?)
}

/// The documents of one milestone, oldest first.
pub async fn list_for_milestone(tx: &mut Tx, milestone_id: i64) -> Result<Vec<Document>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM evidence_document e WHERE e.milestone_id = $1 ORDER BY e.id"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(milestone_id).fetch_all(&mut *c).await)?)
}

/// The documents of one promotion activity, oldest first.
pub async fn list_for_activity(tx: &mut Tx, activity_id: i64) -> Result<Vec<Document>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM evidence_document e WHERE e.activity_id = $1 ORDER BY e.id"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(activity_id).fetch_all(&mut *c).await)?)
}

pub async fn delete_document(tx: &mut Tx, id: i64) -> Result<u64> {
    Ok(
        exec!(tx, c => sqlx::query("DELETE FROM evidence_document WHERE id = $1")
            .bind(id).execute(&mut *c).await)?,
    )
}
