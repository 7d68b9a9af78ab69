//! Organisation scope for NGO staff: another organisation's records read exactly like records
//! that do not exist, lists leave them out, and the rollup names nobody else.

use crate::common::{TestDb, date, fresh_db, seed_basics, seed_item, system};
use crate::periods::{disb, period, usd_rate, user};
use aidledger::actions::Actor;
use aidledger::actions::ledger::{record_disbursement_row, record_milestone};
use aidledger::actions::queries::{
    AuditFilter, ItemFilter, get_disbursement, get_issued_pdf, get_item, get_milestone,
    get_organisation, list_audit, list_commitments, list_disbursements, list_issued_reports,
    list_items, list_milestones, list_organisations, list_rates, rollup,
};
use aidledger::actions::rates::enter_rate;
use aidledger::actions::review::verify_disbursement;
use aidledger::db::ledger::NewMilestone;
use aidledger::db::orgs::NewOrganisation;
use aidledger::domain::Lang;
use aidledger::domain::item::{CertificateType, MilestoneStatus, OrgKind, Role};
use aidledger::error::Error;
use aidledger::rollup::Dimension;

struct World {
    ngo: Actor,
    staff: Actor,
    own_item: i64,
    other_item: i64,
    other_org: i64,
    other_disb: i64,
    other_ms: i64,
}

async fn world(db: &TestDb) -> World {
    let orgs = seed_basics(db).await;
    let other_org = aidledger::actions::orgs::create_organisation(
        &db.ctx,
        &system(),
        NewOrganisation {
            kind: OrgKind::ForeignNgo,
            name_vi: "Quỹ Xa Xôi".into(),
            name_en: "Faraway Fund".into(),
            acronym: None,
            nationality: "KR".into(),
            iati_ref: None,
            cert_type: Some(CertificateType::Operation),
            cert_number: Some("9/GĐK".into()),
            cert_valid_from: None,
            cert_valid_to: None,
            sectors: vec![],
            provinces: vec![],
        },
    )
    .await
    .unwrap();
    let own_item = seed_item(db, "OWN-1", orgs).await;
    let other_item = seed_item(db, "OTHER-1", (other_org, orgs.1, orgs.2)).await;
    let staff = user(db, "coord", Role::Coordinator, None).await;
    let rev = user(db, "rev", Role::Reviewer, None).await;
    let ngo = user(db, "ngo", Role::Ngo, Some(orgs.0)).await;
    enter_rate(&db.ctx, &rev, usd_rate("2025-03-01", "25000"))
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (item, amount) in [(own_item, 1_000), (other_item, 9_000)] {
        let d = record_disbursement_row(&db.ctx, &staff, disb(item, amount, "2025-03-05"))
            .await
            .unwrap();
        verify_disbursement(&db.ctx, &rev, d.id).await.unwrap();
        ids.push(d.id);
    }
    let other_ms = record_milestone(
        &db.ctx,
        &staff,
        NewMilestone {
            item_id: other_item,
            title_vi: "Bí mật".into(),
            title_en: "Secret".into(),
            planned_date: date("2025-06-01"),
            actual_date: None,
            status: MilestoneStatus::Planned,
            evidence: None,
        },
    )
    .await
    .unwrap()
    .id;
    World {
        ngo,
        staff,
        own_item,
        other_item,
        other_org,
        other_disb: ids[1],
        other_ms,
    }
}

/// The 404 for an id out of scope must read exactly like the 404 for an id that is unused.
fn same_not_found(out_of_scope: Error, missing: Error, out_id: i64, missing_id: i64) {
    let (Error::NotFound(a), Error::NotFound(b)) = (&out_of_scope, &missing) else {
        panic!("expected two NotFound, got {out_of_scope:?} and {missing:?}");
    };
    assert_eq!(
        a.replace(&out_id.to_string(), "#"),
        b.replace(&missing_id.to_string(), "#")
    );
}

