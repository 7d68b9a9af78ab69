-- aidledger core schema, SQLite dialect. The PostgreSQL file of the same number holds the same
-- tables, columns and constraints; only the column types differ where the engines do.
--
-- Rules that hold in every table:
-- * STRICT tables, so a value of the wrong type is an error instead of a silent conversion.
-- * Money is INTEGER minor units (đồng, cents). Never REAL/NUMERIC/DECIMAL: SQLite gives those
--   NUMERIC affinity and silently turns '0.10' into a float.
-- * Dates are ISO 8601 TEXT (YYYY-MM-DD), timestamps RFC 3339 TEXT in UTC; both compare
--   correctly as text, which the CHECKs below rely on.
-- * Exchange rates are TEXT decimals, parsed exactly by rust_decimal in the application.

CREATE TABLE admin_unit (
    code          TEXT PRIMARY KEY,
    name_vi       TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    level         TEXT NOT NULL CHECK (level IN ('province', 'district', 'commune')),
    parent_code   TEXT REFERENCES admin_unit (code),
    valid_from    TEXT NOT NULL,
    -- NULL while the unit still exists; districts and old communes end on 2025-06-30.
    valid_to      TEXT,
    -- Where the unit's area is reported after it ends (old commune -> new commune).
    successor_code TEXT REFERENCES admin_unit (code),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
) STRICT;

CREATE TABLE sector (
    code        TEXT PRIMARY KEY,
    parent_code TEXT REFERENCES sector (code),
    name_vi     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    -- OECD-DAC 5-digit purpose code of a sub-sector, for IATI exchange.
    dac_code    TEXT CHECK (dac_code IS NULL OR length(dac_code) = 5),
    sort_order  INTEGER NOT NULL
) STRICT;

CREATE TABLE organisation (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('foreign_ngo', 'funder', 'aid_owner', 'managing_agency')),
    name_vi        TEXT NOT NULL CHECK (length(name_vi) BETWEEN 1 AND 300),
    name_en        TEXT NOT NULL CHECK (length(name_en) BETWEEN 1 AND 300),
    acronym        TEXT,
    -- ISO 3166-1 alpha-2; 'VN' for Vietnamese aid owners and agencies.
    nationality    TEXT NOT NULL CHECK (length(nationality) = 2),
    iati_ref       TEXT UNIQUE,
    cert_type      TEXT CHECK (cert_type IN ('operation', 'project_office', 'representative_office')),
    cert_number    TEXT,
    cert_valid_from TEXT,
    cert_valid_to  TEXT,
    created_at     TEXT NOT NULL,
    CHECK (cert_valid_to IS NULL OR cert_valid_from IS NULL OR cert_valid_to >= cert_valid_from),
    -- A certificate is all or nothing: type, number and validity together.
    CHECK ((cert_type IS NULL) = (cert_number IS NULL))
) STRICT;

CREATE TABLE organisation_sector (
    organisation_id INTEGER NOT NULL REFERENCES organisation (id),
    sector_code     TEXT NOT NULL REFERENCES sector (code),
    PRIMARY KEY (organisation_id, sector_code)
) STRICT;

CREATE TABLE organisation_province (
    organisation_id INTEGER NOT NULL REFERENCES organisation (id),
    province_code   TEXT NOT NULL REFERENCES admin_unit (code),
    PRIMARY KEY (organisation_id, province_code)
) STRICT;

CREATE TABLE app_user (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE CHECK (length(username) BETWEEN 3 AND 64),
    display_name    TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'reviewer', 'ngo')),
    organisation_id INTEGER REFERENCES organisation (id),
    password_hash   TEXT NOT NULL,
    lang            TEXT NOT NULL DEFAULT 'vi' CHECK (lang IN ('vi', 'en')),
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at      TEXT NOT NULL,
    -- NGO staff belong to exactly one organisation; province staff to none.
    CHECK ((role = 'ngo') = (organisation_id IS NOT NULL))
) STRICT;

CREATE TABLE aid_item (
    id                 INTEGER PRIMARY KEY,
    code               TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 40),
    title_vi           TEXT NOT NULL CHECK (length(title_vi) BETWEEN 1 AND 500),
    title_en           TEXT NOT NULL CHECK (length(title_en) BETWEEN 1 AND 500),
    modality           TEXT NOT NULL CHECK (modality IN ('programme', 'investment_project', 'technical_assistance', 'non_project', 'emergency_relief')),
    form               TEXT NOT NULL CHECK (form IN ('cash', 'in_kind')),
    donor_id           INTEGER NOT NULL REFERENCES organisation (id),
    funding_source_id  INTEGER REFERENCES organisation (id),
    aid_owner_id       INTEGER NOT NULL REFERENCES organisation (id),
    managing_agency_id INTEGER NOT NULL REFERENCES organisation (id),
    approval_number    TEXT,
    approval_date      TEXT,
    approval_authority TEXT,
    legal_basis        TEXT NOT NULL,
    planned_start      TEXT NOT NULL,
    planned_end        TEXT NOT NULL,
    actual_start       TEXT,
    actual_end         TEXT,
    status             TEXT NOT NULL CHECK (status IN ('pipeline', 'approved', 'implementing', 'completed', 'suspended', 'cancelled', 'revoked')),
    beneficiaries      TEXT,
    created_at         TEXT NOT NULL,
    CHECK (planned_end >= planned_start),
    CHECK (actual_end IS NULL OR actual_start IS NOT NULL AND actual_end >= actual_start),
    -- Aid may be received only after approval: every status past the pipeline has a decision.
    CHECK (status = 'pipeline' OR (approval_number IS NOT NULL AND approval_date IS NOT NULL AND approval_authority IS NOT NULL))
) STRICT;
CREATE INDEX aid_item_donor ON aid_item (donor_id);

