//! Creating user accounts and setting passwords. There are no default accounts: the first
//! administrator is created from the command line.

use super::{Actor, Ctx, record};
use crate::auth::password;
use crate::db::{Tx, orgs, users};
use crate::domain::item::{OrgKind, Role};
use crate::domain::role::Permission;
use crate::error::{Error, Result};

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub password: String,
}

pub async fn add_user(ctx: &Ctx, actor: &Actor, cmd: NewUser) -> Result<i64> {
    password::check_rules(&cmd.password)?;
    let hash = password::hash(cmd.password.clone()).await?;
    let mut tx = ctx.store.write().await?;
    let id = add_user_in(&mut tx, actor, &cmd, &hash).await?;
    tx.commit().await?;
    Ok(id)
}

/// Stores a user whose password `hash` was made from `cmd.password` (hashing happens before
/// the transaction opens so the write lock is not held for it).
pub async fn add_user_in(tx: &mut Tx, actor: &Actor, cmd: &NewUser, hash: &str) -> Result<i64> {
    actor.require(Permission::ManageUsers)?;
    let name = cmd.username.as_str();
    if !(3..=64).contains(&name.len())
        || !name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
    {
        return Err(Error::invalid(
            "username",
            "invalid_username",
            "a username has 3 to 64 characters: lower-case letters, digits, '.', '_' or '-'",
        ));
    }
    if cmd.display_name.trim().is_empty() || cmd.display_name.chars().count() > 200 {
        return Err(Error::invalid(
            "display_name",
            "invalid_text",
            "the display name must have 1 to 200 characters",
        ));
    }
    match (cmd.role, cmd.organisation_id) {
        (Role::Ngo, None) => {
            return Err(Error::invalid(
                "organisation_id",
                "organisation_required",
                "NGO staff must belong to an organisation",
            ));
        }
        (Role::Ngo, Some(org)) => match orgs::get_organisation(tx, org).await? {
            Some(o) if o.kind == OrgKind::ForeignNgo => {}
            _ => {
                return Err(Error::invalid(
                    "organisation_id",
                    "unknown_organisation",
                    format!("organisation {org} is not a registered foreign NGO"),
                ));
            }
        },
        (_, Some(_)) => {
            return Err(Error::invalid(
                "organisation_id",
                "organisation_not_allowed",
                "only NGO staff belong to an organisation",
            ));
        }
        (_, None) => {}
    }
    let now = crate::db::now();
    let id = match users::insert_user(
        tx,
        name,
        cmd.display_name.trim(),
        cmd.role,
        cmd.organisation_id,
        hash,
        now,
    )
    .await
    {
        Err(Error::Db(e)) if crate::db::is_unique_violation(&e) => {
            return Err(Error::invalid(
                "username",
                "duplicate",
                format!("the username {name} is taken"),
            ));
        }
        other => other?,
    };
    let after = users::get_user(tx, id).await?;
    record::<(), _>(
        tx,
        actor,
        "user.create",
        "app_user",
        id,
        None,
        after.as_ref(),
        now,
    )
    .await?;
    Ok(id)
}

pub async fn set_password(
    ctx: &Ctx,
    actor: &Actor,
    username: &str,
    new_password: String,
) -> Result<()> {
    actor.require(Permission::ManageUsers)?;
    password::check_rules(&new_password)?;
    let hash = password::hash(new_password).await?;
    let mut tx = ctx.store.write().await?;
    let user = users::get_user_by_name(&mut tx, username)
        .await?
        .ok_or_else(|| Error::NotFound(format!("user {username}")))?;
    users::set_password_hash(&mut tx, user.id, &hash).await?;
    record::<(), _>(
        &mut tx,
        actor,
        "user.password",
        "app_user",
        user.id,
        None,
        Some(&serde_json::json!({"password": "changed"})),
        crate::db::now(),
    )
    .await?;
    tx.commit().await
}
