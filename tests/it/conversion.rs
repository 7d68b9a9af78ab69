//! Conversion against the rate table: never a default rate, never a later rate, a stale rate
//! refused, and entering or correcting a rate re-converts what it affects, audited.

use crate::common::{TestDb, date, fresh_db, seed_basics, seed_item, system};
use aidledger::actions::ledger::{record_commitment, record_disbursement};
use aidledger::actions::rates::{RateCmd, enter_rate};
use aidledger::db::ledger::{NewCommitment, NewDisbursement, list_commitments, list_disbursements};
use aidledger::domain::Currency;
use aidledger::domain::item::{CommitmentKind, DisbursementStatus};

fn eur() -> Currency {
    "EUR".parse().unwrap()
}

fn rate(cur: Currency, d: &str, to_vnd: &str, to_usd: &str) -> RateCmd {
    RateCmd {
        currency: cur,
        date: date(d),
        to_vnd: to_vnd.parse().unwrap(),
        to_usd: to_usd.parse().unwrap(),
        source: "SBV".into(),
    }
}

async fn commit_eur(db: &TestDb, item: i64, minor: i64, d: &str) -> i64 {
    let cmd = NewCommitment {
        item_id: item,
        kind: CommitmentKind::Original,
        amount_minor: minor,
        currency: eur(),
        date: date(d),
        reference: None,
        entered_by: None,
    };
    record_commitment(&db.ctx, &system(), cmd).await.unwrap()
}

#[tokio::test]
async fn without_a_rate_a_transaction_is_stored_unconverted_with_the_reason() {
    let db = fresh_db().await;
    let item = seed_item(&db, "T-1", seed_basics(&db).await).await;
    commit_eur(&db, item, 1_000_000, "2025-03-10").await;
    let mut tx = db.store().read().await.unwrap();
    let c = &list_commitments(&mut tx, item).await.unwrap()[0];
    assert_eq!(c.conversion.rate_id, None);
    assert_eq!(c.conversion.amount_vnd, None);
    assert_eq!(
        c.conversion.unconverted_reason.as_deref(),
        Some("no EUR rate dated on or before 2025-03-10")
    );
}

#[tokio::test]
async fn a_new_rate_converts_earlier_entries_and_a_later_rate_is_never_used() {
    let db = fresh_db().await;
    let item = seed_item(&db, "T-1", seed_basics(&db).await).await;
    commit_eur(&db, item, 1_000_000, "2025-03-10").await; // 10,000.00 EUR
    // A rate dated after the transaction must not convert it.
    let out = enter_rate(
        &db.ctx,
        &system(),
        rate(eur(), "2025-03-11", "28000", "1.1"),
    )
    .await
    .unwrap();
    assert_eq!(out.reconverted, 0);
    let out = enter_rate(
        &db.ctx,
        &system(),
        rate(eur(), "2025-03-01", "27500.5", "1.0825"),
    )
    .await
    .unwrap();
    assert_eq!(out.reconverted, 1);
    let mut tx = db.store().read().await.unwrap();
    let c = &list_commitments(&mut tx, item).await.unwrap()[0];
    assert_eq!(c.conversion.rate_id, Some(out.id));
    assert_eq!(c.conversion.amount_vnd, Some(275_005_000));
    assert_eq!(c.conversion.amount_usd_cents, Some(1_082_500));
}

#[tokio::test]
async fn a_stale_rate_is_refused_and_named() {
    let db = fresh_db().await;
    let item = seed_item(&db, "T-1", seed_basics(&db).await).await;
    enter_rate(
        &db.ctx,
        &system(),
        rate(eur(), "2025-01-01", "27000", "1.05"),
    )
    .await
    .unwrap();
    commit_eur(&db, item, 500, "2025-02-15").await; // 45 days after the rate, window is 31
    let mut tx = db.store().read().await.unwrap();
    let c = &list_commitments(&mut tx, item).await.unwrap()[0];
    assert_eq!(c.conversion.rate_id, None);
    assert_eq!(
        c.conversion.unconverted_reason.as_deref(),
        Some(
            "the latest EUR rate before 2025-02-15 is dated 2025-01-01, more than 31 days earlier"
        )
    );
}

#[tokio::test]
async fn correcting_a_rate_reconverts_and_keeps_the_old_rate_on_record() {
    let db = fresh_db().await;
    let item = seed_item(&db, "T-1", seed_basics(&db).await).await;
    let first = enter_rate(
        &db.ctx,
        &system(),
        rate(Currency::USD, "2025-05-01", "25000", "1"),
    )
    .await
    .unwrap();
    let d = NewDisbursement {
        item_id: item,
        amount_minor: 12_345,
        currency: Currency::USD,
        value_date: date("2025-05-20"),
        tranche: Some(1),
        milestone_id: None,
        reverses_id: None,
        status: DisbursementStatus::Submitted,
        entered_by: None,
        verified_by: None,
        verified_at: None,
    };
    record_disbursement(&db.ctx, &system(), d).await.unwrap();
    let fixed = enter_rate(
        &db.ctx,
        &system(),
        rate(Currency::USD, "2025-05-01", "25400", "1"),
    )
    .await
    .unwrap();
    assert_eq!(fixed.supersedes, Some(first.id));
    assert_eq!(fixed.reconverted, 1);
    let mut tx = db.store().read().await.unwrap();
    let row = &list_disbursements(&mut tx, item).await.unwrap()[0];
    assert_eq!(row.conversion.rate_id, Some(fixed.id));
    assert_eq!(row.conversion.amount_vnd, Some(3_135_630)); // 123.45 × 25,400 = 3,135,630
    let all = aidledger::db::rates::list_rates(&mut tx, Some(Currency::USD), true)
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(
        all.iter().find(|r| r.id == first.id).unwrap().superseded_by,
        Some(fixed.id)
    );
    let trail = aidledger::db::audit::list_entries(&mut tx, Some("exchange_rate"), None, 10)
        .await
        .unwrap();
    assert_eq!(trail[0].action, "rate.correct");
    assert!(trail[0].before.as_deref().unwrap().contains("\"25000\""));
    assert!(trail[0].after.as_deref().unwrap().contains("\"25400\""));
    assert!(
        aidledger::db::audit::verify_chain(&mut tx)
            .await
            .unwrap()
            .broken_at
            .is_none()
    );
}

