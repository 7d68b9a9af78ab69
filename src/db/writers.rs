//! SQLite's transactions, its writer queue and group commit. A write transaction holds its
//! turn in a first-come, first-served queue per database file (see [`Queue`]) until it
//! commits or rolls back. Writers that queue up behind one another share one SQLite
//! transaction, each inside a savepoint of its own, and one commit (one fsync) acknowledges
//! them all (see [`SqliteTx::commit`]). PostgreSQL needs none of this here: its writers take
//! an advisory lock, and its own commit path groups concurrent flushes.

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
const BATCH_SPAN: Duration = Duration::from_millis(10);

/// At most this many writers share one commit.
const BATCH_MEMBERS: usize = 64;

/// How often a batch left open checks whether the writer it was handed to has given up, in
/// which case it commits the batch itself (see [`watch_batch`]).
const TAKE_OVER_AFTER: Duration = Duration::from_millis(2);

/// The savepoint around each writer that joins a batch after its first: undoing a failed
/// writer rolls back to it and leaves the writers before it in the batch untouched.
const JOIN: &str = "SAVEPOINT aidledger_writer";
const KEEP: &str = "RELEASE aidledger_writer";
const UNDO: &str = "ROLLBACK TO aidledger_writer; RELEASE aidledger_writer";

/// A SQLite transaction and, for a write, its turn in the database's writer queue. It
/// dereferences to the connection, as sqlx's own transaction does.
pub struct SqliteTx {
    /// `Some` from construction until `commit` or `drop` takes it, unless `plain` is.
    tx: Option<Transaction<'static, Sqlite>>,
    turn: Option<Turn>,
    /// A connection outside any transaction, for a read of one statement (see
    /// [`SqliteTx::read_one`]).
    plain: Option<sqlx::pool::PoolConnection<Sqlite>>,
}

/// A writer's turn: the queue it came through, its place at the head of it, and the batch its
/// work is committed with.
struct Turn {
    queue: Arc<Queue>,
    permit: OwnedSemaphorePermit,
    batch: Arc<Batch>,
    /// Whether writers before it in the batch wait on the same commit (its work is then inside
    /// the savepoint [`JOIN`] opened).
    joined: bool,
    /// Whether writers after it may join its batch (not after a bulk import's transaction,
    /// whose connection settings are its own).
    shared: bool,
}

const HELD: &str = "a SqliteTx holds its connection until it is consumed";

impl std::ops::Deref for SqliteTx {
    type Target = sqlx::SqliteConnection;
    fn deref(&self) -> &Self::Target {
        match (&self.tx, &self.plain) {
            (Some(tx), _) => tx,
            (None, plain) => plain.as_ref().expect(HELD),
        }
    }
}

impl std::ops::DerefMut for SqliteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        match (&mut self.tx, &mut self.plain) {
            (Some(tx), _) => tx,
            (None, plain) => plain.as_mut().expect(HELD),
        }
    }
}

impl SqliteTx {
    /// A transaction for reading (SQLite's WAL readers never wait for the writer).
    pub(super) async fn read(pool: &SqlitePool) -> Result<SqliteTx, Error> {
        Ok(SqliteTx::alone(pool.begin().await?))
    }

    /// A connection for a read of ONE statement, outside any transaction: a statement is its
    /// own consistent snapshot, and the request's session or token lookup spares the round
    /// trips of `BEGIN` and `ROLLBACK` to the connection's thread.
    pub(super) async fn read_one(pool: &SqlitePool) -> Result<SqliteTx, Error> {
        Ok(SqliteTx {
            tx: None,
            turn: None,
            plain: Some(pool.acquire().await?),
        })
    }

    fn alone(tx: Transaction<'static, Sqlite>) -> SqliteTx {
        SqliteTx {
            tx: Some(tx),
            turn: None,
            plain: None,
        }
    }

    /// A write transaction: this writer's turn, then either the batch the writer before it
    /// left open for it, or a new batch that begins with `BEGIN IMMEDIATE`.
    pub(super) async fn write(pool: &SqlitePool) -> Result<SqliteTx, Error> {
        let Some(queue) = Queue::of(pool) else {
            return Ok(SqliteTx::alone(pool.begin_with("BEGIN IMMEDIATE").await?));
        };
        let permit = queue.wait().await?;
        if let Some(open) = queue.take_open(None)
            && let Some((tx, batch)) = open.join().await
        {
            return Ok(SqliteTx::member(tx, queue, permit, batch, true, true));
        }
        let tx = pool.begin_with("BEGIN IMMEDIATE").await?;
        Ok(SqliteTx::member(
            tx,
            queue,
            permit,
            Batch::new(),
            false,
            true,
        ))
    }

    /// A write transaction of its own that no other writer joins, begun by `begin` (a bulk
    /// import's settings and `BEGIN IMMEDIATE`). A batch left open for it is committed first.
    pub(super) async fn write_alone(pool: &SqlitePool, begin: String) -> Result<SqliteTx, Error> {
        let begin = sqlx::AssertSqlSafe(begin);
        let Some(queue) = Queue::of(pool) else {
            return Ok(SqliteTx::alone(pool.begin_with(begin).await?));
        };
        let permit = queue.wait().await?;
        if let Some(open) = queue.take_open(None) {
            // Its writers' answers wait on this commit; a failure is theirs, not this writer's.
            let _ = open.finish().await;
        }
        let tx = pool.begin_with(begin).await?;
        Ok(SqliteTx::member(
            tx,
            queue,
            permit,
            Batch::new(),
            false,
            false,
        ))
    }

