-- Issued reports and the free-text sections written for a period.

-- Sections IV-VI of the report (assessment, next-period tasks, recommendations), per period
-- code and language, as the reviewer last saved them.
CREATE TABLE report_text (
    period     TEXT NOT NULL,
    lang       TEXT NOT NULL CHECK (lang IN ('vi', 'en')),
    section    TEXT NOT NULL CHECK (section IN ('assessment', 'tasks', 'recommendations')),
    body       TEXT NOT NULL CHECK (length(body) <= 20000),
    updated_by INTEGER REFERENCES app_user (id),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (period, lang, section)
) STRICT;

-- Every issued PDF, kept for good. Re-issuing a period (after an audited unlock) adds the next
-- version; earlier versions stay. The SHA-256 lets anyone check a copy against the archive.
CREATE TABLE issued_report (
    id          INTEGER PRIMARY KEY,
    period      TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to   TEXT NOT NULL,
    lang        TEXT NOT NULL CHECK (lang IN ('vi', 'en')),
    version     INTEGER NOT NULL CHECK (version >= 1),
    issued_on   TEXT NOT NULL,
    issued_by   INTEGER REFERENCES app_user (id),
    issued_at   TEXT NOT NULL,
    sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
    byte_size   INTEGER NOT NULL,
    pdf         BLOB NOT NULL,
    UNIQUE (period, lang, version)
) STRICT;

CREATE TRIGGER issued_report_append_only BEFORE UPDATE ON issued_report
BEGIN SELECT RAISE(ABORT, 'issued reports are append-only'); END;
CREATE TRIGGER issued_report_no_delete BEFORE DELETE ON issued_report
BEGIN SELECT RAISE(ABORT, 'issued reports are never deleted'); END;
