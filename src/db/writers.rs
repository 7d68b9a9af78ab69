//! SQLite's transactions, its writer queue and group commit. A write transaction holds its
//! turn in a first-come, first-served queue per database file (see [`Queue`]) until it
//! commits or rolls back. Writers that queue up behind one another share one SQLite
//! transaction, each inside a savepoint of its own, and one commit (one fsync) acknowledges
//! them all (see [`SqliteTx::commit`]). PostgreSQL's writers take an advisory lock instead
//! (see `Store::write`), which it releases only after the commit's flush, so their commits
//! are not grouped (BENCHMARKS.md, fourth round).

use crate::error::Error;
use queue::{Batch, Failure, Holding, Open, Queue, Undo, watch_batch};
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use tokio::sync::OwnedSemaphorePermit;

mod queue;

/// At most this many writers share one commit.
const BATCH_MEMBERS: usize = 64;

/// Ends a joined writer's savepoint ([`queue::JOIN`]), keeping its work in the batch.
const KEEP: &str = "RELEASE aidledger_writer";

/// A SQLite transaction and, for a write, its turn in the database's writer queue. It
/// dereferences to the connection, as sqlx's own transaction does.
pub struct SqliteTx {
    /// `Some` from construction until `commit` or `drop` takes it, unless `plain` is.
    tx: Option<Transaction<'static, Sqlite>>,
    turn: Option<Turn>,
    /// A connection outside any transaction, for a read of one statement (see
    /// [`SqliteTx::read_one`]).
    plain: Option<sqlx::pool::PoolConnection<Sqlite>>,
    /// A long read's share of the pool (see [`super::long_reads`]), given back after the
    /// transaction: the fields drop in this order.
    long: Option<OwnedSemaphorePermit>,
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

impl Turn {
    /// The first writer of a new batch; `shared` says whether later writers may join it.
    fn first(queue: Arc<Queue>, permit: OwnedSemaphorePermit, shared: bool) -> Turn {
        Turn {
            queue,
            permit,
            batch: Batch::new(),
            joined: false,
            shared,
        }
    }

    /// A writer joining `batch`, which writers before it wait on.
    fn joining(queue: Arc<Queue>, permit: OwnedSemaphorePermit, batch: Arc<Batch>) -> Turn {
        Turn {
            queue,
            permit,
            batch,
            joined: true,
            shared: true,
        }
    }
}

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

    /// A read that may take long (an export, a report): its share of the pool first, so that
    /// long reads never hold every connection.
    pub(super) async fn read_long(pool: &SqlitePool) -> Result<SqliteTx, Error> {
        let long = super::long_reads::sqlite_permit(pool).await?;
        let mut tx = SqliteTx::alone(pool.begin().await?);
        tx.long = long;
        Ok(tx)
    }

    /// A connection for a read of ONE statement, outside any transaction: a statement is its
    /// own consistent snapshot, and the request's session or token lookup spares the round
    /// trips of `BEGIN` and `ROLLBACK` to the connection's thread.
    pub(super) async fn read_one(pool: &SqlitePool) -> Result<SqliteTx, Error> {
        Ok(SqliteTx {
            tx: None,
            turn: None,
            plain: Some(pool.acquire().await?),
            long: None,
        })
    }

    fn alone(tx: Transaction<'static, Sqlite>) -> SqliteTx {
        SqliteTx {
            tx: Some(tx),
            turn: None,
            plain: None,
            long: None,
        }
    }

    /// A write transaction: this writer's turn, then either the batch the writer before it
    /// left open for it, or a new batch that begins with `BEGIN IMMEDIATE`.
    pub(super) async fn write(pool: &SqlitePool) -> Result<SqliteTx, Error> {
        let Some(queue) = Queue::of(pool) else {
            return Ok(SqliteTx::alone(pool.begin_with("BEGIN IMMEDIATE").await?));
        };
        let mut permit = queue.wait().await?;
        if let Some(open) = queue.take_open(None) {
            let (joined, back) = open.join(&queue, permit).await?;
            permit = back;
            if let Some((tx, batch)) = joined {
                return Ok(SqliteTx::turn(tx, Turn::joining(queue, permit, batch)));
            }
        }
        let tx = pool.begin_with("BEGIN IMMEDIATE").await?;
        Ok(SqliteTx::turn(tx, Turn::first(queue, permit, true)))
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
            // Its writers' answers wait on this commit, which must end even if this writer
            // gives up half-way (hence a task); a failure is theirs, not this writer's.
            let _ = tokio::spawn(open.finish()).await;
        }
        let tx = pool.begin_with(begin).await?;
        Ok(SqliteTx::turn(tx, Turn::first(queue, permit, false)))
    }

    fn turn(tx: Transaction<'static, Sqlite>, turn: Turn) -> SqliteTx {
        SqliteTx {
            tx: Some(tx),
            turn: Some(turn),
            plain: None,
            long: None,
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
            mut permit,
            batch,
            joined,
            shared,
        }) = turn
        else {
            return Ok(tx.commit().await?);
        };
        if joined {
            let open = Open {
                tx,
                batch: Arc::clone(&batch),
                undo: Undo::Nothing,
            };
            let mut keeping = Holding::new(&queue, open, permit);
            let kept = match keeping.open.as_mut() {
                Some(open) => sqlx::query(KEEP).execute(&mut *open.tx).await.map(|_| ()),
                None => Ok(()),
            };
            let (open, back) = keeping.finish()?;
            let Some(open) = open else {
                return Err(Error::Internal(
                    "a batch went missing on a savepoint".into(),
                ));
            };
            (tx, permit) = (open.tx, back);
            if let Err(e) = kept {
                // A savepoint is only released in memory, so this is the connection failing:
                // the batch cannot commit, and no writer in it has been told otherwise.
                batch.publish(Err(Failure::of(&e)));
                drop(tx);
                drop(permit);
                return Err(e.into());
            }
        }
        let members = batch.members.fetch_add(1, Ordering::Relaxed) + 1;
        if shared && queue.waiting() && members < BATCH_MEMBERS && batch.young() {
            if members == 1 {
                tokio::spawn(watch_batch(Arc::clone(&queue), Arc::clone(&batch)));
            }
            queue.put_open(Open {
                tx,
                batch: Arc::clone(&batch),
                undo: Undo::Nothing,
            });
            drop(permit);
            return batch.outcome().await;
        }
        if members > 1 {
            // The writers before this one wait on this commit: it runs to its end in a task
            // of its own even if this writer gives up half-way (its request dropped, a
            // timeout). Once per batch, so the hop costs little.
            return tokio::spawn(async move {
                let done = tx.commit().await;
                batch.publish(done.as_ref().map(|_| ()).map_err(Failure::of));
                drop(permit);
                Ok(done?)
            })
            .await
            .unwrap_or_else(|e| Err(Error::Internal(format!("a shared commit was lost: {e}"))));
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
                undo: Undo::Writer,
            });
        } else {
            drop(tx);
        }
        // The turn passes on only after the rollback is queued or the batch is back.
        drop(turn.permit);
    }
}

#[cfg(test)]
mod tests;
