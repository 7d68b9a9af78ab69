//! The append-only, hash-chained audit trail. Each entry's hash is SHA-256 over the previous
//! entry's hash and the entry's own canonical text, so changing, removing or reordering any
//! row behind the application's back breaks the chain at that row, which [`verify_chain`]
//! reports. Entries are written inside the transaction of the change they describe.

use super::{Tx, on};
use crate::error::{Error, Result};
use chrono::{DateTime, SecondsFormat, Utc};
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

impl NewAuditEntry<'_> {
    /// Whether the two differ only in their entity id and after-text, as an import's new
    /// rows do.
    fn alike(&self, other: &Self) -> bool {
        self.actor_id == other.actor_id
            && self.actor == other.actor
            && self.action == other.action
            && self.entity == other.entity
            && self.before == other.before
    }
}

fn entry_hash(prev: &str, at: DateTime<Utc>, e: &NewAuditEntry<'_>) -> Result<String> {
    // A JSON array is an unambiguous encoding: no field can bleed into the next. It is
    // written straight into the hash (a tuple serialises as the same compact array as the
    // `json!` value this once built and printed, a test below checks): an import hashes a
    // million entries, and the copies were a twentieth of its time.
    let canonical = (
        prev,
        at.to_rfc3339_opts(SecondsFormat::Micros, true),
        e.actor_id,
        e.actor,
        e.action,
        e.entity,
        &e.entity_id,
        &e.before,
        &e.after,
    );
    let digest = crate::domain::digest::json_sha256(&canonical)
        .map_err(|e| Error::Internal(e.to_string()))?;
    Ok(hex::encode(digest))
}

/// Appends an entry after the current last one. Callers hold the write lock (`Store::write`),
/// so no other writer can append between reading the last hash and inserting.
/// Refuses (503) while the newest checkpoint says the trail failed verification: an entry
/// chained onto a tampered trail would lend it credibility.
pub async fn append(tx: &mut Tx, e: &NewAuditEntry<'_>, at: DateTime<Utc>) -> Result<i64> {
    let prev = chain_head(tx).await?;
    let hash = entry_hash(&prev, at, e)?;
    const SQL: &str = "INSERT INTO audit_entry (at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";
    Ok(on!(tx, c => sqlx::query_scalar(SQL)
        .bind(at).bind(e.actor_id).bind(e.actor).bind(e.action).bind(e.entity).bind(&e.entity_id)
        .bind(&e.before).bind(&e.after).bind(&prev).bind(&hash)
        .fetch_one(&mut *c).await)?)
}

