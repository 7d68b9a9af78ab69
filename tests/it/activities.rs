//! Promotion activities (issue 14, point 3): a coordinator records a conference or a meeting
//! with the organisations that took part and the proposals presented; each proposal is then
//! recorded as presented to each foreign NGO there, and a proposal still `proposed` moves to
//! `presented`, all audited. NGO staff see only the activities their organisation took part
//! in; every bad input is refused naming its field, and nothing is stored.

mod api;
mod evidence;
mod pages;

use crate::api::App;
use crate::common::{date, scalar_i64, system};
use aidledger::actions::mobilisation::activities::{
    activity, create_activity, edit_activity, list_activities,
};
use aidledger::db::activities::NewActivity;
use aidledger::db::audit::entries_for;
use aidledger::db::programmes::{NewProgramme, insert_programme};
use aidledger::db::proposals::{
    NewProposal, get_proposal, insert_proposal, presentations_of, set_status,
};
use aidledger::domain::Currency;
use aidledger::domain::mobilisation::{ActivityKind, ProposalStatus};
use aidledger::error::Error;

/// The 2021–2025 and 2026–2030 programmes and a proposal in each (the first published, the
/// second not): (programmes, proposals).
pub async fn seed_mobilisation(app: &App) -> ([i64; 2], [i64; 3]) {
    let mut tx = app.db.store().write().await.unwrap();
    let now = aidledger::db::now();
    let mut programmes = [0; 2];
    for (i, (from, to)) in [("2021-01-01", "2025-12-31"), ("2026-01-01", "2030-12-31")]
        .into_iter()
        .enumerate()
    {
        let p = NewProgramme {
            name_vi: format!("Chương trình vận động viện trợ {from}"),
            name_en: format!("Aid mobilisation programme {from}"),
            decision_number: format!("{}/QĐ-UBND", 100 + i),
            decision_date: date(from),
            decision_authority: "UBND tỉnh".into(),
            starts_on: date(from),
            ends_on: date(to),
            target_currency: Currency::USD,
            target_minor: 5_000_000_000,
            target_items: Some(40),
            targets: vec![],
        };
        programmes[i] = insert_programme(&mut tx, &p, now).await.unwrap();
    }
    let mut proposals = [0; 3];
    for (i, (programme, published)) in [
        (programmes[0], true),
        (programmes[0], false),
        (programmes[1], true),
    ]
    .into_iter()
    .enumerate()
    {
        let p = NewProposal {
            programme_id: programme,
            title_vi: format!("Đề xuất {i}"),
            title_en: format!("Proposal {i}"),
            sector_code: "HEALTH.PHC".into(),
            unit_code: "46".into(),
            currency: Currency::USD,
            estimate_minor: 50_000_000,
            aid_owner_id: app.owner,
            summary: String::new(),
            published,
        };
        proposals[i] = insert_proposal(&mut tx, &p, now).await.unwrap();
    }
    tx.commit().await.unwrap();
    (programmes, proposals)
}

/// A meeting under `programme` on 2024-05-10 with these organisations and proposals.
pub fn meeting(programme: Option<i64>, orgs: &[i64], proposals: &[i64]) -> NewActivity {
    NewActivity {
        programme_id: programme,
        kind: ActivityKind::Meeting,
        title: "  Làm việc với các tổ chức  ".into(),
        held_on: date("2024-05-10"),
        place: "Trụ sở UBND tỉnh".into(),
        outcome: "Two NGOs asked for the feasibility studies.\r\nFollow-up in June.".into(),
        organisation_ids: orgs.to_vec(),
        proposal_ids: proposals.to_vec(),
    }
}

async fn count(app: &App, table: &str) -> i64 {
    scalar_i64(&app.db, &format!("SELECT COUNT(*) FROM {table}")).await
}