#[tokio::test]
async fn identity_rates_and_bad_commands_are_refused_and_nothing_is_stored() {
    let db = fresh_db().await;
    let item = seed_item(&db, "T-1", seed_basics(&db).await).await;
    let err = enter_rate(
        &db.ctx,
        &system(),
        rate(Currency::VND, "2025-05-01", "2", "0.00004"),
    )
    .await
    .unwrap_err();
    assert_eq!(err.status().code, 422);
    let bad = NewCommitment {
        item_id: item,
        kind: CommitmentKind::Original,
        amount_minor: -5,
        currency: Currency::USD,
        date: date("2025-01-01"),
        reference: None,
        entered_by: None,
    };
    let err = record_commitment(&db.ctx, &system(), bad)
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("amount"));
    let tomorrow = aidledger::actions::today_in_vietnam() + chrono::Duration::days(1);
    let future = NewCommitment {
        item_id: item,
        kind: CommitmentKind::Original,
        amount_minor: 5,
        currency: Currency::USD,
        date: tomorrow,
        reference: None,
        entered_by: None,
    };
    assert_eq!(
        record_commitment(&db.ctx, &system(), future)
            .await
            .unwrap_err()
            .code(),
        "future_date"
    );
    let missing = NewCommitment {
        item_id: 999_999,
        kind: CommitmentKind::Original,
        amount_minor: 5,
        currency: Currency::USD,
        date: date("2025-01-01"),
        reference: None,
        entered_by: None,
    };
    assert_eq!(
        record_commitment(&db.ctx, &system(), missing)
            .await
            .unwrap_err()
            .status()
            .code,
        404
    );
    let mut tx = db.store().read().await.unwrap();
    assert!(list_commitments(&mut tx, item).await.unwrap().is_empty());
    assert!(
        aidledger::db::rates::list_rates(&mut tx, None, true)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn four_eyes_holds_even_for_the_system() {
    let db = fresh_db().await;
    let item = seed_item(&db, "T-1", seed_basics(&db).await).await;
    let mut tx = db.store().write().await.unwrap();
    let hash = aidledger::auth::password::hash("a long enough password".into())
        .await
        .unwrap();
    let u = aidledger::db::users::insert_user(
        &mut tx,
        "coord",
        "Coord",
        aidledger::domain::item::Role::Coordinator,
        None,
        &hash,
        aidledger::db::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let d = NewDisbursement {
        item_id: item,
        amount_minor: 100,
        currency: Currency::USD,
        value_date: date("2025-05-20"),
        tranche: None,
        milestone_id: None,
        reverses_id: None,
        status: DisbursementStatus::Verified,
        entered_by: Some(u),
        verified_by: Some(u),
        verified_at: Some(aidledger::db::now()),
    };
    let err = record_disbursement(&db.ctx, &system(), d)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "four_eyes");
}

#[tokio::test]
async fn a_verified_disbursement_must_name_its_verifier() {
    let db = fresh_db().await;
    let item = seed_item(&db, "T-1", seed_basics(&db).await).await;
    let d = NewDisbursement {
        item_id: item,
        amount_minor: 100,
        currency: Currency::USD,
        value_date: date("2025-05-20"),
        tranche: None,
        milestone_id: None,
        reverses_id: None,
        status: DisbursementStatus::Verified,
        entered_by: None,
        verified_by: None,
        verified_at: None,
    };
    let err = record_disbursement(&db.ctx, &system(), d)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "verifier_required");
}

#[tokio::test]
async fn item_status_changes_follow_the_state_machine() {
    use aidledger::domain::item::ItemStatus;
    let db = fresh_db().await;
    let orgs = seed_basics(&db).await;
    let item = seed_item(&db, "T-1", orgs).await;
    let mut tx = db.store().write().await.unwrap();
    // An approved item moves on to implementing but never back to the pipeline.
    aidledger::actions::items::change_item_status_in(
        &mut tx,
        &system(),
        item,
        ItemStatus::Implementing,
    )
    .await
    .unwrap();
    let err = aidledger::actions::items::change_item_status_in(
        &mut tx,
        &system(),
        item,
        ItemStatus::Pipeline,
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "invalid_transition");
    tx.commit().await.unwrap();
}
