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
    item_id      BIGINT NOT NULL,
    flow         TEXT NOT NULL CHECK (flow IN ('committed', 'disbursed')),
    after_reform BOOLEAN NOT NULL,
    vnd_q        BIGINT NOT NULL,
    vnd_r        BIGINT NOT NULL,
    usd_q        BIGINT NOT NULL,
    usd_r        BIGINT NOT NULL,
    row_count    BIGINT NOT NULL,
    PRIMARY KEY (item_id, flow, after_reform)
);

INSERT INTO item_money (item_id, flow, after_reform, vnd_q, vnd_r, usd_q, usd_r, row_count)
SELECT item_id, 'committed', commitment_date >= DATE '2025-07-01',
       SUM(amount_vnd / 1000000000), SUM(amount_vnd % 1000000000),
       SUM(amount_usd_cents / 1000000000), SUM(amount_usd_cents % 1000000000), COUNT(*)
FROM commitment WHERE rate_id IS NOT NULL GROUP BY item_id, commitment_date >= DATE '2025-07-01';

INSERT INTO item_money (item_id, flow, after_reform, vnd_q, vnd_r, usd_q, usd_r, row_count)
SELECT item_id, 'disbursed', value_date >= DATE '2025-07-01',
       SUM(amount_vnd / 1000000000), SUM(amount_vnd % 1000000000),
       SUM(amount_usd_cents / 1000000000), SUM(amount_usd_cents % 1000000000), COUNT(*)
FROM disbursement WHERE rate_id IS NOT NULL AND status = 'verified' GROUP BY item_id, value_date >= DATE '2025-07-01';

-- Adds (sign 1) or takes away (sign -1) one money row's converted amounts.
CREATE FUNCTION aidledger_item_money_apply(p_item BIGINT, p_flow TEXT, p_day DATE, p_vnd BIGINT, p_usd BIGINT, p_sign BIGINT)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO item_money AS m (item_id, flow, after_reform, vnd_q, vnd_r, usd_q, usd_r, row_count)
    VALUES (p_item, p_flow, p_day >= DATE '2025-07-01',
            p_sign * (p_vnd / 1000000000), p_sign * (p_vnd % 1000000000),
            p_sign * (p_usd / 1000000000), p_sign * (p_usd % 1000000000), p_sign)
    ON CONFLICT (item_id, flow, after_reform) DO UPDATE SET
        vnd_q = m.vnd_q + EXCLUDED.vnd_q, vnd_r = m.vnd_r + EXCLUDED.vnd_r,
        usd_q = m.usd_q + EXCLUDED.usd_q, usd_r = m.usd_r + EXCLUDED.usd_r,
        row_count = m.row_count + EXCLUDED.row_count;
$$;

CREATE FUNCTION aidledger_commitment_money() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.rate_id IS NOT NULL THEN
        PERFORM aidledger_item_money_apply(OLD.item_id, 'committed', OLD.commitment_date, OLD.amount_vnd, OLD.amount_usd_cents, -1);
    END IF;
    IF NEW.rate_id IS NOT NULL THEN
        PERFORM aidledger_item_money_apply(NEW.item_id, 'committed', NEW.commitment_date, NEW.amount_vnd, NEW.amount_usd_cents, 1);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION aidledger_disbursement_money() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.rate_id IS NOT NULL AND OLD.status = 'verified' THEN
        PERFORM aidledger_item_money_apply(OLD.item_id, 'disbursed', OLD.value_date, OLD.amount_vnd, OLD.amount_usd_cents, -1);
    END IF;
    IF NEW.rate_id IS NOT NULL AND NEW.status = 'verified' THEN
        PERFORM aidledger_item_money_apply(NEW.item_id, 'disbursed', NEW.value_date, NEW.amount_vnd, NEW.amount_usd_cents, 1);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER commitment_money AFTER INSERT OR UPDATE OF rate_id, amount_vnd, amount_usd_cents ON commitment
    FOR EACH ROW EXECUTE FUNCTION aidledger_commitment_money();
CREATE TRIGGER disbursement_money AFTER INSERT OR UPDATE OF rate_id, amount_vnd, amount_usd_cents, status ON disbursement
    FOR EACH ROW EXECUTE FUNCTION aidledger_disbursement_money();

CREATE TABLE lookup_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO lookup_version (id, version) VALUES (1, (random() * 9.2e18)::bigint);

CREATE FUNCTION aidledger_lookup_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE lookup_version SET version = (random() * 9.2e18)::bigint WHERE id = 1;
    RETURN NULL;
END $$;
CREATE TRIGGER aid_item_lookup_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON aid_item
    FOR EACH STATEMENT EXECUTE FUNCTION aidledger_lookup_changed();
CREATE TRIGGER aid_item_sector_lookup_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON aid_item_sector
    FOR EACH STATEMENT EXECUTE FUNCTION aidledger_lookup_changed();
CREATE TRIGGER aid_item_locality_lookup_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON aid_item_locality
    FOR EACH STATEMENT EXECUTE FUNCTION aidledger_lookup_changed();
CREATE TRIGGER organisation_lookup_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisation
    FOR EACH STATEMENT EXECUTE FUNCTION aidledger_lookup_changed();
CREATE TRIGGER admin_unit_lookup_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON admin_unit
    FOR EACH STATEMENT EXECUTE FUNCTION aidledger_lookup_changed();
CREATE TRIGGER sector_lookup_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sector
    FOR EACH STATEMENT EXECUTE FUNCTION aidledger_lookup_changed();

-- What rollup::sums reads of a window's rows, in the order it filters them, so that summing a
-- period reads the index alone (SQLite) instead of one table row per money row. They replace
-- the date-only index of commitments and 0015's (status, value_date) index of disbursements,
-- which are their prefixes; disbursements keep the date-only one for queries without a status.
CREATE INDEX commitment_sums ON commitment (commitment_date, item_id, rate_id, amount_vnd, amount_usd_cents);
DROP INDEX commitment_date;
CREATE INDEX disbursement_sums ON disbursement (status, value_date, item_id, rate_id, amount_vnd, amount_usd_cents);
DROP INDEX disbursement_status;
