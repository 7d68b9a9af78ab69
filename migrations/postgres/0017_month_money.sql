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

-- Adds (sign 1) or takes away (sign -1) one money row's converted amounts.
CREATE FUNCTION aidledger_month_money_apply(p_flow TEXT, p_day DATE, p_vnd BIGINT, p_usd BIGINT, p_sign BIGINT)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO month_money AS m (flow, month, vnd_q, vnd_r, usd_q, usd_r, row_count)
    VALUES (p_flow, CAST(date_trunc('month', p_day) AS DATE),
            p_sign * (p_vnd / 1000000000), p_sign * (p_vnd % 1000000000),
            p_sign * (p_usd / 1000000000), p_sign * (p_usd % 1000000000), p_sign)
    ON CONFLICT (flow, month) DO UPDATE SET
        vnd_q = m.vnd_q + EXCLUDED.vnd_q, vnd_r = m.vnd_r + EXCLUDED.vnd_r,
        usd_q = m.usd_q + EXCLUDED.usd_q, usd_r = m.usd_r + EXCLUDED.usd_r,
        row_count = m.row_count + EXCLUDED.row_count;
$$;

CREATE FUNCTION aidledger_commitment_month() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.rate_id IS NOT NULL THEN
        PERFORM aidledger_month_money_apply('committed', OLD.commitment_date, OLD.amount_vnd, OLD.amount_usd_cents, -1);
    END IF;
    IF NEW.rate_id IS NOT NULL THEN
        PERFORM aidledger_month_money_apply('committed', NEW.commitment_date, NEW.amount_vnd, NEW.amount_usd_cents, 1);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION aidledger_disbursement_month() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.rate_id IS NOT NULL AND OLD.status IN ('verified', 'submitted') THEN
        PERFORM aidledger_month_money_apply(CASE OLD.status WHEN 'verified' THEN 'disbursed' ELSE 'unverified' END,
                                            OLD.value_date, OLD.amount_vnd, OLD.amount_usd_cents, -1);
    END IF;
    IF NEW.rate_id IS NOT NULL AND NEW.status IN ('verified', 'submitted') THEN
        PERFORM aidledger_month_money_apply(CASE NEW.status WHEN 'verified' THEN 'disbursed' ELSE 'unverified' END,
                                            NEW.value_date, NEW.amount_vnd, NEW.amount_usd_cents, 1);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER commitment_month AFTER INSERT OR UPDATE OF rate_id, amount_vnd, amount_usd_cents ON commitment
    FOR EACH ROW EXECUTE FUNCTION aidledger_commitment_month();
CREATE TRIGGER disbursement_month AFTER INSERT OR UPDATE OF rate_id, amount_vnd, amount_usd_cents, status ON disbursement
    FOR EACH ROW EXECUTE FUNCTION aidledger_disbursement_month();
