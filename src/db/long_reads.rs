//! How many connections a SQLite pool has, and how many of a pool's connections (SQLite's or
//! PostgreSQL's) the long reads (an export, a report drafted over HTTP) may hold at once. Every request needs a connection for its
//! session lookup, so long reads that held every connection would stall every page until they
//! ended; they take a permit first, and the pages always keep the rest of the pool.

use crate::error::Error;
use sqlx::{PgPool, SqlitePool};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How long a long read waits for a free share before it is told the server is busy. An
/// export of the national ledger takes seconds, so a minute covers a queue of a few.
const LONG_READ_WAIT: Duration = Duration::from_secs(60);

/// Connections in a SQLite pool. Each sqlx SQLite connection is a thread of its own. On two
/// cores, 4 served the item page 16-20 % faster than 8 on one machine and 5 % slower on
/// another (BENCHMARKS.md, sixth and seventh rounds), so the count stays where it was.
pub const SQLITE_CONNECTIONS: u32 = 8;

/// How many of `connections` the long reads may hold together: half, at least one.
#[must_use]
pub fn long_read_share(connections: u32) -> usize {
    usize::try_from(connections / 2).unwrap_or(1).max(1)
}

/// A long read's permit on `pool`'s file (see [`share`]); `None` for an in-memory database,
/// which has no file to key the share by (and serves no pages).
pub(super) async fn sqlite_permit(
    pool: &SqlitePool,
) -> Result<Option<OwnedSemaphorePermit>, Error> {
    let Some(file) = file_of(pool) else {
        return Ok(None);
    };
    let connections = pool.options().get_max_connections();
    share(format!("sqlite:{}", file.display()), connections)
        .await
        .map(Some)
}

/// A long read's permit on `pool`'s database (see [`share`]), keyed by where it connects: the
/// server, the database and the connection options (a test's schema).
pub(super) async fn pg_permit(pool: &PgPool) -> Result<OwnedSemaphorePermit, Error> {
    let o = pool.connect_options();
    let key = format!(
        "postgres:{}:{}:{:?}/{:?}?{:?}",
        o.get_host(),
        o.get_port(),
        o.get_socket(),
        o.get_database(),
        o.get_options()
    );
    share(key, pool.options().get_max_connections()).await
}

/// A permit of the long reads' share of the pools opened on `key` (one per database in this
/// process, sized by the first pool), waiting at most [`LONG_READ_WAIT`].
async fn share(key: String, connections: u32) -> Result<OwnedSemaphorePermit, Error> {
    static SHARES: Mutex<Option<HashMap<String, Arc<Semaphore>>>> = Mutex::new(None);
    let share = {
        let mut shares = SHARES.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(
            shares
                .get_or_insert_with(HashMap::new)
                .entry(key)
                .or_insert_with(|| Arc::new(Semaphore::new(long_read_share(connections)))),
        )
    };
    match tokio::time::timeout(LONG_READ_WAIT, share.acquire_owned()).await {
        Ok(Ok(permit)) => Ok(permit),
        Ok(Err(_)) | Err(_) => Err(Error::busy()),
    }
}

/// The file `pool` opens, as one key for every pool on it in this process; `None` in memory.
pub(super) fn file_of(pool: &SqlitePool) -> Option<PathBuf> {
    let opts = pool.connect_options();
    let file = opts.get_filename();
    if file.as_os_str().is_empty() || file.to_string_lossy().contains(":memory:") {
        return None;
    }
    Some(std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf()))
}

#[cfg(test)]
mod tests {
    use super::{SQLITE_CONNECTIONS, long_read_share};

    #[test]
    fn long_reads_leave_pages_half_of_the_pool() {
        assert_eq!(long_read_share(SQLITE_CONNECTIONS), 4);
        assert_eq!(long_read_share(4), 2);
        assert_eq!(long_read_share(16), 8);
        assert_eq!(long_read_share(1), 1);
        assert_eq!(long_read_share(0), 1);
    }
}
