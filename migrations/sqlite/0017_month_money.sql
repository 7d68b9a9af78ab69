-- month_money: the converted money of each flow per calendar month, kept by triggers in the
-- same transaction as every money row, as item_money (0016) is per item. A total over whole
-- months (a quarter, a year, everything to a month's end) then reads a few hundred rows instead
-- of every money row in it; rollup::sums::total_sums sums the partial months at a window's
-- ends from the rows. 'unverified' is the submitted disbursements, listed apart in reports.
-- Sums are quotient and remainder of 10^9, as rollup::sums reads them, so nothing overflows.

CREATE TABLE month_money (
    flow      TEXT NOT NULL CHECK (flow IN ('committed', 'disbursed', 'unverified')),
    -- The month's first day, YYYY-MM-01.
    month     TEXT NOT NULL,
    vnd_q     INTEGER NOT NULL,
    vnd_r     INTEGER NOT NULL,
    usd_q     INTEGER NOT NULL,
    usd_r     INTEGER NOT NULL,
    row_count INTEGER NOT NULL,
    PRIMARY KEY (flow, month)
) STRICT, WITHOUT ROWID;

INSERT INTO month_money (flow, month, vnd_q, vnd_r, usd_q, usd_r, row_count)
SELECT 'committed', substr(commitment_date, 1, 8) || '01',
       SUM(amount_vnd / 1000000000), SUM(amount_vnd % 1000000000),
       SUM(amount_usd_cents / 1000000000), SUM(amount_usd_cents % 1000000000), COUNT(*)
FROM commitment WHERE rate_id IS NOT NULL GROUP BY substr(commitment_date, 1, 8);

INSERT INTO month_money (flow, month, vnd_q, vnd_r, usd_q, usd_r, row_count)
SELECT CASE status WHEN 'verified' THEN 'disbursed' ELSE 'unverified' END,
       substr(value_date, 1, 8) || '01',
       SUM(amount_vnd / 1000000000), SUM(amount_vnd % 1000000000),
       SUM(amount_usd_cents / 1000000000), SUM(amount_usd_cents % 1000000000), COUNT(*)
FROM disbursement WHERE rate_id IS NOT NULL AND status IN ('verified', 'submitted')
GROUP BY status, substr(value_date, 1, 8);

CREATE TRIGGER commitment_month_insert AFTER INSERT ON commitment WHEN NEW.rate_id IS NOT NULL
BEGIN
    INSERT INTO month_money (flow, month, vnd_q, vnd_r, usd_q, usd_r, row_count)
    VALUES ('committed', substr(NEW.commitment_date, 1, 8) || '01',
            NEW.amount_vnd / 1000000000, NEW.amount_vnd % 1000000000,
            NEW.amount_usd_cents / 1000000000, NEW.amount_usd_cents % 1000000000, 1)
    ON CONFLICT (flow, month) DO UPDATE SET
        vnd_q = vnd_q + excluded.vnd_q, vnd_r = vnd_r + excluded.vnd_r,
        usd_q = usd_q + excluded.usd_q, usd_r = usd_r + excluded.usd_r, row_count = row_count + 1;
END;

CREATE TRIGGER commitment_month_update AFTER UPDATE OF rate_id, amount_vnd, amount_usd_cents ON commitment
BEGIN
    UPDATE month_money SET
        vnd_q = vnd_q - OLD.amount_vnd / 1000000000, vnd_r = vnd_r - OLD.amount_vnd % 1000000000,
        usd_q = usd_q - OLD.amount_usd_cents / 1000000000, usd_r = usd_r - OLD.amount_usd_cents % 1000000000,
        row_count = row_count - 1
    WHERE OLD.rate_id IS NOT NULL AND flow = 'committed'
      AND month = substr(OLD.commitment_date, 1, 8) || '01';
    INSERT INTO month_money (flow, month, vnd_q, vnd_r, usd_q, usd_r, row_count)
    SELECT 'committed', substr(NEW.commitment_date, 1, 8) || '01',
           NEW.amount_vnd / 1000000000, NEW.amount_vnd % 1000000000,
           NEW.amount_usd_cents / 1000000000, NEW.amount_usd_cents % 1000000000, 1
    WHERE NEW.rate_id IS NOT NULL
    ON CONFLICT (flow, month) DO UPDATE SET
        vnd_q = vnd_q + excluded.vnd_q, vnd_r = vnd_r + excluded.vnd_r,
        usd_q = usd_q + excluded.usd_q, usd_r = usd_r + excluded.usd_r, row_count = row_count + 1;
END;

CREATE TRIGGER disbursement_month_insert AFTER INSERT ON disbursement
    WHEN NEW.rate_id IS NOT NULL AND NEW.status IN ('verified', 'submitted')
BEGIN
    INSERT INTO month_money (flow, month, vnd_q, vnd_r, usd_q, usd_r, row_count)
    VALUES (CASE NEW.status WHEN 'verified' THEN 'disbursed' ELSE 'unverified' END,
            substr(NEW.value_date, 1, 8) || '01',
            NEW.amount_vnd / 1000000000, NEW.amount_vnd % 1000000000,
            NEW.amount_usd_cents / 1000000000, NEW.amount_usd_cents % 1000000000, 1)
    ON CONFLICT (flow, month) DO UPDATE SET
        vnd_q = vnd_q + excluded.vnd_q, vnd_r = vnd_r + excluded.vnd_r,
        usd_q = usd_q + excluded.usd_q, usd_r = usd_r + excluded.usd_r, row_count = row_count + 1;
END;

CREATE TRIGGER disbursement_month_update AFTER UPDATE OF rate_id, amount_vnd, amount_usd_cents, status ON disbursement
BEGIN
    UPDATE month_money SET
        vnd_q = vnd_q - OLD.amount_vnd / 1000000000, vnd_r = vnd_r - OLD.amount_vnd % 1000000000,
        usd_q = usd_q - OLD.amount_usd_cents / 1000000000, usd_r = usd_r - OLD.amount_usd_cents % 1000000000,
        row_count = row_count - 1
    WHERE OLD.rate_id IS NOT NULL AND OLD.status IN ('verified', 'submitted')
      AND flow = CASE OLD.status WHEN 'verified' THEN 'disbursed' ELSE 'unverified' END
      AND month = substr(OLD.value_date, 1, 8) || '01';
    INSERT INTO month_money (flow, month, vnd_q, vnd_r, usd_q, usd_r, row_count)
    SELECT CASE NEW.status WHEN 'verified' THEN 'disbursed' ELSE 'unverified' END,
           substr(NEW.value_date, 1, 8) || '01',
           NEW.amount_vnd / 1000000000, NEW.amount_vnd % 1000000000,
           NEW.amount_usd_cents / 1000000000, NEW.amount_usd_cents % 1000000000, 1
    WHERE NEW.rate_id IS NOT NULL AND NEW.status IN ('verified', 'submitted')
    ON CONFLICT (flow, month) DO UPDATE SET
        vnd_q = vnd_q + excluded.vnd_q, vnd_r = vnd_r + excluded.vnd_r,
        usd_q = usd_q + excluded.usd_q, usd_r = usd_r + excluded.usd_r, row_count = row_count + 1;
END;
