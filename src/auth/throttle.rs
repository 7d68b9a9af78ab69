//! The login throttle's rule: after [`FAILURES_PER_NAME`] failed attempts on one account name
//! within [`WINDOW`], or [`FAILURES_PER_ADDRESS`] from one address, further attempts are
//! refused until enough of those failures are older than the window.
//!
//! Names are throttled whether or not an account has them, so the throttle does not reveal
//! which accounts exist. A refused attempt (made while throttled) is not counted: otherwise
//! anyone could keep an account locked for ever by knocking, so a lock ends at most one
//! window after the oldest failure that caused it. The counting is SQL in `db::logins`; this
//! module only decides.

use chrono::{DateTime, Duration, Utc};

pub const WINDOW: Duration = Duration::minutes(15);
pub const FAILURES_PER_NAME: i64 = 5;
pub const FAILURES_PER_ADDRESS: i64 = 20;

/// Stored names and addresses are cut to this many characters: longer input is not a name
/// anyone has, and must not fill the table.
const KEY_CHARS: usize = 100;

/// The throttle key of a typed user name: trimmed and lower-cased (user names are lower-case,
/// so "Alice" and "alice" are one account and one bucket).
#[must_use]
pub fn name_key(username: &str) -> String {
    username
        .trim()
        .to_lowercase()
        .chars()
        .take(KEY_CHARS)
        .collect()
}

#[must_use]
pub fn address_key(address: &str) -> String {
    address.trim().chars().take(KEY_CHARS).collect()
}

/// Whole minutes (at least 1) until a failure made at `blocking` leaves the window.
#[must_use]
pub fn minutes_to_wait(blocking: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    let left = blocking + WINDOW - now;
    let seconds = left.num_seconds().max(0);
    (seconds + 59).div_euclid(60).max(1)
}

/// The refusal, in the words the user sees.
#[must_use]
pub fn refusal(minutes: i64) -> String {
    let unit = if minutes == 1 { "minute" } else { "minutes" };
    format!("too many failed logins; try again in {minutes} {unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_round_up_to_whole_minutes() {
        let now = Utc::now();
        assert_eq!(minutes_to_wait(now, now), 15);
        assert_eq!(minutes_to_wait(now - Duration::seconds(61), now), 14);
        assert_eq!(minutes_to_wait(now - WINDOW, now), 1);
        assert_eq!(refusal(3), "too many failed logins; try again in 3 minutes");
        assert_eq!(name_key("  Alice "), "alice");
        assert_eq!(name_key(&"x".repeat(500)).len(), 100);
    }
}
