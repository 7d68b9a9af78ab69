//! Period locks at the action level: what a lock refuses, unlocking with a reason, re-issuing
//! a report after an unlock, and the lock racing concurrent edits dated inside it. Also the
//! small fixtures the review and scope tests share.

use crate::common::{TestDb, date, fresh_db, seed_basics, seed_item, system};
use aidledger::actions::Actor;
use aidledger::actions::ledger::{record_commitment, record_disbursement, record_disbursement_row};
use aidledger::actions::periods::{list_periods, lock_period, unlock_period};
use aidledger::actions::queries::{AuditFilter, get_issued_pdf, list_audit, list_issued_reports};
use aidledger::actions::rates::{RateCmd, enter_rate};
use aidledger::actions::reports::{IssueCmd, SignerInput, issue_report};
use aidledger::actions::review::{Reversal, reverse_disbursement, verify_disbursement};
use aidledger::db::ledger::{Disbursement, NewCommitment, NewDisbursement};
use aidledger::domain::item::{CommitmentKind, DisbursementStatus, Role};
use aidledger::domain::period::Period;
use aidledger::domain::{Currency, Lang};
use aidledger::error::Error;

/// A stored user (no usable password: these tests act through actions, not logins).
pub async fn user(db: &TestDb, name: &str, role: Role, org: Option<i64>) -> Actor {
    let mut tx = db.store().write().await.unwrap();
    let id = aidledger::db::users::insert_user(
        &mut tx,
        name,
        name,
        role,
        org,
        "not-a-hash",
        aidledger::db::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    Actor::user(id, name, role, org)
}

pub fn disb(item: i64, minor: i64, d: &str) -> NewDisbursement {
    NewDisbursement {
        item_id: item,
        amount_minor: minor,
        currency: Currency::USD,
        value_date: date(d),
        tranche: None,
        milestone_id: None,
        reverses_id: None,
        status: DisbursementStatus::Submitted,
        entered_by: None,
        verified_by: None,
        verified_at: None,
    }
}

pub fn usd_rate(d: &str, to_vnd: &str) -> RateCmd {
    RateCmd {
        currency: Currency::USD,
        date: date(d),
        to_vnd: to_vnd.parse().unwrap(),
        to_usd: "1".parse().unwrap(),
        source: "SBV".into(),
    }
}

pub fn period(code: &str) -> Period {
    Period::parse(code, false).unwrap()
}

fn code(e: &Error) -> &'static str {
    e.code()
}

const H1_MESSAGE: &str = "a commitment is dated 2025-03-10, inside the locked period 2025-H1 (2025-01-01 to 2025-06-30); \
a locked period cannot change: record an adjustment dated in an open period, or ask a reviewer to unlock 2025-H1 with a reason";

#[tokio::test]
async fn a_locked_period_refuses_commitments_disbursements_and_rates_that_move_its_figures() {
    let db = fresh_db().await;
    let item = seed_item(&db, "L-1", seed_basics(&db).await).await;
    let reviewer = user(&db, "rev", Role::Reviewer, None).await;
    // Entered before the lock, without a rate yet.
    let before = record_disbursement_row(&db.ctx, &system(), disb(item, 500, "2025-03-10"))
        .await
        .unwrap();
    lock_period(&db.ctx, &reviewer, &period("2025-H1"))
        .await
        .unwrap();

    let c = NewCommitment {
        item_id: item,
        kind: CommitmentKind::Original,
        amount_minor: 1000,
        currency: Currency::USD,
        date: date("2025-03-10"),
        reference: None,
        entered_by: None,
    };
    let err = record_commitment(&db.ctx, &system(), c.clone())
        .await
        .unwrap_err();
    assert_eq!(code(&err), "period_locked");
    assert_eq!(err.to_string(), H1_MESSAGE);
    let err = record_disbursement(&db.ctx, &system(), disb(item, 5, "2025-06-30"))
        .await
        .unwrap_err();
    assert_eq!(code(&err), "period_locked");
    // The rate would convert the row entered before the lock: the whole entry is refused.
    let err = enter_rate(&db.ctx, &reviewer, usd_rate("2025-03-01", "25000"))
        .await
        .unwrap_err();
    assert_eq!(code(&err), "period_locked", "{err}");
    assert!(
        err.to_string()
            .contains(&format!("disbursement {}", before.id))
    );
    let rates = aidledger::actions::queries::list_rates(&db.ctx, &reviewer, None, None, None)
        .await
        .unwrap();
    assert!(
        rates.is_empty(),
        "nothing of the refused rate entry is stored"
    );
    // Outside the lock everything still works, and a rate that changes no locked row is fine.
    let mut open = c.clone();
    open.date = date("2025-07-01");
    record_commitment(&db.ctx, &system(), open).await.unwrap();
    enter_rate(&db.ctx, &reviewer, usd_rate("2025-07-01", "25000"))
        .await
        .unwrap();
}

