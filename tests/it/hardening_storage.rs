//! `audit verify` against tampering behind the application's back (issue 10, defect 9), on
//! the selected engine: amounts multiplied, a rate edited, the newest entries cut off, an
//! issued report's anchor entry removed. Each tamper drops the guarding trigger first, as a
//! database owner could, and must be found and named; the broken outcome then refuses writes
//! with 503 while `/healthz` says degraded with the reason.

use crate::common::{TestDb, fresh_db, raw_exec, seed_basics, seed_item, system};
use crate::periods::{disb, usd_rate};
use aidledger::actions::audit_check::{Scope, Verification, verify};
use aidledger::actions::ledger::record_disbursement;
use aidledger::actions::rates::enter_rate;
use aidledger::db::Store;
use rocket::http::Status;
use rocket::local::asynchronous::Client;

/// A ledger with a rate and `n` disbursements; returns their ids.
async fn ledger(db: &TestDb, n: usize) -> Vec<i64> {
    let orgs = seed_basics(db).await;
    let item = seed_item(db, "T-1", orgs).await;
    enter_rate(&db.ctx, &system(), usd_rate("2025-01-02", "25000"))
        .await
        .unwrap();
    let mut ids = Vec::new();
    for i in 0..n {
        let minor = 1000 + i64::try_from(i).unwrap();
        ids.push(
            record_disbursement(&db.ctx, &system(), disb(item, minor, "2025-01-15"))
                .await
                .unwrap(),
        );
    }
    ids
}

/// Drops one of the guarding triggers, as a database owner could.
pub async fn drop_trigger(db: &TestDb, trigger: &str, table: &str) {
    let sql = sqlx::AssertSqlSafe(match db.store() {
        Store::Sqlite(_) => format!("DROP TRIGGER {trigger}"),
        Store::Pg(_) => format!("DROP TRIGGER {trigger} ON {table}"),
    });
    match db.store() {
        Store::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
        Store::Pg(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
    }
    .unwrap();
}

async fn full(db: &TestDb) -> Verification {
    verify(db.store(), Scope::Full).await.unwrap()
}

fn mentions(v: &Verification, what: &str) -> bool {
    v.problems.iter().any(|p| p.contains(what))
}

/// After a broken verification: writes refuse with 503 `audit_broken`, `/healthz` is degraded
/// with the reason and still answers 200 (reads work).
async fn writes_refused_reads_served(db: &TestDb) {
    let orgs_item: i64 = 1;
    let err = record_disbursement(&db.ctx, &system(), disb(orgs_item, 5, "2025-01-20"))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Status::ServiceUnavailable, "{err}");
    assert_eq!(err.code(), "audit_broken");
    assert!(
        err.to_string().contains("audit trail failed verification"),
        "{err}"
    );
    let client = Client::tracked(aidledger::build(db.ctx.config.clone(), db.store().clone()))
        .await
        .unwrap();
    let res = client.get("/healthz").dispatch().await;
    assert_eq!(res.status(), Status::Ok);
    let body: serde_json::Value = res.into_json().await.unwrap();
    assert_eq!(body["status"], "degraded");
    assert!(
        body["reasons"][0].as_str().unwrap().contains("audit trail"),
        "{body}"
    );
}

#[tokio::test]
async fn multiplying_a_stored_amount_by_100_is_found_and_named() {
    let db = fresh_db().await;
    let ids = ledger(&db, 3).await;
    assert!(full(&db).await.intact(), "{:?}", full(&db).await.problems);
    drop_trigger(&db, "disbursement_append_only", "disbursement").await;
    let changed = raw_exec(
        &db,
        "UPDATE disbursement SET amount_minor = amount_minor * 100, amount_vnd = amount_vnd * 100 WHERE id = $1",
        ids[1],
    )
    .await
    .unwrap();
    assert_eq!(changed, 1);
    let v = full(&db).await;
    assert!(!v.intact());
    let named = format!(
        "disbursement {}: amount_minor is 100100 in the table but 1001",
        ids[1]
    );
    assert!(mentions(&v, &named), "{:?}", v.problems);
    writes_refused_reads_served(&db).await;
}

#[tokio::test]
async fn an_edited_rate_is_found_and_named() {
    let db = fresh_db().await;
    ledger(&db, 1).await;
    assert!(full(&db).await.intact());
    drop_trigger(&db, "exchange_rate_append_only", "exchange_rate").await;
    raw_exec(
        &db,
        "UPDATE exchange_rate SET to_vnd = '26000' WHERE id = $1",
        1,
    )
    .await
    .unwrap();
    let v = full(&db).await;
    assert!(
        mentions(&v, "exchange rate 1: to_vnd is \"26000\""),
        "{:?}",
        v.problems
    );
    writes_refused_reads_served(&db).await;
}

