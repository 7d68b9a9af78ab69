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
    /// What the next holder undoes first.
    pub(super) undo: Undo,
}

/// What joining a batch gives a writer: the batch's transaction and the batch (`None`: begin
/// a batch of its own), and its turn back.
pub(super) type Joined = (
    Option<(Transaction<'static, Sqlite>, Arc<Batch>)>,
    OwnedSemaphorePermit,
);

/// What a batch's next holder undoes before anything else.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Undo {
    Nothing,
    /// The last writer was dropped without committing: roll back to its savepoint.
    Writer,
    /// A writer gave up half-way through a statement on a savepoint (making, keeping or
    /// undoing one), so whether a savepoint is still there is not known: it is undone if it
    /// is. At most one is ever open, as every writer ends its own before the batch moves on.
    Unsure,
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
        let key = super::super::long_reads::file_of(pool)?;
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
    /// Undoes what the last holder left to undo: a dropped writer's savepoint, or one that may
    /// be there (a savepoint already gone leaves nothing to undo). `Err`: the connection
    /// failed, and the batch cannot commit.
    async fn settle(&mut self) -> Result<(), Failure> {
        match self.undo {
            Undo::Nothing => Ok(()),
            Undo::Writer => {
                sqlx::query(UNDO)
                    .execute(&mut *self.tx)
                    .await
                    .map_err(|e| Failure::of(&e))?;
                self.undo = Undo::Nothing;
                Ok(())
            }
            Undo::Unsure => match sqlx::query(UNDO).execute(&mut *self.tx).await {
                Ok(_) => Ok(()),
                Err(e) if e.to_string().contains("no such savepoint") => Ok(()),
                Err(e) => Err(Failure::of(&e)),
            }
            .map(|()| self.undo = Undo::Nothing),
        }
    }

    /// Opens a savepoint in the open batch for the writer holding `permit`. If the
    /// connection fails, the batch is rolled back and its writers told, and `None` lets the
    /// writer begin a batch of its own. Safe to give up half-way: see [`Holding`].
    pub(super) async fn join(
        self,
        queue: &Queue,
        permit: OwnedSemaphorePermit,
    ) -> Result<Joined, Error> {
        let mut joining = Holding::new(queue, self, permit);
        let ready = match joining.open.as_mut() {
            Some(open) => match open.settle().await {
                Ok(()) => sqlx::query(JOIN)
                    .execute(&mut *open.tx)
                    .await
                    .map(|_| ())
                    .map_err(|e| Failure::of(&e)),
                Err(f) => Err(f),
            },
            None => Ok(()),
        };
        let (open, permit) = joining.finish()?;
        let joined = match (open, ready) {
            (Some(open), Ok(())) => Some((open.tx, open.batch)),
            (Some(open), Err(f)) => {
                open.batch.publish(Err(f));
                None
            }
            (None, _) => None,
        };
        Ok((joined, permit))
    }

    /// Commits the batch and tells its writers how it went.
    pub(super) async fn finish(mut self) -> Result<(), Failure> {
        let done = match self.settle().await {
            Ok(()) => self.tx.commit().await.map_err(|e| Failure::of(&e)),
            Err(f) => Err(f),
        };
        self.batch.publish(done.clone());
        done
    }
}

/// A batch and the turn while a writer runs a statement on its savepoint (joining the batch,
/// or keeping its work in it). A writer that gives up half-way (its request dropped, a
/// timeout) drops this in the middle of the statement: the batch goes back to the queue,
/// marked [`Undo::Unsure`], before the turn is given up, so its next holder or its watch
/// commits it. Without this, the batch would be rolled back as it dropped, with nobody to
/// tell the writers before, who wait on it.
pub(super) struct Holding<'q> {
    queue: &'q Queue,
    pub(super) open: Option<Open>,
    permit: Option<OwnedSemaphorePermit>,
}

impl<'q> Holding<'q> {
    pub(super) fn new(queue: &'q Queue, open: Open, permit: OwnedSemaphorePermit) -> Self {
        Holding {
            queue,
            open: Some(open),
            permit: Some(permit),
        }
    }

    /// The batch and the turn, once the statement has run to its end.
    pub(super) fn finish(mut self) -> Result<(Option<Open>, OwnedSemaphorePermit), Error> {
        let open = self.open.take();
        // Taken only here, once, so it is always there.
        let permit = self
            .permit
            .take()
            .ok_or_else(|| Error::Internal("a writer's turn went missing on a savepoint".into()))?;
        Ok((open, permit))
    }
}

impl Drop for Holding<'_> {
    fn drop(&mut self) {
        if let Some(mut open) = self.open.take() {
            open.undo = Undo::Unsure;
            self.queue.put_open(open);
        }
        drop(self.permit.take());
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
