//! User accounts. Password hashes are argon2id PHC strings made by `auth`; nothing here sees
//! a password.

use super::{Tx, exec, on};
use crate::domain::Lang;
use crate::domain::item::Role;
use crate::error::Result;
use chrono::{DateTime, Utc};
use sqlx::FromRow;

#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub organisation_id: Option<i64>,
    #[serde(skip)]
    pub password_hash: String,
    pub lang: Lang,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

const COLUMNS: &str =
    "id, username, display_name, role, organisation_id, password_hash, lang, active, created_at";

pub async fn insert_user(
    tx: &mut Tx,
    username: &str,
    display_name: &str,
    role: Role,
    organisation_id: Option<i64>,
    password_hash: &str,
    at: DateTime<Utc>,
) -> Result<i64> {
    const SQL: &str = "INSERT INTO app_user (username, display_name, role, organisation_id, password_hash, created_at) \
                       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
    Ok(on!(tx, c => sqlx::query_scalar(SQL)
        .bind(username).bind(display_name).bind(role).bind(organisation_id).bind(password_hash).bind(at)
        .fetch_one(&mut *c).await)?)
}

pub async fn get_user_by_name(tx: &mut Tx, username: &str) -> Result<Option<User>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM app_user WHERE username = $1"
    ));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(username).fetch_optional(&mut *c).await)?)
}

pub async fn get_user(tx: &mut Tx, id: i64) -> Result<Option<User>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM app_user WHERE id = $1"));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(id).fetch_optional(&mut *c).await)?)
}

pub async fn list_users(tx: &mut Tx) -> Result<Vec<User>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM app_user ORDER BY username"));
    Ok(on!(tx, c => sqlx::query_as(sql).fetch_all(&mut *c).await)?)
}

pub async fn count_users(tx: &mut Tx) -> Result<i64> {
    Ok(
        on!(tx, c => sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM app_user").fetch_one(&mut *c).await)?,
    )
}

pub async fn set_password_hash(tx: &mut Tx, id: i64, hash: &str) -> Result<()> {
    exec!(tx, c => sqlx::query("UPDATE app_user SET password_hash = $1 WHERE id = $2").bind(hash).bind(id).execute(&mut *c).await)?;
    Ok(())
}

/// Writes the changeable facts of `u` (everything but the name, password and creation time).
pub async fn update_user(tx: &mut Tx, u: &User) -> Result<()> {
    const SQL: &str = "UPDATE app_user SET display_name = $1, role = $2, organisation_id = $3, \
                       active = $4, lang = $5 WHERE id = $6";
    exec!(tx, c => sqlx::query(SQL)
        .bind(&u.display_name).bind(u.role).bind(u.organisation_id).bind(u.active).bind(u.lang).bind(u.id)
        .execute(&mut *c).await)?;
    Ok(())
}

/// How many active administrators there are other than `except`.
pub async fn count_other_active_admins(tx: &mut Tx, except: i64) -> Result<i64> {
    const SQL: &str = "SELECT CAST(COUNT(*) AS BIGINT) FROM app_user \
                       WHERE role = $1 AND active = $2 AND id <> $3";
    Ok(on!(tx, c => sqlx::query_scalar(SQL)
        .bind(Role::Admin).bind(true).bind(except)
        .fetch_one(&mut *c).await)?)
}
