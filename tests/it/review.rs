//! The four-eyes workflow, reversals, NGO disbursement reports and milestone progress, and
//! the patches of organisations, items and milestones, at the action level.

use crate::common::{date, fresh_db, seed_basics, seed_item, system};
use crate::periods::{disb, usd_rate, user};
use aidledger::actions::ledger::{record_disbursement_row, record_milestone};
use aidledger::actions::progress::{
    ProgressReport, accept_milestone_report, list_milestone_reports, report_milestone_progress,
    return_milestone_report,
};
use aidledger::actions::queries::{AuditFilter, list_audit};
use aidledger::actions::rates::enter_rate;
use aidledger::actions::review::{
    Reversal, accept_disbursement_report, reject_disbursement, return_disbursement_report,
    reverse_disbursement, verify_disbursement,
};
use aidledger::actions::updates::{
    ItemPatch, MilestonePatch, OrganisationPatch, update_item, update_milestone,
    update_organisation,
};
use aidledger::db::ledger::NewMilestone;
use aidledger::domain::Lang;
use aidledger::domain::item::{
    DisbursementStatus, ItemStatus, MilestoneStatus, ReportDecision, Role,
};
use aidledger::error::Error;
use aidledger::web::pages::forms::refusal_text;

#[tokio::test]
async fn whoever_entered_a_disbursement_cannot_verify_it() {
    let db = fresh_db().await;
    let item = seed_item(&db, "R-1", seed_basics(&db).await).await;
    let r1 = user(&db, "rev1", Role::Reviewer, None).await;
    let r2 = user(&db, "rev2", Role::Reviewer, None).await;
    let coord = user(&db, "coord", Role::Coordinator, None).await;
    enter_rate(&db.ctx, &r2, usd_rate("2025-03-01", "25000"))
        .await
        .unwrap();
    // The system may name the enterer (an import of reviewed records); say r1 entered it.
    let mut cmd = disb(item, 100, "2025-03-01");
    cmd.entered_by = r1.user_id;
    let d = record_disbursement_row(&db.ctx, &system(), cmd)
        .await
        .unwrap();
    let err = verify_disbursement(&db.ctx, &r1, d.id).await.unwrap_err();
    assert_eq!(err.code(), "four_eyes");
    assert_eq!(
        err.to_string(),
        "whoever entered a disbursement cannot verify it: another reviewer must"
    );
    assert!(matches!(
        verify_disbursement(&db.ctx, &coord, d.id).await,
        Err(Error::Forbidden(_))
    ));
    let v = verify_disbursement(&db.ctx, &r2, d.id).await.unwrap();
    assert_eq!(
        (v.status, v.verified_by),
        (DisbursementStatus::Verified, r2.user_id)
    );
    let err = verify_disbursement(&db.ctx, &r2, d.id).await.unwrap_err();
    assert_eq!(err.code(), "invalid_transition");
    let audit = list_audit(
        &db.ctx,
        &r2,
        &AuditFilter {
            entity_id: Some(d.id.to_string()),
            entity: Some("disbursement".into()),
            ..AuditFilter::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(audit[0].action, "disbursement.verify");
    assert!(
        audit[0]
            .before
            .as_deref()
            .unwrap()
            .contains("\"status\":\"submitted\"")
    );
    assert!(
        audit[0]
            .after
            .as_deref()
            .unwrap()
            .contains("\"status\":\"verified\"")
    );
}

#[tokio::test]
async fn a_row_without_an_exchange_rate_is_not_verified_until_its_rate_is_entered() {
    let db = fresh_db().await;
    let item = seed_item(&db, "R-0", seed_basics(&db).await).await;
    let rev = user(&db, "rev", Role::Reviewer, None).await;
    let coord = user(&db, "coord", Role::Coordinator, None).await;
    let d = record_disbursement_row(&db.ctx, &coord, disb(item, 12_000, "2025-03-14"))
        .await
        .unwrap();
    assert_eq!(d.conversion.amount_vnd, None, "no USD rate yet");

    let err = verify_disbursement(&db.ctx, &rev, d.id).await.unwrap_err();
    assert_eq!(err.code(), "rate_missing");
    assert!(matches!(err, Error::Conflict { .. }), "{err:?}");
    let says = err.to_string();
    assert!(
        says.contains("USD") && says.contains("2025-03-14"),
        "the refusal names the currency and the date: {says}"
    );
    let row = aidledger::actions::queries::get_disbursement(&db.ctx, &rev, d.id)
        .await
        .unwrap();
    assert_eq!(row.status, DisbursementStatus::Submitted, "nothing changed");
    assert_eq!(row.verified_by, None);
    let audit = list_audit(
        &db.ctx,
        &rev,
        &AuditFilter {
            entity_id: Some(d.id.to_string()),
            ..AuditFilter::default()
        },
    )
    .await
    .unwrap();
    assert!(
        audit.iter().all(|a| a.action != "disbursement.verify"),
        "a refused verify writes no audit row"
    );

    // Pages word the refusal from the i18n files, with the date in the reader's format.
    let vi = refusal_text(Lang::Vi, err.code(), &says);
    assert!(
        vi.contains("ngày 14/03/2025") && vi.contains("tỷ giá"),
        "{vi}"
    );
    let en = refusal_text(Lang::En, err.code(), &says);
    assert!(en.contains("2025-03-14") && en.contains("rate"), "{en}");

    // Entering the rate converts the row; then it can be verified.
    enter_rate(&db.ctx, &rev, usd_rate("2025-03-01", "25000"))
        .await
        .unwrap();
    let v = verify_disbursement(&db.ctx, &rev, d.id).await.unwrap();
    assert_eq!(v.status, DisbursementStatus::Verified);
    assert_eq!(v.conversion.amount_vnd, Some(3_000_000));
}

#[tokio::test]
async fn rejecting_needs_a_reason_and_a_submitted_row() {
    let db = fresh_db().await;
    let item = seed_item(&db, "R-2", seed_basics(&db).await).await;
    let rev = user(&db, "rev", Role::Reviewer, None).await;
    let coord = user(&db, "coord", Role::Coordinator, None).await;
    let d = record_disbursement_row(&db.ctx, &coord, disb(item, 100, "2025-03-01"))
        .await
        .unwrap();
    let err = reject_disbursement(&db.ctx, &rev, d.id, " x ")
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("reason"));
    let r = reject_disbursement(&db.ctx, &rev, d.id, "no bank statement attached")
        .await
        .unwrap();
    assert_eq!(r.status, DisbursementStatus::Rejected);
    assert_eq!(
        r.rejection_reason.as_deref(),
        Some("no bank statement attached")
    );
    assert_eq!(
        verify_disbursement(&db.ctx, &rev, d.id)
            .await
            .unwrap_err()
            .code(),
        "invalid_transition"
    );
    assert!(matches!(
        verify_disbursement(&db.ctx, &rev, 999_999).await,
        Err(Error::NotFound(_))
    ));
}

#[tokio::test]
async fn a_reversal_is_a_negated_row_under_review_and_a_second_one_is_refused() {
    let db = fresh_db().await;
    let item = seed_item(&db, "R-3", seed_basics(&db).await).await;
    let rev = user(&db, "rev", Role::Reviewer, None).await;
    let coord = user(&db, "coord", Role::Coordinator, None).await;
    for day in ["2025-03-01", "2025-04-01"] {
        enter_rate(&db.ctx, &rev, usd_rate(day, "25000"))
            .await
            .unwrap();
    }
    let d = record_disbursement_row(&db.ctx, &coord, disb(item, 7_500, "2025-03-01"))
        .await
        .unwrap();
    let why = Reversal {
        value_date: date("2025-04-01"),
        reason: "paid to the wrong project".into(),
    };
    let err = reverse_disbursement(&db.ctx, &coord, d.id, &why)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_verified");
    assert!(err.to_string().contains("reject it"));
    verify_disbursement(&db.ctx, &rev, d.id).await.unwrap();
    assert!(matches!(
        reverse_disbursement(&db.ctx, &rev, d.id, &why).await,
        Err(Error::Forbidden(_))
    ));
    let r = reverse_disbursement(&db.ctx, &coord, d.id, &why)
        .await
        .unwrap();
    assert_eq!(
        (r.amount_minor, r.reverses_id, r.status),
        (-7_500, Some(d.id), DisbursementStatus::Submitted)
    );
    assert_eq!(r.entered_by, coord.user_id);
    let err = reverse_disbursement(&db.ctx, &coord, d.id, &why)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "already_reversed");
    let err = reverse_disbursement(&db.ctx, &coord, r.id, &why)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_verified");
    let vr = verify_disbursement(&db.ctx, &rev, r.id).await.unwrap();
    assert_eq!(vr.status, DisbursementStatus::Verified);
    let err = reverse_disbursement(&db.ctx, &coord, r.id, &why)
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        "invalid_transition",
        "a reversal is not reversed: {err}"
    );
    let early = Reversal {
        value_date: date("2025-02-01"),
        reason: "before the original".into(),
    };
    let d2 = record_disbursement_row(&db.ctx, &coord, disb(item, 10, "2025-03-01"))
        .await
        .unwrap();
    verify_disbursement(&db.ctx, &rev, d2.id).await.unwrap();
    let err = reverse_disbursement(&db.ctx, &coord, d2.id, &early)
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("value_date"));
}