-- Shares are basis points (1/100 of a percent); the application checks they sum to 10000.
CREATE TABLE aid_item_sector (
    item_id     INTEGER NOT NULL REFERENCES aid_item (id),
    sector_code TEXT NOT NULL REFERENCES sector (code),
    share_bp    INTEGER NOT NULL CHECK (share_bp BETWEEN 1 AND 10000),
    PRIMARY KEY (item_id, sector_code)
) STRICT;

CREATE TABLE aid_item_locality (
    item_id   INTEGER NOT NULL REFERENCES aid_item (id),
    unit_code TEXT NOT NULL REFERENCES admin_unit (code),
    share_bp  INTEGER NOT NULL CHECK (share_bp BETWEEN 1 AND 10000),
    PRIMARY KEY (item_id, unit_code)
) STRICT;

CREATE TABLE exchange_rate (
    id            INTEGER PRIMARY KEY,
    currency      TEXT NOT NULL CHECK (length(currency) = 3),
    rate_date     TEXT NOT NULL,
    -- VND and USD per one unit of the currency, as exact decimal text.
    to_vnd        TEXT NOT NULL,
    to_usd        TEXT NOT NULL,
    source        TEXT NOT NULL,
    entered_by    INTEGER REFERENCES app_user (id),
    created_at    TEXT NOT NULL,
    -- A correction is a new row; the old one points at it and is kept for the record.
    superseded_by INTEGER REFERENCES exchange_rate (id)
) STRICT;
CREATE UNIQUE INDEX exchange_rate_current ON exchange_rate (currency, rate_date) WHERE superseded_by IS NULL;

-- Money rows (commitment, pledge, disbursement) are append-only: the amount, currency, date and
-- item never change and rows are never deleted (triggers below). The conversion columns are
-- derived from the rate table and are rewritten when a rate is entered or corrected.
CREATE TABLE commitment (
    id                 INTEGER PRIMARY KEY,
    item_id            INTEGER NOT NULL REFERENCES aid_item (id),
    kind               TEXT NOT NULL CHECK (kind IN ('original', 'amendment', 'cancellation')),
    amount_minor       INTEGER NOT NULL,
    currency           TEXT NOT NULL CHECK (length(currency) = 3),
    commitment_date    TEXT NOT NULL,
    reference          TEXT,
    entered_by         INTEGER REFERENCES app_user (id),
    created_at         TEXT NOT NULL,
    rate_id            INTEGER REFERENCES exchange_rate (id),
    amount_vnd         INTEGER,
    amount_usd_cents   INTEGER,
    unconverted_reason TEXT,
    CHECK (kind <> 'original' OR amount_minor > 0),
    CHECK (kind <> 'cancellation' OR amount_minor < 0),
    CHECK (amount_minor <> 0),
    -- Either converted (rate and both amounts) or unconverted with a reason, never half.
    CHECK ((rate_id IS NOT NULL AND amount_vnd IS NOT NULL AND amount_usd_cents IS NOT NULL AND unconverted_reason IS NULL)
        OR (rate_id IS NULL AND amount_vnd IS NULL AND amount_usd_cents IS NULL AND unconverted_reason IS NOT NULL))
) STRICT;
CREATE INDEX commitment_item ON commitment (item_id);
CREATE INDEX commitment_date ON commitment (commitment_date);
CREATE INDEX commitment_currency_date ON commitment (currency, commitment_date);

-- Pledges are recorded for follow-up and never summed into committed value.
CREATE TABLE pledge (
    id           INTEGER PRIMARY KEY,
    donor_id     INTEGER NOT NULL REFERENCES organisation (id),
    item_id      INTEGER REFERENCES aid_item (id),
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency     TEXT NOT NULL CHECK (length(currency) = 3),
    pledge_date  TEXT NOT NULL,
    note         TEXT,
    entered_by   INTEGER REFERENCES app_user (id),
    created_at   TEXT NOT NULL
) STRICT;

CREATE TABLE milestone (
    id            INTEGER PRIMARY KEY,
    item_id       INTEGER NOT NULL REFERENCES aid_item (id),
    title_vi      TEXT NOT NULL,
    title_en      TEXT NOT NULL,
    planned_date  TEXT NOT NULL,
    actual_date   TEXT,
    status        TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'done', 'cancelled')),
    evidence      TEXT,
    created_at    TEXT NOT NULL,
    CHECK (status <> 'done' OR actual_date IS NOT NULL)
) STRICT;
CREATE INDEX milestone_item ON milestone (item_id);

