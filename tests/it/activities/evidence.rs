//! Evidence documents on promotion activities (migration 0014): a coordinator attaches the
//! minutes or photographs; NGO staff of an organisation that took part may download them, any
//! other NGO gets "not found"; the database holds each document to exactly one record; and the
//! SQLite table rebuild keeps every stored document, byte for byte.

use super::{meeting, seed_mobilisation};
use crate::api::App;
use crate::common::{fresh_pg, fresh_sqlite, pg_url, scalar_i64};
use aidledger::actions::evidence::{self, Owner, Target, Upload};
use aidledger::actions::mobilisation::activities::create_activity;
use aidledger::db::Store;
use aidledger::error::Error;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use std::str::FromStr;

/// A stored document's id, its three possible records and its bytes.
type StoredDoc = (i64, Option<i64>, Option<i64>, Option<i64>, Vec<u8>);

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n".to_vec()
}

#[rocket::async_test]
async fn coordinators_attach_and_the_ngos_that_took_part_download() {
    let app = App::new().await;
    let (pr, pp) = seed_mobilisation(&app).await;
    let ctx = &app.db.ctx;
    let coord = &app.actors["coordinator"];
    let id = create_activity(ctx, coord, meeting(Some(pr[0]), &[app.org_a], &[pp[0]]))
        .await
        .unwrap();
    let file = Upload {
        name: "bien-ban hop.pdf".into(),
        bytes: pdf(),
    };
    let (owner, doc) = evidence::attach(ctx, coord, Target::Activity(id), &file)
        .await
        .unwrap();
    assert_eq!(owner, Owner::Activity(id));
    assert_eq!(doc.activity_id, Some(id));
    assert_eq!((doc.disbursement_id, doc.milestone_id), (None, None));

    let listed = evidence::of_activity(ctx, &app.actors["ngo_a"], id)
        .await
        .unwrap();
    assert_eq!(listed, vec![doc.clone()]);
    let got = evidence::download(ctx, &app.actors["ngo_a"], doc.id)
        .await
        .unwrap();
    assert_eq!(got.bytes, pdf());
    let e = evidence::download(ctx, &app.actors["ngo_b"], doc.id)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::NotFound(_)), "{e:?}");
    let e = evidence::of_activity(ctx, &app.actors["ngo_b"], id)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::NotFound(_)), "{e:?}");

    // Only coordinators attach; another NGO's activity is "not found" before "forbidden".
    let e = evidence::attach(ctx, &app.actors["ngo_a"], Target::Activity(id), &file)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Forbidden(_)), "{e:?}");
    let e = evidence::attach(ctx, &app.actors["ngo_b"], Target::Activity(id), &file)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::NotFound(_)), "{e:?}");
    let e = evidence::attach(ctx, &app.actors["reviewer"], Target::Activity(id), &file)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Forbidden(_)), "{e:?}");
    let e = evidence::attach(ctx, coord, Target::Activity(424_242), &file)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::NotFound(_)), "{e:?}");
    let e = evidence::remove(ctx, &app.actors["ngo_a"], doc.id)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Forbidden(_)), "{e:?}");
    assert_eq!(
        evidence::remove(ctx, coord, doc.id).await.unwrap(),
        Owner::Activity(id)
    );
    assert_eq!(
        scalar_i64(&app.db, "SELECT COUNT(*) FROM evidence_document").await,
        0
    );
}

