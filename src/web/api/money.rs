//! An item's commitments and disbursements, and the disbursement workflow: a coordinator
//! records (an NGO's record is a draft report for a coordinator to accept or return), a
//! different reviewer verifies or rejects, and a verified disbursement is undone only by a
//! reversal, which is reviewed in turn.

use super::body::JsonBody;
use super::guard::{CurrentUser, WriteMeta};
use super::parse;
use super::reply::Reply;
use super::views::{CommitmentView, DisbursementView};
use crate::actions::idempotency::write;
use crate::actions::review::{self, Reversal};
use crate::actions::{Ctx, ledger, queries};
use crate::db::ledger::{NewCommitment, NewDisbursement};
use crate::domain::item::{CommitmentKind, DisbursementStatus};
use crate::error::{Error, Result};
use rocket::State;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewCommitmentBody {
    #[serde(default = "original")]
    kind: CommitmentKind,
    amount: String,
    currency: String,
    date: String,
    reference: Option<String>,
}

fn original() -> CommitmentKind {
    CommitmentKind::Original
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewDisbursementBody {
    amount: String,
    currency: String,
    value_date: String,
    tranche: Option<i64>,
    milestone_id: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReversalBody {
    value_date: String,
    reason: String,
}

#[rocket::get("/aid-items/<id>/commitments")]
pub async fn list_commitments(ctx: &State<Ctx>, user: CurrentUser, id: i64) -> Result<Reply> {
    let rows = queries::list_commitments(ctx, &user.0, id).await?;
    Reply::ok(&rows.iter().map(CommitmentView::from).collect::<Vec<_>>())
}

#[rocket::post("/aid-items/<id>/commitments", data = "<body>")]
pub async fn create_commitment(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    id: i64,
    body: Result<JsonBody<NewCommitmentBody>>,
) -> Result<Reply> {
    let body = body?;
    let idem = meta.idempotency(&body.raw)?;
    let b = body.value;
    let currency = parse::currency("currency", &b.currency)?;
    let cmd = NewCommitment {
        item_id: id,
        kind: b.kind,
        amount_minor: parse::amount("amount", &b.amount, currency)?.minor(),
        currency,
        date: parse::date("date", &b.date)?,
        reference: parse::opt_text("reference", b.reference.as_deref(), 200)?,
        entered_by: None,
    };
    let actor = &user.0;
    let max_age = ctx.config.rate_max_age_days;
    let answer = write(ctx, actor, idem.as_ref(), 201, async |tx| {
        let new_id = ledger::record_commitment_in(tx, actor, cmd, max_age).await?;
        let rows = queries::list_commitments_in(tx, actor, id).await?;
        rows.iter()
            .find(|c| c.id == new_id)
            .map(CommitmentView::from)
            .ok_or_else(|| Error::Internal(format!("commitment {new_id} vanished")))
    })
    .await?;
    Ok(answer.into())
}

#[rocket::get("/aid-items/<id>/disbursements")]
pub async fn list_disbursements(ctx: &State<Ctx>, user: CurrentUser, id: i64) -> Result<Reply> {
    let rows = queries::list_disbursements(ctx, &user.0, id).await?;
    Reply::ok(&rows.iter().map(DisbursementView::from).collect::<Vec<_>>())
}

#[rocket::post("/aid-items/<id>/disbursements", data = "<body>")]
pub async fn create_disbursement(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    id: i64,
    body: Result<JsonBody<NewDisbursementBody>>,
) -> Result<Reply> {
    let body = body?;
    let idem = meta.idempotency(&body.raw)?;
    let b = body.value;
    let currency = parse::currency("currency", &b.currency)?;
    let cmd = NewDisbursement {
        item_id: id,
        amount_minor: parse::amount("amount", &b.amount, currency)?.minor(),
        currency,
        value_date: parse::date("value_date", &b.value_date)?,
        tranche: b.tranche,
        milestone_id: b.milestone_id,
        reverses_id: None,
        status: DisbursementStatus::Submitted,
        entered_by: None,
        verified_by: None,
        verified_at: None,
    };
    let actor = &user.0;
    let max_age = ctx.config.rate_max_age_days;
    let answer = write(ctx, actor, idem.as_ref(), 201, async |tx| {
        // The row as stored: the actor just entered it, so it is within their scope.
        let row = ledger::record_disbursement_row_in(tx, actor, cmd, max_age).await?;
        Ok(DisbursementView::from(&row))
    })
    .await?;
    Ok(answer.into())
}

#[rocket::get("/disbursements/<id>")]
pub async fn get_disbursement(ctx: &State<Ctx>, user: CurrentUser, id: i64) -> Result<Reply> {
    let row = queries::get_disbursement(ctx, &user.0, id).await?;
    Reply::ok(&DisbursementView::from(&row))
}

#[rocket::post("/disbursements/<id>/verify")]
pub async fn verify(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    id: i64,
) -> Result<Reply> {
    let idem = meta.idempotency(b"")?;
    let actor = &user.0;
    let answer = write(ctx, actor, idem.as_ref(), 200, async |tx| {
        let row = review::verify_disbursement_in(tx, actor, id).await?;
        Ok(DisbursementView::from(&row))
    })
    .await?;
    Ok(answer.into())
}

#[rocket::post("/disbursements/<id>/reject", data = "<body>")]
pub async fn reject(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    id: i64,
    body: Result<JsonBody<ReasonBody>>,
) -> Result<Reply> {
    let body = body?;
    let idem = meta.idempotency(&body.raw)?;
    let reason = body.value.reason;
    let actor = &user.0;
    let answer = write(ctx, actor, idem.as_ref(), 200, async |tx| {
        let row = review::reject_disbursement_in(tx, actor, id, &reason).await?;
        Ok(DisbursementView::from(&row))
    })
    .await?;
    Ok(answer.into())
}

#[rocket::post("/disbursements/<id>/reverse", data = "<body>")]
pub async fn reverse(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    id: i64,
    body: Result<JsonBody<ReversalBody>>,
) -> Result<Reply> {
    let body = body?;
    let idem = meta.idempotency(&body.raw)?;
    let b = body.value;
    let cmd = Reversal {
        value_date: parse::date("value_date", &b.value_date)?,
        reason: b.reason,
    };
    let actor = &user.0;
    let max_age = ctx.config.rate_max_age_days;
    let answer = write(ctx, actor, idem.as_ref(), 201, async |tx| {
        let row = review::reverse_disbursement_in(tx, actor, id, &cmd, max_age).await?;
        Ok(DisbursementView::from(&row))
    })
    .await?;
    Ok(answer.into())
}

#[rocket::post("/disbursements/<id>/accept")]
pub async fn accept(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    id: i64,
) -> Result<Reply> {
    let idem = meta.idempotency(b"")?;
    let actor = &user.0;
    let answer = write(ctx, actor, idem.as_ref(), 200, async |tx| {
        let row = review::accept_disbursement_report_in(tx, actor, id).await?;
        Ok(DisbursementView::from(&row))
    })
    .await?;
    Ok(answer.into())
}

#[rocket::post("/disbursements/<id>/return", data = "<body>")]
pub async fn give_back(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    id: i64,
    body: Result<JsonBody<ReasonBody>>,
) -> Result<Reply> {
    let body = body?;
    let idem = meta.idempotency(&body.raw)?;
    let reason = body.value.reason;
    let actor = &user.0;
    let answer = write(ctx, actor, idem.as_ref(), 200, async |tx| {
        let row = review::return_disbursement_report_in(tx, actor, id, &reason).await?;
        Ok(DisbursementView::from(&row))
    })
    .await?;
    Ok(answer.into())
}
