//! Loading a SQLite backup into the (migrated, empty) database: the backup is attached on one
//! connection and every table copied in creation order, in one transaction with foreign keys
//! checked at commit, so a restore is whole or not at all.

use crate::error::{Error, Result};
use sqlx::{Connection, SqlitePool};
use std::path::Path;

pub async fn load(pool: &SqlitePool, file: &Path) -> Result<()> {
    let mut conn = pool.acquire().await?;
    let path = file.to_string_lossy().to_string();
    sqlx::query("ATTACH DATABASE $1 AS bak")
        .bind(&path)
        .execute(&mut *conn)
        .await
        .map_err(|e| Error::config(format!("cannot open {path} as a SQLite backup: {e}")))?;
    let copied = copy(&mut conn).await;
    let _ = sqlx::query("DETACH DATABASE bak").execute(&mut *conn).await;
    copied
}

/// `item_money`, `month_money` and `lookup_version` are not copied: the triggers of migrations
/// 0016 and 0017 rebuild them from the money rows and items as those are copied, so they
/// cannot disagree with them.
async fn copy(conn: &mut sqlx::SqliteConnection) -> Result<()> {
    const TABLES: &str = "SELECT name FROM bak.sqlite_master WHERE type = 'table' \
                          AND name NOT LIKE 'sqlite_%' \
                          AND name NOT IN ('_sqlx_migrations', 'health_probe', 'item_money', 'month_money', 'lookup_version') \
                          ORDER BY rowid";
    let tables: Vec<String> = sqlx::query_scalar(TABLES)
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| Error::config(format!("the file is not an aidledger backup: {e}")))?;
    if !tables.iter().any(|t| t == "audit_entry") {
        return Err(Error::config(
            "the file is not an aidledger backup (it has no audit trail)".into(),
        ));
    }
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    sqlx::query("PRAGMA defer_foreign_keys = ON")
        .execute(&mut *tx)
        .await?;
    for t in &tables {
        let cols: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info($1, 'bak')")
            .bind(t)
            .fetch_all(&mut *tx)
            .await?;
        let list = cols
            .iter()
            .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(", ");
        let q = t.replace('"', "\"\"");
        let sql = format!("INSERT INTO main.\"{q}\" ({list}) SELECT {list} FROM bak.\"{q}\"");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut *tx)
            .await
            .map_err(|e| Error::config(format!("cannot restore table {t}: {e}")))?;
    }
    tx.commit().await?;
    Ok(())
}
