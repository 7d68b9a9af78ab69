//! Promotion activities: a coordinator records a conference, meeting, delegation or field
//! visit with the organisations that took part and the proposals presented there. Recording
//! it also records, for each proposal and each foreign NGO that took part, that the proposal
//! was presented to that NGO on the activity's date, and moves a still-`proposed` proposal to
//! `presented`; all of it audited in the same transaction.
//!
//! NGO staff see only the activities their organisation took part in; within one, only their
//! own organisation among those taking part and only the proposals published to NGOs. Any
//! other activity is "not found", exactly as one that does not exist (see `actions::scope`).

use super::proposals::record_presentation_in;
use crate::actions::scope::Scope;
use crate::actions::{Actor, Ctx, record};
use crate::db::Tx;
use crate::db::activities::{self, Activity, NewActivity};
use crate::db::{orgs, programmes, proposals};
use crate::domain::item::OrgKind;
use crate::domain::role::Permission;
use crate::error::{Error, Result};
use chrono::NaiveDate;

/// An activity with the organisations that took part and the proposals presented, by id.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ActivityView {
    #[serde(flatten)]
    pub activity: Activity,
    pub organisation_ids: Vec<i64>,
    pub proposal_ids: Vec<i64>,
}

/// The most organisations or proposals one activity may list.
pub const MAX_LISTED: usize = 200;

pub fn activity_not_found(id: i64) -> Error {
    Error::NotFound(format!("promotion activity {id}"))
}

/// The rules of an activity's own fields; text is cleaned in place.
fn validate(cmd: &mut NewActivity) -> Result<()> {
    use crate::domain::text::line_field;
    line_field("title", &mut cmd.title, 500)?;
    line_field("place", &mut cmd.place, 300)?;
    super::optional_text("outcome", &mut cmd.outcome, 4000)?;
    crate::domain::period::reportable_field("held_on", cmd.held_on)?;
    for (field, ids) in [
        ("organisation_ids", &cmd.organisation_ids),
        ("proposal_ids", &cmd.proposal_ids),
    ] {
        if ids.len() > MAX_LISTED {
            return Err(Error::invalid(
                field,
                "too_many",
                format!("{field} may list at most {MAX_LISTED} ids"),
            ));
        }
        for (i, id) in ids.iter().enumerate() {
            if ids[..i].contains(id) {
                return Err(Error::invalid(
                    field,
                    "duplicate",
                    format!("{field} lists {id} twice"),
                ));
            }
        }
    }
    Ok(())
}

/// The programme, organisations and proposals named must exist; an activity under a
/// programme is held within its stage and presents that programme's proposals; a proposal
/// newly listed must still be open (one `already` listed stays, so an old activity can be
/// corrected after its proposal was approved). Returns the foreign NGOs among the
/// organisations (the ones a proposal is presented to).
async fn check_references(tx: &mut Tx, cmd: &NewActivity, already: &[i64]) -> Result<Vec<i64>> {
    if let Some(pid) = cmd.programme_id {
        let Some(p) = programmes::get_programme(tx, pid).await? else {
            return Err(Error::invalid(
                "programme_id",
                "unknown_programme",
                format!("there is no programme {pid}"),
            ));
        };
        if cmd.held_on < p.starts_on || cmd.held_on > p.ends_on {
            return Err(Error::invalid(
                "held_on",
                "outside_programme",
                format!(
                    "the activity's date is outside the programme's stage, {} to {}",
                    p.starts_on, p.ends_on
                ),
            ));
        }
    }
    let mut ngos = Vec::new();
    for id in &cmd.organisation_ids {
        match orgs::get_organisation(tx, *id).await? {
            Some(o) if o.kind == OrgKind::ForeignNgo => ngos.push(o.id),
            Some(_) => {}
            None => {
                return Err(Error::invalid(
                    "organisation_ids",
                    "unknown_organisation",
                    format!("there is no organisation {id}"),
                ));
            }
        }
    }
    for id in &cmd.proposal_ids {
        let Some(p) = proposals::get_proposal(tx, *id).await? else {
            return Err(Error::invalid(
                "proposal_ids",
                "unknown_proposal",
                format!("there is no proposal {id}"),
            ));
        };
        if let Some(pid) = cmd.programme_id
            && p.programme_id != pid
        {
            return Err(Error::invalid(
                "proposal_ids",
                "proposal_programme",
                format!(
                    "proposal {id} belongs to programme {}, not to the activity's programme {pid}",
                    p.programme_id
                ),
            ));
        }
        if !p.status.is_open() && !already.contains(id) {
            return Err(Error::invalid(
                "proposal_ids",
                "proposal_closed",
                format!(
                    "proposal {id} is {}; it is no longer presented to NGOs",
                    p.status.label(crate::domain::Lang::En).to_lowercase()
                ),
            ));
        }
    }
    Ok(ngos)
}

/// Records that each open proposal was presented to each NGO at activity `id` on `on`,
/// through the proposals' own action (which audits it and moves a proposal still `proposed`
/// to `presented`); a presentation already recorded that day is not recorded twice.
async fn present(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    on: NaiveDate,
    proposal_ids: &[i64],
    ngos: &[i64],
) -> Result<()> {
    for pid in proposal_ids {
        let open = proposals::get_proposal(tx, *pid)
            .await?
            .is_some_and(|p| p.status.is_open());
        if !open {
            continue;
        }
        for org in ngos {
            if !activities::presentation_exists(tx, *pid, *org, on).await? {
                record_presentation_in(tx, actor, *pid, *org, on, Some(id)).await?;
            }
        }
    }
    Ok(())
}