#[tokio::test]
async fn another_organisations_records_read_as_not_found() {
    let db = fresh_db().await;
    let w = world(&db).await;
    let (c, n) = (&db.ctx, &w.ngo);
    const NONE: i64 = 987_654;
    same_not_found(
        get_item(c, n, w.other_item).await.unwrap_err(),
        get_item(c, n, NONE).await.unwrap_err(),
        w.other_item,
        NONE,
    );
    same_not_found(
        get_disbursement(c, n, w.other_disb).await.unwrap_err(),
        get_disbursement(c, n, NONE).await.unwrap_err(),
        w.other_disb,
        NONE,
    );
    same_not_found(
        get_milestone(c, n, w.other_ms).await.unwrap_err(),
        get_milestone(c, n, NONE).await.unwrap_err(),
        w.other_ms,
        NONE,
    );
    same_not_found(
        get_organisation(c, n, w.other_org).await.unwrap_err(),
        get_organisation(c, n, NONE).await.unwrap_err(),
        w.other_org,
        NONE,
    );
    same_not_found(
        list_disbursements(c, n, w.other_item).await.unwrap_err(),
        list_disbursements(c, n, NONE).await.unwrap_err(),
        w.other_item,
        NONE,
    );
    assert!(matches!(
        list_commitments(c, n, w.other_item).await,
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        list_milestones(c, n, w.other_item).await,
        Err(Error::NotFound(_))
    ));
    // Writing through another organisation's item is "not found" too.
    let err = record_disbursement_row(c, n, disb(w.other_item, 5, "2025-03-06"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    let report = aidledger::actions::progress::ProgressReport {
        status: MilestoneStatus::InProgress,
        actual_date: None,
        evidence: "look".into(),
    };
    let err = aidledger::actions::progress::report_milestone_progress(c, n, w.other_ms, &report)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    // Own records are readable; staff read everything.
    assert_eq!(get_item(c, n, w.own_item).await.unwrap().item.code, "OWN-1");
    assert_eq!(list_disbursements(c, n, w.own_item).await.unwrap().len(), 1);
    assert_eq!(
        get_disbursement(c, &w.staff, w.other_disb)
            .await
            .unwrap()
            .id,
        w.other_disb
    );
}

#[tokio::test]
async fn lists_leave_other_organisations_out_and_staff_only_reads_stay_closed() {
    let db = fresh_db().await;
    let w = world(&db).await;
    let (c, n) = (&db.ctx, &w.ngo);
    let items = list_items(c, n, &ItemFilter::default()).await.unwrap();
    assert_eq!(
        items.iter().map(|i| i.code.as_str()).collect::<Vec<_>>(),
        ["OWN-1"]
    );
    assert_eq!(
        list_items(c, &w.staff, &ItemFilter::default())
            .await
            .unwrap()
            .len(),
        2
    );
    let orgs = list_organisations(c, n, None, None).await.unwrap();
    assert_eq!(orgs.len(), 1);
    assert_eq!(orgs[0].name_en, "Hope Bridges");
    assert!(matches!(
        list_audit(c, n, &AuditFilter::default()).await,
        Err(Error::Forbidden(_))
    ));
    assert!(matches!(
        list_issued_reports(c, n, None).await,
        Err(Error::Forbidden(_))
    ));
    assert!(matches!(
        get_issued_pdf(c, n, 1).await,
        Err(Error::NotFound(_))
    ));
    assert!(
        !list_rates(c, n, None, None, None).await.unwrap().is_empty(),
        "rates are public"
    );
}

#[tokio::test]
async fn an_ngo_rollup_names_no_other_organisation() {
    let db = fresh_db().await;
    let w = world(&db).await;
    let p = period("2025-Q1");
    for dim in [
        Dimension::Donor,
        Dimension::Sector,
        Dimension::Locality,
        Dimension::Country,
    ] {
        let t = rollup(&db.ctx, &w.ngo, &p, dim, Lang::En).await.unwrap();
        assert_eq!(
            t.total.disbursed_usd_cents, 1_000,
            "{dim:?}: only the own item's money"
        );
        let json = serde_json::to_string(&t).unwrap();
        assert!(
            !json.contains("Faraway") && !json.contains("Xa Xôi") && !json.contains("KR"),
            "{dim:?}: {json}"
        );
    }
    let all = rollup(&db.ctx, &w.staff, &p, Dimension::Donor, Lang::En)
        .await
        .unwrap();
    assert_eq!(all.total.disbursed_usd_cents, 10_000);
    assert_eq!(all.rows.len(), 2);
}

#[tokio::test]
async fn item_search_ignores_case_and_vietnamese_accents() {
    let db = fresh_db().await;
    let w = world(&db).await;
    let find = |q: &str| ItemFilter {
        q: Some(q.into()),
        ..ItemFilter::default()
    };
    for q in [
        "nuoc sach",
        "NƯỚC SẠCH",
        "nu\u{031b}\u{0301}o\u{031b}c",
        "own-1",
        "clean WATER",
    ] {
        let found = list_items(&db.ctx, &w.staff, &find(q)).await.unwrap();
        assert!(
            found.iter().any(|i| i.code == "OWN-1"),
            "{q:?} finds the item"
        );
    }
    assert!(
        list_items(&db.ctx, &w.staff, &find("borehole"))
            .await
            .unwrap()
            .is_empty()
    );
    let page = ItemFilter {
        limit: 1,
        offset: 1,
        ..ItemFilter::default()
    };
    assert_eq!(list_items(&db.ctx, &w.staff, &page).await.unwrap().len(), 1);
    let bad = ItemFilter {
        limit: 501,
        ..ItemFilter::default()
    };
    assert_eq!(
        list_items(&db.ctx, &w.staff, &bad)
            .await
            .unwrap_err()
            .field(),
        Some("limit")
    );
}
