-- month_money: the converted money of each flow per calendar month, kept by triggers in the
-- same transaction as every money row, as item_money (0016) is per item. A total over whole
-- months (a quarter, a year, everything to a month's end) then reads a few hundred rows instead
-- of every money row in it; rollup::sums::total_sums sums the partial months at a window's
-- ends from the rows. 'unverified' is the submitted disbursements, listed apart in reports.
-- Sums are quotient and remainder of 10^9, as rollup::sums reads them, so nothing overflows.
-- Writers already queue on one advisory lock (db::mod), so the current month's row adds no
-- contention of its own.

CREATE TABLE month_money (
    flow      TEXT NOT NULL CHECK (flow IN ('committed', 'disbursed', 'unverified')),
    -- The month's first day.
    month     DATE NOT NULL,
    vnd_q     BIGINT NOT NULL,
    vnd_r     BIGINT NOT NULL,
    usd_q     BIGINT NOT NULL,
    usd_r     BIGINT NOT NULL,
    row_count BIGINT NOT NULL,
    PRIMARY KEY (flow, month)
);

INSERT INTO month_money (flow, month, vnd_q, vnd_r, usd_q, usd_r, row_count)
SELECT 'committed', CAST(date_trunc('month', commitment_date) AS DATE),
       SUM(amount_vnd / 1000000000), SUM(amount_vnd % 1000000000),
       SUM(amount_usd_cents / 1000000000), SUM(amount_usd_cents % 1000000000), COUNT(*)
FROM commitment WHERE rate_id IS NOT NULL GROUP BY 2;

INSERT INTO month_money (flow, month, vnd_q, vnd_r, usd_q, usd_r, row_count)
SELECT CASE status WHEN 'verified' THEN 'disbursed' ELSE 'unverified' END,
       CAST(date_trunc('month', value_date) AS DATE),
       SUM(amount_vnd / 1000000000), SUM(amount_vnd % 1000000000),
       SUM(amount_usd_cents / 1000000000), SUM(amount_usd_cents % 1000000000), COUNT(*)
FROM disbursement WHERE rate_id IS NOT NULL AND status IN ('verified', 'submitted')
GROUP BY 1, 2;

-- The triggers run once per statement over its transition tables rather than once per row:
-- a row trigger's upsert makes a new version of the month's row for every money row, and a
-- transaction of many rows (an import, a bulk load) then walks an ever longer chain of
-- versions of the same row (900,000 disbursements loaded at 2,600 rows/s instead of 11,600).
-- Per statement, each month and item is written once however many rows the statement holds.
-- 0016's row triggers of item_money are replaced the same way, item_money being written by
-- the same function.
DROP TRIGGER commitment_money ON commitment;
DROP TRIGGER disbursement_money ON disbursement;
DROP FUNCTION aidledger_commitment_money();
DROP FUNCTION aidledger_disbursement_money();
DROP FUNCTION aidledger_item_money_apply(BIGINT, TEXT, DATE, BIGINT, BIGINT, BIGINT);

-- Adds to item_money and month_money what one statement's money rows change: each row with
-- its flow ('committed', 'disbursed' or 'unverified'), day, converted amounts and sign (1 for
-- a row as it now is, -1 for a row as it was). Groups whose change is nothing are not written.
-- PL/pgSQL rather than SQL so that the two statements' plans are kept for the connection: a
-- SQL function's body is planned again at every call, which doubled the cost of a one-row
-- INSERT's triggers.
CREATE FUNCTION aidledger_kept_apply(p_item BIGINT[], p_flow TEXT[], p_day DATE[], p_vnd BIGINT[], p_usd BIGINT[], p_sign BIGINT[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO item_money AS m (item_id, flow, after_reform, vnd_q, vnd_r, usd_q, usd_r, row_count)
    SELECT item, flow, day >= DATE '2025-07-01',
           CAST(SUM(sign * (vnd / 1000000000)) AS BIGINT), CAST(SUM(sign * (vnd % 1000000000)) AS BIGINT),
           CAST(SUM(sign * (usd / 1000000000)) AS BIGINT), CAST(SUM(sign * (usd % 1000000000)) AS BIGINT),
           CAST(SUM(sign) AS BIGINT)
    FROM unnest(p_item, p_flow, p_day, p_vnd, p_usd, p_sign) AS c(item, flow, day, vnd, usd, sign)
    WHERE flow <> 'unverified'
    GROUP BY item, flow, day >= DATE '2025-07-01'
    HAVING SUM(sign) <> 0 OR SUM(sign * vnd) <> 0 OR SUM(sign * usd) <> 0
    ON CONFLICT (item_id, flow, after_reform) DO UPDATE SET
        vnd_q = m.vnd_q + EXCLUDED.vnd_q, vnd_r = m.vnd_r + EXCLUDED.vnd_r,
        usd_q = m.usd_q + EXCLUDED.usd_q, usd_r = m.usd_r + EXCLUDED.usd_r,
        row_count = m.row_count + EXCLUDED.row_count;
    INSERT INTO month_money AS m (flow, month, vnd_q, vnd_r, usd_q, usd_r, row_count)
    SELECT flow, CAST(date_trunc('month', day) AS DATE),
           CAST(SUM(sign * (vnd / 1000000000)) AS BIGINT), CAST(SUM(sign * (vnd % 1000000000)) AS BIGINT),
           CAST(SUM(sign * (usd / 1000000000)) AS BIGINT), CAST(SUM(sign * (usd % 1000000000)) AS BIGINT),
           CAST(SUM(sign) AS BIGINT)
    FROM unnest(p_item, p_flow, p_day, p_vnd, p_usd, p_sign) AS c(item, flow, day, vnd, usd, sign)
    GROUP BY 1, 2
    HAVING SUM(sign) <> 0 OR SUM(sign * vnd) <> 0 OR SUM(sign * usd) <> 0
    ON CONFLICT (flow, month) DO UPDATE SET
        vnd_q = m.vnd_q + EXCLUDED.vnd_q, vnd_r = m.vnd_r + EXCLUDED.vnd_r,
        usd_q = m.usd_q + EXCLUDED.usd_q, usd_r = m.usd_r + EXCLUDED.usd_r,
        row_count = m.row_count + EXCLUDED.row_count;
END $$;

CREATE FUNCTION aidledger_commitment_kept_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM aidledger_kept_apply(array_agg(item_id), array_agg(CAST('committed' AS TEXT)), array_agg(commitment_date),
                                 array_agg(amount_vnd), array_agg(amount_usd_cents), array_agg(CAST(1 AS BIGINT)))
    FROM new_rows WHERE rate_id IS NOT NULL;
    RETURN NULL;
END $$;

CREATE FUNCTION aidledger_commitment_kept_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM aidledger_kept_apply(array_agg(item_id), array_agg(flow), array_agg(day), array_agg(vnd), array_agg(usd), array_agg(sign))
    FROM (SELECT item_id, CAST('committed' AS TEXT) AS flow, commitment_date AS day, amount_vnd AS vnd,
                 amount_usd_cents AS usd, CAST(1 AS BIGINT) AS sign
          FROM new_rows WHERE rate_id IS NOT NULL
          UNION ALL
          SELECT item_id, 'committed', commitment_date, amount_vnd, amount_usd_cents, -1
          FROM old_rows WHERE rate_id IS NOT NULL) AS c;
    RETURN NULL;
END $$;

CREATE FUNCTION aidledger_disbursement_kept_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM aidledger_kept_apply(array_agg(item_id),
                                 array_agg(CASE status WHEN 'verified' THEN 'disbursed' ELSE 'unverified' END),
                                 array_agg(value_date), array_agg(amount_vnd), array_agg(amount_usd_cents),
                                 array_agg(CAST(1 AS BIGINT)))
    FROM new_rows WHERE rate_id IS NOT NULL AND status IN ('verified', 'submitted');
    RETURN NULL;
END $$;

CREATE FUNCTION aidledger_disbursement_kept_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM aidledger_kept_apply(array_agg(item_id), array_agg(flow), array_agg(day), array_agg(vnd), array_agg(usd), array_agg(sign))
    FROM (SELECT item_id, CASE status WHEN 'verified' THEN 'disbursed' ELSE 'unverified' END AS flow,
                 value_date AS day, amount_vnd AS vnd, amount_usd_cents AS usd, CAST(1 AS BIGINT) AS sign
          FROM new_rows WHERE rate_id IS NOT NULL AND status IN ('verified', 'submitted')
          UNION ALL
          SELECT item_id, CASE status WHEN 'verified' THEN 'disbursed' ELSE 'unverified' END,
                 value_date, amount_vnd, amount_usd_cents, -1
          FROM old_rows WHERE rate_id IS NOT NULL AND status IN ('verified', 'submitted')) AS c;
    RETURN NULL;
END $$;

CREATE TRIGGER commitment_kept_insert AFTER INSERT ON commitment REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION aidledger_commitment_kept_insert();
CREATE TRIGGER commitment_kept_update AFTER UPDATE ON commitment REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION aidledger_commitment_kept_update();
CREATE TRIGGER disbursement_kept_insert AFTER INSERT ON disbursement REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION aidledger_disbursement_kept_insert();
CREATE TRIGGER disbursement_kept_update AFTER UPDATE ON disbursement REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION aidledger_disbursement_kept_update();
