//! One test's PostgreSQL schema. It is made when the test starts (and the database too, on a
//! fresh server where it does not exist yet) and dropped when the test ends, even when the test
//! fails, so a run on a shared server removes exactly what it made and nothing else.

use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use std::str::FromStr;

pub struct PgSchema {
    url: String,
    pub name: String,
}

impl PgSchema {
    /// Creates a fresh schema `t_<random>` in the database `url` names.
    pub async fn create(url: &str) -> PgSchema {
        let mut admin = connect_creating_database(url).await;
        let name = format!("t_{}", aidledger::error::reference_id());
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {name}")))
            .execute(&mut admin)
            .await
            .unwrap_or_else(|e| panic!("cannot create the test schema {name}: {e}"));
        let _ = admin.close().await;
        PgSchema {
            url: url.to_string(),
            name,
        }
    }

    /// Connection options whose `search_path` is this schema.
    pub fn options(&self) -> PgConnectOptions {
        PgConnectOptions::from_str(&self.url)
            .unwrap_or_else(|e| panic!("AIDLEDGER_TEST_PG_URL is not a PostgreSQL URL: {e}"))
            .options([("search_path", self.name.as_str())])
    }
}

/// Connects to `url`; when its database does not exist yet (a fresh server), creates it from
/// the server's `postgres` database first.
async fn connect_creating_database(url: &str) -> PgConnection {
    let opts = PgConnectOptions::from_str(url)
        .unwrap_or_else(|e| panic!("AIDLEDGER_TEST_PG_URL is not a PostgreSQL URL: {e}"));
    match PgConnection::connect_with(&opts).await {
        Ok(c) => c,
        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("3D000") => {
            let db = opts.get_database().unwrap_or("test").replace('"', "");
            let mut server = PgConnection::connect_with(&opts.clone().database("postgres"))
                .await
                .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {url}: {e}"));
            // Another test may create it at the same moment: "already exists" is fine.
            if let Err(e) = sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{db}\"")))
                .execute(&mut server)
                .await
            {
                let code = e
                    .as_database_error()
                    .and_then(|d| d.code().map(|c| c.to_string()));
                assert!(
                    matches!(code.as_deref(), Some("42P04" | "23505")),
                    "cannot create the test database {db}: {e}"
                );
            }
            let _ = server.close().await;
            PgConnection::connect_with(&opts)
                .await
                .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {url}: {e}"))
        }
        Err(e) => panic!("cannot reach PostgreSQL at {url}: {e}"),
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        let (url, name) = (self.url.clone(), self.name.clone());
        // Drop runs inside the test's runtime, which cannot be blocked on; a short-lived
        // thread with its own runtime does the DROP. The test's own connections may still be
        // open (a pool closes lazily, and a transaction dropped without commit keeps its locks
        // until the connection is used again), so the sessions holding locks on this schema's
        // tables (only this test's, by construction) are ended first. Should a lock remain,
        // give up after 5 s and leave the schema (its name starts with `t_`).
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                let Ok(opts) = PgConnectOptions::from_str(&url) else {
                    return;
                };
                let Ok(mut c) = PgConnection::connect_with(&opts).await else {
                    return;
                };
                let holders = format!(
                    "SELECT DISTINCT l.pid FROM pg_locks l \
                     JOIN pg_class c ON c.oid = l.relation \
                     JOIN pg_namespace n ON n.oid = c.relnamespace \
                     WHERE n.nspname = '{name}' AND l.pid <> pg_backend_pid()"
                );
                for _ in 0..50 {
                    let pids: Vec<i32> = sqlx::query_scalar(sqlx::AssertSqlSafe(holders.clone()))
                        .fetch_all(&mut c)
                        .await
                        .unwrap_or_default();
                    if pids.is_empty() {
                        break;
                    }
                    for pid in pids {
                        let _ = sqlx::query("SELECT pg_terminate_backend($1)")
                            .bind(pid)
                            .execute(&mut c)
                            .await;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                for sql in [
                    "SET client_min_messages = warning".to_string(),
                    "SET lock_timeout = '5s'".to_string(),
                    format!("DROP SCHEMA IF EXISTS {name} CASCADE"),
                ] {
                    if let Err(e) = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut c).await {
                        eprintln!("note: the test schema {name} was left behind: {e}");
                        break;
                    }
                }
                let _ = c.close().await;
            });
        })
        .join();
    }
}