    fn member(
        tx: Transaction<'static, Sqlite>,
        queue: Arc<Queue>,
        permit: OwnedSemaphorePermit,
        batch: Arc<Batch>,
        joined: bool,
        shared: bool,
    ) -> SqliteTx {
        SqliteTx {
            tx: Some(tx),
            turn: Some(Turn {
                queue,
                permit,
                batch,
                joined,
                shared,
            }),
            plain: None,
        }
    }

    /// Commits this writer's work. When another writer is waiting for its turn and the batch
    /// is young, the transaction is left open for that writer instead, and this one returns
    /// when the batch commits: either way, `Ok` means the work is on disk.
    pub(super) async fn commit(mut self) -> Result<(), Error> {
        let (Some(mut tx), turn) = (self.tx.take(), self.turn.take()) else {
            return Ok(());
        };
        let Some(Turn {
            queue,
            permit,
            batch,
            joined,
            shared,
        }) = turn
        else {
            return Ok(tx.commit().await?);
        };
        if joined && let Err(e) = sqlx::query(KEEP).execute(&mut *tx).await {
            // A savepoint is only released in memory, so this is the connection failing:
            // the batch cannot commit, and no writer in it has been told otherwise.
            batch.publish(Err(Failure::of(&e)));
            drop(tx);
            drop(permit);
            return Err(e.into());
        }
        let members = batch.members.fetch_add(1, Ordering::Relaxed) + 1;
        if shared && queue.waiting() && members < BATCH_MEMBERS && batch.young() {
            if members == 1 {
                tokio::spawn(watch_batch(Arc::clone(&queue), Arc::clone(&batch)));
            }
            queue.put_open(Open {
                tx,
                batch: Arc::clone(&batch),
                undo: false,
            });
            drop(permit);
            return batch.outcome().await;
        }
        let done = tx.commit().await;
        batch.publish(done.as_ref().map(|_| ()).map_err(Failure::of));
        drop(permit);
        Ok(done?)
    }
}

impl Drop for SqliteTx {
    /// A writer dropped without committing: its work is undone. Alone in its batch, dropping
    /// sqlx's transaction rolls it back; after other writers, the transaction goes back to the
    /// queue marked for a rollback to this writer's savepoint, which the next holder makes.
    fn drop(&mut self) {
        let (Some(tx), Some(turn)) = (self.tx.take(), self.turn.take()) else {
            return;
        };
        if turn.joined {
            turn.queue.put_open(Open {
                tx,
                batch: turn.batch,
                undo: true,
            });
        } else {
            drop(tx);
        }
        // The turn passes on only after the rollback is queued or the batch is back.
        drop(turn.permit);
    }
}

/// The writer queue of one SQLite file. SQLite lets one transaction write at a time; without
/// a queue, writers beyond the first each hold a pooled connection and poll the lock from
/// SQLite's busy handler, which sleeps up to 100 ms between tries, so a freed lock waits for a
/// sleeper to wake (p99 of a second at 8 writers, measured) and the readers wait for
/// connections the sleepers hold. Here writers wait first-come, first-served before taking a
/// connection, and the next one starts as soon as the last is done. One queue per file, so
/// two pools on the same file in one process share it; an in-memory database has no file to
/// share and no queue.
struct Queue {
    turn: Arc<Semaphore>,
    /// Writers waiting for their turn now.
    waiting: AtomicUsize,
    /// The transaction of a batch that its last writer left open for the next one.
    open: Mutex<Option<Open>>,
}

/// A batch's transaction between two of its writers.
struct Open {
    tx: Transaction<'static, Sqlite>,
    batch: Arc<Batch>,
    /// The last writer was dropped without committing: roll back to its savepoint first.
    undo: bool,
}

/// The writers sharing one commit and how it ended.
struct Batch {
    began: Instant,
    members: AtomicUsize,
    done: watch::Sender<Option<Result<(), Failure>>>,
}

/// Why a batch did not commit, kept so that each of its writers can be told.
#[derive(Clone)]
struct Failure {
    storage: Option<&'static str>,
    text: String,
}

impl Failure {
    fn of(e: &sqlx::Error) -> Failure {
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
    fn of(pool: &SqlitePool) -> Option<Arc<Queue>> {
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
    async fn wait(&self) -> Result<OwnedSemaphorePermit, Error> {
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

    fn waiting(&self) -> bool {
        self.waiting.load(Ordering::Relaxed) > 0
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<Open>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn put_open(&self, open: Open) {
        *self.slot() = Some(open);
    }

    /// The open batch (only if it is `only`, when given). Called with the turn held.
    fn take_open(&self, only: Option<&Arc<Batch>>) -> Option<Open> {
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
    async fn join(mut self) -> Option<(Transaction<'static, Sqlite>, Arc<Batch>)> {
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
    async fn finish(mut self) -> Result<(), Failure> {
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
    fn new() -> Arc<Batch> {
        Arc::new(Batch {
            began: Instant::now(),
            members: AtomicUsize::new(0),
            done: watch::Sender::new(None),
        })
    }

    fn young(&self) -> bool {
        self.began.elapsed() < BATCH_SPAN
    }

    fn publish(&self, done: Result<(), Failure>) {
        self.done.send_replace(Some(done));
    }

    /// How the batch ended, once it has.
    async fn outcome(&self) -> Result<(), Error> {
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
async fn watch_batch(queue: Arc<Queue>, batch: Arc<Batch>) {
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

#[cfg(test)]
mod tests;
