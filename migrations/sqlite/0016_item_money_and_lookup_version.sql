-- Two things a national-scale read needs without scanning the ledger or every item:
--
-- item_money: each item's converted money to date, per flow and per side of the 1 July 2025
-- reform, kept by triggers in the same transaction as every money row. Sums are kept as
-- quotient and remainder of 10^9 (as rollup::sums reads them), so no number of rows overflows.
-- A sum "from the start to day D" is this total less the rows dated after D; a money row's
-- item and date never change (0001's append-only triggers), only its conversion and status.
--
-- lookup_version: a random value replaced by every change to what rollup::LookupData loads,
-- so a process may keep one LookupData for as long as the value it was read with is current.

CREATE TABLE item_money (
    item_id      INTEGER NOT NULL,
    flow         TEXT NOT NULL CHECK (flow IN ('committed', 'disbursed')),
    after_reform INTEGER NOT NULL CHECK (after_reform IN (0, 1)),
    vnd_q        INTEGER NOT NULL,
    vnd_r        INTEGER NOT NULL,
    usd_q        INTEGER NOT NULL,
    usd_r        INTEGER NOT NULL,
    row_count    INTEGER NOT NULL,
    PRIMARY KEY (item_id, flow, after_reform)
) STRICT, WITHOUT ROWID;

INSERT INTO item_money (item_id, flow, after_reform, vnd_q, vnd_r, usd_q, usd_r, row_count)
SELECT item_id, 'committed', commitment_date >= '2025-07-01',
       SUM(amount_vnd / 1000000000), SUM(amount_vnd % 1000000000),
       SUM(amount_usd_cents / 1000000000), SUM(amount_usd_cents % 1000000000), COUNT(*)
FROM commitment WHERE rate_id IS NOT NULL GROUP BY item_id, commitment_date >= '2025-07-01';

INSERT INTO item_money (item_id, flow, after_reform, vnd_q, vnd_r, usd_q, usd_r, row_count)
SELECT item_id, 'disbursed', value_date >= '2025-07-01',
       SUM(amount_vnd / 1000000000), SUM(amount_vnd % 1000000000),
       SUM(amount_usd_cents / 1000000000), SUM(amount_usd_cents % 1000000000), COUNT(*)
FROM disbursement WHERE rate_id IS NOT NULL AND status = 'verified' GROUP BY item_id, value_date >= '2025-07-01';

CREATE TRIGGER commitment_money_insert AFTER INSERT ON commitment WHEN NEW.rate_id IS NOT NULL
BEGIN
    INSERT INTO item_money (item_id, flow, after_reform, vnd_q, vnd_r, usd_q, usd_r, row_count)
    VALUES (NEW.item_id, 'committed', NEW.commitment_date >= '2025-07-01',
            NEW.amount_vnd / 1000000000, NEW.amount_vnd % 1000000000,
            NEW.amount_usd_cents / 1000000000, NEW.amount_usd_cents % 1000000000, 1)
    ON CONFLICT (item_id, flow, after_reform) DO UPDATE SET
        vnd_q = vnd_q + excluded.vnd_q, vnd_r = vnd_r + excluded.vnd_r,
        usd_q = usd_q + excluded.usd_q, usd_r = usd_r + excluded.usd_r, row_count = row_count + 1;
END;

CREATE TRIGGER commitment_money_update AFTER UPDATE OF rate_id, amount_vnd, amount_usd_cents ON commitment
BEGIN
    UPDATE item_money SET
        vnd_q = vnd_q - OLD.amount_vnd / 1000000000, vnd_r = vnd_r - OLD.amount_vnd % 1000000000,
        usd_q = usd_q - OLD.amount_usd_cents / 1000000000, usd_r = usd_r - OLD.amount_usd_cents % 1000000000,
        row_count = row_count - 1
    WHERE OLD.rate_id IS NOT NULL AND item_id = OLD.item_id AND flow = 'committed'
      AND after_reform = (OLD.commitment_date >= '2025-07-01');
    INSERT INTO item_money (item_id, flow, after_reform, vnd_q, vnd_r, usd_q, usd_r, row_count)
    SELECT NEW.item_id, 'committed', NEW.commitment_date >= '2025-07-01',
           NEW.amount_vnd / 1000000000, NEW.amount_vnd % 1000000000,
           NEW.amount_usd_cents / 1000000000, NEW.amount_usd_cents % 1000000000, 1
    WHERE NEW.rate_id IS NOT NULL
    ON CONFLICT (item_id, flow, after_reform) DO UPDATE SET
        vnd_q = vnd_q + excluded.vnd_q, vnd_r = vnd_r + excluded.vnd_r,
        usd_q = usd_q + excluded.usd_q, usd_r = usd_r + excluded.usd_r, row_count = row_count + 1;
END;

CREATE TRIGGER disbursement_money_insert AFTER INSERT ON disbursement
    WHEN NEW.rate_id IS NOT NULL AND NEW.status = 'verified'
BEGIN
    INSERT INTO item_money (item_id, flow, after_reform, vnd_q, vnd_r, usd_q, usd_r, row_count)
    VALUES (NEW.item_id, 'disbursed', NEW.value_date >= '2025-07-01',
            NEW.amount_vnd / 1000000000, NEW.amount_vnd % 1000000000,
            NEW.amount_usd_cents / 1000000000, NEW.amount_usd_cents % 1000000000, 1)
    ON CONFLICT (item_id, flow, after_reform) DO UPDATE SET
        vnd_q = vnd_q + excluded.vnd_q, vnd_r = vnd_r + excluded.vnd_r,
        usd_q = usd_q + excluded.usd_q, usd_r = usd_r + excluded.usd_r, row_count = row_count + 1;
END;

CREATE TRIGGER disbursement_money_update AFTER UPDATE OF rate_id, amount_vnd, amount_usd_cents, status ON disbursement
BEGIN
    UPDATE item_money SET
        vnd_q = vnd_q - OLD.amount_vnd / 1000000000, vnd_r = vnd_r - OLD.amount_vnd % 1000000000,
        usd_q = usd_q - OLD.amount_usd_cents / 1000000000, usd_r = usd_r - OLD.amount_usd_cents % 1000000000,
        row_count = row_count - 1
    WHERE OLD.rate_id IS NOT NULL AND OLD.status = 'verified' AND item_id = OLD.item_id
      AND flow = 'disbursed' AND after_reform = (OLD.value_date >= '2025-07-01');
    INSERT INTO item_money (item_id, flow, after_reform, vnd_q, vnd_r, usd_q, usd_r, row_count)
    SELECT NEW.item_id, 'disbursed', NEW.value_date >= '2025-07-01',
           NEW.amount_vnd / 1000000000, NEW.amount_vnd % 1000000000,
           NEW.amount_usd_cents / 1000000000, NEW.amount_usd_cents % 1000000000, 1
    WHERE NEW.rate_id IS NOT NULL AND NEW.status = 'verified'
    ON CONFLICT (item_id, flow, after_reform) DO UPDATE SET
        vnd_q = vnd_q + excluded.vnd_q, vnd_r = vnd_r + excluded.vnd_r,
        usd_q = usd_q + excluded.usd_q, usd_r = usd_r + excluded.usd_r, row_count = row_count + 1;
END;

CREATE TABLE lookup_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
) STRICT;
INSERT INTO lookup_version (id, version) VALUES (1, random());
CREATE TRIGGER aid_item_lookup_insert AFTER INSERT ON aid_item
BEGIN UPDATE lookup_version SET version = random() WHERE id = 1; END;
CREATE TRIGGER aid_item_lookup_update AFTER UPDATE ON aid_item
BEGIN UPDATE lookup_version SET version = random() WHERE id = 1; END;
CREATE TRIGGER aid_item_lookup_delete AFTER DELETE ON aid_item
BEGIN UPDATE lookup_version SET version = random() WHERE id = 1; END;
CREATE TRIGGER aid_item_sector_lookup_insert AFTER INSERT ON aid_item_sector
BEGIN UPDATE lookup_version SET version = random() WHERE id = 1; END;
CREATE TRIGGER aid_item_sector_lookup_update AFTER UPDATE ON aid_item_sector
BEGIN UPDATE lookup_version SET version = random() WHERE id = 1; END;
CREATE TRIGGER aid_item_sector_lookup_delete AFTER DELETE ON aid_item_sector
BEGIN UPDATE lookup_version SET version = random() WHERE id = 1; END;
CREATE TRIGGER aid_item_locality_lookup_insert AFTER INSERT ON aid_item_locality
BEGIN UPDATE lookup_version SET version = random() WHERE id = 1; END;
CREATE TRIGGER aid_item_locality_lookup_update AFTER UPDATE ON aid_item_locality
BEGIN UPDATE lookup_version SET version = random() WHERE id = 1; END;
CREATE TRIGGER aid_item_locality_lookup_delete AFTER DELETE ON aid_item_locality
BEGIN UPDATE lookup_version SET version = random() WHERE id = 1; END;
CREATE TRIGGER organisation_lookup_insert AFTER INSERT ON organisation
BEGIN UPDATE lookup_version SET version = random() WHERE id = 1; END;
CREATE TRIGGER organisation_lookup_update AFTER UPDATE ON organisation
BEGIN UPDATE lookup_version SET version = random() WHERE id = 1; END;
CREATE TRIGGER organisation_lookup_delete AFTER DELETE ON organisation
BEGIN UPDATE lookup_version SET version = random() WHERE id = 1; END;
CREATE TRIGGER admin_unit_lookup_insert AFTER INSERT ON admin_unit
BEGIN UPDATE lookup_version SET version = random() WHERE id = 1; END;
CREATE TRIGGER admin_unit_lookup_update AFTER UPDATE ON admin_unit
BEGIN UPDATE lookup_version SET version = random() WHERE id = 1; END;
CREATE TRIGGER admin_unit_lookup_delete AFTER DELETE ON admin_unit
BEGIN UPDATE lookup_version SET version = random() WHERE id = 1; END;
CREATE TRIGGER sector_lookup_insert AFTER INSERT ON sector
BEGIN UPDATE lookup_version SET version = random() WHERE id = 1; END;
CREATE TRIGGER sector_lookup_update AFTER UPDATE ON sector
BEGIN UPDATE lookup_version SET version = random() WHERE id = 1; END;
CREATE TRIGGER sector_lookup_delete AFTER DELETE ON sector
BEGIN UPDATE lookup_version SET version = random() WHERE id = 1; END;

-- What rollup::sums reads of a window's rows, in the order it filters them, so that summing a
-- period reads the index alone (SQLite) instead of one table row per money row. They replace
-- the date-only index of commitments and 0015's (status, value_date) index of disbursements,
-- which are their prefixes; disbursements keep the date-only one for queries without a status.
CREATE INDEX commitment_sums ON commitment (commitment_date, item_id, rate_id, amount_vnd, amount_usd_cents);
DROP INDEX commitment_date;
CREATE INDEX disbursement_sums ON disbursement (status, value_date, item_id, rate_id, amount_vnd, amount_usd_cents);
DROP INDEX disbursement_status;
