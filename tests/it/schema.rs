//! What the schema promises: no float money columns, migrations that re-run as no-ops, and
//! money and audit rows that the database itself refuses to change or delete.

use crate::common::{date, fresh_db, fresh_sqlite, seed_basics, seed_item, system};
use aidledger::actions::ledger::record_commitment;
use aidledger::db::Tx;
use aidledger::db::ledger::NewCommitment;
use aidledger::domain::Currency;
use aidledger::domain::item::CommitmentKind;

#[tokio::test]
async fn sqlite_schema_has_no_float_or_decimal_column_and_every_table_is_strict() {
    let db = fresh_sqlite().await;
    let aidledger::db::Store::Sqlite(pool) = db.store() else {
        unreachable!()
    };
    let tables: Vec<(String, i64)> = sqlx::query_as("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'")
        .fetch_all(pool)
        .await
        .unwrap();
    assert!(tables.len() >= 14, "{tables:?}");
    for (table, strict) in &tables {
        assert_eq!(*strict, 1, "table {table} is not STRICT");
        let cols: Vec<(String, String)> =
            sqlx::query_as("SELECT name, type FROM pragma_table_info(?)")
                .bind(table)
                .fetch_all(pool)
                .await
                .unwrap();
        for (col, ty) in cols {
            let ty = ty.to_ascii_uppercase();
            assert!(
                !["REAL", "NUMERIC", "DECIMAL", "FLOAT", "DOUBLE"]
                    .iter()
                    .any(|bad| ty.contains(bad)),
                "{table}.{col} is {ty}"
            );
            if col.starts_with("amount") {
                assert_eq!(
                    ty, "INTEGER",
                    "{table}.{col} holds money and must be INTEGER"
                );
            }
        }
    }
}

#[tokio::test]
async fn migrations_run_twice_as_a_no_op() {
    let db = fresh_db().await;
    let v = db.store().schema_version().await.unwrap();
    db.store().migrate().await.unwrap();
    assert_eq!(db.store().schema_version().await.unwrap(), v);
}

async fn try_sql(tx: &mut Tx, sql: &'static str) -> Result<u64, sqlx::Error> {
    match tx {
        Tx::Sqlite(t) => sqlx::query(sql)
            .execute(&mut **t)
            .await
            .map(|r| r.rows_affected()),
        Tx::Pg(t) => sqlx::query(sql)
            .execute(&mut **t)
            .await
            .map(|r| r.rows_affected()),
    }
}

#[tokio::test]
async fn money_and_audit_rows_cannot_be_changed_or_deleted_behind_the_application() {
    let db = fresh_db().await;
    let orgs = seed_basics(&db).await;
    let item = seed_item(&db, "T-1", orgs).await;
    let cmd = NewCommitment {
        item_id: item,
        kind: CommitmentKind::Original,
        amount_minor: 100_000,
        currency: Currency::USD,
        date: date("2025-01-15"),
        reference: None,
        entered_by: None,
    };
    record_commitment(&db.ctx, &system(), cmd).await.unwrap();
    for sql in [
        "UPDATE commitment SET amount_minor = 1",
        "UPDATE commitment SET currency = 'EUR'",
        "DELETE FROM commitment",
        "UPDATE audit_entry SET actor = 'someone else'",
        "DELETE FROM audit_entry",
    ] {
        let mut tx = db.store().write().await.unwrap();
        let err = try_sql(&mut tx, sql).await.expect_err(sql).to_string();
        assert!(
            err.contains("append-only") || err.contains("never deleted"),
            "{sql}: {err}"
        );
    }
    // The derived conversion columns may change (a rate correction re-converts).
    let mut tx = db.store().write().await.unwrap();
    try_sql(
        &mut tx,
        "UPDATE commitment SET unconverted_reason = unconverted_reason",
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn database_sums_are_exact_beyond_i64() {
    use aidledger::db::ledger::{Conversion, insert_commitment};
    use aidledger::rollup::{Flow, Window, item_sums};
    let db = fresh_db().await;
    let orgs = seed_basics(&db).await;
    let item = seed_item(&db, "T-OVF", orgs).await;
    let mut tx = db.store().write().await.unwrap();
    let rate = aidledger::db::rates::insert_rate(
        &mut tx,
        &aidledger::domain::rate::Rate {
            id: 0,
            currency: Currency::VND,
            date: date("2025-01-01"),
            to_vnd: "1".parse().unwrap(),
            to_usd: "0.00004".parse().unwrap(),
        },
        "test",
        None,
        aidledger::db::now(),
    )
    .await
    .unwrap();
    let big = Conversion {
        rate_id: Some(rate),
        amount_vnd: Some(i64::MAX - 10),
        amount_usd_cents: Some(1),
        unconverted_reason: None,
    };
    for _ in 0..2 {
        let c = NewCommitment {
            item_id: item,
            kind: CommitmentKind::Original,
            amount_minor: 1,
            currency: Currency::VND,
            date: date("2025-02-01"),
            reference: None,
            entered_by: None,
        };
        insert_commitment(&mut tx, &c, &big, aidledger::db::now())
            .await
            .unwrap();
    }
    let window = Window {
        from: date("2025-01-01"),
        to: date("2025-12-31"),
    };
    // Beyond i64, the sum is still exact: the database sums quotient and remainder of 10^9.
    let sums = item_sums(&mut tx, Flow::Committed, window).await.unwrap();
    assert_eq!(sums.len(), 1);
    assert_eq!(sums[0].vnd, 2 * i128::from(i64::MAX - 10));
    assert_eq!(sums[0].usd_cents, 2);
}

/// `.cargo/config.toml` builds SQLite without memory statistics, so its allocator takes no
/// global mutex (BENCHMARKS.md, fifth round), and without STAT4, whose planner marks every
/// cached statement that looked at a bound value for re-preparing at its next bind
/// (sixth round). A build that lost either setting would still pass every other test, only
/// slower.
#[tokio::test]
async fn sqlite_is_built_for_many_small_statements() {
    let db = fresh_sqlite().await;
    let options =
        crate::common::text_int_rows(&db, "SELECT compile_options, 0 FROM pragma_compile_options")
            .await;
    let has = |name: &str| options.iter().any(|(o, _)| o == name);
    assert!(has("DEFAULT_MEMSTATUS=0"), "{options:?}");
    assert!(!has("ENABLE_STAT4"), "{options:?}");
    // The options are what they say: the list names the ones this build did turn on.
    assert!(has("THREADSAFE=1"), "{options:?}");
}
