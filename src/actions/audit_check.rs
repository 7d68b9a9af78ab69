//! `audit verify`: the hash chain, every issued report's anchor, and the audited rows. A chain
//! that links up proves nothing about rows changed or entries cut off behind the application's
//! back, so the check also compares each money, rate, period-lock and user row with what its
//! audit entries recorded (a row without its creating entry, or with a value its entries never
//! held, is named), checks that each report's recorded head still exists with its hash, and
//! that the last verified checkpoint is still there, unchanged.
//!
//! Every verification leaves a checkpoint row; start-up verifies only what came after the last
//! intact one, so it stays fast on a large trail. A broken outcome makes audited writes refuse
//! (see [`crate::db::audit::append`]) until a full verification passes.

use crate::db::audit::{self, AuditEntry, Checkpoint};
use crate::db::audit_rows::{self, Pick, TABLES, Tracked};
use crate::db::{Store, Tx};
use crate::error::Result;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

/// How much to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everything, from the first entry.
    Full,
    /// What came after the last intact checkpoint (everything when there is none).
    SinceCheckpoint,
}

/// What a verification found.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Verification {
    /// Entries in the trail.
    pub entries: i64,
    /// Entries whose hashes were recomputed.
    pub entries_checked: u64,
    pub rows_checked: u64,
    pub anchors_checked: u64,
    /// Whether only what followed a checkpoint was checked.
    pub incremental: bool,
    /// Each thing found wrong, in plain words.
    pub problems: Vec<String>,
    head: Option<(i64, String)>,
    marks: BTreeMap<String, i64>,
}

impl Verification {
    #[must_use]
    pub fn intact(&self) -> bool {
        self.problems.is_empty()
    }

    /// The problems in one line, the first few named.
    #[must_use]
    pub fn summary(&self) -> String {
        let mut s = self
            .problems
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("; ");
        if self.problems.len() > 5 {
            s.push_str(&format!("; and {} more", self.problems.len() - 5));
        }
        s
    }
}

/// Verifies in one consistent snapshot and records the outcome as a checkpoint (when the
/// database takes writes; a read-only database is verified all the same).
pub async fn verify(store: &Store, scope: Scope) -> Result<Verification> {
    let mut tx = store.read().await?;
    let v = check(&mut tx, scope).await?;
    drop(tx);
    if let Err(e) = record(store, &v).await {
        rocket::warn!("the audit verification could not be recorded: {e}");
    }
    Ok(v)
}

async fn record(store: &Store, v: &Verification) -> Result<()> {
    let marks = serde_json::to_string(&v.marks).unwrap_or_else(|_| "{}".into());
    let reason = (!v.intact()).then(|| v.summary());
    let mut tx = store.write().await?;
    let head = v.head.as_ref().map(|(id, h)| (*id, h.as_str()));
    audit::insert_checkpoint(&mut tx, reason.as_deref(), head, v.entries, &marks).await?;
    tx.commit().await
}

async fn check(tx: &mut Tx, scope: Scope) -> Result<Verification> {
    let mut v = Verification {
        head: audit::head(tx).await?,
        ..Verification::default()
    };
    v.entries = match &v.head {
        Some((id, _)) => audit::count_upto(tx, *id).await?,
        None => 0,
    };
    for t in TABLES.iter().chain(["issued_report"].iter()) {
        v.marks
            .insert((*t).to_string(), audit_rows::max_id(tx, t).await?);
    }
    let cp = audit::last_intact_checkpoint(tx).await?;
    if let Some(cp) = &cp {
        check_checkpoint(tx, cp, &mut v).await?;
    }
    let since = match (&cp, scope) {
        (Some(cp), Scope::SinceCheckpoint) if v.problems.is_empty() => Some(cp),
        _ => None,
    };
    v.incremental = since.is_some();
    let from = since.and_then(|cp| Some((cp.entry_id?, cp.entry_hash.clone()?)));
    let chain = audit::verify_chain_from(tx, from.as_ref().map(|(i, h)| (*i, h.as_str()))).await?;
    v.entries_checked = chain.entries;
    if let Some((id, why)) = chain.broken_at {
        v.problems.push(format!(
            "audit trail broken at entry {id} (the hash chain): {why}"
        ));
    }
    let old_marks: BTreeMap<String, i64> = since
        .and_then(|cp| serde_json::from_str(&cp.row_marks).ok())
        .unwrap_or_default();
    let touched: Vec<(String, String)> = match &from {
        Some((id, _)) => audit::touched_after(tx, *id).await?,
        None => Vec::new(),
    };
    for table in TABLES {
        let mark = if since.is_some() {
            old_marks.get(table).copied().unwrap_or(0)
        } else {
            0
        };
        if since.is_some() {
            let mut rows = audit_rows::rows(tx, table, Pick::After(mark)).await?;
            add_touched(tx, table, &touched, &mut rows).await?;
            let entries = entries_by_key(tx, table, &rows, false).await?;
            compare_all(table, &rows, &entries, &mut v);
            continue;
        }
        // A full check reads the table in chunks with their entries, so a national ledger
        // (a million rows and as many entries) never sits in memory at once.
        let mut after = mark;
        loop {
            let rows = audit_rows::rows(tx, table, Pick::Chunk(after)).await?;
            let Some(last) = rows.last().map(|r| r.id) else {
                break;
            };
            after = last;
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            let entries = if rows.iter().all(|r| r.key == r.id.to_string()) {
                group(audit::entries_for_ids(tx, table, &ids).await?)
            } else {
                // Rates are keyed by currency and date; their table is small.
                entries_by_key(tx, table, &rows, true).await?
            };
            compare_all(table, &rows, &entries, &mut v);
            if rows.len() < audit_rows::CHUNK {
                break;
            }
        }
    }
    let report_mark = if since.is_some() {
        old_marks.get("issued_report").copied().unwrap_or(0)
    } else {
        0
    };
    for (id, period, entry_id, head) in audit_rows::anchors_after(tx, report_mark).await? {
        v.anchors_checked += 1;
        let Some(entry_id) = entry_id else { continue };
        match audit::hash_of(tx, entry_id).await? {
            None => v.problems.push(format!(
                "issued report {id} ({period}) was signed at audit entry {entry_id}, which no longer exists"
            )),
            Some(h) if Some(&h) != head.as_ref() => v.problems.push(format!(
                "issued report {id} ({period}) was signed at audit entry {entry_id} with another hash than the entry has now"
            )),
            Some(_) => {}
        }
    }
    Ok(v)
}

