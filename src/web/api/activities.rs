//! `/activities`: promotion activities (conferences, meetings, delegations, field visits) with
//! the organisations that took part and the proposals presented. Coordinators record and edit
//! them; NGO staff see only those their organisation took part in (the actions decide that).

use super::body::JsonBody;
use super::guard::{CurrentUser, QueryOnce, WriteMeta};
use super::parse;
use super::reply::Reply;
use crate::actions::Ctx;
use crate::actions::idempotency::write;
use crate::actions::mobilisation::activities;
use crate::db::activities::NewActivity;
use crate::domain::mobilisation::ActivityKind;
use crate::error::Result;
use rocket::State;
use serde::Deserialize;

/// A whole activity, on creation and on every edit (`PUT` replaces it).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityBody {
    programme_id: Option<i64>,
    kind: ActivityKind,
    title: String,
    held_on: String,
    place: String,
    #[serde(default)]
    outcome: Option<String>,
    #[serde(default)]
    organisation_ids: Vec<i64>,
    #[serde(default)]
    proposal_ids: Vec<i64>,
}

impl ActivityBody {
    fn into_cmd(self) -> Result<NewActivity> {
        Ok(NewActivity {
            programme_id: self.programme_id,
            kind: self.kind,
            title: parse::text("title", &self.title, 500)?,
            held_on: parse::date("held_on", &self.held_on)?,
            place: parse::text("place", &self.place, 300)?,
            outcome: match self.outcome.as_deref().map(str::trim) {
                None | Some("") => String::new(),
                Some(s) => parse::multiline("outcome", s, 4000)?,
            },
            organisation_ids: self.organisation_ids,
            proposal_ids: self.proposal_ids,
        })
    }
}

#[rocket::get("/activities?<programme_id>&<kind>")]
pub async fn list(
    ctx: &State<Ctx>,
    user: CurrentUser,
    programme_id: Option<&str>,
    kind: Option<&str>,
    _once: QueryOnce,
) -> Result<Reply> {
    let programme_id = parse::opt_id("programme_id", programme_id)?;
    let kind = kind
        .map(|k| parse::code::<ActivityKind>("kind", k))
        .transpose()?;
    let mut all = activities::list_activities(ctx, &user.0, programme_id).await?;
    if let Some(k) = kind {
        all.retain(|a| a.kind == k);
    }
    Reply::ok(&all)
}

#[rocket::get("/activities/<id>")]
pub async fn get(ctx: &State<Ctx>, user: CurrentUser, id: i64) -> Result<Reply> {
    Reply::ok(&activities::activity(ctx, &user.0, id).await?)
}

#[rocket::post("/activities", data = "<body>")]
pub async fn create(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    body: Result<JsonBody<ActivityBody>>,
) -> Result<Reply> {
    let body = body?;
    let idem = meta.idempotency(&body.raw)?;
    let cmd = body.value.into_cmd()?;
    let actor = &user.0;
    let answer = write(ctx, actor, idem.as_ref(), 201, async |tx| {
        let id = activities::create_activity_in(tx, actor, cmd).await?;
        activities::visible_in(tx, actor, id).await
    })
    .await?;
    Ok(answer.into())
}

#[rocket::put("/activities/<id>", data = "<body>")]
pub async fn update(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    id: i64,
    body: Result<JsonBody<ActivityBody>>,
) -> Result<Reply> {
    let body = body?;
    let idem = meta.idempotency(&body.raw)?;
    let cmd = body.value.into_cmd()?;
    let actor = &user.0;
    let answer = write(ctx, actor, idem.as_ref(), 200, async |tx| {
        activities::edit_activity_in(tx, actor, id, cmd).await?;
        activities::visible_in(tx, actor, id).await
    })
    .await?;
    Ok(answer.into())
}