async fn view_in(tx: &mut Tx, a: Activity) -> Result<ActivityView> {
    let organisation_ids = activities::organisations_of(tx, a.id).await?;
    let proposal_ids = activities::proposals_of(tx, a.id).await?;
    Ok(ActivityView {
        activity: a,
        organisation_ids,
        proposal_ids,
    })
}

pub async fn create_activity(ctx: &Ctx, actor: &Actor, cmd: NewActivity) -> Result<i64> {
    let mut tx = ctx.store.write().await?;
    let id = create_activity_in(&mut tx, actor, cmd).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn create_activity_in(tx: &mut Tx, actor: &Actor, mut cmd: NewActivity) -> Result<i64> {
    actor.require(Permission::EditMobilisation)?;
    validate(&mut cmd)?;
    let ngos = check_references(tx, &cmd, &[]).await?;
    let now = crate::db::now();
    let id = activities::insert_activity(tx, &cmd, now).await?;
    let after = activity_in(tx, id).await?;
    record::<(), _>(
        tx,
        actor,
        "promotion_activity.create",
        "promotion_activity",
        id,
        None,
        Some(&after),
        now,
    )
    .await?;
    present(tx, actor, id, cmd.held_on, &cmd.proposal_ids, &ngos).await?;
    Ok(id)
}

pub async fn edit_activity(ctx: &Ctx, actor: &Actor, id: i64, cmd: NewActivity) -> Result<()> {
    let mut tx = ctx.store.write().await?;
    edit_activity_in(&mut tx, actor, id, cmd).await?;
    tx.commit().await
}

/// Changes an activity's fields and lists. The presentations it recorded follow the new lists
/// and date (those no longer held are removed, new ones recorded); a proposal it moved to
/// `presented` stays there (moving back is the coordinator's decision on the proposal's page).
pub async fn edit_activity_in(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    mut cmd: NewActivity,
) -> Result<()> {
    actor.require(Permission::EditMobilisation)?;
    let before = activity_in(tx, id).await?;
    validate(&mut cmd)?;
    let ngos = check_references(tx, &cmd, &before.proposal_ids).await?;
    let now = crate::db::now();
    activities::update_activity(tx, id, &cmd, now).await?;
    for (pres, proposal, org, on) in activities::presentations_of_activity(tx, id).await? {
        let kept = on == cmd.held_on && cmd.proposal_ids.contains(&proposal) && ngos.contains(&org);
        if !kept {
            activities::delete_presentation(tx, pres).await?;
        }
    }
    let after = activity_in(tx, id).await?;
    record(
        tx,
        actor,
        "promotion_activity.edit",
        "promotion_activity",
        id,
        Some(&before),
        Some(&after),
        now,
    )
    .await?;
    present(tx, actor, id, cmd.held_on, &cmd.proposal_ids, &ngos).await
}

/// Activity `id` with its lists, whoever asks (for writers and the audit trail).
async fn activity_in(tx: &mut Tx, id: i64) -> Result<ActivityView> {
    let a = activities::get_activity(tx, id)
        .await?
        .ok_or_else(|| activity_not_found(id))?;
    view_in(tx, a).await
}

/// Activity `id` as `actor` may see it (see the module's note on NGO staff).
pub async fn activity(ctx: &Ctx, actor: &Actor, id: i64) -> Result<ActivityView> {
    let mut tx = ctx.store.read().await?;
    visible_in(&mut tx, actor, id).await
}

/// [`activity`] in the caller's transaction.
pub async fn visible_in(tx: &mut Tx, actor: &Actor, id: i64) -> Result<ActivityView> {
    let scope = Scope::of(actor)?;
    let mut v = activity_in(tx, id).await?;
    if let Scope::Organisation(own) = scope {
        if !v.organisation_ids.contains(&own) {
            return Err(activity_not_found(id));
        }
        v.organisation_ids = vec![own];
        let mut published = Vec::with_capacity(v.proposal_ids.len());
        for pid in v.proposal_ids {
            if proposals::get_proposal(tx, pid)
                .await?
                .is_some_and(|p| p.published)
            {
                published.push(pid);
            }
        }
        v.proposal_ids = published;
    }
    Ok(v)
}

/// Activities latest first, of one programme when given; NGO staff get only those their
/// organisation took part in.
pub async fn list_activities(
    ctx: &Ctx,
    actor: &Actor,
    programme_id: Option<i64>,
) -> Result<Vec<Activity>> {
    let scope = Scope::of(actor)?;
    let mut tx = ctx.store.read().await?;
    let org = match scope {
        Scope::All => None,
        Scope::Organisation(own) => Some(own),
    };
    activities::list_activities(&mut tx, programme_id, org).await
}

/// The activities proposal `proposal_id` was presented at (the lead's proposal page).
pub async fn activities_of_proposal(tx: &mut Tx, proposal_id: i64) -> Result<Vec<i64>> {
    activities::activities_of_proposal(tx, proposal_id).await
}

/// Refuses unless `actor` may attach evidence to activity `id` (coordinators): an activity
/// the actor may not see is "not found" first, as everywhere.
pub async fn may_attach_in(tx: &mut Tx, actor: &Actor, id: i64) -> Result<()> {
    visible_in(tx, actor, id).await?;
    actor.require(Permission::EditMobilisation)
}
