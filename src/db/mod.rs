//! The only place with SQL. A [`Store`] is either an embedded SQLite database (the default) or
//! a PostgreSQL pool; every query is written once in SQL both engines accept and runs through
//! [`Tx`], so the caller (an action) owns the transaction and decides when it commits.
//!
//! SQLite is opened in WAL mode with `synchronous=FULL` (a reported commit survives power
//! loss) and foreign keys on; writers wait their turn in the application's queue, and writers
//! that queue up behind one another share one commit (see [`writers`]), so a write lock is
//! taken at once (`BEGIN IMMEDIATE`) instead of failing half-way. On PostgreSQL a write
//! transaction takes one advisory lock, which serialises writers the same way: writes in an
//! aid ledger are few, and one order of writes keeps the audit chain linear and a period lock
//! from interleaving with an edit dated inside it.

pub mod activities;
pub mod audit;
pub mod audit_rows;
pub mod budgets;
pub mod dash_views;
pub mod evidence;
pub mod export;
pub mod forms_views;
pub mod iati;
pub mod idempotency;
pub mod imports;
pub mod interchange;
pub mod item_page;
pub mod items;
pub mod items_views;
pub mod ledger;
pub mod ledger_batch;
pub mod logins;
pub mod long_reads;
pub mod milestone_reports;
pub mod orgs;
pub mod periods;
mod pg;
pub mod programmes;
pub mod proposals;
pub mod rates;
pub mod reference;
pub mod reports;
pub mod sessions;
pub mod tokens;
pub mod types;
pub mod users;
mod writers;

pub use pg::PgTx;
pub use writers::SqliteTx;

use crate::error::Error;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, PgPool, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

/// Runs `$body` with `$c` bound to the transaction's connection, once per backend. The body is
/// the same text in both arms, so the SQL in it is written once.
macro_rules! on {
    ($tx:expr, $c:ident => $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(t) => {
                let $c = &mut **t;
                $body
            }
            $crate::db::Tx::Pg(t) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}
pub(crate) use on;

/// Like [`on!`] for statements that return no rows: yields the number of rows affected, so
/// both arms have the same type.
macro_rules! exec {
    ($tx:expr, $c:ident => $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(t) => {
                let $c = &mut **t;
                $body.map(|r| r.rows_affected())
            }
            $crate::db::Tx::Pg(t) => {
                let $c = &mut **t;
                $body.map(|r| r.rows_affected())
            }
        }
    };
}
pub(crate) use exec;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database behind the application: cheap to clone, shared as Rocket state.
#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(SqlitePool),
    Pg(PgPool),
}

/// A transaction on either backend. Dropped without [`Tx::commit`], it rolls back.
pub enum Tx {
    Sqlite(SqliteTx),
    Pg(PgTx),
}

/// How long a request waits for a PostgreSQL connection before it is told the database is
/// unavailable; short, so an outage answers 503 quickly instead of hanging.
pub const PG_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// Runs when a PostgreSQL connection goes back to the pool: a connection still inside a
/// transaction (a failed COMMIT or ROLLBACK) is closed instead of poisoning the next request
/// that borrows it. A dropped transaction has already left it (sqlx counts the depth down when
/// it queues the `ROLLBACK`), and the pool pings every connection it takes back right after
/// this check, which sends that `ROLLBACK`; a ping here was a second round trip (see
/// `hardening_faults::a_dropped_postgresql_transaction_is_rolled_back_before_its_connection_is_reused`).
async fn release_check(c: &mut sqlx::PgConnection) -> Result<bool, sqlx::Error> {
    Ok(!c.is_in_transaction())
}

/// [`release_check`] for SQLite, whose worker lowers the transaction depth only once it has
/// run the queued rollback: a connection that shows no transaction has nothing queued, and
/// the ping (a round trip to the connection's thread on every request) is only needed when it
/// does. A rollback that fails stops the worker, so the ping then fails and the pool closes it.
async fn sqlite_release_check(c: &mut sqlx::SqliteConnection) -> Result<bool, sqlx::Error> {
    if c.is_in_transaction() {
        c.ping().await?;
    }
    Ok(!c.is_in_transaction())
}

/// Begins a PostgreSQL read: one snapshot for all its statements.
const PG_BEGIN_READ: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

