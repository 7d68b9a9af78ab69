//! The writer queue of each SQLite file and the batches of writers that share one commit:
//! whose turn it is, the transaction a batch's last writer left open for the next, and how a
//! batch ended, which each of its writers is told (see [`super::SqliteTx`]).

use crate::error::{Error, storage_fault};
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};

/// How long a SQLite writer waits for its turn before it is told the database is busy: the
/// busy timeout the connections had to wait through before the queue.
const WRITER_WAIT: Duration = Duration::from_secs(10);

/// A batch takes new writers for this long after its first began. Each writer's answer waits
/// for the batch's commit, so the span bounds what sharing a commit adds to a writer's wait
/// (one commit costs about 0.23 ms of fsync on this class of disk; a POST's turn about 1 ms).
/// It does not bound how long the last writer to join takes: a slow one (a rate that
/// re-converts thousands of rows) delays the answers of the writers before it in its batch by
/// that much. Imports write alone (`Store::write_bulk`) and never join a batch.
const BATCH_SPAN: Duration = Duration::from_millis(10);

/// How often a batch left open checks whether the writer it was handed to has given up, in
/// which case it commits the batch itself (see [`watch_batch`]).
const TAKE_OVER_AFTER: Duration = Duration::from_millis(2);

/// The savepoint around each writer that joins a batch after its first: undoing a failed
/// writer rolls back to it and leaves the writers before it in the batch untouched.
pub(super) const JOIN: &str = "SAVEPOINT aidledger_writer";
const UNDO: &str = "ROLLBACK TO aidledger_writer; RELEASE aidledger_writer";

/// The writer queue of one SQLite file. SQLite lets one transaction write at a time; without
/// a queue, writers beyond the first each hold a pooled connection and poll the lock from
/// SQLite's busy handler, which sleeps up to 100 ms between tries, so a freed lock waits for a
/// sleeper to wake (p99 of a second at 8 writers, measured) and the readers wait for
/// connections the sleepers hold. Here writers wait first-come, first-served before taking a
/// connection, and the next one starts as soon as the last is done. One queue per file, so
/// two pools on the same file in one process share it; an in-memory database has no file to
/// share and no queue.
pub(super) struct Queue {
    turn: Arc<Semaphore>,
    /// Writers waiting for their turn now.
    waiting: AtomicUsize,
    /// The transaction of a batch that its last writer left open for the next one.
    open: Mutex<Option<Open>>,
}

/// A batch's transaction between two of its writers.
pub(super) struct Open {
    pub(super) tx: Transaction<'static, Sqlite>,
    pub(super) batch: Arc<Batch>,
    /// The last writer was dropped without committing: roll back to its savepoint first.
    pub(super) undo: bool,
}

/// The writers sharing one commit and how it ended.
pub(super) struct Batch {
    began: Instant,
    pub(super) members: AtomicUsize,
    done: watch::Sender<Option<Result<(), Failure>>>,
}

/// Why a batch did not commit, kept so that each of its writers can be told.
#[derive(Clone)]
pub(super) struct Failure {
    storage: Option<&'static str>,
    text: String,
}

impl Failure {
    pub(super) fn of(e: &sqlx::Error) -> Failure {
        Failure {
            storage: storage_fault(e),
            text: e.to_string(),
        }
    }

    fn error(&self) -> Error {
        match self.storage {
            Some(why) => Error::storage_unavailable(why),
            None => Error::Internal(format!(
                "the commit this write shared with others failed: {}",
                self.text
            )),
        }
    }
}

impl Queue {
    /// `pool`'s file's queue, made on first use.
    pub(super) fn of(pool: &SqlitePool) -> Option<Arc<Queue>> {
        use std::collections::HashMap;
        use std::path::PathBuf;
        static QUEUES: Mutex<Option<HashMap<PathBuf, Arc<Queue>>>> = Mutex::new(None);
        let opts = pool.connect_options();
        let file = opts.get_filename();
        if file.as_os_str().is_empty() || file.to_string_lossy().contains(":memory:") {
            return None;
        }
        let key = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
        let mut queues = QUEUES.lock().unwrap_or_else(PoisonError::into_inner);
        Some(Arc::clone(
            queues
                .get_or_insert_with(HashMap::new)
                .entry(key)
                .or_insert_with(|| {
                    Arc::new(Queue {
                        turn: Arc::new(Semaphore::new(1)),
                        waiting: AtomicUsize::new(0),
                        open: Mutex::new(None),
                    })
                }),
        ))
    }

