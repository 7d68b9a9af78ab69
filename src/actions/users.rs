//! User accounts: create, list, read, change and set passwords. There are no default
//! accounts: the first administrator is created from the command line.
//!
//! A change that alters what a user may do (role, organisation, deactivation) or how they
//! prove who they are (password) ends their open sessions in the same transaction, so no
//! session keeps acting on the old facts; the user's API tokens are revoked too (a token made
//! before a password reset must not outlive it). The last active administrator cannot be
//! deactivated or demoted, so the application always has someone who can manage accounts.

use super::auth::end_access_in;
use super::{Actor, Ctx, record};
use crate::auth::password;
use crate::db::{Tx, orgs, users};
use crate::domain::Lang;
use crate::domain::item::{OrgKind, Role};
use crate::domain::role::Permission;
use crate::error::{Error, Result};
use serde::Deserialize;

pub use crate::db::users::User;

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub password: String,
}

impl std::fmt::Debug for NewUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("username", &self.username)
            .field("display_name", &self.display_name)
            .field("role", &self.role)
            .field("organisation_id", &self.organisation_id)
            .field("password", &"<secret>")
            .finish()
    }
}

/// Creates a user and returns the stored account (for the API); [`add_user`] returns the id
/// (for the command line).
pub async fn create_user(ctx: &Ctx, actor: &Actor, cmd: NewUser) -> Result<User> {
    actor.require(Permission::ManageUsers)?;
    password::check_rules(&cmd.password)?;
    let hash = password::hash(cmd.password.clone()).await?;
    let mut tx = ctx.store.write().await?;
    let id = add_user_in(&mut tx, actor, &cmd, &hash).await?;
    let user = get_user_in(&mut tx, actor, id).await?;
    tx.commit().await?;
    Ok(user)
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
    let display_name = check_display_name(&cmd.display_name)?;
    check_organisation(tx, cmd.role, cmd.organisation_id).await?;
    let now = crate::db::now();
    let id = match users::insert_user(
        tx,
        name,
        &display_name,
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
    let now = crate::db::now();
    users::set_password_hash(&mut tx, user.id, &hash).await?;
    end_access_in(&mut tx, actor, user.id, None, now).await?;
    record::<(), _>(
        &mut tx,
        actor,
        "user.password",
        "app_user",
        user.id,
        None,
        Some(&serde_json::json!({"password": "changed"})),
        now,
    )
    .await?;
    tx.commit().await
}

/// The display name under the domain's text rule, as it is stored (NFC, trimmed).
fn check_display_name(name: &str) -> Result<String> {
    crate::domain::text::clean_line(name, 200).map_err(|e| e.into_error("display_name"))
}

/// NGO staff belong to exactly one registered foreign NGO; province staff to none.
async fn check_organisation(tx: &mut Tx, role: Role, organisation_id: Option<i64>) -> Result<()> {
    match (role, organisation_id) {
        (Role::Ngo, None) => Err(Error::invalid(
            "organisation_id",
            "organisation_required",
            "NGO staff must belong to an organisation",
        )),
        (Role::Ngo, Some(org)) => match orgs::get_organisation(tx, org).await? {
            Some(o) if o.kind == OrgKind::ForeignNgo => Ok(()),
            _ => Err(Error::invalid(
                "organisation_id",
                "unknown_organisation",
                format!("organisation {org} is not a registered foreign NGO"),
            )),
        },
        (_, Some(_)) => Err(Error::invalid(
            "organisation_id",
            "organisation_not_allowed",
            "only NGO staff belong to an organisation: set organisation_id to null",
        )),
        (_, None) => Ok(()),
    }
}

pub async fn list_users(ctx: &Ctx, actor: &Actor) -> Result<Vec<User>> {
    let mut tx = ctx.store.read().await?;
    list_users_in(&mut tx, actor).await
}

/// Every account, active or not, by user name.
pub async fn list_users_in(tx: &mut Tx, actor: &Actor) -> Result<Vec<User>> {
    actor.require(Permission::ManageUsers)?;
    users::list_users(tx).await
}

pub async fn get_user(ctx: &Ctx, actor: &Actor, id: i64) -> Result<User> {
    let mut tx = ctx.store.read().await?;
    get_user_in(&mut tx, actor, id).await
}

pub async fn get_user_in(tx: &mut Tx, actor: &Actor, id: i64) -> Result<User> {
    actor.require(Permission::ManageUsers)?;
    users::get_user(tx, id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("user {id}")))
}

/// A change to an account; absent fields stay as they are. `organisation_id: null` clears
/// the organisation (needed when an NGO account becomes province staff).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    pub display_name: Option<String>,
    pub role: Option<Role>,
    #[serde(default, deserialize_with = "present")]
    pub organisation_id: Option<Option<i64>>,
    pub active: Option<bool>,
    pub lang: Option<Lang>,
}

/// Tells an explicit `null` (Some(None): clear it) from an absent field (None: keep it).
fn present<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Option<i64>>, D::Error> {
    Option::<i64>::deserialize(d).map(Some)
}

pub async fn update_user(ctx: &Ctx, actor: &Actor, id: i64, patch: &UserPatch) -> Result<User> {
    let mut tx = ctx.store.write().await?;
    let u = update_user_in(&mut tx, actor, id, patch).await?;
    tx.commit().await?;
    Ok(u)
}

pub async fn update_user_in(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    patch: &UserPatch,
) -> Result<User> {
    let before = get_user_in(tx, actor, id).await?;
    let mut after = before.clone();
    if let Some(name) = &patch.display_name {
        after.display_name = check_display_name(name)?;
    }
    after.role = patch.role.unwrap_or(before.role);
    after.organisation_id = patch.organisation_id.unwrap_or(before.organisation_id);
    after.active = patch.active.unwrap_or(before.active);
    after.lang = patch.lang.unwrap_or(before.lang);
    if after == before {
        return Ok(after);
    }
    if actor.user_id == Some(id) && (after.role != before.role || !after.active) {
        return Err(Error::conflict(
            "self_lockout",
            "you cannot change your own role or deactivate your own account: ask another administrator",
        ));
    }
    if (after.role, after.organisation_id) != (before.role, before.organisation_id) {
        check_organisation(tx, after.role, after.organisation_id).await?;
    }
    let stays_admin = after.role == Role::Admin && after.active;
    if before.role == Role::Admin
        && before.active
        && !stays_admin
        && users::count_other_active_admins(tx, id).await? == 0
    {
        return Err(Error::conflict(
            "last_admin",
            format!(
                "{} is the last active administrator: make another account an administrator first",
                before.username
            ),
        ));
    }
    let now = crate::db::now();
    users::update_user(tx, &after).await?;
    if after.role != before.role
        || after.organisation_id != before.organisation_id
        || after.active != before.active
    {
        end_access_in(tx, actor, id, None, now).await?;
    }
    record(
        tx,
        actor,
        "user.update",
        "app_user",
        id,
        Some(&before),
        Some(&after),
        now,
    )
    .await?;
    Ok(after)
}
