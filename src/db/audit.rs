//! The append-only, hash-chained audit trail. Each entry's hash is SHA-256 over the previous
//! entry's hash and the entry's own canonical text, so changing, removing or reordering any
//! row behind the application's back breaks the chain at that row, which [`verify_chain`]
//! reports. Entries are written inside the transaction of the change they describe.

use super::{Tx, on};
use crate::error::Result;
use chrono::{DateTime, SecondsFormat, Utc};
use sha2::{Digest, Sha256};
use sqlx::FromRow;

/// The hash the first entry chains from.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// What an action records: who, what, and the values before and after (JSON text).
#[derive(Debug, Clone)]
pub struct NewAuditEntry<'a> {
    pub actor_id: Option<i64>,
    pub actor: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

fn entry_hash(prev: &str, at: DateTime<Utc>, e: &NewAuditEntry<'_>) -> String {
    // A JSON array is an unambiguous encoding: no field can bleed into the next.
    let canonical = serde_json::json!([
        prev,
        at.to_rfc3339_opts(SecondsFormat::Micros, true),
        e.actor_id,
        e.actor,
        e.action,
        e.entity,
        e.entity_id,
        e.before,
        e.after
    ]);
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

/// Appends an entry after the current last one. Callers hold the write lock (`Store::write`),
/// so no other writer can append between reading the last hash and inserting.
pub async fn append(tx: &mut Tx, e: &NewAuditEntry<'_>, at: DateTime<Utc>) -> Result<i64> {
    const LAST: &str = "SELECT hash FROM audit_entry ORDER BY id DESC LIMIT 1";
    let prev: Option<String> =
        on!(tx, c => sqlx::query_scalar(LAST).fetch_optional(&mut *c).await)?;
    let prev = prev.unwrap_or_else(|| GENESIS.to_string());
    let hash = entry_hash(&prev, at, e);
    const SQL: &str = "INSERT INTO audit_entry (at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";
    Ok(on!(tx, c => sqlx::query_scalar(SQL)
        .bind(at).bind(e.actor_id).bind(e.actor).bind(e.action).bind(e.entity).bind(&e.entity_id)
        .bind(&e.before).bind(&e.after).bind(&prev).bind(&hash)
        .fetch_one(&mut *c).await)?)
}

const COLUMNS: &str =
    "id, at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash";

pub async fn list_entries(
    tx: &mut Tx,
    entity: Option<&str>,
    entity_id: Option<&str>,
    limit: i64,
) -> Result<Vec<AuditEntry>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM audit_entry WHERE ($1 IS NULL OR entity = $1) AND ($2 IS NULL OR entity_id = $2) ORDER BY id DESC LIMIT $3"
    ));
    Ok(
        on!(tx, c => sqlx::query_as(sql).bind(entity).bind(entity_id).bind(limit).fetch_all(&mut *c).await)?,
    )
}

/// Entries matching every given filter, newest first; `from` and `to` bound `at` inclusively.
pub async fn list_filtered(
    tx: &mut Tx,
    entity: Option<&str>,
    entity_id: Option<&str>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    limit: i64,
) -> Result<Vec<AuditEntry>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM audit_entry WHERE ($1 IS NULL OR entity = $1) AND ($2 IS NULL OR entity_id = $2) \
         AND ($3 IS NULL OR at >= $3) AND ($4 IS NULL OR at <= $4) ORDER BY id DESC LIMIT $5"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql)
        .bind(entity).bind(entity_id).bind(from).bind(to).bind(limit)
        .fetch_all(&mut *c).await)?)
}

/// The outcome of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChainReport {
    pub entries: u64,
    /// The first entry whose stored hashes do not match, and why.
    pub broken_at: Option<(i64, String)>,
}

pub async fn verify_chain(tx: &mut Tx) -> Result<ChainReport> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM audit_entry ORDER BY id"));
    let rows: Vec<AuditEntry> = on!(tx, c => sqlx::query_as(sql).fetch_all(&mut *c).await)?;
    let mut prev = GENESIS.to_string();
    let mut entries = 0_u64;
    for r in rows {
        entries += 1;
        if r.prev_hash != prev {
            return Ok(ChainReport { entries, broken_at: Some((r.id, "its link to the previous entry does not match (an entry was removed or changed)".into())) });
        }
        let e = NewAuditEntry {
            actor_id: r.actor_id,
            actor: &r.actor,
            action: &r.action,
            entity: &r.entity,
            entity_id: r.entity_id.clone(),
            before: r.before.clone(),
            after: r.after.clone(),
        };
        if entry_hash(&prev, r.at, &e) != r.hash {
            return Ok(ChainReport {
                entries,
                broken_at: Some((
                    r.id,
                    "its content does not match its hash (the entry was changed)".into(),
                )),
            });
        }
        prev = r.hash;
    }
    Ok(ChainReport {
        entries,
        broken_at: None,
    })
}