    /// This writer's turn, waiting at most [`WRITER_WAIT`]; counted as waiting meanwhile.
    pub(super) async fn wait(&self) -> Result<OwnedSemaphorePermit, Error> {
        struct Waiting<'a>(&'a AtomicUsize);
        impl Drop for Waiting<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::Relaxed);
            }
        }
        self.waiting.fetch_add(1, Ordering::Relaxed);
        let _waiting = Waiting(&self.waiting);
        match tokio::time::timeout(WRITER_WAIT, Arc::clone(&self.turn).acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(_)) | Err(_) => Err(Error::storage_unavailable("the database is busy")),
        }
    }

    pub(super) fn waiting(&self) -> bool {
        self.waiting.load(Ordering::Relaxed) > 0
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<Open>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn put_open(&self, open: Open) {
        *self.slot() = Some(open);
    }

    /// The open batch (only if it is `only`, when given). Called with the turn held.
    pub(super) fn take_open(&self, only: Option<&Arc<Batch>>) -> Option<Open> {
        let mut slot = self.slot();
        match (slot.as_ref(), only) {
            (Some(o), Some(b)) if !Arc::ptr_eq(&o.batch, b) => None,
            _ => slot.take(),
        }
    }
}

impl Open {
    /// Rolls back to the savepoint of the writer that was dropped, if one was.
    async fn settle(&mut self) -> Result<(), sqlx::Error> {
        if self.undo {
            sqlx::query(UNDO).execute(&mut *self.tx).await?;
            self.undo = false;
        }
        Ok(())
    }

    /// Opens a savepoint for the next writer. If the connection fails, the batch is rolled
    /// back and its writers told, and `None` lets the writer begin a batch of its own.
    pub(super) async fn join(mut self) -> Option<(Transaction<'static, Sqlite>, Arc<Batch>)> {
        let ready = match self.settle().await {
            Ok(()) => sqlx::query(JOIN).execute(&mut *self.tx).await.map(|_| ()),
            Err(e) => Err(e),
        };
        match ready {
            Ok(()) => Some((self.tx, self.batch)),
            Err(e) => {
                self.batch.publish(Err(Failure::of(&e)));
                None
            }
        }
    }

    /// Commits the batch and tells its writers how it went.
    pub(super) async fn finish(mut self) -> Result<(), Failure> {
        let done = match self.settle().await {
            Ok(()) => self.tx.commit().await,
            Err(e) => Err(e),
        };
        let done = done.map_err(|e| Failure::of(&e));
        self.batch.publish(done.clone());
        done
    }
}

impl Batch {
    pub(super) fn new() -> Arc<Batch> {
        Arc::new(Batch {
            began: Instant::now(),
            members: AtomicUsize::new(0),
            done: watch::Sender::new(None),
        })
    }

    pub(super) fn young(&self) -> bool {
        self.began.elapsed() < BATCH_SPAN
    }

    pub(super) fn publish(&self, done: Result<(), Failure>) {
        self.done.send_replace(Some(done));
    }

    /// How the batch ended, once it has.
    pub(super) async fn outcome(&self) -> Result<(), Error> {
        let mut rx = self.done.subscribe();
        let ended = rx.wait_for(Option::is_some).await;
        match ended.as_deref() {
            Ok(Some(Ok(()))) => Ok(()),
            Ok(Some(Err(f))) => Err(f.error()),
            // The sender lives in the batch this writer holds, so it cannot be gone.
            Ok(None) | Err(_) => Err(Error::Internal("a shared commit ended unseen".into())),
        }
    }
}

/// Watches a batch left open for the next writer: if that writer gave up waiting (its time
/// ran out or its request was dropped), nobody would commit the batch, so once no writer is
/// queued this task takes the turn and commits it. It ends when the batch has ended.
pub(super) async fn watch_batch(queue: Arc<Queue>, batch: Arc<Batch>) {
    let mut rx = batch.done.subscribe();
    loop {
        if rx.borrow().is_some() {
            return;
        }
        if tokio::time::timeout(TAKE_OVER_AFTER, rx.changed())
            .await
            .is_ok_and(|changed| changed.is_err())
        {
            return;
        }
        let Ok(permit) = Arc::clone(&queue.turn).try_acquire_owned() else {
            continue;
        };
        if let Some(open) = queue.take_open(Some(&batch)) {
            let _ = open.finish().await;
        }
        drop(permit);
    }
}
