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
///
/// Each branch starts from the items' own rows (through their `item_id` index) and finds
/// their documents through the document's index; a document belongs to exactly one record,
/// so no document is in both branches. They are ordered by the first column, the id, by
/// position: SQLite does not match `id` to a compound select's `e.id`. The form that
/// outer-joined both tables to every document under an `OR` read the whole table: with
/// 180,000 documents at national scale it took 79 ms on SQLite and 203 ms on PostgreSQL per
/// item page (BENCHMARKS.md, tenth round). One item, the item page's case, is a bound value,
/// so its statement is prepared once.
pub async fn list_for_items(tx: &mut Tx, item_ids: &[i64]) -> Result<Vec<Document>> {
    match item_ids {
        [] => Ok(Vec::new()),
        [one] => {
            let sql = sqlx::AssertSqlSafe(of_items("= $1"));
            Ok(on!(tx, c => sqlx::query_as(sql).bind(one).fetch_all(&mut *c).await)?)
        }
        many => {
            let sql = sqlx::AssertSqlSafe(of_items(&format!("IN ({})", id_list(many))));
            Ok(on!(tx, c => sqlx::query_as(sql).fetch_all(&mut *c).await)?)
        }
    }
}

/// The documents of the disbursements and milestones whose `item_id` meets `items`.
fn of_items(items: &str) -> String {
    format!(
        "SELECT {COLUMNS} FROM disbursement d JOIN evidence_document e ON e.disbursement_id = d.id \
         WHERE d.item_id {items} \
         UNION ALL SELECT {COLUMNS} FROM milestone m JOIN evidence_document e ON e.milestone_id = m.id \
         WHERE m.item_id {items} ORDER BY 1"
    )
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
