//! Idempotent writes. A write that carries a key runs inside one write transaction together
//! with the lookup and the storing of its answer: writers are serialised by the store's write
//! lock, so two retries of the same request can never both apply, and the stored answer
//! exists exactly when the change committed. A refused request stores nothing, so a client may
//! fix the cause and retry with the same key.

use super::Actor;
use super::Ctx;
use crate::db::Tx;
use crate::db::idempotency::{self, StoredAnswer};
use crate::error::{Error, Result};
use sha2::{Digest, Sha256};

/// A client's key and what identifies its request (method, path and body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Idempotency {
    pub key: String,
    pub fingerprint: String,
}

impl Idempotency {
    /// Checks a key as sent in the header: 1 to 200 visible ASCII characters.
    pub fn new(key: &str, method: &str, path: &str, body: &[u8]) -> Result<Idempotency> {
        if key.is_empty() || key.len() > 200 || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::invalid(
                "Idempotency-Key",
                "invalid_idempotency_key",
                "an Idempotency-Key has 1 to 200 visible ASCII characters (a UUID is a good choice)",
            ));
        }
        let mut h = Sha256::new();
        for part in [method.as_bytes(), b"\n", path.as_bytes(), b"\n", body] {
            h.update(part);
        }
        Ok(Idempotency {
            key: key.to_string(),
            fingerprint: hex::encode(h.finalize()),
        })
    }
}

/// The answer to a write: its status and JSON body, and whether it is a replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: String,
    pub replayed: bool,
}

/// Runs `f` in one write transaction and serialises what it returns as the answer with
/// `status`. With a key, a stored answer to the same request is returned instead of running
/// `f`, and a stored answer to another request under the same key is refused.
pub async fn write<T, F>(
    ctx: &Ctx,
    actor: &Actor,
    idem: Option<&Idempotency>,
    status: u16,
    f: F,
) -> Result<Answer>
where
    T: serde::Serialize,
    F: AsyncFnOnce(&mut Tx) -> Result<T>,
{
    let mut tx = ctx.store.write().await?;
    if let Some(answer) = replay(&mut tx, actor, idem).await? {
        return Ok(answer);
    }
    let value = f(&mut tx).await?;
    let body = serde_json::to_string(&value).map_err(|e| Error::Internal(e.to_string()))?;
    remember(&mut tx, actor, idem, status, &body).await?;
    tx.commit().await?;
    Ok(Answer {
        status,
        body,
        replayed: false,
    })
}

/// The stored answer to this request, if it was answered before; refuses a key that was
/// used for another request. For a write that runs in a transaction of its own making (an
/// import), checked before it starts.
pub async fn replay(
    tx: &mut Tx,
    actor: &Actor,
    idem: Option<&Idempotency>,
) -> Result<Option<Answer>> {
    let (Some(i), Some(user)) = (idem, actor.user_id) else {
        return Ok(None);
    };
    let Some(stored) = idempotency::get_answer(tx, user, &i.key).await? else {
        return Ok(None);
    };
    if stored.fingerprint != i.fingerprint {
        return Err(Error::conflict(
            "idempotency_key_reused",
            "this Idempotency-Key was already used for a different request (another method, path or body); use a new key for a new request",
        ));
    }
    Ok(Some(Answer {
        status: u16::try_from(stored.status).unwrap_or(200),
        body: stored.response,
        replayed: true,
    }))
}

/// Stores `body` as the answer to this request, in the transaction of the change it
/// answers. Nothing is stored without a key or for the system actor.
pub async fn remember(
    tx: &mut Tx,
    actor: &Actor,
    idem: Option<&Idempotency>,
    status: u16,
    body: &str,
) -> Result<()> {
    if let (Some(i), Some(user)) = (idem, actor.user_id) {
        let answer = StoredAnswer {
            fingerprint: i.fingerprint.clone(),
            status: i64::from(status),
            response: body.to_string(),
        };
        idempotency::insert_answer(tx, user, &i.key, &answer, crate::db::now()).await?;
    }
    Ok(())
}
