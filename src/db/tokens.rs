//! API tokens. Like sessions, only the SHA-256 of the secret is stored; `prefix` is the
//! token's first characters in clear so a person can tell their tokens apart.

use super::{Tx, exec, on};
use crate::domain::item::Role;
use crate::error::Result;
use chrono::{DateTime, Utc};
use sqlx::FromRow;

/// A token as its owner and the API see it: never the secret, never its hash.
#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A token with the facts about its user that decide whether it may act.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct TokenUser {
    pub token_id: i64,
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub active: bool,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, user_id, name, prefix, created_at, last_used_at, revoked_at";

pub async fn insert_token(
    tx: &mut Tx,
    user_id: i64,
    name: &str,
    token_hash: &str,
    prefix: &str,
    at: DateTime<Utc>,
) -> Result<i64> {
    const SQL: &str = "INSERT INTO api_token (user_id, name, token_hash, prefix, created_at) \
                       VALUES ($1, $2, $3, $4, $5) RETURNING id";
    Ok(on!(tx, c => sqlx::query_scalar(SQL)
        .bind(user_id).bind(name).bind(token_hash).bind(prefix).bind(at)
        .fetch_one(&mut *c).await)?)
}

pub async fn get_token(tx: &mut Tx, id: i64) -> Result<Option<ApiToken>> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM api_token WHERE id = $1"));
    Ok(on!(tx, c => sqlx::query_as(sql).bind(id).fetch_optional(&mut *c).await)?)
}

/// One user's tokens, or everyone's with `None`; newest first.
pub async fn list_tokens(tx: &mut Tx, user_id: Option<i64>) -> Result<Vec<ApiToken>> {
    Ok(match user_id {
        Some(u) => {
            let sql = sqlx::AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM api_token WHERE user_id = $1 ORDER BY id DESC"
            ));
            on!(tx, c => sqlx::query_as(sql).bind(u).fetch_all(&mut *c).await)?
        }
        None => {
            let sql =
                sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM api_token ORDER BY id DESC"));
            on!(tx, c => sqlx::query_as(sql).fetch_all(&mut *c).await)?
        }
    })
}

pub async fn find_token(tx: &mut Tx, token_hash: &str) -> Result<Option<TokenUser>> {
    const SQL: &str = "SELECT t.id AS token_id, u.id AS user_id, u.username, u.role, u.organisation_id, \
                       u.active, t.last_used_at, t.revoked_at \
                       FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE t.token_hash = $1";
    Ok(on!(tx, c => sqlx::query_as(SQL).bind(token_hash).fetch_optional(&mut *c).await)?)
}

/// Records a use at `at`; never moves `last_used_at` backwards.
pub async fn touch_token(tx: &mut Tx, id: i64, at: DateTime<Utc>) -> Result<()> {
    const SQL: &str = "UPDATE api_token SET last_used_at = $1 \
                       WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $1)";
    exec!(tx, c => sqlx::query(SQL).bind(at).bind(id).execute(&mut *c).await)?;
    Ok(())
}

/// Revokes a token that is not revoked yet; returns whether it was.
pub async fn revoke_token(tx: &mut Tx, id: i64, at: DateTime<Utc>) -> Result<bool> {
    const SQL: &str = "UPDATE api_token SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL";
    let n = exec!(tx, c => sqlx::query(SQL).bind(at).bind(id).execute(&mut *c).await)?;
    Ok(n > 0)
}

/// Revokes every open token of a user; returns how many were revoked.
pub async fn revoke_user_tokens(tx: &mut Tx, user_id: i64, at: DateTime<Utc>) -> Result<u64> {
    const SQL: &str =
        "UPDATE api_token SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL";
    Ok(exec!(tx, c => sqlx::query(SQL).bind(at).bind(user_id).execute(&mut *c).await)?)
}