#[rocket::async_test]
async fn an_activity_records_presentations_to_the_ngos_there_and_moves_proposed_to_presented() {
    let app = App::new().await;
    let (pr, pp) = seed_mobilisation(&app).await;
    let coord = &app.actors["coordinator"];
    let cmd = meeting(
        Some(pr[0]),
        &[app.org_a, app.org_b, app.owner],
        &[pp[0], pp[1]],
    );
    let id = create_activity(&app.db.ctx, coord, cmd).await.unwrap();

    let v = activity(&app.db.ctx, coord, id).await.unwrap();
    assert_eq!(
        v.activity.title, "Làm việc với các tổ chức",
        "text is cleaned"
    );
    assert_eq!(
        v.activity.outcome,
        "Two NGOs asked for the feasibility studies.\nFollow-up in June."
    );
    let mut orgs = vec![app.org_a, app.org_b, app.owner];
    orgs.sort_unstable();
    assert_eq!(v.organisation_ids, orgs);
    assert_eq!(v.proposal_ids, vec![pp[0], pp[1]]);

    let mut tx = app.db.store().read().await.unwrap();
    for p in [pp[0], pp[1]] {
        let pres = presentations_of(&mut tx, p).await.unwrap();
        let mut to: Vec<i64> = pres.iter().map(|x| x.organisation_id).collect();
        to.sort_unstable();
        let mut ngos = vec![app.org_a, app.org_b];
        ngos.sort_unstable();
        assert_eq!(
            to, ngos,
            "presented to the foreign NGOs only, not the aid owner"
        );
        assert!(
            pres.iter()
                .all(|x| x.activity_id == Some(id) && x.presented_on == date("2024-05-10"))
        );
        let now = get_proposal(&mut tx, p).await.unwrap().unwrap();
        assert_eq!(now.status, ProposalStatus::Presented);
        let mut actions: Vec<String> = entries_for(&mut tx, "proposal", &p.to_string())
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        actions.sort();
        assert_eq!(
            actions,
            ["proposal.move", "proposal.present", "proposal.present"]
        );
    }
    let created = entries_for(&mut tx, "promotion_activity", &id.to_string())
        .await
        .unwrap();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].action, "promotion_activity.create");
    assert_eq!(created[0].actor, "coordinator");
    assert!(
        created[0]
            .after
            .as_deref()
            .unwrap()
            .contains("\"proposal_ids\"")
    );
    drop(tx);

    // A second activity presenting the same proposal does not move it again.
    let mut again = meeting(Some(pr[0]), &[app.org_a], &[pp[0]]);
    again.held_on = date("2024-09-01");
    create_activity(&app.db.ctx, coord, again).await.unwrap();
    let mut tx = app.db.store().read().await.unwrap();
    assert_eq!(presentations_of(&mut tx, pp[0]).await.unwrap().len(), 3);
    let moves = entries_for(&mut tx, "proposal", &pp[0].to_string())
        .await
        .unwrap()
        .iter()
        .filter(|e| e.action == "proposal.move")
        .count();
    assert_eq!(moves, 1);
}

#[rocket::async_test]
async fn an_activity_without_an_ngo_presents_nothing_and_moves_nothing() {
    let app = App::new().await;
    let (pr, pp) = seed_mobilisation(&app).await;
    let coord = &app.actors["coordinator"];
    create_activity(
        &app.db.ctx,
        coord,
        meeting(Some(pr[0]), &[app.owner], &[pp[0]]),
    )
    .await
    .unwrap();
    assert_eq!(count(&app, "proposal_presentation").await, 0);
    let mut tx = app.db.store().read().await.unwrap();
    let p = get_proposal(&mut tx, pp[0]).await.unwrap().unwrap();
    assert_eq!(p.status, ProposalStatus::Proposed);
}

