//! What signed-in people do to their own account, whatever their role: read it and choose
//! the language of their pages (remembered per user). Changing a role or a password is an
//! administrator's action (`users`), not this.

use super::{Actor, Ctx, record};
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
