//! The databases under test. SQLite is a file (in a temporary folder unless `--keep`) opened
//! with the application's own settings (WAL, `synchronous=FULL`, foreign keys). PostgreSQL is
//! a fresh schema `bench_<random>` in the database at `AIDLEDGER_BENCH_PG_URL`, reached through
//! the connection option `search_path`, and dropped when the run ends, even after an error.

use crate::{BoxError, load, query};
use aidledger::Store;
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::sqlite::SqliteConnectOptions;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

pub const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// One database under test and what was measured on it.
pub struct Bench {
    pub name: &'static str,
    pub store: Store,
    pub version: String,
    /// The URL it was reached at (PostgreSQL), without the schema.
    url: String,
    sqlite_file: Option<PathBuf>,
    pg_admin: Option<(PgPool, String)>,
    pub load: Option<load::LoadReport>,
    pub load_usage: Option<query::Usage>,
    /// The database's size in bytes after the load.
    pub size: u64,
    pub sum: Option<query::QueryReport>,
    pub sum_usage: Option<query::Usage>,
}

impl Bench {
    pub async fn sqlite(path: &Path) -> Result<Bench, BoxError> {
        let store = Store::connect_sqlite(SqliteConnectOptions::new().filename(path)).await?;
        let version = match &store {
            Store::Sqlite(p) => {
                sqlx::query_scalar("SELECT sqlite_version()")
                    .fetch_one(p)
                    .await?
            }
            Store::Pg(_) => String::new(),
        };
        Ok(Bench::new(
            "SQLite",
            store,
            version,
            Some(path.to_path_buf()),
            None,
        ))
    }

    /// Connects, creates the schema and opens a store whose search path is that schema.
    pub async fn postgres(url: &str) -> Result<Bench, BoxError> {
        let opts = PgConnectOptions::from_str(url)?;
        // One plain connection first: it fails fast and names the cause, where a pool only
        // says that it timed out.
        let wait = tokio::time::timeout(Duration::from_secs(10), PgConnection::connect_with(&opts));
        wait.await
            .map_err(|_| "no answer within 10 s")??
            .close()
            .await?;
        let admin = PgPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(opts.clone())
            .await?;
        let version: String = sqlx::query_scalar("SHOW server_version")
            .fetch_one(&admin)
            .await?;
        let mut random = [0_u8; 4];
        getrandom::fill(&mut random).map_err(|e| format!("no random schema name: {e}"))?;
        let schema = format!("bench_{}", hex::encode(random));
        let create = sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}"));
        sqlx::query(create).execute(&admin).await?;
        println!("PostgreSQL {version}: using schema {schema}");
        let opts = opts.options([("search_path", schema.as_str())]);
        let pg_admin = Some((admin, schema));
        match Store::connect_pg(opts, 4).await {
            Ok(store) => {
                Ok(Bench::new("PostgreSQL", store, version, None, pg_admin).at(url.into()))
            }
            Err(e) => {
                drop_schema(pg_admin.as_ref()).await;
                Err(e.into())
            }
        }
    }

    fn new(
        name: &'static str,
        store: Store,
        version: String,
        sqlite_file: Option<PathBuf>,
        pg_admin: Option<(PgPool, String)>,
    ) -> Bench {
        Bench {
            name,
            store,
            version,
            url: String::new(),
            sqlite_file,
            pg_admin,
            load: None,
            load_usage: None,
            size: 0,
            sum: None,
            sum_usage: None,
        }
    }

    fn at(self, url: String) -> Bench {
        Bench { url, ..self }
    }

    /// The SQLite file (and its WAL, normally empty after the checkpoint), or the total size
    /// of the schema's tables with their indexes and TOAST on PostgreSQL.
    pub async fn db_size(&self) -> Result<u64, BoxError> {
        Ok(match (&self.store, &self.sqlite_file) {
            (Store::Sqlite(_), Some(path)) => {
                let mut wal = path.clone().into_os_string();
                wal.push("-wal");
                std::fs::metadata(path)?.len() + std::fs::metadata(wal).map_or(0, |m| m.len())
            }
            (Store::Pg(p), _) => {
                let sql = "SELECT CAST(COALESCE(SUM(pg_total_relation_size(c.oid)), 0) AS BIGINT) \
                    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                    WHERE n.nspname = current_schema() AND c.relkind = 'r'";
                u64::try_from(sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await?)?
            }
            _ => 0,
        })
    }

    /// The `DATABASE_URL` the application's binary opens this database with.
    pub fn server_url(&self) -> String {
        match (&self.sqlite_file, &self.pg_admin) {
            (Some(path), _) => format!("sqlite://{}", path.display()),
            (None, Some((_, schema))) => {
                let sep = if self.url.contains('?') { '&' } else { '?' };
                format!("{}{sep}options[search_path]={schema}", self.url)
            }
            (None, None) => String::new(),
        }
    }

    pub async fn close(&self) {
        self.store.close().await;
        drop_schema(self.pg_admin.as_ref()).await;
    }
}

/// Drops the run's schema, unless `AIDLEDGER_BENCH_KEEP_SCHEMA` is set (to serve or profile the
/// loaded data afterwards: the schema's name is printed, and dropping it is then yours to do).
async fn drop_schema(admin: Option<&(PgPool, String)>) {
    if let Some((pool, schema)) = admin
        && std::env::var_os("AIDLEDGER_BENCH_KEEP_SCHEMA").is_some()
    {
        println!("kept PostgreSQL schema {schema} (AIDLEDGER_BENCH_KEEP_SCHEMA is set)");
        pool.close().await;
        return;
    }
    if let Some((pool, schema)) = admin {
        let sql = sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE"));
        match sqlx::query(sql).execute(pool).await {
            Ok(_) => println!("dropped PostgreSQL schema {schema}"),
            Err(e) => println!("could not drop PostgreSQL schema {schema}: {e}"),
        }
        pool.close().await;
    }
}
