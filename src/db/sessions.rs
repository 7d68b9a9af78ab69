//! Login sessions. Only the SHA-256 of a session's secret is stored (`token_hash`), so the
//! lookup by hash is the check; ending a session fills `ended_at`, and nothing deletes rows,
//! so the table is also the record of who was signed in when.

use super::{Tx, exec, on};
use crate::domain::item::Role;
use crate::error::Result;
use chrono::{DateTime, Utc};
use sqlx::FromRow;

/// A session with the facts about its user that decide whether it may act.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SessionUser {
    pub session_id: i64,
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub active: bool,
    /// The user's name and page language, for the pages' header (one statement per page).
    pub display_name: String,
    pub lang: crate::domain::Lang,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

pub async fn insert_session(
    tx: &mut Tx,
    user_id: i64,
    token_hash: &str,
    at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<i64> {
    const SQL: &str = "INSERT INTO user_session (token_hash, user_id, created_at, last_seen_at, expires_at) \
                       VALUES ($1, $2, $3, $3, $4) RETURNING id";
    Ok(on!(tx, c => sqlx::query_scalar(SQL)
        .bind(token_hash).bind(user_id).bind(at).bind(expires_at)
        .fetch_one(&mut *c).await)?)
}

pub async fn find_session(tx: &mut Tx, token_hash: &str) -> Result<Option<SessionUser>> {
    const SQL: &str = "SELECT s.id AS session_id, u.id AS user_id, u.username, u.role, u.organisation_id, \
                       u.active, u.display_name, u.lang, s.last_seen_at, s.expires_at, s.ended_at \
                       FROM user_session s JOIN app_user u ON u.id = s.user_id WHERE s.token_hash = $1";
    Ok(on!(tx, c => sqlx::query_as(SQL).bind(token_hash).fetch_optional(&mut *c).await)?)
}

/// Records a request at `at`; never moves `last_seen_at` backwards.
pub async fn touch_session(tx: &mut Tx, id: i64, at: DateTime<Utc>) -> Result<()> {
    const SQL: &str =
        "UPDATE user_session SET last_seen_at = $1 WHERE id = $2 AND last_seen_at < $1";
    exec!(tx, c => sqlx::query(SQL).bind(at).bind(id).execute(&mut *c).await)?;
    Ok(())
}

/// Ends the session with this hash, if it is still open; returns whether one was ended.
pub async fn end_session(tx: &mut Tx, token_hash: &str, at: DateTime<Utc>) -> Result<bool> {
    const SQL: &str =
        "UPDATE user_session SET ended_at = $1 WHERE token_hash = $2 AND ended_at IS NULL";
    let n = exec!(tx, c => sqlx::query(SQL).bind(at).bind(token_hash).execute(&mut *c).await)?;
    Ok(n > 0)
}

/// Ends every open session of a user; returns how many were ended.
pub async fn end_user_sessions(tx: &mut Tx, user_id: i64, at: DateTime<Utc>) -> Result<u64> {
    const SQL: &str =
        "UPDATE user_session SET ended_at = $1 WHERE user_id = $2 AND ended_at IS NULL";
    Ok(exec!(tx, c => sqlx::query(SQL).bind(at).bind(user_id).execute(&mut *c).await)?)
}

/// Ends every open session of a user but the one with hash `keep` (the session that just
/// changed its own password stays signed in); returns how many were ended.
pub async fn end_user_sessions_except(
    tx: &mut Tx,
    user_id: i64,
    keep: &str,
    at: DateTime<Utc>,
) -> Result<u64> {
    const SQL: &str = "UPDATE user_session SET ended_at = $1 \
                       WHERE user_id = $2 AND ended_at IS NULL AND token_hash <> $3";
    Ok(exec!(tx, c => sqlx::query(SQL).bind(at).bind(user_id).bind(keep).execute(&mut *c).await)?)
}