/// Begins a PostgreSQL write transaction and takes the one advisory lock every writer takes,
/// in one round trip. Any key will do as long as every writer uses the same one: this one is
/// 0x6169646c6564, "aidled".
const PG_BEGIN_WRITE: &str = "BEGIN; SELECT pg_advisory_xact_lock(107105284285796)";

impl Store {
    /// Opens the database named by `url`: `sqlite://path` (created with its folder if missing)
    /// or `postgres://…`. Does not migrate; see [`Store::migrate`].
    pub async fn connect(url: &str) -> Result<Store, Error> {
        if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url).map_err(|e| {
                Error::config(format!("DATABASE_URL is not a valid SQLite URL: {e}"))
            })?;
            let path = opts.get_filename().to_path_buf();
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| {
                    Error::config(format!(
                        "cannot create the database folder {}: {e}",
                        dir.display()
                    ))
                })?;
            }
            Self::connect_sqlite(opts).await
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let opts = PgConnectOptions::from_str(url).map_err(|e| {
                Error::config(format!("DATABASE_URL is not a valid PostgreSQL URL: {e}"))
            })?;
            Self::connect_pg(opts, 10).await
        } else {
            Err(Error::config(
                "DATABASE_URL must start with sqlite:// or postgres://".to_string(),
            ))
        }
    }

    pub async fn connect_sqlite(opts: SqliteConnectOptions) -> Result<Store, Error> {
        let opts = opts
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(long_reads::SQLITE_CONNECTIONS)
            .before_acquire(|c, _| Box::pin(async move { Ok(!c.is_in_transaction()) }))
            .after_release(|c, _| Box::pin(sqlite_release_check(c)))
            .connect_with(opts)
            .await
            .map_err(|e| Error::config(format!("cannot open the SQLite database: {e}")))?;
        Ok(Store::Sqlite(pool))
    }

    /// Connects to PostgreSQL, failing within [`PG_ACQUIRE_TIMEOUT`] with the host, port and
    /// cause when the server cannot be reached.
    pub async fn connect_pg(opts: PgConnectOptions, max_connections: u32) -> Result<Store, Error> {
        let (host, port) = (opts.get_host().to_string(), opts.get_port());
        let unreachable = |cause: String| {
            Error::config(format!(
                "cannot connect to PostgreSQL at {host}:{port}: {cause}"
            ))
        };
        // One plain connection first: the pool retries until its timeout and then reports only
        // that, while this says why (refused, unknown host, authentication).
        let first = sqlx::PgConnection::connect_with(&opts);
        match rocket::tokio::time::timeout(PG_ACQUIRE_TIMEOUT, first).await {
            Err(_) => {
                return Err(unreachable(format!(
                    "no answer within {} s",
                    PG_ACQUIRE_TIMEOUT.as_secs()
                )));
            }
            Ok(Err(e)) => return Err(unreachable(e.to_string())),
            Ok(Ok(c)) => {
                let _ = c.close().await;
            }
        }
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(PG_ACQUIRE_TIMEOUT)
            .before_acquire(|c, _| Box::pin(async move { Ok(!c.is_in_transaction()) }))
            .after_release(|c, _| Box::pin(release_check(c)))
            .connect_with(opts.application_name("aidledger"))
            .await
            .map_err(|e| unreachable(e.to_string()))?;
        Ok(Store::Pg(pool))
    }

    #[must_use]
    pub fn backend(&self) -> Backend {
        match self {
            Store::Sqlite(_) => Backend::Sqlite,
            Store::Pg(_) => Backend::Postgres,
        }
    }

    /// Applies the forward-only migrations of this backend; running it twice is a no-op.
    ///
    /// On SQLite it then lets the planner's statistics catch up (`PRAGMA optimize`, which
    /// analyzes, on a bounded sample, only the tables whose indexes were never analyzed or
    /// whose size moved a lot since): without them SQLite cannot tell a partial index of a
    /// few rows from a date index over a million, and the dashboard walked the latter.
    /// PostgreSQL's autovacuum keeps its own statistics.
    pub async fn migrate(&self) -> Result<(), Error> {
        let failed = |e: &dyn std::fmt::Display| Error::config(format!("migration failed: {e}"));
        match self {
            Store::Sqlite(p) => {
                sqlx::migrate!("migrations/sqlite")
                    .run(p)
                    .await
                    .map_err(|e| failed(&e))?;
                // 0x10002: every table, not only those this connection has read.
                sqlx::query("PRAGMA optimize=0x10002")
                    .execute(p)
                    .await
                    .map_err(|e| failed(&e))?;
            }
            Store::Pg(p) => sqlx::migrate!("migrations/postgres")
                .run(p)
                .await
                .map_err(|e| failed(&e))?,
        }
        Ok(())
    }

    /// The newest applied migration, shown by `/healthz`.
    pub async fn schema_version(&self) -> Result<i64, Error> {
        const SQL: &str =
            "SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) FROM _sqlx_migrations WHERE success";
        Ok(match self {
            Store::Sqlite(p) => sqlx::query_scalar(SQL).fetch_one(p).await?,
            Store::Pg(p) => sqlx::query_scalar(SQL).fetch_one(p).await?,
        })
    }

    /// A transaction for reading: a consistent snapshot, no write lock.
    pub async fn read(&self) -> Result<Tx, Error> {
        Ok(match self {
            Store::Sqlite(p) => Tx::Sqlite(SqliteTx::read(p).await?),
            Store::Pg(p) => Tx::Pg(PgTx::new(p.begin_with(PG_BEGIN_READ).await?, None)),
        })
    }

    /// [`Store::read`] for a read that may take long (an export, a drafted report). On SQLite
    /// and PostgreSQL these together hold at most half the pool's connections, so pages keep
    /// answering while they run; a long read that waits a minute for its share is told the
    /// server is busy.
    pub async fn read_long(&self) -> Result<Tx, Error> {
        match self {
            Store::Sqlite(p) => Ok(Tx::Sqlite(SqliteTx::read_long(p).await?)),
            Store::Pg(p) => {
                let long = long_reads::pg_permit(p).await?;
                Ok(Tx::Pg(PgTx::new(
                    p.begin_with(PG_BEGIN_READ).await?,
                    Some(long),
                )))
            }
        }
    }

    /// For a read of ONE statement: a connection outside any transaction (one statement reads
    /// one consistent snapshot), sparing the `BEGIN` and `ROLLBACK` of every request's session
    /// or token lookup. On SQLite that is two round trips to the connection's thread; on
    /// PostgreSQL one to the server, as a dropped transaction's `ROLLBACK` rides on the ping
    /// the pool sends when the connection is released.
    pub async fn read_one(&self) -> Result<Tx, Error> {
        Ok(match self {
            Store::Sqlite(p) => Tx::Sqlite(SqliteTx::read_one(p).await?),
            Store::Pg(p) => Tx::Pg(PgTx::plain(p.acquire().await?)),
        })
    }

    /// A transaction for writing, holding the database's write lock from its first statement.
    pub async fn write(&self) -> Result<Tx, Error> {
        Ok(match self {
            Store::Sqlite(p) => Tx::Sqlite(SqliteTx::write(p).await?),
            Store::Pg(p) => Tx::Pg(PgTx::new(p.begin_with(PG_BEGIN_WRITE).await?, None)),
        })
    }

    /// [`Store::write`] for one import of many rows: on SQLite with the settings of
    /// [`BULK_ON`] (undo them with [`bulk_done`] before the commit).
    pub async fn write_bulk(&self) -> Result<Tx, Error> {
        match self {
            Store::Sqlite(p) => Ok(Tx::Sqlite(
                SqliteTx::write_alone(p, format!("{BULK_ON}; BEGIN IMMEDIATE")).await?,
            )),
            Store::Pg(_) => self.write().await,
        }
    }

    /// Whether the database takes writes now: rewrites the one `health_probe` row and commits,
    /// within `limit`. It commits because a rolled-back write never reaches the disk, so it
    /// could not see a full disk. `Err` says why not in plain words (for `/healthz`).
    pub async fn probe_write(&self, limit: Duration) -> Result<(), String> {
        const TOUCH: &str = "INSERT INTO health_probe (id, probed_at) VALUES (1, $1) \
                             ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at";
        let now = chrono::Utc::now().to_rfc3339();
        let probe = async {
            let mut tx = self.write().await?;
            exec!(&mut tx, c => sqlx::query(TOUCH).bind(&now).execute(&mut *c).await)?;
            tx.commit().await
        };
        match rocket::tokio::time::timeout(limit, probe).await {
            Err(_) => Err(format!(
                "the database did not answer within {} s",
                limit.as_secs()
            )),
            Ok(Err(Error::Unavailable { message, .. })) => Err(message),
            Ok(Err(e)) => Err(format!("the database refused a write: {e}")),
            Ok(Ok(())) => Ok(()),
        }
    }

    pub async fn close(&self) {
        match self {
            Store::Sqlite(p) => p.close().await,
            Store::Pg(p) => p.close().await,
        }
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), Error> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Pg(t) => t.commit().await?,
        }
        Ok(())
    }

    #[must_use]
    pub fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Pg(_) => Backend::Postgres,
        }
    }
}

