//! Logging in and out, and API tokens: `POST /auth/login` opens a session (a new id every
//! time, in a private HttpOnly SameSite=Strict cookie), `POST /auth/logout` ends it,
//! `POST /auth/token` trades credentials for an API token shown once, and `/tokens` lists and
//! revokes a user's tokens; `POST /auth/password` changes one's own password.

use super::body::JsonBody;
use super::guard::{
    ClientAddress, CurrentUser, SESSION_COOKIE, Transport, WriteMeta, secret_cookie,
};
use super::reply::Reply;
use crate::actions::idempotency::write;
use crate::actions::{Ctx, account, auth, tokens};
use crate::error::Result;
use rocket::State;
use rocket::http::{CookieJar, Status};
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    username: String,
    password: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    username: String,
    password: String,
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTokenBody {
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordBody {
    current_password: String,
    new_password: String,
}

#[derive(Serialize)]
struct Me {
    id: Option<i64>,
    username: String,
    role: Option<crate::domain::item::Role>,
    organisation_id: Option<i64>,
}

#[derive(Serialize)]
struct LoggedIn {
    user: Me,
    expires_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Serialize)]
struct IssuedToken {
    token: String,
    #[serde(flatten)]
    info: tokens::ApiToken,
}

fn me(a: &crate::actions::Actor) -> Me {
    Me {
        id: a.user_id,
        username: a.name.clone(),
        role: a.role,
        organisation_id: a.organisation_id,
    }
}

#[rocket::post("/auth/login", data = "<body>")]
pub async fn login(
    ctx: &State<Ctx>,
    body: Result<JsonBody<Credentials>>,
    addr: ClientAddress,
    transport: Transport,
    cookies: &CookieJar<'_>,
    meta: WriteMeta,
) -> Result<Reply> {
    meta.refuse_key()?;
    let c = body?.value;
    let out = auth::login(ctx, &c.username, &c.password, &addr.0).await?;
    let cookie = secret_cookie(SESSION_COOKIE, out.session, transport.tls);
    cookies.add_private(cookie);
    Reply::ok(&LoggedIn {
        user: me(&out.actor),
        expires_at: out.expires_at,
    })
}

#[rocket::post("/auth/logout")]
pub async fn logout(ctx: &State<Ctx>, cookies: &CookieJar<'_>) -> Result<Status> {
    if let Some(c) = cookies.get_private(SESSION_COOKIE) {
        auth::logout(ctx, c.value()).await?;
    }
    cookies.remove_private(SESSION_COOKIE);
    Ok(Status::NoContent)
}

#[rocket::get("/auth/me")]
pub fn whoami(user: CurrentUser) -> Result<Reply> {
    Reply::ok(&me(&user.0))
}

#[rocket::post("/auth/token", data = "<body>")]
pub async fn token(
    ctx: &State<Ctx>,
    body: Result<JsonBody<TokenRequest>>,
    addr: ClientAddress,
    meta: WriteMeta,
) -> Result<(Status, Reply)> {
    meta.refuse_key()?;
    let t = body?.value;
    let name = t.name.unwrap_or_else(|| "api".to_string());
    let new = tokens::token_for_credentials(ctx, &t.username, &t.password, &addr.0, &name).await?;
    Ok((
        Status::Created,
        Reply::ok(&IssuedToken {
            token: new.secret,
            info: new.token,
        })?,
    ))
}

/// Changes the caller's own password: the session making the change stays open, every other
/// session ends and every API token (the one used included) is revoked.
#[rocket::post("/auth/password", data = "<body>")]
pub async fn change_password(
    ctx: &State<Ctx>,
    user: CurrentUser,
    body: Result<JsonBody<PasswordBody>>,
    addr: ClientAddress,
    cookies: &CookieJar<'_>,
    meta: WriteMeta,
) -> Result<Status> {
    meta.refuse_key()?;
    let b = body?.value;
    let session = cookies
        .get_private(SESSION_COOKIE)
        .map(|c| c.value().to_string());
    let cmd = account::PasswordChange {
        current: &b.current_password,
        new: b.new_password,
        address: &addr.0,
        keep_session: session.as_deref(),
    };
    account::change_password(ctx, &user.0, cmd).await?;
    Ok(Status::NoContent)
}

#[rocket::get("/tokens")]
pub async fn list_tokens(ctx: &State<Ctx>, user: CurrentUser) -> Result<Reply> {
    Reply::ok(&tokens::list_tokens(ctx, &user.0).await?)
}

#[rocket::post("/tokens", data = "<body>")]
pub async fn create_token(
    ctx: &State<Ctx>,
    user: CurrentUser,
    body: Result<JsonBody<NewTokenBody>>,
    meta: WriteMeta,
) -> Result<(Status, Reply)> {
    meta.refuse_key()?;
    let b = body?.value;
    let new = tokens::create_token(ctx, &user.0, &b.name).await?;
    Ok((
        Status::Created,
        Reply::ok(&IssuedToken {
            token: new.secret,
            info: new.token,
        })?,
    ))
}

#[rocket::delete("/tokens/<id>")]
pub async fn revoke_token(
    ctx: &State<Ctx>,
    user: CurrentUser,
    meta: WriteMeta,
    id: i64,
) -> Result<Reply> {
    let idem = meta.idempotency(b"")?;
    let actor = &user.0;
    let answer = write(ctx, actor, idem.as_ref(), 200, async |tx| {
        tokens::revoke_token_in(tx, actor, id).await
    })
    .await?;
    Ok(answer.into())
}
