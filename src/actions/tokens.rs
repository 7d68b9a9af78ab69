//! API tokens for machine clients: create (the secret is shown once), list, revoke.
//!
//! Everyone may hold tokens for themselves; an administrator sees and may revoke everyone's.
//! Someone else's token is answered as not found, so ids do not reveal whose tokens exist.

use super::auth::authenticate;
use super::{Actor, Ctx, record};
use crate::auth::token;
use crate::db::{Tx, tokens};
use crate::domain::role::Permission;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};

pub use crate::db::tokens::ApiToken;

/// A token just made: its stored facts and the secret, which is never shown again.
#[derive(Clone, serde::Serialize)]
pub struct NewToken {
    pub token: ApiToken,
    pub secret: String,
}

impl std::fmt::Debug for NewToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewToken")
            .field("token", &self.token)
            .field("secret", &"<secret>")
            .finish()
    }
}

/// The token name under the domain's text rule (NFC, trimmed, 1 to 100 characters).
fn token_name(name: &str) -> Result<String> {
    crate::domain::text::clean_line(name, 100).map_err(|e| e.into_error("name"))
}

fn owner(actor: &Actor) -> Result<i64> {
    actor.user_id.ok_or_else(|| {
        Error::Forbidden("API tokens belong to a user: sign in as one to create a token".into())
    })
}

/// Whether `actor` sees every user's tokens (administrators and the system).
fn sees_all(actor: &Actor) -> bool {
    actor.require(Permission::ManageUsers).is_ok()
}

pub async fn create_token(ctx: &Ctx, actor: &Actor, name: &str) -> Result<NewToken> {
    let mut tx = ctx.store.write().await?;
    let t = create_token_in(&mut tx, actor, name).await?;
    tx.commit().await?;
    Ok(t)
}

pub async fn create_token_in(tx: &mut Tx, actor: &Actor, name: &str) -> Result<NewToken> {
    actor.require(Permission::ManageTokens)?;
    let user_id = owner(actor)?;
    let name = token_name(name)?;
    let minted = token::mint()?;
    let now = crate::db::now();
    let id = tokens::insert_token(tx, user_id, &name, &minted.hash, &minted.prefix, now).await?;
    let token = get_in(tx, id).await?;
    record::<(), _>(
        tx,
        actor,
        "token.create",
        "api_token",
        id,
        None,
        Some(&token),
        now,
    )
    .await?;
    Ok(NewToken {
        token,
        secret: minted.secret,
    })
}

/// A token for a client that has only a user name and password: checked, throttled and
/// answered exactly like a login.
pub async fn token_for_credentials(
    ctx: &Ctx,
    username: &str,
    password: &str,
    address: &str,
    name: &str,
) -> Result<NewToken> {
    token_name(name)?;
    let (mut tx, user) = authenticate(ctx, username, password, address, crate::db::now()).await?;
    let actor = Actor::user(user.id, &user.username, user.role, user.organisation_id);
    let t = create_token_in(&mut tx, &actor, name).await?;
    tx.commit().await?;
    Ok(t)
}

pub async fn list_tokens(ctx: &Ctx, actor: &Actor) -> Result<Vec<ApiToken>> {
    let mut tx = ctx.store.read().await?;
    list_tokens_in(&mut tx, actor).await
}

/// The actor's own tokens, newest first; an administrator gets everyone's.
pub async fn list_tokens_in(tx: &mut Tx, actor: &Actor) -> Result<Vec<ApiToken>> {
    actor.require(Permission::ManageTokens)?;
    if sees_all(actor) {
        tokens::list_tokens(tx, None).await
    } else {
        tokens::list_tokens(tx, Some(owner(actor)?)).await
    }
}

pub async fn revoke_token(ctx: &Ctx, actor: &Actor, id: i64) -> Result<ApiToken> {
    let mut tx = ctx.store.write().await?;
    let t = revoke_token_in(&mut tx, actor, id).await?;
    tx.commit().await?;
    Ok(t)
}

pub async fn revoke_token_in(tx: &mut Tx, actor: &Actor, id: i64) -> Result<ApiToken> {
    actor.require(Permission::ManageTokens)?;
    let before = tokens::get_token(tx, id)
        .await?
        .filter(|t| sees_all(actor) || Some(t.user_id) == actor.user_id)
        .ok_or_else(|| Error::NotFound(format!("API token {id}")))?;
    if let Some(at) = before.revoked_at {
        return Err(already_revoked(id, at));
    }
    let now = crate::db::now();
    if !tokens::revoke_token(tx, id, now).await? {
        return Err(already_revoked(id, now));
    }
    let after = get_in(tx, id).await?;
    record(
        tx,
        actor,
        "token.revoke",
        "api_token",
        id,
        Some(&before),
        Some(&after),
        now,
    )
    .await?;
    Ok(after)
}

fn already_revoked(id: i64, at: DateTime<Utc>) -> Error {
    Error::conflict(
        "already_revoked",
        format!(
            "API token {id} was already revoked on {}; nothing more to do",
            at.format("%Y-%m-%d %H:%M UTC")
        ),
    )
}

async fn get_in(tx: &mut Tx, id: i64) -> Result<ApiToken> {
    tokens::get_token(tx, id)
        .await?
        .ok_or_else(|| Error::Internal(format!("API token {id} vanished inside its transaction")))
}
