//! An item's milestones: coordinators plan and update them; NGO staff report progress with
//! evidence, which a coordinator accepts (the milestone changes) or returns with a note.

use super::body::JsonBody;
use super::guard::{CurrentUser, WriteMeta};
use super::parse;
use super::reply::Reply;
use crate::actions::idempotency::write;
use crate::actions::progress::{self, ProgressReport};
use crate::actions::updates::{self, MilestonePatch};
use crate::actions::{Ctx, ledger, queries};
use crate::db::ledger::NewMilestone;
use crate::domain::item::MilestoneStatus;
use crate::error::Result;
use rocket::State;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewMilestoneBody {
    title_vi: String,
    title_en: String,
    planned_date: String,
    actual_date: Option<String>,
    #[serde(default = "planned")]
    status: MilestoneStatus,
    evidence: Option<String>,
}

fn planned() -> MilestoneStatus {
    MilestoneStatus::Planned
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgressBody {
    status: MilestoneStatus,
    actual_date: Option<String>,
    evidence: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    note: String,
}

#[rocket::get("/aid-items/<id>/milestones")]
pub async fn list(ctx: &State<Ctx>, user: CurrentUser, id: i64) -> Result<Reply> {
    Reply::ok(&queries::list_milestones(ctx, &user.0, id).await?)
}

#[rocket::post("/aid-items/<id>/milestones", data = "<body>")]
pub async fn create(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    id: i64,
    body: Result<JsonBody<NewMilestoneBody>>,
) -> Result<Reply> {
    let body = body?;
    let idem = meta.idempotency(&body.raw)?;
    let b = body.value;
    let cmd = NewMilestone {
        item_id: id,
        title_vi: parse::text("title_vi", &b.title_vi, 300)?,
        title_en: parse::text("title_en", &b.title_en, 300)?,
        planned_date: parse::date("planned_date", &b.planned_date)?,
        actual_date: parse::opt_date("actual_date", b.actual_date.as_deref())?,
        status: b.status,
        evidence: parse::opt_multiline("evidence", b.evidence.as_deref(), 5000)?,
    };
    let actor = &user.0;
    let answer = write(ctx, actor, idem.as_ref(), 201, async |tx| {
        let new_id = ledger::record_milestone_in(tx, actor, cmd).await?;
        queries::get_milestone_in(tx, actor, new_id).await
    })
    .await?;
    Ok(answer.into())
}

#[rocket::patch("/milestones/<id>", data = "<body>")]
pub async fn update(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    id: i64,
    body: Result<JsonBody<MilestonePatch>>,
) -> Result<Reply> {
    let body = body?;
    let idem = meta.idempotency(&body.raw)?;
    let patch = body.value;
    let actor = &user.0;
    let answer = write(ctx, actor, idem.as_ref(), 200, async |tx| {
        updates::update_milestone_in(tx, actor, id, &patch).await
    })
    .await?;
    Ok(answer.into())
}

#[rocket::get("/milestones/<id>/reports")]
pub async fn list_reports(ctx: &State<Ctx>, user: CurrentUser, id: i64) -> Result<Reply> {
    Reply::ok(&progress::list_milestone_reports(ctx, &user.0, id).await?)
}

#[rocket::post("/milestones/<id>/reports", data = "<body>")]
pub async fn report(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    id: i64,
    body: Result<JsonBody<ProgressBody>>,
) -> Result<Reply> {
    let body = body?;
    let idem = meta.idempotency(&body.raw)?;
    let b = body.value;
    let cmd = ProgressReport {
        status: b.status,
        actual_date: parse::opt_date("actual_date", b.actual_date.as_deref())?,
        evidence: b.evidence,
    };
    let actor = &user.0;
    let answer = write(ctx, actor, idem.as_ref(), 201, async |tx| {
        progress::report_milestone_progress_in(tx, actor, id, &cmd).await
    })
    .await?;
    Ok(answer.into())
}

#[rocket::post("/milestone-reports/<id>/accept")]
pub async fn accept(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    id: i64,
) -> Result<Reply> {
    let idem = meta.idempotency(b"")?;
    let actor = &user.0;
    let answer = write(ctx, actor, idem.as_ref(), 200, async |tx| {
        progress::accept_milestone_report_in(tx, actor, id).await
    })
    .await?;
    Ok(answer.into())
}

#[rocket::post("/milestone-reports/<id>/return", data = "<body>")]
pub async fn give_back(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    id: i64,
    body: Result<JsonBody<NoteBody>>,
) -> Result<Reply> {
    let body = body?;
    let idem = meta.idempotency(&body.raw)?;
    let note = body.value.note;
    let actor = &user.0;
    let answer = write(ctx, actor, idem.as_ref(), 200, async |tx| {
        progress::return_milestone_report_in(tx, actor, id, &note).await
    })
    .await?;
    Ok(answer.into())
}