/// The last intact checkpoint's entry must still exist, with its hash, and as many entries
/// up to it as there were: otherwise entries were cut off or removed since.
async fn check_checkpoint(tx: &mut Tx, cp: &Checkpoint, v: &mut Verification) -> Result<()> {
    let Some(entry_id) = cp.entry_id else {
        return Ok(());
    };
    let when = cp.checked_at.format("%Y-%m-%d %H:%M UTC");
    match audit::hash_of(tx, entry_id).await? {
        None => v.problems.push(format!(
            "audit entry {entry_id}, verified on {when} as the newest of {} entries, no longer exists (entries were removed)",
            cp.entries
        )),
        Some(h) if Some(&h) != cp.entry_hash.as_ref() => v.problems.push(format!(
            "audit entry {entry_id} differs from when it was verified on {when}"
        )),
        Some(_) => {
            let n = audit::count_upto(tx, entry_id).await?;
            if n != cp.entries {
                v.problems.push(format!(
                    "{} entries up to entry {entry_id} were verified on {when}, {n} are there now (entries were removed)",
                    cp.entries
                ));
            }
        }
    }
    Ok(())
}

/// Adds the rows whose entries came after the checkpoint (an update of an older row).
async fn add_touched(
    tx: &mut Tx,
    table: &str,
    touched: &[(String, String)],
    rows: &mut Vec<Tracked>,
) -> Result<()> {
    let have: HashSet<i64> = rows.iter().map(|r| r.id).collect();
    let keys: HashSet<&str> = touched
        .iter()
        .filter(|(e, _)| e == table)
        .map(|(_, k)| k.as_str())
        .collect();
    if keys.is_empty() {
        return Ok(());
    }
    if table == "exchange_rate" {
        // Rates are keyed by currency and date, not id; the table is small.
        for r in audit_rows::rows(tx, table, Pick::After(0)).await? {
            if keys.contains(r.key.as_str()) && !have.contains(&r.id) {
                rows.push(r);
            }
        }
        return Ok(());
    }
    for k in keys {
        if let Ok(id) = k.parse::<i64>()
            && !have.contains(&id)
        {
            rows.extend(audit_rows::rows(tx, table, Pick::Id(id)).await?);
        }
    }
    Ok(())
}

fn compare_all(
    table: &str,
    rows: &[Tracked],
    entries: &HashMap<String, Vec<(i64, Value)>>,
    v: &mut Verification,
) {
    for row in rows {
        v.rows_checked += 1;
        compare(
            table,
            row,
            entries.get(&row.key).map_or(&[][..], Vec::as_slice),
            &mut v.problems,
        );
    }
}

/// Entries by the key of the row they are about, with their `after` values, oldest first.
fn group(list: Vec<AuditEntry>) -> HashMap<String, Vec<(i64, Value)>> {
    let mut out: HashMap<String, Vec<(i64, Value)>> = HashMap::new();
    for e in list {
        let after = e
            .after
            .as_deref()
            .and_then(|a| serde_json::from_str(a).ok())
            .unwrap_or(Value::Null);
        out.entry(e.entity_id).or_default().push((e.id, after));
    }
    out
}

/// The `after` values of the entries about each row, oldest first.
async fn entries_by_key(
    tx: &mut Tx,
    table: &str,
    rows: &[Tracked],
    all: bool,
) -> Result<HashMap<String, Vec<(i64, Value)>>> {
    if all {
        return Ok(group(audit::entries_of(tx, table).await?));
    }
    let keys: HashSet<&str> = rows.iter().map(|r| r.key.as_str()).collect();
    let mut list = Vec::new();
    for k in keys {
        list.extend(audit::entries_for(tx, table, k).await?);
    }
    Ok(group(list))
}

/// Each audited field of `row` must equal the value the newest entry recording it holds.
fn compare(table: &str, row: &Tracked, entries: &[(i64, Value)], problems: &mut Vec<String>) {
    let label = table.replace('_', " ");
    // Several rate rows share a key (corrections): each is recorded by the entry naming its id.
    let own: Vec<&(i64, Value)> = entries
        .iter()
        .filter(|(_, a)| table != "exchange_rate" || a.get("id") == Some(&Value::from(row.id)))
        .collect();
    if own.is_empty() {
        problems.push(format!(
            "{label} {} has no audit entry (added behind the application's back, or its entry was removed)",
            row.id
        ));
        return;
    }
    let Value::Object(fields) = &row.view else {
        return;
    };
    for (field, stored) in fields {
        let recorded = own
            .iter()
            .rev()
            .find_map(|(id, a)| a.get(field).map(|v| (id, v)));
        match recorded {
            None => problems.push(format!(
                "{label} {}: its audit entries never recorded {field}",
                row.id
            )),
            Some((id, v)) if v != stored => problems.push(format!(
                "{label} {}: {field} is {stored} in the table but {v} in audit entry {id}",
                row.id
            )),
            Some(_) => {}
        }
    }
}
