//! Recording money: commitments, pledges, disbursements and milestones. Each amount is
//! converted against the rate table as it is stored; a missing or stale rate does not block
//! the entry but stores it as unconverted with the reason, for the reviewer to resolve.

use super::convert::convert_at;
use super::periods::ensure_open;
use super::scope::{self, Scope};
use super::{Actor, Ctx, record, today_in_vietnam};
use crate::db::ledger::{
    self, Commitment, Conversion, Disbursement, Milestone, NewCommitment, NewDisbursement,
    NewMilestone, NewPledge,
};
use crate::db::{Tx, items};
use crate::domain::Money;
use crate::domain::item::{DisbursementStatus, MilestoneStatus};
use crate::domain::role::Permission;
use crate::error::{Error, Result};
use chrono::NaiveDate;

/// Also refuses a date no period can report on (`domain::period::reportable`).
fn not_in_future(field: &str, what: &str, date: NaiveDate) -> Result<()> {
    if date > today_in_vietnam() {
        return Err(Error::invalid(
            field,
            "future_date",
            format!("{what} cannot be dated in the future ({date})"),
        ));
    }
    crate::domain::period::reportable_field(field, date)?;
    Ok(())
}

async fn require_item(tx: &mut Tx, item_id: i64) -> Result<crate::db::items::AidItem> {
    items::get_item(tx, item_id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("aid item {item_id}")))
}

