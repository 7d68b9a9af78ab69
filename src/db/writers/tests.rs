//! Group commit on a real SQLite file: a writer queued behind another shares its commit, a
//! writer dropped inside a batch undoes only its own rows, a batch whose next writer gave up
//! is committed anyway, and under many concurrent writers exactly the committed rows remain.

#![allow(clippy::unwrap_used)]

use super::*;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::time::Duration;

async fn pool() -> (tempfile::TempDir, SqlitePool) {
    let dir = tempfile::tempdir().unwrap();
    let opts = SqliteConnectOptions::new()
        .filename(dir.path().join("writers.db"))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full);
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(opts)
        .await
        .unwrap();
    sqlx::query("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
        .execute(&pool)
        .await
        .unwrap();
    (dir, pool)
}

async fn insert(tx: &mut SqliteTx, v: &str) {
    sqlx::query("INSERT INTO t (v) VALUES ($1)")
        .bind(v)
        .execute(&mut **tx)
        .await
        .unwrap();
}

async fn seen(c: &mut sqlx::SqliteConnection) -> Vec<String> {
    sqlx::query_scalar("SELECT v FROM t ORDER BY id")
        .fetch_all(c)
        .await
        .unwrap()
}

/// What another connection sees: only committed rows.
async fn committed(pool: &SqlitePool) -> Vec<String> {
    seen(&mut pool.acquire().await.unwrap()).await
}

