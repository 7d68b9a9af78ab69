//! Recording money: commitments, pledges, disbursements and milestones. Each amount is
//! converted against the rate table as it is stored; a missing or stale rate does not block
//! the entry but stores it as unconverted with the reason, for the reviewer to resolve.

use super::convert::convert_at;
use super::{Actor, Ctx, record, today_in_vietnam};
use crate::db::ledger::{
    self, Conversion, NewCommitment, NewDisbursement, NewMilestone, NewPledge,
};
use crate::db::{Tx, items};
use crate::domain::Money;
use crate::domain::item::DisbursementStatus;
use crate::domain::role::Permission;
use crate::error::{Error, Result};
use chrono::NaiveDate;

fn not_in_future(field: &str, what: &str, date: NaiveDate) -> Result<()> {
    if date > today_in_vietnam() {
        return Err(Error::invalid(
            field,
            "future_date",
            format!("{what} cannot be dated in the future ({date})"),
        ));
    }
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
    require_item(tx, cmd.item_id).await?;
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

/// Records a disbursement entered by `actor`. Only the system (demo data, imports of already
/// reviewed records) may store one as verified, and never with the enterer as verifier.
pub async fn record_disbursement_in(
    tx: &mut Tx,
    actor: &Actor,
    mut cmd: NewDisbursement,
    max_age_days: u32,
) -> Result<i64> {
    actor.require(Permission::EditLedger)?;
    if cmd.reverses_id.is_none() && cmd.amount_minor <= 0 {
        return Err(Error::invalid(
            "amount",
            "invalid_amount",
            "a disbursement must be greater than zero; to undo one, reverse it",
        ));
    }
    not_in_future("value_date", "a disbursement", cmd.value_date)?;
    require_item(tx, cmd.item_id).await?;
    if let Some(m) = cmd.milestone_id {
        let ms = ledger::list_milestones(tx, cmd.item_id).await?;
        if !ms.iter().any(|x| x.id == m) {
            return Err(Error::invalid(
                "milestone_id",
                "unknown_milestone",
                format!("milestone {m} does not belong to aid item {}", cmd.item_id),
            ));
        }
    }
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
    let money = Money::from_minor(cmd.amount_minor, cmd.currency);
    let conv = Conversion::from(&convert_at(tx, money, cmd.value_date, max_age_days).await?);
    let now = crate::db::now();
    let id = ledger::insert_disbursement(tx, &cmd, &conv, now).await?;
    let after = serde_json::json!({
        "item_id": cmd.item_id, "amount": money.canonical(), "currency": cmd.currency, "value_date": cmd.value_date,
        "tranche": cmd.tranche, "milestone_id": cmd.milestone_id, "reverses_id": cmd.reverses_id,
        "status": cmd.status, "verified_by": cmd.verified_by, "conversion": conv,
    });
    record::<(), _>(
        tx,
        actor,
        "disbursement.record",
        "disbursement",
        id,
        None,
        Some(&after),
        now,
    )
    .await?;
    Ok(id)
}

pub async fn record_milestone_in(tx: &mut Tx, actor: &Actor, cmd: NewMilestone) -> Result<i64> {
    actor.require(Permission::EditMilestones)?;
    require_item(tx, cmd.item_id).await?;
    for (field, title) in [("title_vi", &cmd.title_vi), ("title_en", &cmd.title_en)] {
        if title.trim().is_empty() || title.chars().count() > 300 {
            return Err(Error::invalid(
                field,
                "invalid_title",
                "a milestone needs a title of 1 to 300 characters",
            ));
        }
    }
    if let Some(actual) = cmd.actual_date {
        not_in_future("actual_date", "a milestone's actual date", actual)?;
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