#[tokio::test]
async fn deleting_the_last_five_entries_is_found_by_rows_and_by_the_checkpoint() {
    let db = fresh_db().await;
    let ids = ledger(&db, 8).await;
    // A start-up style verification leaves an intact checkpoint at the head.
    let first = verify(db.store(), Scope::SinceCheckpoint).await.unwrap();
    assert!(first.intact(), "{:?}", first.problems);
    drop_trigger(&db, "audit_no_delete", "audit_entry").await;
    let cut = raw_exec(
        &db,
        "DELETE FROM audit_entry WHERE id > (SELECT MAX(id) FROM audit_entry) - $1",
        5,
    )
    .await
    .unwrap();
    assert_eq!(cut, 5);
    // The chain that is left links up, and still the cut is found: by the checkpoint...
    let v = verify(db.store(), Scope::SinceCheckpoint).await.unwrap();
    assert!(
        mentions(&v, "no longer exists (entries were removed)"),
        "{:?}",
        v.problems
    );
    // ...and by the rows whose creating entries went with it, each named.
    let v = full(&db).await;
    for id in &ids[3..] {
        let named = format!("disbursement {id} has no audit entry");
        assert!(mentions(&v, &named), "{named}: {:?}", v.problems);
    }
    writes_refused_reads_served(&db).await;
}

/// Stores an issued report signed at the current head, as issuing does.
async fn issue_anchored(db: &TestDb) -> i64 {
    let mut tx = db.store().read().await.unwrap();
    let (entry, hash) = aidledger::db::audit::head(&mut tx).await.unwrap().unwrap();
    drop(tx);
    const SQL: &str = "INSERT INTO issued_report (period, period_from, period_to, lang, version, issued_on, issued_at, sha256, byte_size, pdf, audit_entry_id, audit_head) \
                       VALUES ('2025-M01', $1, $2, 'vi', 1, $2, $3, $4, 3, $5, $6, $7)";
    let d = |s| crate::common::date(s);
    let (from, to, now, sha, pdf) = (
        d("2025-01-01"),
        d("2025-01-31"),
        aidledger::db::now(),
        "a".repeat(64),
        b"pdf".to_vec(),
    );
    macro_rules! run {
        ($p:expr) => {
            sqlx::query(SQL)
                .bind(from)
                .bind(to)
                .bind(now)
                .bind(&sha)
                .bind(&pdf)
                .bind(entry)
                .bind(&hash)
                .execute($p)
                .await
                .unwrap()
                .rows_affected()
        };
    }
    match db.store() {
        Store::Sqlite(p) => run!(p),
        Store::Pg(p) => run!(p),
    };
    entry
}

#[tokio::test]
async fn deleting_an_anchors_entry_is_found_and_named() {
    let db = fresh_db().await;
    ledger(&db, 2).await;
    let entry = issue_anchored(&db).await;
    let v = full(&db).await;
    assert!(v.intact(), "{:?}", v.problems);
    assert_eq!(v.anchors_checked, 1);
    drop_trigger(&db, "audit_no_delete", "audit_entry").await;
    raw_exec(&db, "DELETE FROM audit_entry WHERE id = $1", entry)
        .await
        .unwrap();
    let v = full(&db).await;
    let named = format!(
        "issued report 1 (2025-M01) was signed at audit entry {entry}, which no longer exists"
    );
    assert!(mentions(&v, &named), "{:?}", v.problems);
}

#[tokio::test]
async fn start_up_checks_only_what_followed_the_checkpoint_and_still_compares_new_rows() {
    let db = fresh_db().await;
    let ids = ledger(&db, 4).await;
    let all = verify(db.store(), Scope::SinceCheckpoint).await.unwrap();
    assert!(!all.incremental && all.intact());
    let orgs_item = 1;
    let new = record_disbursement(&db.ctx, &system(), disb(orgs_item, 7777, "2025-01-16"))
        .await
        .unwrap();
    drop_trigger(&db, "disbursement_append_only", "disbursement").await;
    raw_exec(
        &db,
        "UPDATE disbursement SET amount_minor = 777700 WHERE id = $1",
        new,
    )
    .await
    .unwrap();
    let since = verify(db.store(), Scope::SinceCheckpoint).await.unwrap();
    assert!(since.incremental);
    assert_eq!(
        since.entries_checked, 1,
        "only the entry added since is rehashed"
    );
    assert!(since.rows_checked < all.rows_checked);
    let named = format!("disbursement {new}: amount_minor is 777700 in the table but 7777");
    assert!(mentions(&since, &named), "{:?}", since.problems);
    // A full verification finds the same, and the untouched older rows still match.
    let v = full(&db).await;
    assert!(!mentions(&v, &format!("disbursement {}:", ids[0])));
    assert!(mentions(&v, &format!("disbursement {new}: amount_minor")));
}