#[tokio::test]
async fn an_ngo_reports_a_disbursement_as_a_draft_that_a_coordinator_accepts_or_returns() {
    let db = fresh_db().await;
    let orgs = seed_basics(&db).await;
    let item = seed_item(&db, "R-4", orgs).await;
    let ngo = user(&db, "ngo", Role::Ngo, Some(orgs.0)).await;
    let coord = user(&db, "coord", Role::Coordinator, None).await;
    let rev = user(&db, "rev", Role::Reviewer, None).await;
    enter_rate(&db.ctx, &rev, usd_rate("2025-05-01", "25000"))
        .await
        .unwrap();
    let d = record_disbursement_row(&db.ctx, &ngo, disb(item, 300, "2025-05-01"))
        .await
        .unwrap();
    assert_eq!(
        (d.status, d.entered_by),
        (DisbursementStatus::Draft, ngo.user_id)
    );
    assert_eq!(
        verify_disbursement(&db.ctx, &rev, d.id)
            .await
            .unwrap_err()
            .code(),
        "invalid_transition"
    );
    let a = accept_disbursement_report(&db.ctx, &coord, d.id)
        .await
        .unwrap();
    assert_eq!(a.status, DisbursementStatus::Submitted);
    assert_eq!(
        accept_disbursement_report(&db.ctx, &coord, d.id)
            .await
            .unwrap_err()
            .code(),
        "invalid_transition"
    );
    verify_disbursement(&db.ctx, &rev, d.id).await.unwrap();

    let d2 = record_disbursement_row(&db.ctx, &ngo, disb(item, 400, "2025-05-02"))
        .await
        .unwrap();
    assert!(matches!(
        return_disbursement_report(&db.ctx, &ngo, d2.id, "not mine").await,
        Err(Error::Forbidden(_))
    ));
    let r = return_disbursement_report(&db.ctx, &coord, d2.id, "attach the transfer slip")
        .await
        .unwrap();
    assert_eq!(r.status, DisbursementStatus::Rejected);
    assert_eq!(
        r.rejection_reason.as_deref(),
        Some("attach the transfer slip")
    );
}