#[tokio::test]
async fn verifying_or_reversing_inside_a_locked_period_is_refused() {
    let db = fresh_db().await;
    let item = seed_item(&db, "L-2", seed_basics(&db).await).await;
    let coord = user(&db, "coord", Role::Coordinator, None).await;
    let reviewer = user(&db, "rev", Role::Reviewer, None).await;
    // Converted rows, so that only the lock stands in the way of verifying.
    enter_rate(&db.ctx, &reviewer, usd_rate("2025-02-01", "25000"))
        .await
        .unwrap();
    let a = record_disbursement_row(&db.ctx, &coord, disb(item, 100, "2025-02-01"))
        .await
        .unwrap();
    let b = record_disbursement_row(&db.ctx, &coord, disb(item, 200, "2025-02-02"))
        .await
        .unwrap();
    verify_disbursement(&db.ctx, &reviewer, b.id).await.unwrap();
    lock_period(&db.ctx, &reviewer, &period("2025-Q1"))
        .await
        .unwrap();

    let err = verify_disbursement(&db.ctx, &reviewer, a.id)
        .await
        .unwrap_err();
    assert_eq!(code(&err), "period_locked");
    let rev = Reversal {
        value_date: date("2025-07-05"),
        reason: "entered twice".into(),
    };
    let err = reverse_disbursement(&db.ctx, &coord, b.id, &rev)
        .await
        .unwrap_err();
    assert_eq!(
        code(&err),
        "period_locked",
        "the original's date is locked: {err}"
    );
    assert!(err.to_string().contains(&format!("disbursement {}", b.id)));
}

#[tokio::test]
async fn lock_and_unlock_rules() {
    let db = fresh_db().await;
    let reviewer = user(&db, "rev", Role::Reviewer, None).await;
    let coord = user(&db, "coord", Role::Coordinator, None).await;
    let h1 = period("2025-H1");
    assert!(matches!(
        lock_period(&db.ctx, &coord, &h1).await,
        Err(Error::Forbidden(_))
    ));
    let err = unlock_period(&db.ctx, &reviewer, &h1, "no lock here at all")
        .await
        .unwrap_err();
    assert_eq!(code(&err), "not_locked");
    let lock = lock_period(&db.ctx, &reviewer, &h1).await.unwrap();
    assert_eq!(
        (lock.period.as_str(), lock.locked_by),
        ("2025-H1", reviewer.user_id)
    );
    let err = lock_period(&db.ctx, &reviewer, &h1).await.unwrap_err();
    assert_eq!(code(&err), "already_locked");
    let err = unlock_period(&db.ctx, &reviewer, &h1, "  too short  ")
        .await
        .unwrap_err();
    assert_eq!(
        (code(&err), err.field()),
        ("invalid_reason", Some("reason"))
    );
    let un = unlock_period(
        &db.ctx,
        &reviewer,
        &h1,
        "  correcting a mis-dated tranche  ",
    )
    .await
    .unwrap();
    assert_eq!(
        un.unlock_reason.as_deref(),
        Some("correcting a mis-dated tranche")
    );
    assert!(un.unlocked_at.is_some());
    let status = list_periods(&db.ctx, &reviewer).await.unwrap();
    assert_eq!(status.len(), 1);
    assert!(!status[0].locked);
    assert_eq!(status[0].lock.as_ref().map(|l| l.id), Some(lock.id));
    let audit = list_audit(
        &db.ctx,
        &reviewer,
        &AuditFilter {
            entity: Some("period_lock".into()),
            ..AuditFilter::default()
        },
    )
    .await
    .unwrap();
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions, ["period.unlock", "period.lock"]);
    assert!(
        audit[0]
            .before
            .as_deref()
            .unwrap()
            .contains("\"unlocked_at\":null")
    );
}