#[rocket::async_test]
async fn the_database_holds_a_document_to_exactly_one_record() {
    let app = App::new().await;
    let id = create_activity(
        &app.db.ctx,
        &app.actors["coordinator"],
        meeting(None, &[], &[]),
    )
    .await
    .unwrap();
    let insert = |targets: &str| {
        format!(
            "INSERT INTO evidence_document (disbursement_id, milestone_id, activity_id, file_name, content_type, size_bytes, \
             sha256, content, uploaded_by, uploaded_by_name, uploaded_at) \
             VALUES ({targets}, 'a.pdf', 'application/pdf', 1, '{}', {}, NULL, 'x', CURRENT_TIMESTAMP)",
            "0".repeat(64),
            match app.db.store() {
                Store::Sqlite(_) => "X'41'",
                Store::Pg(_) => "'\\x41'::bytea",
            }
        )
    };
    let run = async |sql: String| {
        let sql = sqlx::AssertSqlSafe(sql);
        match app.db.store() {
            Store::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
            Store::Pg(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
        }
    };
    assert!(run(insert("NULL, NULL, NULL")).await.is_err(), "no record");
    let d = aidledger::actions::ledger::record_disbursement(
        &app.db.ctx,
        &app.actors["coordinator"],
        aidledger::db::ledger::NewDisbursement {
            item_id: app.item_a,
            amount_minor: 100,
            currency: aidledger::domain::Currency::USD,
            value_date: crate::common::date("2025-01-15"),
            tranche: None,
            milestone_id: None,
            reverses_id: None,
            status: aidledger::domain::item::DisbursementStatus::Draft,
            entered_by: None,
            verified_by: None,
            verified_at: None,
        },
    )
    .await
    .unwrap();
    assert!(
        run(insert(&format!("{d}, NULL, {id}"))).await.is_err(),
        "two records"
    );
    run(insert(&format!("NULL, NULL, {id}"))).await.unwrap();
    run(insert(&format!("{d}, NULL, NULL"))).await.unwrap();
}

/// Rows written under 0013 keep their id, owner and bytes through 0014's table rebuild, and
/// the table's indexes are all there afterwards.
#[rocket::async_test]
async fn the_sqlite_rebuild_keeps_every_document() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("m.db").display());
    // Foreign keys off so the documents need no disbursement or milestone rows behind them.
    let opts = SqliteConnectOptions::from_str(&url)
        .unwrap()
        .create_if_missing(true)
        .foreign_keys(false);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(opts)
        .await
        .unwrap();
    let dir_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
    let migrator = sqlx::migrate::Migrator::new(dir_path.as_path())
        .await
        .unwrap();
    migrator.run_to(13, &pool).await.unwrap();
    for (id, d, m, bytes) in [
        (7_i64, Some(3_i64), None, b"%PDF-a".to_vec()),
        (9, None, Some(4_i64), vec![0xFF, 0xD8, 0xFF, 0]),
    ] {
        sqlx::query(
            "INSERT INTO evidence_document (id, disbursement_id, milestone_id, file_name, content_type, size_bytes, sha256, \
             content, uploaded_by, uploaded_by_name, uploaded_at) VALUES ($1, $2, $3, 'f', 'application/pdf', $4, $5, $6, NULL, 'n', '2025-01-01T00:00:00Z')",
        )
        .bind(id)
        .bind(d)
        .bind(m)
        .bind(i64::try_from(bytes.len()).unwrap())
        .bind("a".repeat(64))
        .bind(bytes)
        .execute(&pool)
        .await
        .unwrap();
    }
    migrator.run(&pool).await.unwrap();
    let rows: Vec<StoredDoc> = sqlx::query_as(
        "SELECT id, disbursement_id, milestone_id, activity_id, content FROM evidence_document ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        rows,
        vec![
            (7, Some(3), None, None, b"%PDF-a".to_vec()),
            (9, None, Some(4), None, vec![0xFF, 0xD8, 0xFF, 0]),
        ]
    );
    let mut indexes: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'evidence_document' AND sql IS NOT NULL",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    indexes.sort();
    assert_eq!(
        indexes,
        [
            "evidence_document_activity",
            "evidence_document_disbursement",
            "evidence_document_milestone"
        ]
    );
    let strict: i64 =
        sqlx::query_scalar("SELECT strict FROM pragma_table_list WHERE name = 'evidence_document'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(strict, 1);
}

/// Both engines give evidence_document the same columns in the same order.
#[rocket::async_test]
async fn evidence_document_has_the_same_columns_on_both_engines() {
    let Some(url) = pg_url() else { return };
    let lite = fresh_sqlite().await;
    let pg = fresh_pg(&url).await;
    let Store::Sqlite(lp) = lite.store() else {
        unreachable!()
    };
    let Store::Pg(pp) = pg.store() else {
        unreachable!()
    };
    let sqlite_cols: Vec<String> =
        sqlx::query_scalar("SELECT name FROM pragma_table_info('evidence_document') ORDER BY cid")
            .fetch_all(lp)
            .await
            .unwrap();
    let pg_cols: Vec<String> = sqlx::query_scalar(
        "SELECT column_name::text FROM information_schema.columns WHERE table_schema = current_schema() \
         AND table_name = 'evidence_document' ORDER BY ordinal_position",
    )
    .fetch_all(pp)
    .await
    .unwrap();
    assert_eq!(sqlite_cols, pg_cols);
    assert_eq!(sqlite_cols.last().map(String::as_str), Some("activity_id"));
}