#[tokio::test]
async fn milestone_progress_is_reported_by_the_ngo_and_applied_when_accepted() {
    let db = fresh_db().await;
    let orgs = seed_basics(&db).await;
    let item = seed_item(&db, "R-5", orgs).await;
    let ngo = user(&db, "ngo", Role::Ngo, Some(orgs.0)).await;
    let coord = user(&db, "coord", Role::Coordinator, None).await;
    let ms = record_milestone(
        &db.ctx,
        &coord,
        NewMilestone {
            item_id: item,
            title_vi: "Giếng khoan".into(),
            title_en: "Boreholes".into(),
            planned_date: date("2025-06-01"),
            actual_date: None,
            status: MilestoneStatus::Planned,
            evidence: None,
        },
    )
    .await
    .unwrap();
    let done_undated = ProgressReport {
        status: MilestoneStatus::Done,
        actual_date: None,
        evidence: "photos".into(),
    };
    let err = report_milestone_progress(&db.ctx, &ngo, ms.id, &done_undated)
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("actual_date"));
    let bad = ProgressReport {
        status: MilestoneStatus::Cancelled,
        actual_date: None,
        evidence: "x".into(),
    };
    assert_eq!(
        report_milestone_progress(&db.ctx, &ngo, ms.id, &bad)
            .await
            .unwrap_err()
            .field(),
        Some("status")
    );
    let empty = ProgressReport {
        status: MilestoneStatus::InProgress,
        actual_date: None,
        evidence: "   ".into(),
    };
    assert_eq!(
        report_milestone_progress(&db.ctx, &ngo, ms.id, &empty)
            .await
            .unwrap_err()
            .field(),
        Some("evidence")
    );
    assert!(matches!(
        report_milestone_progress(&db.ctx, &coord, ms.id, &done_undated).await,
        Err(Error::Forbidden(_))
    ));

    let good = ProgressReport {
        status: MilestoneStatus::Done,
        actual_date: Some(date("2025-06-10")),
        evidence: "12 wells, handover minutes".into(),
    };
    let r = report_milestone_progress(&db.ctx, &ngo, ms.id, &good)
        .await
        .unwrap();
    assert_eq!(r.decision, ReportDecision::Pending);
    assert!(matches!(
        accept_milestone_report(&db.ctx, &ngo, r.id).await,
        Err(Error::Forbidden(_))
    ));
    let a = accept_milestone_report(&db.ctx, &coord, r.id)
        .await
        .unwrap();
    assert_eq!(
        (a.decision, a.decided_by),
        (ReportDecision::Accepted, coord.user_id)
    );
    assert_eq!(
        accept_milestone_report(&db.ctx, &coord, r.id)
            .await
            .unwrap_err()
            .code(),
        "already_decided"
    );
    let now = aidledger::actions::queries::get_milestone(&db.ctx, &ngo, ms.id)
        .await
        .unwrap();
    assert_eq!(
        (now.status, now.actual_date),
        (MilestoneStatus::Done, Some(date("2025-06-10")))
    );
    assert_eq!(now.evidence.as_deref(), Some("12 wells, handover minutes"));

    let r2 = report_milestone_progress(&db.ctx, &ngo, ms.id, &good)
        .await
        .unwrap();
    let ret = return_milestone_report(&db.ctx, &coord, r2.id, "the minutes are unsigned")
        .await
        .unwrap();
    assert_eq!(
        (ret.decision, ret.decision_note.as_deref()),
        (ReportDecision::Returned, Some("the minutes are unsigned"))
    );
    let list = list_milestone_reports(&db.ctx, &ngo, ms.id).await.unwrap();
    assert_eq!(list.len(), 2);

    // The item page reads milestones and their reports in one outer join: each milestone
    // once, by planned date, with its own reports by id, and one without reports kept.
    let earlier = record_milestone(
        &db.ctx,
        &coord,
        NewMilestone {
            item_id: item,
            title_vi: "Khảo sát".into(),
            title_en: "Survey".into(),
            planned_date: date("2025-03-01"),
            actual_date: None,
            status: MilestoneStatus::Planned,
            evidence: None,
        },
    )
    .await
    .unwrap();
    let view = aidledger::actions::items_views::item_view(&db.ctx, &coord, item, Lang::En)
        .await
        .unwrap();
    type Shown = Vec<(i64, Vec<(i64, i64, ReportDecision)>)>;
    let shown: Shown = view
        .milestones
        .iter()
        .map(|(m, rs)| {
            let rs = rs
                .iter()
                .map(|r| (r.id, r.milestone_id, r.decision))
                .collect();
            (m.id, rs)
        })
        .collect();
    assert_eq!(
        shown,
        vec![
            (earlier.id, vec![]),
            (
                ms.id,
                vec![
                    (r.id, ms.id, ReportDecision::Accepted),
                    (r2.id, ms.id, ReportDecision::Returned)
                ]
            ),
        ]
    );
    let (_, reports) = &view.milestones[1];
    assert_eq!(reports[0].evidence, "12 wells, handover minutes");
    assert_eq!(
        reports[1].decision_note.as_deref(),
        Some("the minutes are unsigned")
    );
    assert_eq!(reports[0].reported_by, ngo.user_id.unwrap());
}

