//! `/users`: accounts and their roles, for administrators. Changing a role, an NGO user's
//! organisation or an account's state ends that user's sessions (the action does it).

use super::body::JsonBody;
use super::guard::{CurrentUser, WriteMeta};
use super::parse;
use super::reply::Reply;
use crate::actions::Ctx;
use crate::actions::idempotency::write;
use crate::actions::users::{self, NewUser, UserPatch};
use crate::domain::item::Role;
use crate::error::Result;
use rocket::State;
use rocket::http::Status;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUserBody {
    username: String,
    display_name: String,
    role: Role,
    organisation_id: Option<i64>,
    password: String,
}

#[rocket::get("/users")]
pub async fn list(ctx: &State<Ctx>, user: CurrentUser) -> Result<Reply> {
    Reply::ok(&users::list_users(ctx, &user.0).await?)
}

#[rocket::get("/users/<id>")]
pub async fn get(ctx: &State<Ctx>, user: CurrentUser, id: i64) -> Result<Reply> {
    Reply::ok(&users::get_user(ctx, &user.0, id).await?)
}

#[rocket::post("/users", data = "<body>")]
pub async fn create(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    body: Result<JsonBody<NewUserBody>>,
) -> Result<(Status, Reply)> {
    meta.refuse_key()?;
    let b = body?.value;
    let cmd = NewUser {
        username: b.username,
        display_name: parse::text("display_name", &b.display_name, 200)?,
        role: b.role,
        organisation_id: b.organisation_id,
        password: b.password,
    };
    let created = users::create_user(ctx, &user.0, cmd).await?;
    Ok((Status::Created, Reply::ok(&created)?))
}

#[rocket::patch("/users/<id>", data = "<body>")]
pub async fn update(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    id: i64,
    body: Result<JsonBody<UserPatch>>,
) -> Result<Reply> {
    let body = body?;
    let idem = meta.idempotency(&body.raw)?;
    let patch = body.value;
    let actor = &user.0;
    let answer = write(ctx, actor, idem.as_ref(), 200, async |tx| {
        users::update_user_in(tx, actor, id, &patch).await
    })
    .await?;
    Ok(answer.into())
}
