-- Who may do what: login sessions, API tokens, login throttling, idempotency keys and the
-- NGO's milestone progress reports. The PostgreSQL file of the same number is the same schema.

-- A login session. The cookie carries a random id; only its SHA-256 is stored, so a copy of
-- the database cannot be replayed as a session. Expiry is checked on every request: absolute
-- (expires_at, 12 hours after login) and idle (last_seen_at older than 30 minutes).
CREATE TABLE user_session (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    user_id      INTEGER NOT NULL REFERENCES app_user (id),
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    -- Set by logout, a password change or deactivation; an ended session never comes back.
    ended_at     TEXT
) STRICT;
CREATE INDEX user_session_user ON user_session (user_id);

-- API tokens for machine clients: shown once, stored as SHA-256, revocable.
CREATE TABLE api_token (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES app_user (id),
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    token_hash   TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    -- The first characters of the token, so a person can tell their tokens apart.
    prefix       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
) STRICT;
CREATE INDEX api_token_user ON api_token (user_id);

-- Every login attempt, kept for throttling per account name and per address (also for
-- names that do not exist, so the throttle does not tell which accounts exist).
CREATE TABLE login_attempt (
    id        INTEGER PRIMARY KEY,
    username  TEXT NOT NULL,
    address   TEXT NOT NULL,
    at        TEXT NOT NULL,
    succeeded INTEGER NOT NULL CHECK (succeeded IN (0, 1))
) STRICT;
CREATE INDEX login_attempt_username ON login_attempt (username, at);
CREATE INDEX login_attempt_address ON login_attempt (address, at);

-- The first successful answer to a write sent with an Idempotency-Key, stored in the same
-- transaction as the write, so a retry gets the same answer and changes nothing.
CREATE TABLE idempotency_key (
    user_id     INTEGER NOT NULL REFERENCES app_user (id),
    key         TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    -- SHA-256 of method, path and body: the same key with another request is refused.
    fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64),
    status      INTEGER NOT NULL,
    response    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
) STRICT;

-- Milestone progress reported by NGO staff, with the evidence, until a coordinator accepts
-- it (the milestone then changes) or returns it with a note.
CREATE TABLE milestone_report (
    id            INTEGER PRIMARY KEY,
    milestone_id  INTEGER NOT NULL REFERENCES milestone (id),
    reported_by   INTEGER NOT NULL REFERENCES app_user (id),
    status        TEXT NOT NULL CHECK (status IN ('in_progress', 'done')),
    actual_date   TEXT,
    evidence      TEXT NOT NULL CHECK (length(evidence) BETWEEN 1 AND 5000),
    created_at    TEXT NOT NULL,
    decision      TEXT NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending', 'accepted', 'returned')),
    decided_by    INTEGER REFERENCES app_user (id),
    decided_at    TEXT,
    decision_note TEXT,
    CHECK (status <> 'done' OR actual_date IS NOT NULL),
    CHECK ((decision = 'pending') = (decided_at IS NULL))
) STRICT;
CREATE INDEX milestone_report_milestone ON milestone_report (milestone_id);

CREATE INDEX period_lock_dates ON period_lock (starts_on, ends_on);

-- A lock row records who locked what; only its unlock columns are ever filled in, once.
CREATE TRIGGER period_lock_append_only BEFORE UPDATE OF period, starts_on, ends_on, locked_by, locked_at ON period_lock
BEGIN SELECT RAISE(ABORT, 'period locks are append-only: unlock and lock again'); END;
CREATE TRIGGER period_lock_unlock_once BEFORE UPDATE OF unlocked_at ON period_lock WHEN OLD.unlocked_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a period lock is unlocked only once'); END;
CREATE TRIGGER period_lock_no_delete BEFORE DELETE ON period_lock
BEGIN SELECT RAISE(ABORT, 'period locks are never deleted'); END;