#[rocket::async_test]
async fn editing_an_activity_follows_its_new_lists_and_is_audited_with_before_and_after() {
    let app = App::new().await;
    let (pr, pp) = seed_mobilisation(&app).await;
    let coord = &app.actors["coordinator"];
    let id = create_activity(
        &app.db.ctx,
        coord,
        meeting(Some(pr[0]), &[app.org_a, app.org_b], &[pp[0]]),
    )
    .await
    .unwrap();
    let mut cmd = meeting(Some(pr[0]), &[app.org_a], &[pp[0], pp[1]]);
    cmd.kind = ActivityKind::Conference;
    cmd.title = "Hội nghị xúc tiến".into();
    edit_activity(&app.db.ctx, coord, id, cmd).await.unwrap();

    let v = activity(&app.db.ctx, coord, id).await.unwrap();
    assert_eq!(v.activity.kind, ActivityKind::Conference);
    assert_eq!(v.organisation_ids, vec![app.org_a]);
    let mut tx = app.db.store().read().await.unwrap();
    let p0: Vec<i64> = presentations_of(&mut tx, pp[0])
        .await
        .unwrap()
        .iter()
        .map(|x| x.organisation_id)
        .collect();
    assert_eq!(p0, vec![app.org_a], "NGO B no longer took part");
    assert_eq!(presentations_of(&mut tx, pp[1]).await.unwrap().len(), 1);
    let entries = entries_for(&mut tx, "promotion_activity", &id.to_string())
        .await
        .unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1].action, "promotion_activity.edit");
    assert!(
        entries[1]
            .before
            .as_deref()
            .unwrap()
            .contains("\"meeting\"")
    );
    assert!(
        entries[1]
            .after
            .as_deref()
            .unwrap()
            .contains("Hội nghị xúc tiến")
    );

    // Once a proposal is withdrawn, a new activity may not present it; this one, which
    // already lists it, can still be corrected.
    let mut tx = app.db.store().write().await.unwrap();
    set_status(
        &mut tx,
        pp[1],
        ProposalStatus::Withdrawn,
        None,
        aidledger::db::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut fix = meeting(Some(pr[0]), &[app.org_a], &[pp[0], pp[1]]);
    fix.outcome = "Corrected minutes.".into();
    edit_activity(&app.db.ctx, coord, id, fix).await.unwrap();
    let e = create_activity(
        &app.db.ctx,
        coord,
        meeting(Some(pr[0]), &[app.org_a], &[pp[1]]),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&e, Error::Invalid { field: Some(f), code: "proposal_closed", .. } if f == "proposal_ids"),
        "{e:?}"
    );

    let missing = edit_activity(&app.db.ctx, coord, 999_999, meeting(None, &[], &[])).await;
    assert!(matches!(missing, Err(Error::NotFound(_))), "{missing:?}");
}

#[rocket::async_test]
async fn ngo_staff_see_only_the_activities_their_organisation_took_part_in() {
    let app = App::new().await;
    let (pr, pp) = seed_mobilisation(&app).await;
    let coord = &app.actors["coordinator"];
    let both = create_activity(
        &app.db.ctx,
        coord,
        meeting(Some(pr[0]), &[app.org_a, app.org_b], &[pp[0], pp[1]]),
    )
    .await
    .unwrap();
    let only_a = create_activity(&app.db.ctx, coord, meeting(None, &[app.org_a], &[]))
        .await
        .unwrap();
    let none = create_activity(&app.db.ctx, coord, meeting(None, &[], &[]))
        .await
        .unwrap();

    let ids = |v: Vec<aidledger::db::activities::Activity>| {
        let mut ids: Vec<i64> = v.iter().map(|a| a.id).collect();
        ids.sort_unstable();
        ids
    };
    let ctx = &app.db.ctx;
    assert_eq!(
        ids(list_activities(ctx, coord, None).await.unwrap()),
        vec![both, only_a, none]
    );
    assert_eq!(
        ids(list_activities(ctx, &app.actors["reviewer"], None)
            .await
            .unwrap()),
        vec![both, only_a, none]
    );
    assert_eq!(
        ids(list_activities(ctx, coord, Some(pr[0])).await.unwrap()),
        vec![both]
    );
    assert_eq!(
        ids(list_activities(ctx, &app.actors["ngo_a"], None)
            .await
            .unwrap()),
        vec![both, only_a]
    );
    assert_eq!(
        ids(list_activities(ctx, &app.actors["ngo_b"], None)
            .await
            .unwrap()),
        vec![both]
    );

    // Within an activity: only the NGO's own organisation, and only published proposals.
    let seen = activity(ctx, &app.actors["ngo_b"], both).await.unwrap();
    assert_eq!(seen.organisation_ids, vec![app.org_b]);
    assert_eq!(seen.proposal_ids, vec![pp[0]]);
    // Another's activity is "not found", exactly as one that does not exist.
    let other = activity(ctx, &app.actors["ngo_b"], only_a)
        .await
        .unwrap_err();
    let absent = activity(ctx, &app.actors["ngo_b"], 999_999)
        .await
        .unwrap_err();
    assert!(matches!(other, Error::NotFound(_)), "{other:?}");
    assert_eq!(
        other.to_string().replace(&only_a.to_string(), "N"),
        absent.to_string().replace("999999", "N")
    );
}