#[tokio::test]
async fn patches_are_validated_like_creation_and_audited() {
    let db = fresh_db().await;
    let orgs = seed_basics(&db).await;
    let item = seed_item(&db, "R-6", orgs).await;
    let coord = user(&db, "coord", Role::Coordinator, None).await;
    let ngo = user(&db, "ngo", Role::Ngo, Some(orgs.0)).await;

    let o = update_organisation(
        &db.ctx,
        &coord,
        orgs.0,
        &OrganisationPatch {
            name_en: Some("Hope Bridges International".into()),
            acronym: Some(Some("HBI".into())),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        (o.name_en.as_str(), o.acronym.as_deref()),
        ("Hope Bridges International", Some("HBI"))
    );
    let err = update_organisation(
        &db.ctx,
        &coord,
        orgs.0,
        &OrganisationPatch {
            cert_number: Some(None),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "incomplete_certificate");
    assert!(matches!(
        update_organisation(&db.ctx, &ngo, orgs.0, &OrganisationPatch::default()).await,
        Err(Error::Forbidden(_))
    ));
    let cleared: OrganisationPatch = serde_json::from_str(r#"{"acronym": null}"#).unwrap();
    assert_eq!(cleared.acronym, Some(None));
    assert!(serde_json::from_str::<OrganisationPatch>(r#"{"kind": "funder"}"#).is_err());
    let o = update_organisation(&db.ctx, &coord, orgs.0, &cleared)
        .await
        .unwrap();
    assert_eq!(o.acronym, None);

    let err = update_item(
        &db.ctx,
        &coord,
        item,
        &ItemPatch {
            status: Some(ItemStatus::Completed),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "invalid_transition");
    let err = update_item(
        &db.ctx,
        &coord,
        item,
        &ItemPatch {
            planned_end: Some(date("2020-01-01")),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.field(), Some("planned_end"));
    let i = update_item(
        &db.ctx,
        &coord,
        item,
        &ItemPatch {
            status: Some(ItemStatus::Implementing),
            title_en: Some("Clean water, phase 2".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        (i.status, i.title_en.as_str()),
        (ItemStatus::Implementing, "Clean water, phase 2")
    );

    let ms = record_milestone(
        &db.ctx,
        &coord,
        NewMilestone {
            item_id: item,
            title_vi: "A".into(),
            title_en: "A".into(),
            planned_date: date("2025-06-01"),
            actual_date: None,
            status: MilestoneStatus::Planned,
            evidence: None,
        },
    )
    .await
    .unwrap();
    let err = update_milestone(
        &db.ctx,
        &coord,
        ms.id,
        &MilestonePatch {
            status: Some(MilestoneStatus::Done),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.field(), Some("actual_date"));
    let m = update_milestone(
        &db.ctx,
        &coord,
        ms.id,
        &MilestonePatch {
            status: Some(MilestoneStatus::Done),
            actual_date: Some(Some(date("2025-06-02"))),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(m.status, MilestoneStatus::Done);

    let audit = list_audit(&db.ctx, &coord, &AuditFilter::default())
        .await
        .unwrap();
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    for a in ["organisation.update", "aid_item.update", "milestone.update"] {
        assert!(actions.contains(&a), "{a} audited");
    }
}
