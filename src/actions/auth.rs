//! Signing in and out, and turning a session cookie or an API token back into an [`Actor`].
//!
//! A login is throttled before the password is looked at (see `auth::throttle`), and every
//! way of failing (wrong password, unknown name, deactivated account) gives the same answer
//! after the same work, so the answers do not tell which accounts exist. Each login makes a
//! new session with a new random secret (no session fixation); the secret is returned once
//! and only its hash is stored.
//!
//! The `_at` forms take the instant to act at, so tests can check expiry without sleeping.

use super::{Actor, Ctx};
use crate::auth::session::{TOUCH_EVERY, Times};
use crate::auth::{is_secret_shaped, password, random_secret, secret_hash, throttle, token};
use crate::db::users::User;
use crate::db::{Tx, logins, sessions, tokens, users};
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};

pub use crate::auth::session::{SESSION_ABSOLUTE, SESSION_IDLE};

/// A new session: its secret (for the cookie, shown once), who it acts as and when it ends at
/// the latest.
#[derive(Clone)]
pub struct LoginOutcome {
    pub session: String,
    pub actor: Actor,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for LoginOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginOutcome")
            .field("session", &"<secret>")
            .field("actor", &self.actor)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// The one answer to every kind of wrong credentials.
fn invalid_credentials() -> Error {
    Error::unauthorized("invalid_credentials", "the username or password is wrong")
}

pub async fn login(
    ctx: &Ctx,
    username: &str,
    password: &str,
    address: &str,
) -> Result<LoginOutcome> {
    login_at(ctx, username, password, address, crate::db::now()).await
}

pub async fn login_at(
    ctx: &Ctx,
    username: &str,
    password: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<LoginOutcome> {
    let (mut tx, user) = authenticate(ctx, username, password, address, now).await?;
    let secret = random_secret()?;
    let times = Times::starting(now);
    sessions::insert_session(
        &mut tx,
        user.id,
        &secret_hash(&secret),
        now,
        times.expires_at,
    )
    .await?;
    tx.commit().await?;
    Ok(LoginOutcome {
        session: secret,
        actor: actor_of(&user),
        expires_at: times.expires_at,
    })
}

fn actor_of(u: &User) -> Actor {
    Actor::user(u.id, &u.username, u.role, u.organisation_id)
}

/// Checks a user name and password under the throttle. On success returns an open write
/// transaction in which the attempt is already marked successful, so the caller creates its
/// session or token in the same transaction; on failure the attempt stays recorded as one.
pub(crate) async fn authenticate(
    ctx: &Ctx,
    username: &str,
    password: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<(Tx, User)> {
    let name = throttle::name_key(username);
    let address = throttle::address_key(address);

    // The attempt is stored as a failure first, in the same write transaction as the
    // throttle's count: concurrent guesses are serialised and each counts the others.
    let mut tx = ctx.store.write().await?;
    let attempt = logins::insert_failure(&mut tx, &name, &address, now).await?;
    if let Some(minutes) = throttled(&mut tx, &name, &address, now).await? {
        // A refused attempt is not kept: counting it would let anyone who keeps knocking
        // keep the account locked for ever. The lock ends one window after the oldest of
        // the failures that caused it.
        drop(tx);
        return Err(Error::TooManyRequests(throttle::refusal(minutes)));
    }
    let user = users::get_user_by_name(&mut tx, &name).await?;
    tx.commit().await?;

    // Hashing happens outside any transaction so the write lock is not held for it; an
    // unknown user is checked against a dummy hash, which takes the same time.
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let ok = password::verify(password.to_string(), stored).await?;
    let Some(user) = user.filter(|u| ok && u.active) else {
        return Err(invalid_credentials());
    };

    let mut tx = ctx.store.write().await?;
    // The account may have changed while the password was being checked.
    match users::get_user(&mut tx, user.id).await? {
        Some(now_user) if now_user.active && now_user.password_hash == user.password_hash => {
            logins::mark_succeeded(&mut tx, attempt).await?;
            Ok((tx, now_user))
        }
        _ => Err(invalid_credentials()),
    }
}

/// Minutes to wait if this attempt (already stored as a failure) is over either limit.
async fn throttled(
    tx: &mut Tx,
    name: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<Option<i64>> {
    let since = now - throttle::WINDOW;
    for (limit, by_name) in [
        (throttle::FAILURES_PER_NAME, true),
        (throttle::FAILURES_PER_ADDRESS, false),
    ] {
        let key = if by_name { name } else { address };
        // More than `limit` failures counting this one means `limit` came before it. This
        // attempt is then not kept, so the lock lifts when the oldest of those `limit`
        // leaves the window.
        if let Some(blocking) = nth_failure(tx, by_name, key, since, limit + 1).await? {
            return Ok(Some(throttle::minutes_to_wait(blocking, now)));
        }
    }
    Ok(None)
}

async fn nth_failure(
    tx: &mut Tx,
    by_name: bool,
    key: &str,
    since: DateTime<Utc>,
    n: i64,
) -> Result<Option<DateTime<Utc>>> {
    if by_name {
        logins::nth_failure_by_name(tx, key, since, n).await
    } else {
        logins::nth_failure_by_address(tx, key, since, n).await
    }
}

/// Ends the session with this secret. An unknown or already ended session is not an error:
/// logging out twice leaves the same state.
pub async fn logout(ctx: &Ctx, session: &str) -> Result<()> {
    if !is_secret_shaped(session) {
        return Ok(());
    }
    let mut tx = ctx.store.write().await?;
    sessions::end_session(&mut tx, &secret_hash(session), crate::db::now()).await?;
    tx.commit().await
}

pub async fn actor_from_session(ctx: &Ctx, session: &str) -> Result<Option<Actor>> {
    actor_from_session_at(ctx, session, crate::db::now()).await
}

/// Who the session acts as at `now`, or `None` if it is unknown, ended, expired, idle for too
/// long or its user is deactivated.
pub async fn actor_from_session_at(
    ctx: &Ctx,
    session: &str,
    now: DateTime<Utc>,
) -> Result<Option<Actor>> {
    Ok(person_at(ctx, session, now).await?.map(|p| p.actor))
}

/// A live session's actor with the user's name and page language.
#[derive(Debug, Clone)]
pub struct SessionPerson {
    pub actor: Actor,
    pub display_name: String,
    pub lang: crate::domain::Lang,
}

/// [`actor_from_session`] with what the pages' header shows of the user, read in the same
/// statement (a page would otherwise read the user again).
pub async fn person_from_session(ctx: &Ctx, session: &str) -> Result<Option<SessionPerson>> {
    person_at(ctx, session, crate::db::now()).await
}

async fn person_at(ctx: &Ctx, session: &str, now: DateTime<Utc>) -> Result<Option<SessionPerson>> {
    if !is_secret_shaped(session) {
        return Ok(None);
    }
    let mut tx = ctx.store.read_one().await?;
    let found = sessions::find_session(&mut tx, &secret_hash(session)).await?;
    drop(tx);
    let Some(s) = found else { return Ok(None) };
    let times = Times {
        last_seen_at: s.last_seen_at,
        expires_at: s.expires_at,
        ended_at: s.ended_at,
    };
    if !s.active || !times.is_live(now) {
        return Ok(None);
    }
    if times.needs_touch(now) {
        let mut tx = ctx.store.write().await?;
        sessions::touch_session(&mut tx, s.session_id, now).await?;
        tx.commit().await?;
    }
    Ok(Some(SessionPerson {
        actor: Actor::user(s.user_id, &s.username, s.role, s.organisation_id),
        display_name: s.display_name,
        lang: s.lang,
    }))
}

pub async fn actor_from_token(ctx: &Ctx, token: &str) -> Result<Option<Actor>> {
    actor_from_token_at(ctx, token, crate::db::now()).await
}

/// Who the API token acts as, or `None` if it is unknown, revoked or its user is deactivated.
/// The user's current role and organisation apply, so a role change takes effect at once.
pub async fn actor_from_token_at(
    ctx: &Ctx,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<Actor>> {
    if !token::is_token_shaped(token) {
        return Ok(None);
    }
    let mut tx = ctx.store.read_one().await?;
    let found = tokens::find_token(&mut tx, &secret_hash(token)).await?;
    drop(tx);
    let Some(t) = found.filter(|t| t.active && t.revoked_at.is_none()) else {
        return Ok(None);
    };
    if t.last_used_at.is_none_or(|at| now - at >= TOUCH_EVERY) {
        let mut tx = ctx.store.write().await?;
        tokens::touch_token(&mut tx, t.token_id, now).await?;
        tx.commit().await?;
    }
    Ok(Some(Actor::user(
        t.user_id,
        &t.username,
        t.role,
        t.organisation_id,
    )))
}

/// Ends every open session of `user_id` (except the one whose hash is `keep`, if any) and
/// revokes every API token of that user, in the caller's transaction: a password, role,
/// organisation or status change must leave nothing acting on the old facts or proving
/// identity with the old password. The revocation is audited (one entry with the count).
/// Returns (sessions ended, tokens revoked).
pub async fn end_access_in(
    tx: &mut Tx,
    actor: &Actor,
    user_id: i64,
    keep: Option<&str>,
    at: DateTime<Utc>,
) -> Result<(u64, u64)> {
    let ended = match keep {
        Some(hash) => sessions::end_user_sessions_except(tx, user_id, hash, at).await?,
        None => sessions::end_user_sessions(tx, user_id, at).await?,
    };
    let revoked = tokens::revoke_user_tokens(tx, user_id, at).await?;
    if revoked > 0 {
        super::record::<(), _>(
            tx,
            actor,
            "token.revoke_all",
            "app_user",
            user_id,
            None,
            Some(&serde_json::json!({ "tokens_revoked": revoked })),
            at,
        )
        .await?;
    }
    Ok((ended, revoked))
}
