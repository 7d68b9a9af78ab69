//! Login attempts, kept for the throttle (see `auth::throttle`). An attempt is stored as a
//! failure before the password is checked and marked a success afterwards, so concurrent
//! guesses each see the others and a burst cannot slip past the limit; an attempt refused by
//! the throttle is rolled back, so it does not extend the lock.

use super::{Tx, exec, on};
use crate::error::Result;
use chrono::{DateTime, Utc};

pub async fn insert_failure(
    tx: &mut Tx,
    username: &str,
    address: &str,
    at: DateTime<Utc>,
) -> Result<i64> {
    const SQL: &str = "INSERT INTO login_attempt (username, address, at, succeeded) \
                       VALUES ($1, $2, $3, $4) RETURNING id";
    Ok(on!(tx, c => sqlx::query_scalar(SQL)
        .bind(username).bind(address).bind(at).bind(false)
        .fetch_one(&mut *c).await)?)
}

pub async fn mark_succeeded(tx: &mut Tx, id: i64) -> Result<()> {
    exec!(tx, c => sqlx::query("UPDATE login_attempt SET succeeded = $1 WHERE id = $2")
        .bind(true).bind(id).execute(&mut *c).await)?;
    Ok(())
}

/// The time of the `n`-th most recent failure (1 = newest) after `since` for this user name,
/// if there are at least `n`.
pub async fn nth_failure_by_name(
    tx: &mut Tx,
    username: &str,
    since: DateTime<Utc>,
    n: i64,
) -> Result<Option<DateTime<Utc>>> {
    const SQL: &str = "SELECT at FROM login_attempt WHERE username = $1 AND succeeded = $2 AND at > $3 \
                       ORDER BY at DESC LIMIT 1 OFFSET $4";
    Ok(on!(tx, c => sqlx::query_scalar(SQL)
        .bind(username).bind(false).bind(since).bind(n - 1)
        .fetch_optional(&mut *c).await)?)
}

/// Like [`nth_failure_by_name`], for one address.
pub async fn nth_failure_by_address(
    tx: &mut Tx,
    address: &str,
    since: DateTime<Utc>,
    n: i64,
) -> Result<Option<DateTime<Utc>>> {
    const SQL: &str = "SELECT at FROM login_attempt WHERE address = $1 AND succeeded = $2 AND at > $3 \
                       ORDER BY at DESC LIMIT 1 OFFSET $4";
    Ok(on!(tx, c => sqlx::query_scalar(SQL)
        .bind(address).bind(false).bind(since).bind(n - 1)
        .fetch_optional(&mut *c).await)?)
}
