//! Keeping the ledger whole: `audit verify`, the check `serve` runs before it listens,
//! `backup` and `restore`.
//!
//! A copy of the live SQLite file is not a backup: with WAL, committed pages may still sit in
//! the `-wal` file, so the copy silently lacks them. `backup` asks SQLite for a consistent
//! copy (`VACUUM INTO`, which reads one snapshot while writers go on) or runs `pg_dump`, writes
//! it under a temporary name and renames it only when complete, so a file under the final name
//! is always a whole backup. `restore` loads a backup into an empty database, then verifies the
//! audit trail and prints what it holds.

use crate::actions::audit_check::{self, Scope, Verification};
use crate::db::{Store, Tx, on};
use crate::error::{Error, Result};
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct BackupArgs {
    /// Where to write the backup (refused if it exists).
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Args, Debug)]
pub struct RestoreArgs {
    /// A file written by `aidledger backup`.
    pub file: PathBuf,
}

/// How many problems `audit verify` lists before it only counts them.
const SHOWN: usize = 30;

/// `audit verify`: everything, from the first entry.
pub async fn audit_verify(store: &Store) -> Result<()> {
    let v = audit_check::verify(store, Scope::Full).await?;
    if !v.intact() {
        for p in v.problems.iter().take(SHOWN) {
            eprintln!("  - {p}");
        }
        if v.problems.len() > SHOWN {
            eprintln!("  - and {} more", v.problems.len() - SHOWN);
        }
        return Err(Error::conflict(
            "audit_broken",
            format!(
                "audit trail NOT intact: {} problem(s) found (listed above)",
                v.problems.len()
            ),
        ));
    }
    outln!("{}", intact_line(&v));
    Ok(())
}

fn intact_line(v: &Verification) -> String {
    format!(
        "audit trail intact: {} entries verified, {} rows match their audit entries, {} report anchors hold",
        v.entries, v.rows_checked, v.anchors_checked
    )
}

/// Run by `serve` before it listens: verifies what came after the last checkpoint. A broken
/// trail does not stop the server (reads stay available); it is recorded, so writes refuse
/// with 503 and `/healthz` says degraded with the reason.
///
/// The check runs on a thread and connections of its own, which end with it. Since the last
/// checkpoint may lie a million entries back (a national ledger loaded in bulk, or a server
/// that never ran), the check can read hundreds of megabytes; mimalloc keeps what a thread
/// freed with that thread, and the thread that awaits the check goes on to run the server,
/// which left 200 MiB of a national trail resident for good. A thread that ends gives its
/// memory back (BENCHMARKS.md, twelfth round).
pub async fn check_at_start(database_url: &str) -> Result<()> {
    let url = database_url.to_string();
    let (answer, answered) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("audit-check".into())
        .spawn(move || {
            let _ = answer.send(check_alone(&url));
        })
        .map_err(|e| Error::Internal(format!("cannot start the audit check: {e}")))?;
    answered
        .await
        .map_err(|_| Error::Internal("the audit check stopped without an answer".into()))?
}

fn check_alone(database_url: &str) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Internal(format!("cannot start the audit check: {e}")))?;
    runtime.block_on(async {
        let store = Store::connect(database_url).await?;
        let checked = check_and_say(&store).await;
        store.close().await;
        checked
    })
}

async fn check_and_say(store: &Store) -> Result<()> {
    let v = audit_check::verify(store, Scope::SinceCheckpoint).await?;
    if v.intact() {
        outln!(
            "Audit trail verified ({} entries, {} checked since the last checkpoint).",
            v.entries,
            v.entries_checked
        );
    } else {
        eprintln!(
            "WARNING: the audit trail failed verification; serving reads only, writes are refused:\n  {}",
            v.summary()
        );
    }
    Ok(())
}

/// `backup --out FILE`.
pub async fn backup(store: &Store, database_url: &str, args: &BackupArgs) -> Result<()> {
    let out = &args.out;
    if out.exists() {
        return Err(Error::config(format!(
            "{} already exists: choose a new name, a backup never overwrites a file",
            out.display()
        )));
    }
    let tmp = partial_name(out);
    let _ = std::fs::remove_file(&tmp);
    let made = match store {
        Store::Sqlite(pool) => {
            let tmp_text = tmp.to_string_lossy().to_string();
            sqlx::query("VACUUM INTO $1")
                .bind(&tmp_text)
                .execute(pool)
                .await
                .map(|_| ())
                .map_err(|e| Error::config(format!("the backup failed: {e}")))
        }
        Store::Pg(pool) => {
            // The application's tables live in the connection's current schema (`public`
            // unless the URL sets a search_path); the dump holds that schema only, so other
            // schemas of a shared database are neither copied nor restored over.
            let schema: std::result::Result<String, sqlx::Error> =
                sqlx::query_scalar("SELECT current_schema()")
                    .fetch_one(pool)
                    .await;
            match schema {
                Ok(schema) => pg_dump(database_url, &schema, &tmp),
                Err(e) => Err(Error::config(format!(
                    "the backup failed: cannot read the current schema: {e}"
                ))),
            }
        }
    };
    let done = made.and_then(|()| finish(&tmp, out));
    if done.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    done?;
    let size = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    outln!("backup written to {} ({size} bytes)", out.display());
    Ok(())
}