#[tokio::test]
async fn issuing_locks_the_period_and_reissuing_after_an_unlock_gives_version_2() {
    let db = fresh_db().await;
    let item = seed_item(&db, "L-3", seed_basics(&db).await).await;
    let reviewer = user(&db, "rev", Role::Reviewer, None).await;
    let coord = user(&db, "coord", Role::Coordinator, None).await;
    enter_rate(&db.ctx, &reviewer, usd_rate("2025-01-01", "25000"))
        .await
        .unwrap();
    let d = record_disbursement_row(&db.ctx, &coord, disb(item, 10_000, "2025-01-20"))
        .await
        .unwrap();
    verify_disbursement(&db.ctx, &reviewer, d.id).await.unwrap();
    let cmd = IssueCmd {
        signer: SignerInput {
            name: Some("Nguyen Van A".into()),
            ..SignerInput::default()
        },
        recipients: Some(vec!["Archive: VT".into()]),
        allow_empty_sections: true,
        ..IssueCmd::new(
            period("2025-M01"),
            Lang::En,
            date("2025-02-05"),
            "1/BC".into(),
        )
    };
    let (v1, pdf1) = issue_report(&db.ctx, &reviewer, &cmd).await.unwrap();
    assert_eq!(v1.version, 1);
    let status = list_periods(&db.ctx, &reviewer).await.unwrap();
    assert!(status[0].locked, "issuing locked 2025-M01");
    assert_eq!(status[0].reports.len(), 1);
    let err = record_disbursement(&db.ctx, &coord, disb(item, 1, "2025-01-31"))
        .await
        .unwrap_err();
    assert_eq!(code(&err), "period_locked");

    unlock_period(
        &db.ctx,
        &reviewer,
        &cmd.period,
        "a tranche of 30 January was missing",
    )
    .await
    .unwrap();
    let late = record_disbursement_row(&db.ctx, &coord, disb(item, 5_000, "2025-01-30"))
        .await
        .unwrap();
    verify_disbursement(&db.ctx, &reviewer, late.id)
        .await
        .unwrap();
    let (v2, pdf2) = issue_report(&db.ctx, &reviewer, &cmd).await.unwrap();
    assert_eq!(v2.version, 2);
    assert_ne!(v1.sha256, v2.sha256, "the new tranche changed the report");
    assert_ne!(pdf1, pdf2);
    let all = list_issued_reports(&db.ctx, &reviewer, Some("2025-M01"))
        .await
        .unwrap();
    assert_eq!(all.iter().map(|r| r.version).collect::<Vec<_>>(), [1, 2]);
    let (meta, kept) = get_issued_pdf(&db.ctx, &reviewer, v1.id).await.unwrap();
    assert_eq!(
        (meta.version, kept),
        (1, pdf1),
        "version 1 is still archived as issued"
    );
    let status = list_periods(&db.ctx, &reviewer).await.unwrap();
    assert!(status[0].locked, "re-issuing locked the period again");
}

/// Runs `rounds` rounds of one lock racing `writers` inserts dated inside its period, then
/// checks that every stored row dated inside the period was written before the lock.
async fn race(db: &TestDb, rounds: usize, writers: usize) {
    let item = seed_item(db, "RACE", seed_basics(db).await).await;
    let reviewer = user(db, "rev", Role::Reviewer, None).await;
    let coord = user(db, "coord", Role::Coordinator, None).await;
    let (mut refused, mut stored) = (0, 0);
    for round in 0..rounds {
        let (y, m) = (2015 + round / 12, round % 12 + 1);
        let p = period(&format!("{y}-M{m:02}"));
        let mut tasks = Vec::new();
        // The lock is started at a different point among the writers each round.
        let mut locker = None;
        for w in 0..=writers {
            if w == round % (writers + 1) {
                let (ctx, rv) = (db.ctx.clone(), reviewer.clone());
                locker = Some(tokio::spawn(
                    async move { lock_period(&ctx, &rv, &p).await },
                ));
            }
            if w == writers {
                break;
            }
            let (ctx, coord) = (db.ctx.clone(), coord.clone());
            let when = p.from + chrono::Duration::days(i64::try_from(w).unwrap());
            tasks.push(tokio::spawn(async move {
                let mut cmd = disb(item, 100, "2000-01-01");
                cmd.value_date = when;
                record_disbursement_row(&ctx, &coord, cmd).await
            }));
        }
        let lock = locker.unwrap().await.unwrap().unwrap();
        let mut ok: Vec<Disbursement> = Vec::new();
        for t in tasks {
            match t.await.unwrap() {
                Ok(d) => ok.push(d),
                Err(e) => {
                    assert_eq!(e.code(), "period_locked", "{e}");
                    refused += 1;
                }
            }
        }
        stored += ok.len();
        let audit = list_audit(
            &db.ctx,
            &reviewer,
            &AuditFilter {
                limit: 1000,
                ..AuditFilter::default()
            },
        )
        .await
        .unwrap();
        let lock_entry = audit
            .iter()
            .find(|a| a.action == "period.lock" && a.entity_id == lock.id.to_string())
            .unwrap();
        let rows = aidledger::actions::queries::list_disbursements(&db.ctx, &reviewer, item)
            .await
            .unwrap();
        let inside: Vec<&Disbursement> = rows.iter().filter(|d| p.contains(d.value_date)).collect();
        assert_eq!(
            inside.len(),
            ok.len(),
            "round {round}: a refused insert left no row"
        );
        for d in inside {
            let entry = audit
                .iter()
                .find(|a| a.action == "disbursement.record" && a.entity_id == d.id.to_string())
                .unwrap();
            assert!(
                entry.id < lock_entry.id,
                "round {round}: row {} was recorded after the lock",
                d.id
            );
            assert!(
                d.created_at <= lock.locked_at,
                "round {round}: row {} created after the lock",
                d.id
            );
        }
    }
    assert_eq!(refused + stored, rounds * writers);
    eprintln!("race: {stored} inserts landed before a lock, {refused} were refused after it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_lock_racing_concurrent_inserts_never_lets_one_in_after_it() {
    let db = fresh_db().await;
    race(&db, 50, 4).await;
}