/// Appends `entries` in order, chained exactly as one [`append`] after another would chain
/// them, in statements of many rows (an import's thousands of new rows).
pub async fn append_many(
    tx: &mut Tx,
    entries: &[NewAuditEntry<'_>],
    at: DateTime<Utc>,
) -> Result<()> {
    let links = chain(chain_head(tx).await?, entries, at)?;
    insert_chained(tx, entries, &links, at).await
}

/// An entry's place in the chain: the previous entry's hash and its own.
pub type Link = (String, String);

/// Each entry's previous hash and own hash when `entries` follow the entry whose hash is
/// `prev` (see [`chain_head`]). Pure computation: an import runs it while the database stores the
/// rows the entries describe.
pub fn chain(
    mut prev: String,
    entries: &[NewAuditEntry<'_>],
    at: DateTime<Utc>,
) -> Result<Vec<Link>> {
    let mut links = Vec::with_capacity(entries.len());
    for e in entries {
        let hash = entry_hash(&prev, at, e)?;
        links.push((prev, hash.clone()));
        prev = hash;
    }
    Ok(links)
}

/// Inserts entries chained by [`chain`] from the current [`chain_head`], in statements of many
/// rows. The caller holds the write lock, so the head cannot have moved in between.
pub async fn insert_chained(
    tx: &mut Tx,
    entries: &[NewAuditEntry<'_>],
    links: &[Link],
    at: DateTime<Utc>,
) -> Result<()> {
    if let (Tx::Sqlite(t), Some(first)) = (&mut *tx, entries.first())
        && entries.iter().all(|e| e.alike(first))
    {
        return insert_alike_sqlite(t, entries, links, at).await;
    }
    let per = super::rows_per_statement(tx, 10);
    for (chunk, links) in entries.chunks(per).zip(links.chunks(per)) {
        let sql = sqlx::AssertSqlSafe(format!(
            "INSERT INTO audit_entry (at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash) VALUES {}",
            super::placeholders(tx.backend(), chunk.len(), 10)
        ));
        super::exec!(tx, c => {
            let mut q = sqlx::query(sql);
            for (e, (p, h)) in chunk.iter().zip(links) {
                q = q.bind(at).bind(e.actor_id).bind(e.actor).bind(e.action).bind(e.entity)
                    .bind(&e.entity_id).bind(&e.before).bind(&e.after).bind(p).bind(h);
            }
            q.execute(&mut *c).await
        })?;
    }
    Ok(())
}

/// [`insert_chained`] on SQLite for entries alike but for their entity id, text and links
/// (an import's new rows): what they share is bound once per statement.
async fn insert_alike_sqlite(
    t: &mut super::SqliteTx,
    entries: &[NewAuditEntry<'_>],
    links: &[Link],
    at: DateTime<Utc>,
) -> Result<()> {
    const VARYING: [&str; 4] = ["entity_id", "after", "prev_hash", "hash"];
    const SHARED: [&str; 6] = ["at", "actor_id", "actor", "action", "entity", "before"];
    let Some(first) = entries.first() else {
        return Ok(());
    };
    let per = 16_000 / VARYING.len();
    for (chunk, links) in entries.chunks(per).zip(links.chunks(per)) {
        let sql = sqlx::AssertSqlSafe(super::sqlite_insert_shared(
            "audit_entry",
            &VARYING,
            &SHARED,
            chunk.len(),
        ));
        let mut q = sqlx::query(sql);
        for (e, (p, h)) in chunk.iter().zip(links) {
            q = q.bind(&e.entity_id).bind(&e.after).bind(p).bind(h);
        }
        q.bind(at)
            .bind(first.actor_id)
            .bind(first.actor)
            .bind(first.action)
            .bind(first.entity)
            .bind(&first.before)
            .execute(&mut **t)
            .await?;
    }
    Ok(())
}

/// The hash the next entry chains from, or a refusal (503) while the newest checkpoint says
/// the trail failed verification: an entry chained onto a tampered trail would lend it
/// credibility.
pub async fn chain_head(tx: &mut Tx) -> Result<String> {
    // One statement for both facts: every audited write reads them inside its turn.
    const SQL: &str = "SELECT (SELECT reason FROM audit_checkpoint ORDER BY id DESC LIMIT 1) AS broken, \
                       (SELECT hash FROM audit_entry ORDER BY id DESC LIMIT 1) AS head";
    let (broken, head): (Option<String>, Option<String>) =
        on!(tx, c => sqlx::query_as(SQL).fetch_one(&mut *c).await)?;
    if let Some(reason) = broken {
        return Err(Error::Unavailable {
            code: "audit_broken",
            message: format!(
                "changes are refused because the audit trail failed verification: {reason}. \
                 Reading still works; an administrator must restore the database from a backup \
                 (see `aidledger restore`) or repair it until `aidledger audit verify` passes"
            ),
        });
    }
    Ok(head.unwrap_or_else(|| GENESIS.to_string()))
}

const COLUMNS: &str =
    "id, at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash";

pub async fn list_entries(
    tx: &mut Tx,
    entity: Option<&str>,
    entity_id: Option<&str>,
    limit: i64,
) -> Result<Vec<AuditEntry>> {
    list_filtered(tx, entity, entity_id, None, None, limit).await
}

/// Entries matching every given filter, newest first; `from` and `to` bound `at` inclusively.
/// The statement names only the filters given: written as `($1 IS NULL OR entity = $1)`, no
/// engine could use the entity index, and an item page (one call per money row) scanned the
/// whole trail each time, 12 s a call on a trail of a million entries (BENCHMARKS.md).
pub async fn list_filtered(
    tx: &mut Tx,
    entity: Option<&str>,
    entity_id: Option<&str>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    limit: i64,
) -> Result<Vec<AuditEntry>> {
    let given = [
        ("entity = ", entity.is_some()),
        ("entity_id = ", entity_id.is_some()),
        ("at >= ", from.is_some()),
        ("at <= ", to.is_some()),
    ];
    let mut sql = format!("SELECT {COLUMNS} FROM audit_entry");
    let mut n = 0;
    for (condition, _) in given.iter().filter(|(_, present)| *present) {
        n += 1;
        sql.push_str(if n == 1 { " WHERE " } else { " AND " });
        sql.push_str(condition);
        sql.push_str(&format!("${n}"));
    }
    sql.push_str(&format!(" ORDER BY id DESC LIMIT ${}", n + 1));
    let sql = sqlx::AssertSqlSafe(sql);
    Ok(on!(tx, c => {
        let mut q = sqlx::query_as(sql);
        if let Some(e) = entity {
            q = q.bind(e);
        }
        if let Some(e) = entity_id {
            q = q.bind(e);
        }
        if let Some(t) = from {
            q = q.bind(t);
        }
        if let Some(t) = to {
            q = q.bind(t);
        }
        q.bind(limit).fetch_all(&mut *c).await
    })?)
}

/// The outcome of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChainReport {
    pub entries: u64,
    /// The first entry whose stored hashes do not match, and why.
    pub broken_at: Option<(i64, String)>,
}

pub async fn verify_chain(tx: &mut Tx) -> Result<ChainReport> {
    verify_chain_from(tx, None).await
}

/// Checks the entries after `from` (an entry id and its hash, already verified), or the whole
/// chain. `entries` counts the entries checked.
pub async fn verify_chain_from(tx: &mut Tx, from: Option<(i64, &str)>) -> Result<ChainReport> {
    // In pages, so that verifying a national trail (a million entries) holds one page at a time.
    let sql = format!("SELECT {COLUMNS} FROM audit_entry WHERE id > $1 ORDER BY id LIMIT 5000");
    let mut after = from.map_or(i64::MIN, |f| f.0);
    let mut prev = from.map_or_else(|| GENESIS.to_string(), |f| f.1.to_string());
    let mut entries = 0_u64;
    loop {
        let page = sqlx::AssertSqlSafe(sql.clone());
        let rows: Vec<AuditEntry> =
            on!(tx, c => sqlx::query_as(page).bind(after).fetch_all(&mut *c).await)?;
        let Some(last) = rows.last().map(|r| r.id) else {
            break;
        };
        after = last;
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
            if entry_hash(&prev, r.at, &e)? != r.hash {
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
    }
    Ok(ChainReport {
        entries,
        broken_at: None,
    })
}

/// The newest entry's id and hash, if any.
pub async fn head(tx: &mut Tx) -> Result<Option<(i64, String)>> {
    const SQL: &str = "SELECT id, hash FROM audit_entry ORDER BY id DESC LIMIT 1";
    Ok(on!(tx, c => sqlx::query_as(SQL).fetch_optional(&mut *c).await)?)
}

/// The hash of entry `id`, if it exists.
pub async fn hash_of(tx: &mut Tx, id: i64) -> Result<Option<String>> {
    const SQL: &str = "SELECT hash FROM audit_entry WHERE id = $1";
    Ok(on!(tx, c => sqlx::query_scalar(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

/// How many entries have an id up to `id`.
pub async fn count_upto(tx: &mut Tx, id: i64) -> Result<i64> {
    const SQL: &str = "SELECT COUNT(*) FROM audit_entry WHERE id <= $1";
    Ok(on!(tx, c => sqlx::query_scalar(SQL).bind(id).fetch_one(&mut *c).await)?)
}

/// Every entry about one record, oldest first.
pub async fn entries_for(tx: &mut Tx, entity: &str, entity_id: &str) -> Result<Vec<AuditEntry>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM audit_entry WHERE entity = $1 AND entity_id = $2 ORDER BY id"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(entity).bind(entity_id).fetch_all(&mut *c).await)?)
}

/// Every entry about the records of one kind with these ids, oldest first.
pub async fn entries_for_ids(tx: &mut Tx, entity: &str, ids: &[i64]) -> Result<Vec<AuditEntry>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // Entity ids are stored as text; these are formatted integers, so listing them is safe.
    let list = ids
        .iter()
        .map(|i| format!("'{i}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM audit_entry WHERE entity = $1 AND entity_id IN ({list}) ORDER BY id"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(entity).fetch_all(&mut *c).await)?)
}

/// Every entry about one kind of record, oldest first.
pub async fn entries_of(tx: &mut Tx, entity: &str) -> Result<Vec<AuditEntry>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM audit_entry WHERE entity = $1 ORDER BY id"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(entity).fetch_all(&mut *c).await)?)
}

/// The (entity, entity id) pairs of the entries after `id`.
pub async fn touched_after(tx: &mut Tx, id: i64) -> Result<Vec<(String, String)>> {
    const SQL: &str = "SELECT DISTINCT entity, entity_id FROM audit_entry WHERE id > $1";
    Ok(on!(tx, c => sqlx::query_as(SQL).bind(id).fetch_all(&mut *c).await)?)
}

/// The recorded outcome of one verification (see migration 0005).
#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct Checkpoint {
    pub id: i64,
    pub checked_at: DateTime<Utc>,
    /// Set when the trail was found broken: why.
    pub reason: Option<String>,
    pub entry_id: Option<i64>,
    pub entry_hash: Option<String>,
    pub entries: i64,
    /// JSON object: table name -> highest id checked.
    pub row_marks: String,
}

pub async fn last_checkpoint(tx: &mut Tx) -> Result<Option<Checkpoint>> {
    const SQL: &str = "SELECT id, checked_at, reason, entry_id, entry_hash, entries, row_marks \
                       FROM audit_checkpoint ORDER BY id DESC LIMIT 1";
    Ok(on!(tx, c => sqlx::query_as(SQL).fetch_optional(&mut *c).await)?)
}

/// The newest checkpoint that found the trail intact.
pub async fn last_intact_checkpoint(tx: &mut Tx) -> Result<Option<Checkpoint>> {
    const SQL: &str = "SELECT id, checked_at, reason, entry_id, entry_hash, entries, row_marks \
                       FROM audit_checkpoint WHERE outcome = 'intact' ORDER BY id DESC LIMIT 1";
    Ok(on!(tx, c => sqlx::query_as(SQL).fetch_optional(&mut *c).await)?)
}

/// Records a verification's outcome; `reason` is set when the trail was found broken.
pub async fn insert_checkpoint(
    tx: &mut Tx,
    reason: Option<&str>,
    head: Option<(i64, &str)>,
    entries: i64,
    row_marks: &str,
) -> Result<()> {
    const SQL: &str = "INSERT INTO audit_checkpoint (checked_at, outcome, reason, entry_id, entry_hash, entries, row_marks) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7)";
    let outcome = if reason.is_some() { "broken" } else { "intact" };
    super::exec!(tx, c => sqlx::query(SQL)
        .bind(super::now()).bind(outcome).bind(reason).bind(head.map(|h| h.0)).bind(head.map(|h| h.1))
        .bind(entries).bind(row_marks)
        .execute(&mut *c).await)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    /// The hash must not change for entries already stored: it is still SHA-256 of the text
    /// the `json!` array printed.
    #[test]
    fn entry_hash_hashes_the_json_array_text() {
        let at = DateTime::parse_from_rfc3339("2026-12-03T12:29:18.591648Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        for (actor_id, before, after) in [
            (
                None,
                None,
                Some("{\"a\":\"Hà Nội \\\"x\\\"\\n\\u0001\"}".to_string()),
            ),
            (
                Some(-7),
                Some("tab\there\r\u{7f}\u{2028}".to_string()),
                None,
            ),
            (
                Some(i64::MAX),
                Some(String::new()),
                Some("đ€😀".to_string()),
            ),
        ] {
            let e = NewAuditEntry {
                actor_id,
                actor: "Nguyễn \"Văn\" A",
                action: "disbursement.record",
                entity: "disbursement",
                entity_id: "42".into(),
                before: before.clone(),
                after: after.clone(),
            };
            let text = serde_json::json!([
                GENESIS,
                at.to_rfc3339_opts(SecondsFormat::Micros, true),
                actor_id,
                e.actor,
                e.action,
                e.entity,
                e.entity_id,
                before,
                after
            ])
            .to_string();
            let want = hex::encode(Sha256::digest(text.as_bytes()));
            assert_eq!(entry_hash(GENESIS, at, &e).ok(), Some(want));
        }
    }
}