#[rocket::async_test]
async fn only_coordinators_record_activities() {
    let app = App::new().await;
    let ctx = &app.db.ctx;
    for who in ["reviewer", "admin", "ngo_a"] {
        let e = create_activity(ctx, &app.actors[who], meeting(None, &[app.org_a], &[]))
            .await
            .unwrap_err();
        assert!(matches!(e, Error::Forbidden(_)), "{who}: {e:?}");
    }
    let id = create_activity(ctx, &system(), meeting(None, &[], &[]))
        .await
        .unwrap();
    let e = edit_activity(ctx, &app.actors["reviewer"], id, meeting(None, &[], &[]))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Forbidden(_)), "{e:?}");
    assert_eq!(count(&app, "promotion_activity").await, 1);
}

#[rocket::async_test]
async fn every_bad_input_is_refused_naming_its_field_and_nothing_is_stored() {
    let app = App::new().await;
    let (pr, pp) = seed_mobilisation(&app).await;
    let coord = &app.actors["coordinator"];
    type Change = Box<dyn Fn(&mut NewActivity)>;
    let cases: Vec<(&str, &str, Change)> = vec![
        (
            "title",
            "invalid_text",
            Box::new(|c| c.title = " \u{200b} ".into()),
        ),
        (
            "title",
            "invalid_text",
            Box::new(|c| c.title = "x".repeat(501)),
        ),
        (
            "place",
            "invalid_text",
            Box::new(|c| c.place = String::new()),
        ),
        (
            "place",
            "text_line_break",
            Box::new(|c| c.place = "a\nb".into()),
        ),
        (
            "outcome",
            "text_bidi",
            Box::new(|c| c.outcome = "a\u{202e}b".into()),
        ),
        (
            "outcome",
            "invalid_text",
            Box::new(|c| c.outcome = "x".repeat(4001)),
        ),
        (
            "held_on",
            "date_out_of_range",
            Box::new(|c| c.held_on = date("1989-12-31")),
        ),
        (
            "held_on",
            "outside_programme",
            Box::new(|c| c.held_on = date("2026-01-01")),
        ),
        (
            "programme_id",
            "unknown_programme",
            Box::new(|c| c.programme_id = Some(999_999)),
        ),
        (
            "organisation_ids",
            "unknown_organisation",
            Box::new(|c| c.organisation_ids = vec![999_999]),
        ),
        (
            "organisation_ids",
            "duplicate",
            Box::new(|c| c.organisation_ids = vec![c.organisation_ids[0]; 2]),
        ),
        (
            "proposal_ids",
            "unknown_proposal",
            Box::new(|c| c.proposal_ids = vec![999_999]),
        ),
        (
            "proposal_ids",
            "duplicate",
            Box::new(|c| c.proposal_ids = vec![c.proposal_ids[0]; 2]),
        ),
        (
            "proposal_ids",
            "too_many",
            Box::new(|c| c.proposal_ids = (1..=201).collect()),
        ),
    ];
    for (field, code, change) in &cases {
        let mut cmd = meeting(Some(pr[0]), &[app.org_a], &[pp[0]]);
        change(&mut cmd);
        match create_activity(&app.db.ctx, coord, cmd).await {
            Err(Error::Invalid {
                field: Some(f),
                code: c,
                message,
            }) => {
                assert_eq!((f.as_str(), c), (*field, *code), "{message}");
                assert!(!message.is_empty());
            }
            other => panic!("{field}/{code}: {other:?}"),
        }
    }
    // A proposal of another programme than the activity's.
    let e = create_activity(&app.db.ctx, coord, meeting(Some(pr[0]), &[], &[pp[2]]))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Invalid { field: Some(f), code: "proposal_programme", .. } if f == "proposal_ids"),
        "{e:?}"
    );
    for table in [
        "promotion_activity",
        "activity_organisation",
        "activity_proposal",
        "proposal_presentation",
    ] {
        assert_eq!(count(&app, table).await, 0, "{table}");
    }
    assert_eq!(
        scalar_i64(
            &app.db,
            "SELECT COUNT(*) FROM audit_entry WHERE entity IN ('promotion_activity', 'proposal')"
        )
        .await,
        0
    );
}