CREATE TABLE disbursement (
    id                 INTEGER PRIMARY KEY,
    item_id            INTEGER NOT NULL REFERENCES aid_item (id),
    amount_minor       INTEGER NOT NULL,
    currency           TEXT NOT NULL CHECK (length(currency) = 3),
    value_date         TEXT NOT NULL,
    tranche            INTEGER CHECK (tranche IS NULL OR tranche BETWEEN 1 AND 1000),
    milestone_id       INTEGER REFERENCES milestone (id),
    -- A reversal is a negative row pointing at the row it cancels; at most one per row.
    reverses_id        INTEGER UNIQUE REFERENCES disbursement (id),
    status             TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'verified', 'rejected')),
    entered_by         INTEGER REFERENCES app_user (id),
    verified_by        INTEGER REFERENCES app_user (id),
    verified_at        TEXT,
    rejection_reason   TEXT,
    created_at         TEXT NOT NULL,
    rate_id            INTEGER REFERENCES exchange_rate (id),
    amount_vnd         INTEGER,
    amount_usd_cents   INTEGER,
    unconverted_reason TEXT,
    CHECK ((reverses_id IS NULL AND amount_minor > 0) OR (reverses_id IS NOT NULL AND amount_minor < 0)),
    -- Four-eyes, also at the bottom: whoever entered a disbursement never verifies it.
    CHECK (verified_by IS NULL OR entered_by IS NULL OR verified_by <> entered_by),
    CHECK ((rate_id IS NOT NULL AND amount_vnd IS NOT NULL AND amount_usd_cents IS NOT NULL AND unconverted_reason IS NULL)
        OR (rate_id IS NULL AND amount_vnd IS NULL AND amount_usd_cents IS NULL AND unconverted_reason IS NOT NULL))
) STRICT;
CREATE INDEX disbursement_item ON disbursement (item_id);
CREATE INDEX disbursement_date ON disbursement (value_date);
CREATE INDEX disbursement_currency_date ON disbursement (currency, value_date);

-- Append-only, hash-chained: hash = SHA-256(prev_hash || canonical entry).
CREATE TABLE audit_entry (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor_id  INTEGER REFERENCES app_user (id),
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before    TEXT,
    after     TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE
) STRICT;
CREATE INDEX audit_entity ON audit_entry (entity, entity_id);

CREATE TABLE period_lock (
    id            INTEGER PRIMARY KEY,
    period        TEXT NOT NULL,
    starts_on     TEXT NOT NULL,
    ends_on       TEXT NOT NULL,
    locked_by     INTEGER REFERENCES app_user (id),
    locked_at     TEXT NOT NULL,
    unlocked_by   INTEGER REFERENCES app_user (id),
    unlocked_at   TEXT,
    unlock_reason TEXT,
    CHECK (ends_on >= starts_on),
    CHECK ((unlocked_at IS NULL) = (unlock_reason IS NULL))
) STRICT;

-- History is append-only: these triggers refuse what the application never does, so a bug or
-- a hand-written UPDATE cannot rewrite money or the audit trail.
CREATE TRIGGER commitment_append_only BEFORE UPDATE OF item_id, kind, amount_minor, currency, commitment_date, entered_by, created_at ON commitment
BEGIN SELECT RAISE(ABORT, 'commitment rows are append-only: record an amendment or cancellation'); END;
CREATE TRIGGER commitment_no_delete BEFORE DELETE ON commitment
BEGIN SELECT RAISE(ABORT, 'commitment rows are never deleted'); END;
CREATE TRIGGER pledge_append_only BEFORE UPDATE ON pledge
BEGIN SELECT RAISE(ABORT, 'pledge rows are append-only'); END;
CREATE TRIGGER pledge_no_delete BEFORE DELETE ON pledge
BEGIN SELECT RAISE(ABORT, 'pledge rows are never deleted'); END;
CREATE TRIGGER disbursement_append_only BEFORE UPDATE OF item_id, amount_minor, currency, value_date, reverses_id, entered_by, created_at ON disbursement
BEGIN SELECT RAISE(ABORT, 'disbursement rows are append-only: record a reversal'); END;
CREATE TRIGGER disbursement_no_delete BEFORE DELETE ON disbursement
BEGIN SELECT RAISE(ABORT, 'disbursement rows are never deleted'); END;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_entry
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_entry
BEGIN SELECT RAISE(ABORT, 'audit entries are never deleted'); END;
CREATE TRIGGER exchange_rate_no_delete BEFORE DELETE ON exchange_rate
BEGIN SELECT RAISE(ABORT, 'exchange rates are never deleted: enter a correction'); END;
CREATE TRIGGER exchange_rate_append_only BEFORE UPDATE OF currency, rate_date, to_vnd, to_usd, source, entered_by, created_at ON exchange_rate
BEGIN SELECT RAISE(ABORT, 'exchange rates are append-only: enter a correction'); END;
