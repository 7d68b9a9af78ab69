//! The four-eyes workflow on disbursements: a reviewer verifies or rejects what someone else
//! entered; a coordinator reverses a verified row with a new, negated row that goes through
//! review again; NGO staff's disbursement reports (drafts) are accepted into review or
//! returned with a note. Every step refuses inside a locked period and is audited with the
//! row before and after.

use super::ledger::record_disbursement_row_in;
use super::periods::ensure_open;
use super::scope::disbursement_not_found;
use super::{Actor, Ctx, record, today_in_vietnam};
use crate::db::Tx;
use crate::db::ledger::{self, Disbursement, NewDisbursement, Review};
use crate::domain::item::DisbursementStatus;
use crate::domain::role::Permission;
use crate::error::{Error, Result};
use chrono::NaiveDate;

/// A correction of a verified disbursement: the date the reversal is booked and why.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reversal {
    pub value_date: NaiveDate,
    pub reason: String,
}

fn check_note(field: &str, note: &str) -> Result<String> {
    crate::domain::text::note_field(field, note, 3, 1000, || {
        Error::invalid(
            field,
            "invalid_reason",
            format!(
                "give the {field} in 3 to 1000 characters; it is shown to whoever entered the record"
            ),
        )
    })
}

/// Loads the row, checks it may move from `from` to `to` and that its date is open.
async fn load_for(
    tx: &mut Tx,
    id: i64,
    from: DisbursementStatus,
    to: DisbursementStatus,
) -> Result<Disbursement> {
    let d = ledger::get_disbursement(tx, id)
        .await?
        .ok_or_else(|| disbursement_not_found(id))?;
    if d.status != from || !d.status.can_become(to) {
        return Err(Error::conflict(
            "invalid_transition",
            format!(
                "disbursement {id} is {}; only a {from} disbursement can become {to}",
                d.status
            ),
        ));
    }
    ensure_open(tx, d.value_date, &format!("disbursement {id}")).await?;
    Ok(d)
}

/// Writes the review columns, audits `action` and returns the row after the change.
async fn apply(
    tx: &mut Tx,
    actor: &Actor,
    action: &str,
    before: &Disbursement,
    review: &Review,
) -> Result<Disbursement> {
    ledger::set_review(tx, before.id, review).await?;
    let after = ledger::get_disbursement(tx, before.id)
        .await?
        .ok_or_else(|| disbursement_not_found(before.id))?;
    record(
        tx,
        actor,
        action,
        "disbursement",
        before.id,
        Some(before),
        Some(&after),
        crate::db::now(),
    )
    .await?;
    Ok(after)
}

pub async fn verify_disbursement(ctx: &Ctx, actor: &Actor, id: i64) -> Result<Disbursement> {
    let mut tx = ctx.store.write().await?;
    let d = verify_disbursement_in(&mut tx, actor, id).await?;
    tx.commit().await?;
    Ok(d)
}

pub async fn verify_disbursement_in(tx: &mut Tx, actor: &Actor, id: i64) -> Result<Disbursement> {
    actor.require(Permission::VerifyDisbursements)?;
    let d = load_for(
        tx,
        id,
        DisbursementStatus::Submitted,
        DisbursementStatus::Verified,
    )
    .await?;
    if actor.user_id.is_some() && actor.user_id == d.entered_by {
        return Err(Error::conflict(
            "four_eyes",
            "whoever entered a disbursement cannot verify it: another reviewer must",
        ));
    }
    // A verified row enters the report's VND and USD totals; one without a conversion would
    // drop out of them silently, so it waits until its currency's rate is entered (adding the
    // rate converts it, see `convert::reconvert`).
    if d.conversion.amount_vnd.is_none() || d.conversion.amount_usd_cents.is_none() {
        return Err(Error::conflict(
            "rate_missing",
            format!(
                "disbursement {id} has no VND/USD conversion: enter the {} rate for {} (or the latest before it), then verify",
                d.currency.code(),
                d.value_date
            ),
        ));
    }
    let review = Review {
        status: DisbursementStatus::Verified,
        verified_by: actor.user_id,
        verified_at: Some(crate::db::now()),
        rejection_reason: None,
    };
    apply(tx, actor, "disbursement.verify", &d, &review).await
}

pub async fn reject_disbursement(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    reason: &str,
) -> Result<Disbursement> {
    let mut tx = ctx.store.write().await?;
    let d = reject_disbursement_in(&mut tx, actor, id, reason).await?;
    tx.commit().await?;
    Ok(d)
}

