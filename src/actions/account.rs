//! What signed-in people do to their own account, whatever their role: read it, choose the
//! language of their pages (remembered per user) and change their own password (the current
//! one required). Changing a role, or setting someone else's password, is an administrator's
//! action (`users`), not this.

use super::auth::{authenticate, end_access_in};
use super::{Actor, Ctx, record};
use crate::auth::{password, secret_hash};
use crate::db::users::{self, User};
use crate::domain::Lang;
use crate::error::{Error, Result};

fn own_id(actor: &Actor) -> Result<i64> {
    actor
        .user_id
        .ok_or_else(|| Error::Forbidden("only a signed-in user has an account".into()))
}

/// The actor's own account.
pub async fn me(ctx: &Ctx, actor: &Actor) -> Result<User> {
    let id = own_id(actor)?;
    let mut tx = ctx.store.read().await?;
    users::get_user(&mut tx, id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("user {id}")))
}

/// Remembers the language the actor reads pages in; audited like every account change.
pub async fn set_language(ctx: &Ctx, actor: &Actor, lang: Lang) -> Result<User> {
    let id = own_id(actor)?;
    let mut tx = ctx.store.write().await?;
    let before = users::get_user(&mut tx, id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("user {id}")))?;
    if before.lang == lang {
        return Ok(before);
    }
    let mut after = before.clone();
    after.lang = lang;
    users::update_user(&mut tx, &after).await?;
    let now = crate::db::now();
    record(
        &mut tx,
        actor,
        "user.language",
        "app_user",
        id,
        Some(&before),
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// A request to change one's own password.
pub struct PasswordChange<'a> {
    pub current: &'a str,
    pub new: String,
    /// The client's address: a wrong current password counts against the login throttle,
    /// so a stolen session cannot be used to guess the password.
    pub address: &'a str,
    /// The session making the change (its secret), which stays open; `None` from a token.
    pub keep_session: Option<&'a str>,
}

/// Changes the actor's own password. The current password is checked exactly like a login
/// (throttled, counted); then every other session ends and every API token is revoked, in one
/// audited transaction.
pub async fn change_password(ctx: &Ctx, actor: &Actor, cmd: PasswordChange<'_>) -> Result<()> {
    let id = own_id(actor)?;
    password::check_rules(&cmd.new).map_err(|e| match e {
        Error::Invalid { code, message, .. } => Error::invalid("new_password", code, message),
        other => other,
    })?;
    if cmd.new == cmd.current {
        return Err(Error::invalid(
            "new_password",
            "password_unchanged",
            "the new password must differ from the current one",
        ));
    }
    let hash = password::hash(cmd.new).await?;
    let (mut tx, user) =
        match authenticate(ctx, &actor.name, cmd.current, cmd.address, crate::db::now()).await {
            Ok((_, u)) if u.id != id => {
                return Err(Error::Internal("the account changed its name".into()));
            }
            Ok(found) => found,
            Err(Error::Unauthorized { .. }) => {
                return Err(Error::invalid(
                    "current_password",
                    "wrong_password",
                    "the current password is wrong",
                ));
            }
            Err(e) => return Err(e),
        };
    let now = crate::db::now();
    users::set_password_hash(&mut tx, user.id, &hash).await?;
    let keep = cmd.keep_session.map(secret_hash);
    end_access_in(&mut tx, actor, user.id, keep.as_deref(), now).await?;
    record::<(), _>(
        &mut tx,
        actor,
        "user.password",
        "app_user",
        user.id,
        None,
        Some(&serde_json::json!({"password": "changed", "by": "self"})),
        now,
    )
    .await?;
    tx.commit().await
}
