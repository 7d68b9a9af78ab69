//! Proposals offered to NGOs: entering and editing them, moving them along the status path to
//! the aid item each became, recording to whom they were presented, and the interest NGOs
//! register from the portal.
//!
//! NGO staff see only proposals published to NGOs, and of each only their own organisation's
//! presentations and interest; an unpublished proposal is answered as one that does not exist.

use super::super::{Actor, Ctx, record};
use super::{optional_text, positive_amount};
use crate::actions::scope::Scope;
use crate::db::proposals::{self, Interest, NewProposal, Presentation, Proposal};
use crate::db::{Tx, items, orgs, programmes, reference};
use crate::domain::item::OrgKind;
use crate::domain::mobilisation::ProposalStatus;
use crate::domain::role::Permission;
use crate::error::{Error, Result};
use chrono::NaiveDate;

/// A proposal with what happened to it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProposalView {
    pub proposal: Proposal,
    pub presentations: Vec<Presentation>,
    pub interests: Vec<Interest>,
    /// Promotion activities it was presented at.
    pub activity_ids: Vec<i64>,
}

pub fn proposal_not_found(id: i64) -> Error {
    Error::NotFound(format!("proposal {id}"))
}

fn interest_not_found(id: i64) -> Error {
    Error::NotFound(format!("interest {id}"))
}

fn validate(cmd: &mut NewProposal) -> Result<()> {
    use crate::domain::text::line_field;
    line_field("title_vi", &mut cmd.title_vi, 500)?;
    line_field("title_en", &mut cmd.title_en, 500)?;
    optional_text("summary", &mut cmd.summary, 4000)?;
    positive_amount("estimate", cmd.estimate_minor, cmd.currency)
}

async fn check_references(tx: &mut Tx, cmd: &NewProposal) -> Result<()> {
    if programmes::get_programme(tx, cmd.programme_id)
        .await?
        .is_none()
    {
        return Err(Error::invalid(
            "programme_id",
            "unknown_programme",
            format!("there is no programme {}", cmd.programme_id),
        ));
    }
    if !reference::list_sectors(tx)
        .await?
        .iter()
        .any(|s| s.code == cmd.sector_code)
    {
        return Err(Error::invalid(
            "sector_code",
            "unknown_code",
            "there is no sector with this code",
        ));
    }
    if !reference::list_admin_units(tx)
        .await?
        .iter()
        .any(|u| u.code == cmd.unit_code)
    {
        return Err(Error::invalid(
            "unit_code",
            "unknown_code",
            "there is no administrative unit with this code",
        ));
    }
    match orgs::get_organisation(tx, cmd.aid_owner_id).await? {
        Some(o) if o.kind == OrgKind::AidOwner => Ok(()),
        _ => Err(Error::invalid(
            "aid_owner_id",
            "unknown_organisation",
            "the proposing aid owner must be an organisation registered as an aid owner",
        )),
    }
}