pub async fn record_commitment(ctx: &Ctx, actor: &Actor, cmd: NewCommitment) -> Result<i64> {
    let mut tx = ctx.store.write().await?;
    let id = record_commitment_in(&mut tx, actor, cmd, ctx.config.rate_max_age_days).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn record_commitment_row(
    ctx: &Ctx,
    actor: &Actor,
    cmd: NewCommitment,
) -> Result<Commitment> {
    let mut tx = ctx.store.write().await?;
    let id = record_commitment_in(&mut tx, actor, cmd, ctx.config.rate_max_age_days).await?;
    let row = ledger::get_commitment(&mut tx, id)
        .await?
        .ok_or_else(|| Error::Internal(format!("commitment {id} vanished after insert")))?;
    tx.commit().await?;
    Ok(row)
}

pub async fn record_commitment_in(
    tx: &mut Tx,
    actor: &Actor,
    mut cmd: NewCommitment,
    max_age_days: u32,
) -> Result<i64> {
    actor.require(Permission::EditLedger)?;
    cmd.kind
        .check_sign(cmd.amount_minor)
        .map_err(|m| Error::invalid("amount", "invalid_amount", m))?;
    not_in_future("date", "a commitment", cmd.date)?;
    crate::domain::money::limits::amount_field("amount", cmd.amount_minor, cmd.currency)?;
    crate::domain::text::opt_line_field("reference", &mut cmd.reference, 200)?;
    require_item(tx, cmd.item_id).await?;
    ensure_open(tx, cmd.date, "a commitment").await?;
    cmd.entered_by = actor.user_id;
    let money = Money::from_minor(cmd.amount_minor, cmd.currency);
    let conv = Conversion::from(&convert_at(tx, money, cmd.date, max_age_days).await?);
    let now = crate::db::now();
    let id = ledger::insert_commitment(tx, &cmd, &conv, now).await?;
    let after = serde_json::json!({
        "item_id": cmd.item_id, "kind": cmd.kind, "amount": money.canonical(), "currency": cmd.currency,
        "date": cmd.date, "reference": cmd.reference, "conversion": conv,
    });
    record::<(), _>(
        tx,
        actor,
        "commitment.record",
        "commitment",
        id,
        None,
        Some(&after),
        now,
    )
    .await?;
    Ok(id)
}

pub async fn record_disbursement(ctx: &Ctx, actor: &Actor, cmd: NewDisbursement) -> Result<i64> {
    let mut tx = ctx.store.write().await?;
    let id = record_disbursement_in(&mut tx, actor, cmd, ctx.config.rate_max_age_days).await?;
    tx.commit().await?;
    Ok(id)
}

/// Records a disbursement entered by `actor` and returns its id (see
/// [`record_disbursement_row_in`]).
pub async fn record_disbursement_in(
    tx: &mut Tx,
    actor: &Actor,
    cmd: NewDisbursement,
    max_age_days: u32,
) -> Result<i64> {
    Ok(record_disbursement_row_in(tx, actor, cmd, max_age_days)
        .await?
        .id)
}

pub async fn record_disbursement_row(
    ctx: &Ctx,
    actor: &Actor,
    cmd: NewDisbursement,
) -> Result<Disbursement> {
    let mut tx = ctx.store.write().await?;
    let row = record_disbursement_row_in(&mut tx, actor, cmd, ctx.config.rate_max_age_days).await?;
    tx.commit().await?;
    Ok(row)
}

/// Records a disbursement entered by `actor`. Staff with `EditLedger` enter it as submitted
/// (or draft); NGO staff (`ReportProgress`) report one for their own organisation's item,
/// stored as a draft for a coordinator to accept. Only the system (demo data, imports of
/// already reviewed records) may store one as verified, and never with the enterer as
/// verifier. A reversal must point at a verified row of the same item and negate it exactly.
pub async fn record_disbursement_row_in(
    tx: &mut Tx,
    actor: &Actor,
    mut cmd: NewDisbursement,
    max_age_days: u32,
) -> Result<Disbursement> {
    let ngo_report = actor.require(Permission::EditLedger).is_err();
    if ngo_report {
        actor.require(Permission::ReportProgress)?;
        // Scope first, so another organisation's item is "not found", as if it did not exist.
        scope::item(tx, Scope::of(actor)?, cmd.item_id).await?;
        if cmd.reverses_id.is_some() {
            return Err(Error::Forbidden(
                "NGO staff report disbursements; a reversal is entered by a coordinator".into(),
            ));
        }
        cmd.status = DisbursementStatus::Draft;
    }
    check_disbursement_fields(&cmd)?;
    require_item(tx, cmd.item_id).await?;
    if let Some(m) = cmd.milestone_id {
        let ms = ledger::list_milestones(tx, cmd.item_id).await?;
        if !ms.iter().any(|x| x.id == m) {
            return Err(not_the_items_milestone(m, cmd.item_id));
        }
    }
    ensure_open(tx, cmd.value_date, "a disbursement").await?;
    if let Some(orig) = cmd.reverses_id {
        check_reversal(tx, &cmd, orig).await?;
    }
    stamp_entry(actor, &mut cmd)?;
    let money = Money::from_minor(cmd.amount_minor, cmd.currency);
    let conv = Conversion::from(&convert_at(tx, money, cmd.value_date, max_age_days).await?);
    let now = crate::db::now();
    let row = ledger::insert_disbursement(tx, &cmd, &conv, now).await?;
    let id = row.id;
    let action = if ngo_report {
        "disbursement.report"
    } else {
        "disbursement.record"
    };
    record::<(), _>(tx, actor, action, "disbursement", id, None, Some(&row), now).await?;
    Ok(row)
}

pub(crate) fn not_the_items_milestone(milestone: i64, item: i64) -> Error {
    Error::invalid(
        "milestone_id",
        "unknown_milestone",
        format!("milestone {milestone} does not belong to aid item {item}"),
    )
}

/// The checks of a new disbursement that need no database. The one-row path above and
/// imports' batches ([`super::ledger_batch`]) both call it, so a file's row is refused with
/// the same message as the form's.
pub(crate) fn check_disbursement_fields(cmd: &NewDisbursement) -> Result<()> {
    if cmd.reverses_id.is_none() && cmd.amount_minor <= 0 {
        return Err(Error::invalid(
            "amount",
            "invalid_amount",
            "a disbursement must be greater than zero; to undo one, reverse it",
        ));
    }
    if cmd.tranche.is_some_and(|t| !(1..=1000).contains(&t)) {
        return Err(Error::invalid(
            "tranche",
            "invalid_tranche",
            "a tranche is numbered 1 to 1000",
        ));
    }
    not_in_future("value_date", "a disbursement", cmd.value_date)?;
    crate::domain::money::limits::amount_field("amount", cmd.amount_minor, cmd.currency)?;
    Ok(())
}

/// A person's entry is theirs and at most submitted (reviewing is another person's act);
/// only the system stores a verified row, and never with its enterer as verifier.
pub(crate) fn stamp_entry(actor: &Actor, cmd: &mut NewDisbursement) -> Result<()> {
    if actor.role.is_some() {
        cmd.entered_by = actor.user_id;
        cmd.verified_by = None;
        cmd.verified_at = None;
        if !matches!(
            cmd.status,
            DisbursementStatus::Draft | DisbursementStatus::Submitted
        ) {
            cmd.status = DisbursementStatus::Submitted;
        }
    }
    if cmd.status == DisbursementStatus::Verified
        && (cmd.verified_by.is_none() || cmd.verified_at.is_none())
    {
        return Err(Error::invalid(
            "verified_by",
            "verifier_required",
            "a verified disbursement must name who verified it and when",
        ));
    }
    if cmd.verified_by.is_some() && cmd.verified_by == cmd.entered_by {
        return Err(Error::conflict(
            "four_eyes",
            "whoever entered a disbursement cannot verify it",
        ));
    }
    Ok(())
}

/// A reversal negates exactly one verified, not yet reversed row of the same item, dated no
/// earlier than it, and neither date may be in a locked period.
async fn check_reversal(tx: &mut Tx, cmd: &NewDisbursement, orig_id: i64) -> Result<()> {
    let field = |msg: String| Error::invalid("reverses_id", "invalid_reversal", msg);
    let orig = ledger::get_disbursement(tx, orig_id)
        .await?
        .filter(|o| o.item_id == cmd.item_id)
        .ok_or_else(|| {
            field(format!(
                "disbursement {orig_id} is not a disbursement of aid item {}",
                cmd.item_id
            ))
        })?;
    if orig.reverses_id.is_some() {
        return Err(Error::conflict(
            "invalid_transition",
            format!("disbursement {orig_id} is itself a reversal and cannot be reversed"),
        ));
    }
    if orig.status != DisbursementStatus::Verified {
        return Err(Error::conflict(
            "invalid_transition",
            format!(
                "disbursement {orig_id} is {}, not verified: only a verified disbursement is reversed; reject it instead",
                orig.status
            ),
        ));
    }
    if ledger::reversal_of(tx, orig_id).await?.is_some() {
        return Err(Error::conflict(
            "already_reversed",
            format!("disbursement {orig_id} has already been reversed"),
        ));
    }
    if cmd.amount_minor != -orig.amount_minor || cmd.currency != orig.currency {
        return Err(field(format!(
            "a reversal of disbursement {orig_id} must be exactly -{} {}",
            Money::from_minor(orig.amount_minor, orig.currency).canonical(),
            orig.currency
        )));
    }
    if cmd.value_date < orig.value_date {
        return Err(Error::invalid(
            "value_date",
            "invalid_dates",
            format!(
                "a reversal cannot be dated before the disbursement it reverses ({})",
                orig.value_date
            ),
        ));
    }
    ensure_open(tx, orig.value_date, &format!("disbursement {orig_id}")).await
}

pub async fn record_milestone(ctx: &Ctx, actor: &Actor, cmd: NewMilestone) -> Result<Milestone> {
    let mut tx = ctx.store.write().await?;
    let id = record_milestone_in(&mut tx, actor, cmd).await?;
    let row = ledger::get_milestone(&mut tx, id)
        .await?
        .ok_or_else(|| Error::Internal(format!("milestone {id} vanished after insert")))?;
    tx.commit().await?;
    Ok(row)
}

pub async fn record_milestone_in(tx: &mut Tx, actor: &Actor, mut cmd: NewMilestone) -> Result<i64> {
    actor.require(Permission::EditMilestones)?;
    require_item(tx, cmd.item_id).await?;
    crate::domain::text::line_field("title_vi", &mut cmd.title_vi, 300)?;
    crate::domain::text::line_field("title_en", &mut cmd.title_en, 300)?;
    crate::domain::text::opt_multiline_field("evidence", &mut cmd.evidence, 5000)?;
    crate::domain::period::reportable_field("planned_date", cmd.planned_date)?;
    if let Some(actual) = cmd.actual_date {
        not_in_future("actual_date", "a milestone's actual date", actual)?;
    }
    if cmd.status == MilestoneStatus::Done && cmd.actual_date.is_none() {
        return Err(Error::invalid(
            "actual_date",
            "actual_date_required",
            "a milestone that is done needs the date it was reached (actual_date)",
        ));
    }
    let now = crate::db::now();
    let id = ledger::insert_milestone(tx, &cmd, now).await?;
    let after = serde_json::json!({
        "item_id": cmd.item_id, "title_vi": cmd.title_vi, "title_en": cmd.title_en, "planned_date": cmd.planned_date,
        "actual_date": cmd.actual_date, "status": cmd.status, "evidence": cmd.evidence,
    });
    record::<(), _>(
        tx,
        actor,
        "milestone.record",
        "milestone",
        id,
        None,
        Some(&after),
        now,
    )
    .await?;
    Ok(id)
}

pub async fn record_pledge_in(tx: &mut Tx, actor: &Actor, mut cmd: NewPledge) -> Result<i64> {
    actor.require(Permission::EditLedger)?;
    if cmd.amount_minor <= 0 {
        return Err(Error::invalid(
            "amount",
            "invalid_amount",
            "a pledge must be greater than zero",
        ));
    }
    crate::domain::money::limits::amount_field("amount", cmd.amount_minor, cmd.currency)?;
    crate::domain::period::reportable_field("date", cmd.date)?;
    crate::domain::text::opt_multiline_field("note", &mut cmd.note, 1000)?;
    if let Some(item) = cmd.item_id {
        require_item(tx, item).await?;
    }
    cmd.entered_by = actor.user_id;
    let now = crate::db::now();
    let id = ledger::insert_pledge(tx, &cmd, now).await?;
    let after = serde_json::json!({
        "donor_id": cmd.donor_id, "item_id": cmd.item_id, "amount": Money::from_minor(cmd.amount_minor, cmd.currency).canonical(),
        "currency": cmd.currency, "date": cmd.date, "note": cmd.note,
    });
    record::<(), _>(
        tx,
        actor,
        "pledge.record",
        "pledge",
        id,
        None,
        Some(&after),
        now,
    )
    .await?;
    Ok(id)
}
