//! `GET /healthz`: whether the database answers and takes writes, which backend it is and the
//! schema version, for load balancers and for the person installing the application.
//!
//! The read probe is bounded by [`READ_LIMIT`] and the write probe by [`WRITE_LIMIT`], so an
//! unreachable or stuck database is reported in seconds rather than after 20; the read limit
//! is not shorter because a busy but healthy server must not be reported down. `"status": "degraded"` lists the reasons:
//! the database cannot be read (answered with 503), cannot be written (read-only, full,
//! locked), or the audit trail failed its last verification (writes are refused until it is
//! repaired); reads still work in the last two cases, so the answer stays 200.

use crate::actions::Ctx;
use crate::db::audit;
use rocket::State;
use rocket::http::Status;
use rocket::serde::json::Json;
use std::time::Duration;

/// How long the read probe may take.
pub const READ_LIMIT: Duration = Duration::from_secs(5);
/// How long the write probe may take (it waits behind writers for the write lock).
pub const WRITE_LIMIT: Duration = Duration::from_secs(3);

/// How long a successful write probe is trusted. The probe commits (and on SQLite syncs), so
/// a load balancer polling many times a second must not turn into as many writes; a failure is
/// never cached, so an outage shows at the next poll and recovery within this interval.
pub const PROBE_TRUSTED_FOR: Duration = Duration::from_secs(1);

/// When the write probe last succeeded, per application instance.
#[derive(Default)]
pub struct ProbeCache(std::sync::Mutex<Option<std::time::Instant>>);

impl ProbeCache {
    fn recently_ok(&self) -> bool {
        self.0
            .lock()
            .ok()
            .and_then(|t| *t)
            .is_some_and(|t| t.elapsed() < PROBE_TRUSTED_FOR)
    }

    fn ok_now(&self) {
        if let Ok(mut t) = self.0.lock() {
            *t = Some(std::time::Instant::now());
        }
    }
}

#[derive(serde::Serialize)]
pub struct Health {
    pub status: &'static str,
    pub backend: crate::db::Backend,
    pub schema_version: Option<i64>,
    pub version: &'static str,
    /// Why the status is degraded (empty when ok).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
}

#[rocket::get("/healthz")]
pub async fn healthz(ctx: &State<Ctx>, cache: &State<ProbeCache>) -> (Status, Json<Health>) {
    let store = &ctx.store;
    let mut reasons = Vec::new();
    let read = async {
        let v = store.schema_version().await?;
        let mut tx = store.read().await?;
        let cp = audit::last_checkpoint(&mut tx).await?;
        Ok::<_, crate::error::Error>((v, cp))
    };
    let (schema_version, readable) = match rocket::tokio::time::timeout(READ_LIMIT, read).await {
        Ok(Ok((v, cp))) => {
            if let Some(why) = cp.and_then(|c| c.reason) {
                reasons.push(format!(
                    "the audit trail failed verification, so changes are refused: {why}"
                ));
            }
            (Some(v), true)
        }
        Ok(Err(e)) => {
            reasons.push(format!("the database cannot be read: {}", plain(&e)));
            (None, false)
        }
        Err(_) => {
            reasons.push(format!(
                "the database did not answer within {} s",
                READ_LIMIT.as_secs()
            ));
            (None, false)
        }
    };
    if readable && !cache.recently_ok() {
        match store.probe_write(WRITE_LIMIT).await {
            Ok(()) => cache.ok_now(),
            Err(why) => reasons.push(format!("the database cannot save changes: {why}")),
        }
    }
    let status = if readable {
        Status::Ok
    } else {
        Status::ServiceUnavailable
    };
    let health = Health {
        status: if reasons.is_empty() { "ok" } else { "degraded" },
        backend: store.backend(),
        schema_version,
        version: env!("CARGO_PKG_VERSION"),
        reasons,
    };
    (status, Json(health))
}

/// An error in words fit for a health answer: an outage's own message, else the error's kind.
fn plain(e: &crate::error::Error) -> String {
    match e {
        crate::error::Error::Unavailable { message, .. } => message.clone(),
        other => other.to_string(),
    }
}
