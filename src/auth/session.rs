//! The rule for when a login session is still good. A session ends at the first of: logout
//! (or a password, role or status change, which set `ended_at`), its absolute expiry
//! ([`SESSION_ABSOLUTE`] after login) and [`SESSION_IDLE`] without a request.
//!
//! Pure functions over timestamps, so the rule is tested without a clock or a database.

use chrono::{DateTime, Duration, Utc};

/// How long a session lives however busy it is: a working day, so a shared computer left
/// logged in does not stay so overnight.
pub const SESSION_ABSOLUTE: Duration = Duration::hours(12);

/// How long a session survives without a request.
pub const SESSION_IDLE: Duration = Duration::minutes(30);

/// `last_seen_at` is written at most this often, so most requests stay read-only.
pub const TOUCH_EVERY: Duration = Duration::minutes(1);

/// The stored times of one session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Times {
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

impl Times {
    /// The times of a session that starts at `now`.
    #[must_use]
    pub fn starting(now: DateTime<Utc>) -> Times {
        Times {
            last_seen_at: now,
            expires_at: now + SESSION_ABSOLUTE,
            ended_at: None,
        }
    }

    /// Whether the session may act at `now`.
    #[must_use]
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.ended_at.is_none() && now < self.expires_at && now - self.last_seen_at <= SESSION_IDLE
    }

    /// Whether a request at `now` should record itself in `last_seen_at`.
    #[must_use]
    pub fn needs_touch(&self, now: DateTime<Utc>) -> bool {
        now - self.last_seen_at >= TOUCH_EVERY
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_and_absolute_expiry() {
        let t0 = Utc::now();
        let s = Times::starting(t0);
        assert!(s.is_live(t0));
        assert!(s.is_live(t0 + SESSION_IDLE));
        assert!(!s.is_live(t0 + SESSION_IDLE + Duration::seconds(1)));
        let busy = Times {
            last_seen_at: t0 + SESSION_ABSOLUTE - Duration::minutes(1),
            ..s
        };
        assert!(busy.is_live(t0 + SESSION_ABSOLUTE - Duration::seconds(1)));
        assert!(!busy.is_live(t0 + SESSION_ABSOLUTE));
        let ended = Times {
            ended_at: Some(t0),
            ..s
        };
        assert!(!ended.is_live(t0));
        assert!(!s.needs_touch(t0 + Duration::seconds(59)));
        assert!(s.needs_touch(t0 + TOUCH_EVERY));
    }
}
