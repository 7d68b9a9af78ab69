//! Uploaded imports: the file's bytes with its name, kind, size and SHA-256, who sent it (and
//! for NGO staff their organisation, which scopes the list), the preview of its latest run as
//! JSON with its counts, and where it stands. Lists and single reads leave the bytes out; they
//! are read only to run the import.

use super::{Tx, exec, on};
use crate::domain::item::{ImportKind, ImportState};
use crate::error::Result;
use chrono::{DateTime, Utc};
use sqlx::FromRow;

/// A stored import without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ImportRow {
    pub id: i64,
    pub kind: ImportKind,
    pub file_name: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub uploaded_by: Option<i64>,
    pub uploaded_by_name: String,
    pub organisation_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub state: ImportState,
    pub preview: String,
    pub new_rows: i64,
    pub changed_rows: i64,
    pub unchanged_rows: i64,
    pub error_rows: i64,
    pub applied_at: Option<DateTime<Utc>>,
    pub applied_by: Option<i64>,
    pub applied_by_name: Option<String>,
}

/// The outcome of one run of an import: its state, preview JSON and counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOutcome<'a> {
    pub state: ImportState,
    pub preview: &'a str,
    /// new, changed, unchanged, errors.
    pub counts: [i64; 4],
}

/// An upload to store; the caller has checked its size and named its kind.
#[derive(Debug, Clone)]
pub struct NewImport<'a> {
    pub kind: ImportKind,
    pub file_name: &'a str,
    pub sha256: &'a str,
    pub content: &'a [u8],
    pub uploaded_by: Option<i64>,
    pub uploaded_by_name: &'a str,
    pub organisation_id: Option<i64>,
    pub run: RunOutcome<'a>,
}

const COLUMNS: &str = "id, kind, file_name, sha256, size_bytes, uploaded_by, uploaded_by_name, \
                       organisation_id, created_at, state, preview, new_rows, changed_rows, \
                       unchanged_rows, error_rows, applied_at, applied_by, applied_by_name";

/// The list shows counts, not rows: the preview column is read as empty text there.
const LIST_COLUMNS: &str = "id, kind, file_name, sha256, size_bytes, uploaded_by, uploaded_by_name, \
                            organisation_id, created_at, state, '' AS preview, new_rows, changed_rows, \
                            unchanged_rows, error_rows, applied_at, applied_by, applied_by_name";

pub async fn insert_import(tx: &mut Tx, n: &NewImport<'_>, at: DateTime<Utc>) -> Result<ImportRow> {
    let size = i64::try_from(n.content.len()).unwrap_or(i64::MAX);
    let [new, changed, unchanged, errors] = n.run.counts;
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO imports (kind, file_name, sha256, size_bytes, content, uploaded_by, \
         uploaded_by_name, organisation_id, created_at, state, preview, new_rows, changed_rows, \
         unchanged_rows, error_rows) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING {COLUMNS}"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql)
        .bind(n.kind).bind(n.file_name).bind(n.sha256).bind(size).bind(n.content)
        .bind(n.uploaded_by).bind(n.uploaded_by_name).bind(n.organisation_id).bind(at)
        .bind(n.run.state).bind(n.run.preview).bind(new).bind(changed).bind(unchanged).bind(errors)
        .fetch_one(&mut *c).await)?)
}

pub async fn get_import(tx: &mut Tx, id: i64) -> Result<Option<ImportRow>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM imports WHERE id = $1"));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(id).fetch_optional(&mut *c).await)?)
}

/// The stored bytes of import `id`.
pub async fn get_content(tx: &mut Tx, id: i64) -> Result<Option<Vec<u8>>> {
    const SQL: &str = "SELECT content FROM imports WHERE id = $1";
    Ok(on!(tx, c => sqlx::query_scalar(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

/// The newest `limit` imports, all of them or one organisation's, newest first, without
/// their previews.
pub async fn list_imports(
    tx: &mut Tx,
    organisation_id: Option<i64>,
    limit: i64,
) -> Result<Vec<ImportRow>> {
    match organisation_id {
        Some(org) => {
            let sql = sqlx::AssertSqlSafe(format!(
                "SELECT {LIST_COLUMNS} FROM imports WHERE organisation_id = $1 ORDER BY id DESC LIMIT $2"
            ));
            Ok(on!(tx, c => sqlx::query_as(sql).bind(org).bind(limit).fetch_all(&mut *c).await)?)
        }
        None => {
            let sql = sqlx::AssertSqlSafe(format!(
                "SELECT {LIST_COLUMNS} FROM imports ORDER BY id DESC LIMIT $1"
            ));
            Ok(on!(tx, c => sqlx::query_as(sql).bind(limit).fetch_all(&mut *c).await)?)
        }
    }
}

/// Records a later run of a previewed import: its new state and preview, and who applied it
/// when it was applied. Changes nothing (and returns 0) unless the import is still
/// `previewed`, so of two applies racing only one is recorded.
pub async fn record_run(
    tx: &mut Tx,
    id: i64,
    run: &RunOutcome<'_>,
    applied: Option<(DateTime<Utc>, Option<i64>, &str)>,
) -> Result<u64> {
    let [new, changed, unchanged, errors] = run.counts;
    let (at, by, name) = match applied {
        Some((at, by, name)) => (Some(at), by, Some(name)),
        None => (None, None, None),
    };
    const SQL: &str = "UPDATE imports SET state = $1, preview = $2, new_rows = $3, \
                       changed_rows = $4, unchanged_rows = $5, error_rows = $6, applied_at = $7, \
                       applied_by = $8, applied_by_name = $9 WHERE id = $10 AND state = 'previewed'";
    Ok(exec!(tx, c => sqlx::query(SQL)
        .bind(run.state).bind(run.preview).bind(new).bind(changed).bind(unchanged).bind(errors)
        .bind(at).bind(by).bind(name).bind(id)
        .execute(&mut *c).await)?)
}
