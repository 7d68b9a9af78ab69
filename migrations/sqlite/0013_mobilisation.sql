-- Aid mobilisation by stage ("vận động viện trợ theo từng giai đoạn"): the programme a
-- People's Committee approves for a stage with its targets, the list of projects the province
-- offers to NGOs (proposals), and the promotion work (conferences, meetings, delegations, field
-- visits). The PostgreSQL file of the same number is the same schema.
--
-- These are plans and contacts, not money: a proposal's estimate is never summed into committed
-- or disbursed value. Progress against a target is computed from the ledger's commitments dated
-- in the stage, so it always agrees with the report's section II and the dashboard.
--
-- Amounts are integer minor units of their currency (ISO 4217 exponent), as in commitment.
-- A programme's amendments are updates of its row with an audit entry holding before and after,
-- as an organisation's are; its targets are replaced as a set in the same transaction.

CREATE TABLE programme (
    id               INTEGER PRIMARY KEY,
    name_vi          TEXT NOT NULL CHECK (length(name_vi) BETWEEN 1 AND 500),
    name_en          TEXT NOT NULL CHECK (length(name_en) BETWEEN 1 AND 500),
    decision_number  TEXT NOT NULL CHECK (length(decision_number) BETWEEN 1 AND 100),
    decision_date    TEXT NOT NULL,
    decision_authority TEXT NOT NULL CHECK (length(decision_authority) BETWEEN 1 AND 300),
    starts_on        TEXT NOT NULL,
    ends_on          TEXT NOT NULL,
    -- The stage's overall target: committed value in USD or VND, and a number of aid items.
    target_currency  TEXT NOT NULL CHECK (target_currency IN ('USD', 'VND')),
    target_minor     INTEGER NOT NULL CHECK (target_minor > 0),
    target_items     INTEGER CHECK (target_items IS NULL OR target_items > 0),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    CHECK (ends_on > starts_on)
) STRICT;
CREATE INDEX programme_stage ON programme (starts_on, ends_on);

-- Priority sector groups and localities, each with an optional target in the programme's
-- currency and an optional number of items. Listing a code with no target marks a priority.
CREATE TABLE programme_target (
    programme_id INTEGER NOT NULL REFERENCES programme (id),
    dimension    TEXT NOT NULL CHECK (dimension IN ('sector_group', 'locality')),
    code         TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 40),
    target_minor INTEGER CHECK (target_minor IS NULL OR target_minor > 0),
    target_items INTEGER CHECK (target_items IS NULL OR target_items > 0),
    PRIMARY KEY (programme_id, dimension, code)
) STRICT;

-- The list of programmes and projects offered to NGOs ("danh mục kêu gọi vận động viện trợ").
-- Status path: proposed → presented → interested → agreed → approved (linked to the aid item it
-- became), or withdrawn from any status but approved. `published` shows it to NGO staff.
CREATE TABLE proposal (
    id             INTEGER PRIMARY KEY,
    programme_id   INTEGER NOT NULL REFERENCES programme (id),
    title_vi       TEXT NOT NULL CHECK (length(title_vi) BETWEEN 1 AND 500),
    title_en       TEXT NOT NULL CHECK (length(title_en) BETWEEN 1 AND 500),
    sector_code    TEXT NOT NULL REFERENCES sector (code),
    unit_code      TEXT NOT NULL REFERENCES admin_unit (code),
    currency       TEXT NOT NULL CHECK (length(currency) = 3),
    estimate_minor INTEGER NOT NULL CHECK (estimate_minor > 0),
    aid_owner_id   INTEGER NOT NULL REFERENCES organisation (id),
    summary        TEXT NOT NULL CHECK (length(summary) <= 4000),
    status         TEXT NOT NULL CHECK (status IN ('proposed', 'presented', 'interested', 'agreed', 'approved', 'withdrawn')),
    published      INTEGER NOT NULL CHECK (published IN (0, 1)),
    item_id        INTEGER UNIQUE REFERENCES aid_item (id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    CHECK ((status = 'approved') = (item_id IS NOT NULL))
) STRICT;
CREATE INDEX proposal_programme ON proposal (programme_id, status);

-- Promotion work ("xúc tiến, vận động"): who took part, which proposals were presented, what
-- came of it. `programme_id` is NULL for work outside any stage's programme.
CREATE TABLE promotion_activity (
    id           INTEGER PRIMARY KEY,
    programme_id INTEGER REFERENCES programme (id),
    kind         TEXT NOT NULL CHECK (kind IN ('conference', 'meeting', 'delegation_in', 'delegation_out', 'field_visit', 'other')),
    title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    held_on      TEXT NOT NULL,
    place        TEXT NOT NULL CHECK (length(place) BETWEEN 1 AND 300),
    outcome      TEXT NOT NULL CHECK (length(outcome) <= 4000),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;
CREATE INDEX promotion_activity_held ON promotion_activity (held_on);

CREATE TABLE activity_organisation (
    activity_id     INTEGER NOT NULL REFERENCES promotion_activity (id),
    organisation_id INTEGER NOT NULL REFERENCES organisation (id),
    PRIMARY KEY (activity_id, organisation_id)
) STRICT;
CREATE INDEX activity_organisation_org ON activity_organisation (organisation_id);

CREATE TABLE activity_proposal (
    activity_id INTEGER NOT NULL REFERENCES promotion_activity (id),
    proposal_id INTEGER NOT NULL REFERENCES proposal (id),
    PRIMARY KEY (activity_id, proposal_id)
) STRICT;
CREATE INDEX activity_proposal_proposal ON activity_proposal (proposal_id);

-- Which NGOs a proposal was presented to, and when; from an activity or directly (a letter).
CREATE TABLE proposal_presentation (
    id              INTEGER PRIMARY KEY,
    proposal_id     INTEGER NOT NULL REFERENCES proposal (id),
    organisation_id INTEGER NOT NULL REFERENCES organisation (id),
    presented_on    TEXT NOT NULL,
    activity_id     INTEGER REFERENCES promotion_activity (id),
    UNIQUE (proposal_id, organisation_id, presented_on)
) STRICT;

-- An NGO's interest in a published proposal, registered from the portal; a coordinator sees it
-- in the review queue until they acknowledge it.
CREATE TABLE proposal_interest (
    id              INTEGER PRIMARY KEY,
    proposal_id     INTEGER NOT NULL REFERENCES proposal (id),
    organisation_id INTEGER NOT NULL REFERENCES organisation (id),
    user_id         INTEGER REFERENCES app_user (id),
    note            TEXT NOT NULL CHECK (length(note) <= 2000),
    registered_at   TEXT NOT NULL,
    acknowledged_by INTEGER REFERENCES app_user (id),
    acknowledged_at TEXT,
    UNIQUE (proposal_id, organisation_id)
) STRICT;
CREATE INDEX proposal_interest_open ON proposal_interest (acknowledged_at, registered_at);