async fn until(what: &str, ok: impl Fn() -> bool) {
    for _ in 0..2000 {
        if ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    panic!("timed out waiting until {what}");
}

fn queue(pool: &SqlitePool) -> Arc<Queue> {
    Queue::of(pool).unwrap()
}

async fn within<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), f)
        .await
        .expect("finished within 10 s")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_writer_queued_behind_another_shares_its_commit() {
    let (_dir, pool) = pool().await;
    let mut a = SqliteTx::write(&pool).await.unwrap();
    insert(&mut a, "a").await;
    let (joined_tx, joined) = tokio::sync::oneshot::channel();
    let (go_tx, go) = tokio::sync::oneshot::channel::<()>();
    let p = pool.clone();
    let b = tokio::spawn(async move {
        let mut b = SqliteTx::write(&p).await.unwrap();
        let inside = seen(&mut b).await;
        insert(&mut b, "b").await;
        joined_tx
            .send((inside, b.turn.as_ref().unwrap().joined))
            .unwrap();
        go.await.unwrap();
        b.commit().await
    });
    until("b waits for its turn", || queue(&pool).waiting()).await;
    let a = tokio::spawn(a.commit());
    let (inside, joined) = within(joined).await.unwrap();
    assert!(joined, "b joined a's batch");
    assert_eq!(
        inside,
        ["a"],
        "b's work follows a's, in the same transaction"
    );
    assert!(
        committed(&pool).await.is_empty(),
        "nothing is on disk before the shared commit"
    );
    assert!(!a.is_finished(), "a is not told before its work is on disk");
    go_tx.send(()).unwrap();
    within(b).await.unwrap().unwrap();
    within(a).await.unwrap().unwrap();
    assert_eq!(committed(&pool).await, ["a", "b"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_writer_dropped_inside_a_batch_undoes_only_its_own_rows() {
    let (_dir, pool) = pool().await;
    let mut a = SqliteTx::write(&pool).await.unwrap();
    insert(&mut a, "a").await;
    let p = pool.clone();
    let b = tokio::spawn(async move {
        let mut b = SqliteTx::write(&p).await.unwrap();
        insert(&mut b, "b1").await;
        insert(&mut b, "b2").await;
        b.turn.as_ref().unwrap().joined
        // dropped here, as on an error after its inserts
    });
    until("b waits for its turn", || queue(&pool).waiting()).await;
    let a = tokio::spawn(a.commit());
    assert!(within(b).await.unwrap(), "b joined a's batch");
    // Nobody else is queued, so the batch's watch rolls b back and commits a.
    within(a).await.unwrap().unwrap();
    assert_eq!(committed(&pool).await, ["a"]);
    let mut c = SqliteTx::write(&pool).await.unwrap();
    insert(&mut c, "c").await;
    within(c.commit()).await.unwrap();
    assert_eq!(committed(&pool).await, ["a", "c"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_next_writer_rolls_back_a_dropped_writer_before_joining() {
    let (_dir, pool) = pool().await;
    let mut a = SqliteTx::write(&pool).await.unwrap();
    insert(&mut a, "a").await;
    let (held_tx, held) = tokio::sync::oneshot::channel();
    let (drop_tx, drop_b) = tokio::sync::oneshot::channel::<()>();
    let p = pool.clone();
    let b = tokio::spawn(async move {
        let mut b = SqliteTx::write(&p).await.unwrap();
        insert(&mut b, "b").await;
        held_tx.send(()).unwrap();
        drop_b.await.unwrap();
    });
    until("b waits", || queue(&pool).waiting()).await;
    let a = tokio::spawn(a.commit());
    within(held).await.unwrap();
    let p = pool.clone();
    let c = tokio::spawn(async move {
        let mut c = SqliteTx::write(&p).await.unwrap();
        let inside = seen(&mut c).await;
        insert(&mut c, "c").await;
        c.commit().await.map(|()| inside)
    });
    until("c waits", || queue(&pool).waiting()).await;
    drop_tx.send(()).unwrap();
    within(b).await.unwrap();
    assert_eq!(
        within(c).await.unwrap().unwrap(),
        ["a"],
        "c never sees b's row"
    );
    within(a).await.unwrap().unwrap();
    assert_eq!(committed(&pool).await, ["a", "c"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_whose_next_writer_gave_up_is_committed_anyway() {
    let (_dir, pool) = pool().await;
    for round in 0..30 {
        let mut a = SqliteTx::write(&pool).await.unwrap();
        insert(&mut a, &format!("a{round}")).await;
        let p = pool.clone();
        let b = tokio::spawn(async move {
            let mut b = SqliteTx::write(&p).await.unwrap();
            insert(&mut b, "never").await;
            std::future::pending::<()>().await;
            b.commit().await
        });
        until("b waits", || queue(&pool).waiting()).await;
        let a = tokio::spawn(a.commit());
        // b gives up at some point: before its turn, or holding the batch mid-work.
        tokio::time::sleep(Duration::from_micros(round * 50)).await;
        b.abort();
        within(a).await.unwrap().unwrap();
    }
    let rows = committed(&pool).await;
    assert_eq!(rows.len(), 30, "{rows:?}");
    assert!(!rows.iter().any(|r| r == "never"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_many_writers_exactly_the_committed_rows_remain() {
    let (_dir, pool) = pool().await;
    let tasks: Vec<_> = (0..16)
        .map(|w| {
            let p = pool.clone();
            tokio::spawn(async move {
                let mut kept = Vec::new();
                for i in 0..25 {
                    let mut tx = SqliteTx::write(&p).await.unwrap();
                    let v = format!("{w}-{i}");
                    insert(&mut tx, &v).await;
                    if (w + i) % 4 == 0 {
                        drop(tx);
                    } else {
                        tx.commit().await.unwrap();
                        kept.push(v);
                    }
                }
                kept
            })
        })
        .collect();
    let mut expected = Vec::new();
    for t in tasks {
        expected.extend(within(t).await.unwrap());
    }
    let mut rows = committed(&pool).await;
    rows.sort();
    expected.sort();
    assert_eq!(rows, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_writer_commits_the_batch_left_for_it_and_writes_alone() {
    let (_dir, pool) = pool().await;
    let mut a = SqliteTx::write(&pool).await.unwrap();
    insert(&mut a, "a").await;
    let p = pool.clone();
    let bulk = tokio::spawn(async move {
        let mut b = SqliteTx::write_alone(&p, "BEGIN IMMEDIATE".into())
            .await
            .unwrap();
        let first = !b.turn.as_ref().unwrap().joined;
        insert(&mut b, "bulk").await;
        b.commit().await.map(|()| first)
    });
    until("the bulk writer waits", || queue(&pool).waiting()).await;
    within(a.commit()).await.unwrap();
    assert!(within(bulk).await.unwrap().unwrap());
    assert_eq!(committed(&pool).await, ["a", "bulk"]);
}