/// `FILE.partial`, next to it (same file system, so the rename is atomic).
fn partial_name(out: &Path) -> PathBuf {
    let mut name = out.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    out.with_file_name(name)
}

/// Makes the written file durable, then gives it its final name.
fn finish(tmp: &Path, out: &Path) -> Result<()> {
    let io = |e: std::io::Error| Error::config(format!("the backup failed: {e}"));
    std::fs::File::open(tmp)
        .and_then(|f| f.sync_all())
        .map_err(io)?;
    std::fs::rename(tmp, out).map_err(io)?;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(())
}

const PG_PROCEDURE: &str = "PostgreSQL backups need pg_dump (package postgresql-client) on PATH. Without it, run on a machine that has it:\n    pg_dump -Fc -n public --exclude-table-data=public._sqlx_migrations --exclude-table-data=public.health_probe --exclude-table-data=public.lookup_version -f aidledger.dump \"$DATABASE_URL\"\nand restore into an empty database with `aidledger restore aidledger.dump` (which needs pg_restore) or:\n    aidledger migrate && pg_restore --data-only --disable-triggers --single-transaction -d \"$DATABASE_URL\" aidledger.dump && aidledger audit verify";

fn pg_dump(url: &str, schema: &str, tmp: &Path) -> Result<()> {
    let status = std::process::Command::new("pg_dump")
        .args([
            "-Fc",
            "--exclude-table-data=*._sqlx_migrations",
            "--exclude-table-data=*.health_probe",
            // The migrated database has its own row; item_money's and month_money's rows come
            // with the dump
            // because the restore runs with triggers disabled.
            "--exclude-table-data=*.lookup_version",
            "-n",
        ])
        .arg(format!("\"{}\"", schema.replace('"', "\"\"")))
        .arg("-f")
        .arg(tmp)
        .arg(url)
        .status();
    match status {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(Error::config(PG_PROCEDURE.to_string()))
        }
        Err(e) => Err(Error::config(format!("cannot run pg_dump: {e}"))),
        Ok(s) if !s.success() => Err(Error::config(format!(
            "pg_dump failed ({s}); nothing was written under the final name"
        ))),
        Ok(_) => Ok(()),
    }
}

/// The tables whose rows make a database "not empty" for `restore`, and the counts printed.
const COUNTED: [(&str, &str); 8] = [
    ("organisation", "organisations"),
    ("aid_item", "items"),
    ("commitment", "commitments"),
    ("disbursement", "disbursements"),
    ("evidence_document", "evidence documents"),
    ("exchange_rate", "rates"),
    ("audit_entry", "audit entries"),
    ("issued_report", "reports"),
];

async fn counts(store: &Store) -> Result<Vec<(&'static str, i64)>> {
    let mut tx: Tx = store.read().await?;
    let mut out = Vec::new();
    for (table, label) in COUNTED.iter().chain([("app_user", "users")].iter()) {
        let sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}"));
        let n: i64 = on!(&mut tx, c => sqlx::query_scalar(sql).fetch_one(&mut *c).await)?;
        out.push((*label, n));
    }
    Ok(out)
}

/// `restore FILE`: into an empty database only, then verify and count.
pub async fn restore(store: &Store, database_url: &str, args: &RestoreArgs) -> Result<()> {
    let file = &args.file;
    if !file.is_file() {
        return Err(Error::config(format!("{} is not a file", file.display())));
    }
    let held: Vec<String> = counts(store)
        .await?
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(l, n)| format!("{n} {l}"))
        .collect();
    if !held.is_empty() {
        return Err(Error::config(format!(
            "refusing to restore into {}: it is not empty ({}); restore into a new, empty database",
            redact(database_url),
            held.join(", ")
        )));
    }
    match store {
        Store::Sqlite(pool) => super::restore_sqlite::load(pool, file).await?,
        Store::Pg(_) => pg_restore(database_url, file)?,
    }
    let v = audit_check::verify(store, Scope::Full).await?;
    outln!("restored {} into {}", file.display(), redact(database_url));
    for (label, n) in counts(store).await? {
        outln!("  {label}: {n}");
    }
    if !v.intact() {
        return Err(Error::conflict(
            "audit_broken",
            format!("the restored audit trail is NOT intact: {}", v.summary()),
        ));
    }
    outln!("{}", intact_line(&v));
    Ok(())
}

fn pg_restore(url: &str, file: &Path) -> Result<()> {
    let status = std::process::Command::new("pg_restore")
        .args([
            "--data-only",
            "--disable-triggers",
            "--single-transaction",
            "--exit-on-error",
            "-d",
        ])
        .arg(url)
        .arg(file)
        .status();
    match status {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::config(
            "restoring a PostgreSQL backup needs pg_restore (package postgresql-client) on PATH"
                .into(),
        )),
        Err(e) => Err(Error::config(format!("cannot run pg_restore: {e}"))),
        Ok(s) if !s.success() => Err(Error::config(format!(
            "pg_restore failed ({s}); it ran in one transaction, so nothing was restored"
        ))),
        Ok(_) => Ok(()),
    }
}

/// The URL without a password, for messages.
fn redact(url: &str) -> String {
    match url
        .split_once("://")
        .and_then(|(s, rest)| rest.split_once('@').map(|(u, h)| (s, u, h)))
    {
        Some((scheme, user, host)) => {
            let user = user.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}@{host}")
        }
        None => url.to_string(),
    }
}
