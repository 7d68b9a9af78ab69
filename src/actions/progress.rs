//! NGO staff report progress on their own organisation's milestones, with evidence; a
//! coordinator accepts a report (the milestone then takes its status, date and evidence) or
//! returns it with a note. The milestone itself only ever changes through a coordinator.

use super::scope::{self, Scope};
use super::updates::write_milestone;
use super::{Actor, Ctx, record, today_in_vietnam};
use crate::db::Tx;
use crate::db::milestone_reports::{self, NewMilestoneReport};
use crate::domain::item::{MilestoneStatus, ReportDecision};
use crate::domain::role::Permission;
use crate::error::{Error, Result};
use chrono::NaiveDate;

pub use crate::db::milestone_reports::MilestoneReport;

/// What an NGO reports about one milestone.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgressReport {
    /// `in_progress` or `done`.
    pub status: MilestoneStatus,
    pub actual_date: Option<NaiveDate>,
    pub evidence: String,
}

pub async fn report_milestone_progress(
    ctx: &Ctx,
    actor: &Actor,
    milestone_id: i64,
    r: &ProgressReport,
) -> Result<MilestoneReport> {
    let mut tx = ctx.store.write().await?;
    let out = report_milestone_progress_in(&mut tx, actor, milestone_id, r).await?;
    tx.commit().await?;
    Ok(out)
}

pub async fn report_milestone_progress_in(
    tx: &mut Tx,
    actor: &Actor,
    milestone_id: i64,
    r: &ProgressReport,
) -> Result<MilestoneReport> {
    actor.require(Permission::ReportProgress)?;
    let Some(user) = actor.user_id else {
        return Err(Error::Forbidden(
            "progress is reported by a named NGO user".into(),
        ));
    };
    scope::milestone(tx, Scope::of(actor)?, milestone_id).await?;
    if !matches!(
        r.status,
        MilestoneStatus::InProgress | MilestoneStatus::Done
    ) {
        return Err(Error::invalid(
            "status",
            "invalid_status",
            "report a milestone as in_progress or done",
        ));
    }
    if r.status == MilestoneStatus::Done && r.actual_date.is_none() {
        return Err(Error::invalid(
            "actual_date",
            "actual_date_required",
            "a milestone reported done needs the date it was reached",
        ));
    }
    if r.actual_date.is_some_and(|d| d > today_in_vietnam()) {
        return Err(Error::invalid(
            "actual_date",
            "future_date",
            "the date reached cannot be in the future",
        ));
    }
    if let Some(d) = r.actual_date {
        crate::domain::period::reportable_field("actual_date", d)?;
    }
    let evidence = crate::domain::text::note_field("evidence", &r.evidence, 1, 5000, || {
        Error::invalid(
            "evidence",
            "invalid_evidence",
            "describe the evidence (what was done, documents, photos) in 1 to 5000 characters",
        )
    })?;
    let new = NewMilestoneReport {
        milestone_id,
        reported_by: user,
        status: r.status,
        actual_date: r.actual_date,
        evidence,
    };
    let now = crate::db::now();
    let row = milestone_reports::insert_report(tx, &new, now).await?;
    record::<(), _>(
        tx,
        actor,
        "milestone_report.create",
        "milestone_report",
        row.id,
        None,
        Some(&row),
        now,
    )
    .await?;
    Ok(row)
}

pub async fn list_milestone_reports(
    ctx: &Ctx,
    actor: &Actor,
    milestone_id: i64,
) -> Result<Vec<MilestoneReport>> {
    list_milestone_reports_in(&mut ctx.store.read().await?, actor, milestone_id).await
}

pub async fn list_milestone_reports_in(
    tx: &mut Tx,
    actor: &Actor,
    milestone_id: i64,
) -> Result<Vec<MilestoneReport>> {
    scope::milestone(tx, Scope::of(actor)?, milestone_id).await?;
    milestone_reports::list_reports(tx, milestone_id).await
}

async fn pending(tx: &mut Tx, id: i64) -> Result<MilestoneReport> {
    let r = milestone_reports::get_report(tx, id)
        .await?
        .ok_or_else(|| scope::milestone_report_not_found(id))?;
    if r.decision != ReportDecision::Pending {
        return Err(Error::conflict(
            "already_decided",
            format!("milestone report {id} was already {}", r.decision),
        ));
    }
    Ok(r)
}

pub async fn accept_milestone_report(ctx: &Ctx, actor: &Actor, id: i64) -> Result<MilestoneReport> {
    let mut tx = ctx.store.write().await?;
    let out = accept_milestone_report_in(&mut tx, actor, id).await?;
    tx.commit().await?;
    Ok(out)
}

/// Accepts a pending report and applies it to its milestone, both audited.
pub async fn accept_milestone_report_in(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
) -> Result<MilestoneReport> {
    actor.require(Permission::EditMilestones)?;
    let before = pending(tx, id).await?;
    let ms = scope::milestone(tx, Scope::All, before.milestone_id).await?;
    let mut next = ms.clone();
    next.status = before.status;
    next.actual_date = before.actual_date.or(ms.actual_date);
    next.evidence = Some(before.evidence.clone());
    write_milestone(tx, actor, "milestone.update", &ms, &next).await?;
    let now = crate::db::now();
    let after =
        milestone_reports::decide(tx, id, ReportDecision::Accepted, actor.user_id, now, None)
            .await?;
    record(
        tx,
        actor,
        "milestone_report.accept",
        "milestone_report",
        id,
        Some(&before),
        Some(&after),
        now,
    )
    .await?;
    Ok(after)
}

pub async fn return_milestone_report(
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    note: &str,
) -> Result<MilestoneReport> {
    let mut tx = ctx.store.write().await?;
    let out = return_milestone_report_in(&mut tx, actor, id, note).await?;
    tx.commit().await?;
    Ok(out)
}

pub async fn return_milestone_report_in(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    note: &str,
) -> Result<MilestoneReport> {
    actor.require(Permission::EditMilestones)?;
    let note = crate::domain::text::note_field("note", note, 3, 1000, || {
        Error::invalid(
            "note",
            "invalid_note",
            "say what is missing or wrong, in 3 to 1000 characters; the NGO sees the note",
        )
    })?;
    let note = note.as_str();
    let before = pending(tx, id).await?;
    let now = crate::db::now();
    let after = milestone_reports::decide(
        tx,
        id,
        ReportDecision::Returned,
        actor.user_id,
        now,
        Some(note),
    )
    .await?;
    record(
        tx,
        actor,
        "milestone_report.return",
        "milestone_report",
        id,
        Some(&before),
        Some(&after),
        now,
    )
    .await?;
    Ok(after)
}