pub async fn create_proposal(ctx: &Ctx, actor: &Actor, cmd: NewProposal) -> Result<i64> {
    let mut tx = ctx.store.write().await?;
    let id = create_proposal_in(&mut tx, actor, cmd).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn create_proposal_in(tx: &mut Tx, actor: &Actor, mut cmd: NewProposal) -> Result<i64> {
    actor.require(Permission::EditMobilisation)?;
    validate(&mut cmd)?;
    check_references(tx, &cmd).await?;
    let now = crate::db::now();
    let id = proposals::insert_proposal(tx, &cmd, now).await?;
    let after = get_in(tx, id).await?;
    record::<(), _>(
        tx,
        actor,
        "proposal.create",
        "proposal",
        id,
        None,
        Some(&after),
        now,
    )
    .await?;
    Ok(id)
}

/// Edits a proposal's fields. An approved proposal is an aid item now and is edited there.
pub async fn edit_proposal(ctx: &Ctx, actor: &Actor, id: i64, cmd: NewProposal) -> Result<()> {
    let mut tx = ctx.store.write().await?;
    edit_proposal_in(&mut tx, actor, id, cmd).await?;
    tx.commit().await
}

pub async fn edit_proposal_in(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    mut cmd: NewProposal,
) -> Result<()> {
    actor.require(Permission::EditMobilisation)?;
    validate(&mut cmd)?;
    let before = get_in(tx, id).await?;
    if before.status == ProposalStatus::Approved {
        return Err(Error::conflict(
            "proposal_approved",
            "an approved proposal is an aid item now: edit the item instead",
        ));
    }
    check_references(tx, &cmd).await?;
    let now = crate::db::now();
    proposals::update_proposal(tx, id, &cmd, now).await?;
    let after = get_in(tx, id).await?;
    record(
        tx,
        actor,
        "proposal.edit",
        "proposal",
        id,
        Some(&before),
        Some(&after),
        now,
    )
    .await
}

async fn get_in(tx: &mut Tx, id: i64) -> Result<Proposal> {
    proposals::get_proposal(tx, id)
        .await?
        .ok_or_else(|| proposal_not_found(id))
}

/// Moves a proposal one step along its path; approving names the aid item it became.
pub async fn move_proposal(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    next: ProposalStatus,
    item_id: Option<i64>,
) -> Result<()> {
    let mut tx = ctx.store.write().await?;
    move_proposal_in(&mut tx, actor, id, next, item_id).await?;
    tx.commit().await
}

pub async fn move_proposal_in(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    next: ProposalStatus,
    item_id: Option<i64>,
) -> Result<()> {
    actor.require(Permission::EditMobilisation)?;
    let before = get_in(tx, id).await?;
    if !before.status.can_become(next) {
        return Err(Error::invalid(
            "status",
            "invalid_transition",
            format!(
                "a proposal with status \"{}\" cannot move to \"{}\"; the path is proposed, presented, interested, agreed, approved (or withdrawn)",
                before.status.code(),
                next.code()
            ),
        ));
    }
    match (next, item_id) {
        (ProposalStatus::Approved, None) => {
            return Err(Error::invalid(
                "item_id",
                "required",
                "approving a proposal names the aid item it became",
            ));
        }
        (ProposalStatus::Approved, Some(item)) => check_item(tx, id, item).await?,
        (_, Some(_)) => {
            return Err(Error::invalid(
                "item_id",
                "not_allowed",
                "only an approved proposal names an aid item",
            ));
        }
        (_, None) => {}
    }
    let now = crate::db::now();
    proposals::set_status(tx, id, next, item_id, now).await?;
    let after = get_in(tx, id).await?;
    record(
        tx,
        actor,
        "proposal.move",
        "proposal",
        id,
        Some(&before),
        Some(&after),
        now,
    )
    .await
}

/// The item exists, has been approved, and no other proposal became it.
async fn check_item(tx: &mut Tx, proposal_id: i64, item_id: i64) -> Result<()> {
    let Some(item) = items::get_item(tx, item_id).await? else {
        return Err(Error::invalid(
            "item_id",
            "unknown_item",
            format!("there is no aid item {item_id}"),
        ));
    };
    if !item.status.was_approved() {
        return Err(Error::invalid(
            "item_id",
            "item_not_approved",
            format!(
                "aid item {} has not been approved yet; approve the item first",
                item.code
            ),
        ));
    }
    if let Some(other) = proposals::proposal_of_item(tx, item_id).await?
        && other.id != proposal_id
    {
        return Err(Error::invalid(
            "item_id",
            "item_taken",
            format!(
                "aid item {} already came from proposal {}",
                item.code, other.id
            ),
        ));
    }
    Ok(())
}

/// Records that the proposal was presented to a foreign NGO (by letter or at a meeting); a
/// proposed proposal becomes presented.
pub async fn record_presentation(
    ctx: &Ctx,
    actor: &Actor,
    proposal_id: i64,
    organisation_id: i64,
    on: NaiveDate,
) -> Result<i64> {
    let mut tx = ctx.store.write().await?;
    let id = record_presentation_in(&mut tx, actor, proposal_id, organisation_id, on, None).await?;
    tx.commit().await?;
    Ok(id)
}

/// Like [`record_presentation`], in the caller's transaction, optionally at an activity.
pub async fn record_presentation_in(
    tx: &mut Tx,
    actor: &Actor,
    proposal_id: i64,
    organisation_id: i64,
    on: NaiveDate,
    activity_id: Option<i64>,
) -> Result<i64> {
    actor.require(Permission::EditMobilisation)?;
    crate::domain::period::reportable_field("presented_on", on)?;
    let proposal = get_in(tx, proposal_id).await?;
    if !proposal.status.is_open() {
        return Err(Error::conflict(
            "proposal_closed",
            "this proposal is approved or withdrawn; it is no longer presented to NGOs",
        ));
    }
    match orgs::get_organisation(tx, organisation_id).await? {
        Some(o) if o.kind == OrgKind::ForeignNgo => {}
        _ => {
            return Err(Error::invalid(
                "organisation_id",
                "unknown_organisation",
                "a proposal is presented to a registered foreign NGO",
            ));
        }
    }
    if proposals::presentations_of(tx, proposal_id)
        .await?
        .iter()
        .any(|p| p.organisation_id == organisation_id && p.presented_on == on)
    {
        return Err(Error::conflict(
            "duplicate",
            "this presentation to this NGO on this day is already recorded",
        ));
    }
    let now = crate::db::now();
    let id =
        proposals::insert_presentation(tx, proposal_id, organisation_id, on, activity_id).await?;
    let after = proposals::presentations_of(tx, proposal_id)
        .await?
        .into_iter()
        .find(|p| p.id == id);
    record::<(), _>(
        tx,
        actor,
        "proposal.present",
        "proposal",
        proposal_id,
        None,
        after.as_ref(),
        now,
    )
    .await?;
    if proposal.status == ProposalStatus::Proposed {
        move_proposal_in(tx, actor, proposal_id, ProposalStatus::Presented, None).await?;
    }
    Ok(id)
}

/// An NGO registers its interest in a published, open proposal, once. A proposal not yet
/// further along becomes "NGO interested"; a coordinator sees the interest in the review queue.
pub async fn register_interest(
    ctx: &Ctx,
    actor: &Actor,
    proposal_id: i64,
    note: String,
) -> Result<i64> {
    actor.require(Permission::RegisterInterest)?;
    let Some(org) = actor.organisation_id else {
        return Err(Error::Forbidden(
            "this account belongs to no organisation, so it may not register interest".into(),
        ));
    };
    let mut tx = ctx.store.write().await?;
    let id = register_interest_in(&mut tx, actor, proposal_id, org, note).await?;
    tx.commit().await?;
    Ok(id)
}

/// Like [`register_interest`] for organisation `org`, in the caller's transaction (the demo
/// loader registers the NGOs' interest as the system).
pub async fn register_interest_in(
    tx: &mut Tx,
    actor: &Actor,
    proposal_id: i64,
    org: i64,
    mut note: String,
) -> Result<i64> {
    actor.require(Permission::RegisterInterest)?;
    if actor.organisation_id.is_some_and(|own| own != org) {
        return Err(Error::Forbidden(
            "an NGO registers interest for its own organisation only".into(),
        ));
    }
    optional_text("note", &mut note, 2000)?;
    let proposal = match proposals::get_proposal(tx, proposal_id).await? {
        Some(p) if p.published => p,
        _ => return Err(proposal_not_found(proposal_id)),
    };
    if !proposal.status.is_open() {
        return Err(Error::conflict(
            "proposal_closed",
            "this proposal is approved or withdrawn; it no longer takes interest",
        ));
    }
    if proposals::interests_of(tx, proposal_id)
        .await?
        .iter()
        .any(|i| i.organisation_id == org)
    {
        return Err(Error::conflict(
            "duplicate",
            "your organisation has already registered interest in this proposal",
        ));
    }
    let now = crate::db::now();
    let id = proposals::insert_interest(tx, proposal_id, org, actor.user_id, &note, now).await?;
    let after = proposals::get_interest(tx, id).await?;
    record::<(), _>(
        tx,
        actor,
        "proposal_interest.register",
        "proposal_interest",
        id,
        None,
        after.as_ref(),
        now,
    )
    .await?;
    if matches!(
        proposal.status,
        ProposalStatus::Proposed | ProposalStatus::Presented
    ) {
        // The NGO's own act moves the proposal; the entry names the NGO user as its actor.
        let before = proposal.clone();
        proposals::set_status(tx, proposal_id, ProposalStatus::Interested, None, now).await?;
        let after = get_in(tx, proposal_id).await?;
        record(
            tx,
            actor,
            "proposal.move",
            "proposal",
            proposal_id,
            Some(&before),
            Some(&after),
            now,
        )
        .await?;
    }
    Ok(id)
}

/// A coordinator has seen an NGO's interest and takes it from the review queue.
pub async fn acknowledge_interest(ctx: &Ctx, actor: &Actor, interest_id: i64) -> Result<()> {
    let mut tx = ctx.store.write().await?;
    acknowledge_interest_in(&mut tx, actor, interest_id).await?;
    tx.commit().await
}

pub async fn acknowledge_interest_in(tx: &mut Tx, actor: &Actor, interest_id: i64) -> Result<()> {
    actor.require(Permission::EditMobilisation)?;
    let before = proposals::get_interest(tx, interest_id)
        .await?
        .ok_or_else(|| interest_not_found(interest_id))?;
    if before.acknowledged_at.is_some() {
        return Err(Error::conflict(
            "already_acknowledged",
            "this interest has already been acknowledged",
        ));
    }
    let now = crate::db::now();
    proposals::acknowledge_interest(tx, interest_id, actor.user_id, now).await?;
    let after = proposals::get_interest(tx, interest_id).await?;
    record(
        tx,
        actor,
        "proposal_interest.acknowledge",
        "proposal_interest",
        interest_id,
        Some(&before),
        after.as_ref(),
        now,
    )
    .await
}

/// Interests waiting for a coordinator, oldest first.
pub async fn open_interests(ctx: &Ctx, actor: &Actor) -> Result<Vec<Interest>> {
    actor.require(Permission::EditMobilisation)?;
    let mut tx = ctx.store.read().await?;
    proposals::open_interests(&mut tx).await
}

pub async fn list_proposals(
    ctx: &Ctx,
    actor: &Actor,
    programme_id: Option<i64>,
) -> Result<Vec<Proposal>> {
    let scope = Scope::of(actor)?;
    let mut tx = ctx.store.read().await?;
    let mut list = proposals::list_proposals(&mut tx, programme_id).await?;
    if scope != Scope::All {
        list.retain(|p| p.published);
    }
    Ok(list)
}

pub async fn proposal(ctx: &Ctx, actor: &Actor, id: i64) -> Result<ProposalView> {
    let scope = Scope::of(actor)?;
    let mut tx = ctx.store.read().await?;
    proposal_in(&mut tx, scope, id).await
}

pub async fn proposal_in(tx: &mut Tx, scope: Scope, id: i64) -> Result<ProposalView> {
    let proposal = match proposals::get_proposal(tx, id).await? {
        Some(p) if scope == Scope::All || p.published => p,
        _ => return Err(proposal_not_found(id)),
    };
    let mut presentations = proposals::presentations_of(tx, id).await?;
    let mut interests = proposals::interests_of(tx, id).await?;
    presentations.retain(|p| scope.sees_organisation(p.organisation_id));
    interests.retain(|i| scope.sees_organisation(i.organisation_id));
    let mut activity_ids: Vec<i64> = presentations.iter().filter_map(|p| p.activity_id).collect();
    activity_ids.sort_unstable();
    activity_ids.dedup();
    Ok(ProposalView {
        proposal,
        presentations,
        interests,
        activity_ids,
    })
}