/// SQLite's settings for one bulk import on its connection: a 128 MB page cache (with the
/// default 2 MB, a long import's dirty pages spill to the WAL again and again mid-transaction:
/// 2.6 GB written for a million rows, measured) and statement journals in memory. Both must be
/// set before `BEGIN`: SQLite decides where a transaction's statement journals go when it
/// begins, and with them on disk every multi-row INSERT copied its pages to a temporary file
/// first (a sixth of an import's time, measured).
const BULK_ON: &str = "PRAGMA cache_size = -131072; PRAGMA temp_store = MEMORY";
const BULK_OFF: &str = "PRAGMA cache_size = -2000; PRAGMA temp_store = DEFAULT";

/// Puts the connection of a transaction from [`Store::write_bulk`] back to SQLite's defaults
/// before it returns to the pool. PostgreSQL needs nothing.
pub async fn bulk_done(tx: &mut Tx) -> Result<(), Error> {
    if let Tx::Sqlite(t) = tx {
        sqlx::raw_sql(BULK_OFF).execute(&mut **t).await?;
    }
    Ok(())
}

/// How many rows of `columns` parameters one multi-row statement takes: within SQLite's
/// 32,766 parameters and PostgreSQL's 65,535.
#[must_use]
pub fn rows_per_statement(tx: &Tx, columns: usize) -> usize {
    match tx.backend() {
        Backend::Sqlite => 16_000 / columns,
        Backend::Postgres => 60_000 / columns,
    }
}

