//! Stored answers to writes sent with an `Idempotency-Key`, per user. Rows are written in the
//! transaction of the write they answer, so a stored answer always matches a committed change.

use super::{Tx, exec, on};
use crate::error::Result;
use chrono::{DateTime, Utc};
use sqlx::FromRow;

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct StoredAnswer {
    pub fingerprint: String,
    pub status: i64,
    pub response: String,
}

pub async fn get_answer(tx: &mut Tx, user_id: i64, key: &str) -> Result<Option<StoredAnswer>> {
    const SQL: &str =
        "SELECT fingerprint, status, response FROM idempotency_key WHERE user_id = $1 AND key = $2";
    Ok(on!(tx, c => sqlx::query_as(SQL).bind(user_id).bind(key).fetch_optional(&mut *c).await)?)
}

pub async fn insert_answer(
    tx: &mut Tx,
    user_id: i64,
    key: &str,
    answer: &StoredAnswer,
    at: DateTime<Utc>,
) -> Result<()> {
    const SQL: &str = "INSERT INTO idempotency_key (user_id, key, fingerprint, status, response, created_at) \
                       VALUES ($1, $2, $3, $4, $5, $6)";
    exec!(tx, c => sqlx::query(SQL)
        .bind(user_id).bind(key).bind(&answer.fingerprint).bind(answer.status).bind(&answer.response).bind(at)
        .execute(&mut *c).await)?;
    Ok(())
}
