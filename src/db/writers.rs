//! SQLite's transactions and its writer queue: a write transaction holds its turn in a
//! first-come, first-served queue per database file (see [`writers`]) until it commits or
//! rolls back. PostgreSQL needs no queue here: its writers take an advisory lock.

use crate::error::Error;
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::time::Duration;

/// A SQLite transaction and, for a write, its turn in the database's writer queue (see
/// [`writers`]), given back after the commit or rollback. Dereferences to the connection, as
/// sqlx's own transaction does.
pub struct SqliteTx {
    pub(super) tx: Transaction<'static, Sqlite>,
    pub(super) _turn: Option<tokio::sync::OwnedSemaphorePermit>,
}

impl std::ops::Deref for SqliteTx {
    type Target = sqlx::SqliteConnection;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for SqliteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

/// How long a SQLite writer waits for its turn before it is told the database is busy: the
/// busy timeout the connections had to wait through before the queue.
const WRITER_WAIT: Duration = Duration::from_secs(10);

/// The writer queue of the SQLite file `pool` writes to. SQLite lets one transaction write at
/// a time; without a queue, writers beyond the first each hold a pooled connection and poll
/// the lock from SQLite's busy handler, which sleeps up to 100 ms between tries, so a freed
/// lock waits for a sleeper to wake (p99 of a second at 8 writers, measured) and the readers
/// wait for connections the sleepers hold. Here writers wait in a first-come, first-served
/// queue before taking a connection, and the next one starts as soon as the last commits.
/// One queue per file, so two pools on the same file in one process share it. An in-memory
/// database has no file to share and no queue.
fn writers(pool: &SqlitePool) -> Option<std::sync::Arc<tokio::sync::Semaphore>> {
    use std::collections::HashMap;
    use std::path::PathBuf;
    use std::sync::{Arc, Mutex};
    static QUEUES: Mutex<Option<HashMap<PathBuf, Arc<tokio::sync::Semaphore>>>> = Mutex::new(None);
    let opts = pool.connect_options();
    let file = opts.get_filename();
    if file.as_os_str().is_empty() || file.to_string_lossy().contains(":memory:") {
        return None;
    }
    let key = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    let mut queues = QUEUES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    Some(Arc::clone(
        queues
            .get_or_insert_with(HashMap::new)
            .entry(key)
            .or_insert_with(|| Arc::new(tokio::sync::Semaphore::new(1))),
    ))
}

/// This writer's turn on `pool`'s file, waiting at most [`WRITER_WAIT`].
pub(super) async fn turn(
    pool: &SqlitePool,
) -> Result<Option<tokio::sync::OwnedSemaphorePermit>, Error> {
    let Some(queue) = writers(pool) else {
        return Ok(None);
    };
    match tokio::time::timeout(WRITER_WAIT, queue.acquire_owned()).await {
        Ok(Ok(permit)) => Ok(Some(permit)),
        Ok(Err(_)) | Err(_) => Err(Error::storage_unavailable("the database is busy")),
    }
}