/// SQLite: an INSERT of `rows` rows in which the `varying` columns take a value per row and the
/// `shared` columns one value for every row, bound once after the rows' values:
/// `INSERT INTO t (a, b, s) SELECT v.*, s.* FROM (VALUES (?, ?), …) AS v CROSS JOIN
/// (SELECT ? AS s) AS s`. An import's rows share their actor, times and null columns, and on
/// SQLite every bound value is copied twice (into sqlx's arguments, then by SQLite), so binding
/// those once takes two fifths of the values off the one thread that writes (measured in
/// BENCHMARKS.md). The VALUES rows are read in order, as the one-statement VALUES would be.
#[must_use]
pub fn sqlite_insert_shared(table: &str, varying: &[&str], shared: &[&str], rows: usize) -> String {
    let shared_list: Vec<String> = shared.iter().map(|c| format!("? AS {c}")).collect();
    format!(
        "INSERT INTO {table} ({}, {}) SELECT v.*, s.* FROM (VALUES {}) AS v CROSS JOIN (SELECT {}) AS s",
        varying.join(", "),
        shared.join(", "),
        placeholders(Backend::Sqlite, rows, varying.len()),
        shared_list.join(", ")
    )
}

/// `(?, ?), (?, ?)` (SQLite) or `($1, $2), ($3, $4)` (PostgreSQL) for `rows` rows of
/// `columns` parameters: the VALUES list of a statement inserting many rows. SQLite gets
/// anonymous `?`: sqlx looks up each numbered parameter's name, a linear scan in SQLite, so
/// with `$n` the binding cost grows with the square of the parameters (half the time of a
/// bulk import, measured).
#[must_use]
pub fn placeholders(backend: Backend, rows: usize, columns: usize) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(rows * columns * 6);
    for r in 0..rows {
        s.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..columns {
            if c > 0 {
                s.push_str(", ");
            }
            match backend {
                Backend::Sqlite => s.push('?'),
                Backend::Postgres => {
                    let _ = write!(s, "${}", r * columns + c + 1);
                }
            }
        }
        s.push(')');
    }
    s
}

/// The current time in UTC at microsecond precision: PostgreSQL keeps microseconds, so
/// anything hashed or compared after a round trip must not carry more.
#[must_use]
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    chrono::Utc::now().trunc_subsecs(6)
}

/// True if `e` is a unique-constraint violation, which actions turn into a field error.
#[must_use]
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}
