//! Which documents an item's page and the NGO portal list (`db::evidence::list_for_items`):
//! those of the items' disbursements and milestones, oldest first, for one item and for
//! several; never another item's, never a promotion activity's.

use crate::activities::{meeting, seed_mobilisation};
use crate::api::App;
use crate::common::date;
use aidledger::actions::evidence::{self, Target, Upload};
use aidledger::actions::ledger::{record_disbursement, record_milestone};
use aidledger::actions::mobilisation::activities::create_activity;
use aidledger::db::evidence::list_for_items;
use aidledger::db::ledger::{NewDisbursement, NewMilestone};
use aidledger::domain::currency::Currency;
use aidledger::domain::item::{DisbursementStatus, MilestoneStatus};

fn pdf(name: &str) -> Upload {
    Upload {
        name: format!("{name}.pdf"),
        bytes:
            b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
                .to_vec(),
    }
}

/// A disbursement and a milestone on `item`.
async fn rows_of(app: &App, item: i64) -> (i64, i64) {
    let ctx = &app.db.ctx;
    let coord = &app.actors["coordinator"];
    let d = record_disbursement(
        ctx,
        coord,
        NewDisbursement {
            item_id: item,
            amount_minor: 1_000_000,
            currency: Currency::USD,
            value_date: date("2025-05-20"),
            tranche: None,
            milestone_id: None,
            reverses_id: None,
            status: DisbursementStatus::Submitted,
            entered_by: None,
            verified_by: None,
            verified_at: None,
        },
    )
    .await
    .unwrap();
    let m = record_milestone(
        ctx,
        coord,
        NewMilestone {
            item_id: item,
            title_vi: "Nghiệm thu".into(),
            title_en: "Acceptance".into(),
            planned_date: date("2025-06-30"),
            actual_date: None,
            status: MilestoneStatus::Planned,
            evidence: None,
        },
    )
    .await
    .unwrap();
    (d, m.id)
}

#[rocket::async_test]
async fn items_list_their_disbursements_and_milestones_documents_oldest_first() {
    let app = App::new().await;
    let ctx = &app.db.ctx;
    let coord = &app.actors["coordinator"];
    let (da, ma) = rows_of(&app, app.item_a).await;
    let (db, mb) = rows_of(&app, app.item_b).await;
    let (pr, pp) = seed_mobilisation(&app).await;
    let activity = create_activity(ctx, coord, meeting(Some(pr[0]), &[app.org_a], &[pp[0]]))
        .await
        .unwrap();
    // Interleaved, so the order by id is not the order of the branches.
    let mut ids = Vec::new();
    for (i, target) in [
        Target::Milestone(ma),
        Target::Disbursement(db),
        Target::Disbursement(da),
        Target::Activity(activity),
        Target::Milestone(mb),
        Target::Milestone(ma),
    ]
    .into_iter()
    .enumerate()
    {
        let (_, doc) = evidence::attach(ctx, coord, target, &pdf(&format!("doc-{i}")))
            .await
            .unwrap();
        ids.push(doc.id);
    }
    let listed = async |items: &[i64]| {
        let tx = &mut ctx.store.read().await.unwrap();
        let docs = list_for_items(tx, items).await.unwrap();
        docs.into_iter().map(|d| d.id).collect::<Vec<_>>()
    };
    assert_eq!(listed(&[app.item_a]).await, [ids[0], ids[2], ids[5]]);
    assert_eq!(listed(&[app.item_b]).await, [ids[1], ids[4]]);
    let both = [ids[0], ids[1], ids[2], ids[4], ids[5]];
    assert_eq!(listed(&[app.item_a, app.item_b]).await, both);
    assert_eq!(listed(&[app.item_b, app.item_a]).await, both);
    assert!(listed(&[]).await.is_empty());
    assert!(listed(&[987_654]).await.is_empty());
}