pub async fn reject_disbursement_in(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    reason: &str,
) -> Result<Disbursement> {
    actor.require(Permission::VerifyDisbursements)?;
    let reason = check_note("reason", reason)?;
    let d = load_for(
        tx,
        id,
        DisbursementStatus::Submitted,
        DisbursementStatus::Rejected,
    )
    .await?;
    let review = Review {
        status: DisbursementStatus::Rejected,
        verified_by: None,
        verified_at: None,
        rejection_reason: Some(reason),
    };
    apply(tx, actor, "disbursement.reject", &d, &review).await
}

pub async fn reverse_disbursement(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    rev: &Reversal,
) -> Result<Disbursement> {
    let mut tx = ctx.store.write().await?;
    let d = reverse_disbursement_in(&mut tx, actor, id, rev, ctx.config.rate_max_age_days).await?;
    tx.commit().await?;
    Ok(d)
}

/// Records the reversal of verified disbursement `id` and returns the new (submitted) row.
/// `max_age_days` is the rate staleness limit the reversal is converted with.
pub async fn reverse_disbursement_in(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    rev: &Reversal,
    max_age_days: u32,
) -> Result<Disbursement> {
    actor.require(Permission::EditLedger)?;
    let reason = check_note("reason", &rev.reason)?;
    let orig = ledger::get_disbursement(tx, id)
        .await?
        .ok_or_else(|| disbursement_not_found(id))?;
    if orig.status == DisbursementStatus::Submitted || orig.status == DisbursementStatus::Draft {
        return Err(Error::conflict(
            "not_verified",
            format!(
                "disbursement {id} is {} and not yet verified: reject it (or return the draft) instead of reversing it",
                orig.status
            ),
        ));
    }
    if rev.value_date > today_in_vietnam() {
        return Err(Error::invalid(
            "value_date",
            "future_date",
            format!(
                "a reversal cannot be dated in the future ({})",
                rev.value_date
            ),
        ));
    }
    let cmd = NewDisbursement {
        item_id: orig.item_id,
        amount_minor: orig.amount_minor.checked_neg().unwrap_or(i64::MIN),
        currency: orig.currency,
        value_date: rev.value_date,
        tranche: orig.tranche,
        milestone_id: orig.milestone_id,
        reverses_id: Some(id),
        status: DisbursementStatus::Submitted,
        entered_by: actor.user_id,
        verified_by: None,
        verified_at: None,
    };
    let row = record_disbursement_row_in(tx, actor, cmd, max_age_days).await?;
    let why = serde_json::json!({ "reverses_id": id, "reason": reason });
    record(
        tx,
        actor,
        "disbursement.reverse",
        "disbursement",
        row.id,
        Some(&orig),
        Some(&why),
        crate::db::now(),
    )
    .await?;
    Ok(row)
}

pub async fn accept_disbursement_report(ctx: &Ctx, actor: &Actor, id: i64) -> Result<Disbursement> {
    let mut tx = ctx.store.write().await?;
    let d = accept_disbursement_report_in(&mut tx, actor, id).await?;
    tx.commit().await?;
    Ok(d)
}

/// Takes an NGO's reported disbursement (a draft) into review: it becomes submitted.
pub async fn accept_disbursement_report_in(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
) -> Result<Disbursement> {
    actor.require(Permission::EditLedger)?;
    let d = load_for(
        tx,
        id,
        DisbursementStatus::Draft,
        DisbursementStatus::Submitted,
    )
    .await?;
    let review = Review {
        status: DisbursementStatus::Submitted,
        verified_by: None,
        verified_at: None,
        rejection_reason: None,
    };
    apply(tx, actor, "disbursement.accept_report", &d, &review).await
}

pub async fn return_disbursement_report(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    note: &str,
) -> Result<Disbursement> {
    let mut tx = ctx.store.write().await?;
    let d = return_disbursement_report_in(&mut tx, actor, id, note).await?;
    tx.commit().await?;
    Ok(d)
}

/// Sends an NGO's reported disbursement back: the draft becomes rejected with the note.
pub async fn return_disbursement_report_in(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    note: &str,
) -> Result<Disbursement> {
    actor.require(Permission::EditLedger)?;
    let note = check_note("note", note)?;
    let d = load_for(
        tx,
        id,
        DisbursementStatus::Draft,
        DisbursementStatus::Rejected,
    )
    .await?;
    let review = Review {
        status: DisbursementStatus::Rejected,
        verified_by: None,
        verified_at: None,
        rejection_reason: Some(note),
    };
    apply(tx, actor, "disbursement.return_report", &d, &review).await
}
