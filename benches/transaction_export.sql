-- Fills a demo SQLite database (`aidledger demo`) with generated money rows for the
-- transaction-export benchmark: @rows rows in all, 10 % commitments, 2 % pledges and the rest
-- disbursements, each with the audit entry an action would have written for it, so the export's
-- per-row audit lookup runs against an audit table of the same size. Run by
-- benches/transaction_export.sh, which sets @rows (`.parameter set @rows N`).
--
-- The rows obey every CHECK of the schema (sign rules, converted-or-unconverted, four eyes)
-- and point at the demo's items, rates and users. Dates are scattered over 2007-2026 so the
-- export really has to sort. The audit entries are not hash-chained (the export never reads
-- hashes; `audit verify` on this file will rightly call it broken): never do this to a real
-- database.

PRAGMA foreign_keys = ON;
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;

CREATE TEMP TABLE mark AS SELECT
    (SELECT COALESCE(MAX(id), 0) FROM commitment) AS c,
    (SELECT COALESCE(MAX(id), 0) FROM disbursement) AS d,
    (SELECT COALESCE(MAX(id), 0) FROM pledge) AS p,
    (SELECT COUNT(*) FROM aid_item) AS items,
    (SELECT COUNT(*) FROM exchange_rate) AS rates,
    (SELECT COUNT(*) FROM app_user) AS users;

BEGIN;

INSERT INTO commitment (item_id, kind, amount_minor, currency, commitment_date, reference, entered_by, created_at,
                        rate_id, amount_vnd, amount_usd_cents, unconverted_reason)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @rows / 10)
SELECT 1 + i % mark.items,
       CASE WHEN i % 10 = 0 THEN 'amendment' ELSE 'original' END,
       100000 + i * 7919 % 9000000,
       substr('USDEURVNDJPYKRWAUD', 1 + 3 * (i % 6), 3),
       date('2007-01-01', '+' || (i * 37 % 7300) || ' days'),
       CASE WHEN i % 3 = 0 THEN 'HĐ-' || i END,
       CASE WHEN i % 2 = 0 THEN 1 + i % mark.users END,
       '2026-01-01T00:00:00.000000Z',
       CASE WHEN i % 20 <> 0 THEN 1 + i % mark.rates END,
       CASE WHEN i % 20 <> 0 THEN (100000 + i * 7919 % 9000000) * 25 END,
       CASE WHEN i % 20 <> 0 THEN 100000 + i * 7919 % 9000000 END,
       CASE WHEN i % 20 = 0 THEN 'no exchange rate for the currency within 31 days of the date' END
FROM n, mark;

INSERT INTO disbursement (item_id, amount_minor, currency, value_date, tranche, milestone_id, reverses_id, status,
                          entered_by, verified_by, verified_at, created_at, rate_id, amount_vnd, amount_usd_cents, unconverted_reason)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @rows - @rows / 10 - @rows / 50)
SELECT 1 + i % mark.items,
       1000 + i * 104729 % 5000000,
       substr('USDEURVNDJPYKRWAUD', 1 + 3 * (i % 6), 3),
       date('2007-01-01', '+' || (i * 53 % 7300) || ' days'),
       1 + i % 12, NULL, NULL,
       CASE i % 33 WHEN 0 THEN 'draft' WHEN 1 THEN 'submitted' WHEN 2 THEN 'rejected' ELSE 'verified' END,
       1 + i % mark.users,
       CASE WHEN i % 33 > 2 THEN 1 + (i + 1) % mark.users END,
       CASE WHEN i % 33 > 2 THEN '2026-01-02T00:00:00.000000Z' END,
       '2026-01-01T00:00:00.000000Z',
       CASE WHEN i % 20 <> 0 THEN 1 + i % mark.rates END,
       CASE WHEN i % 20 <> 0 THEN (1000 + i * 104729 % 5000000) * 25 END,
       CASE WHEN i % 20 <> 0 THEN 1000 + i * 104729 % 5000000 END,
       CASE WHEN i % 20 = 0 THEN 'no exchange rate for the currency within 31 days of the date' END
FROM n, mark;

INSERT INTO pledge (donor_id, item_id, amount_minor, currency, pledge_date, note, entered_by, created_at)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @rows / 50)
SELECT a.donor_id,
       CASE WHEN i % 4 <> 0 THEN a.id END,
       500000 + i * 7919 % 90000000,
       substr('USDEURVNDJPYKRWAUD', 1 + 3 * (i % 6), 3),
       date('2007-01-01', '+' || (i * 71 % 7300) || ' days'),
       NULL,
       1 + i % mark.users,
       '2026-01-01T00:00:00.000000Z'
FROM n, mark JOIN aid_item a ON a.id = 1 + n.i % mark.items;

-- One creation entry per new row, as the recording actions write them.
INSERT INTO audit_entry (at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash)
SELECT '2026-01-01T00:00:00.000000Z', NULL, 'system:bench', t || '.record', t, CAST(id AS TEXT), NULL, '{}', '', 'bench:' || t || ':' || id
FROM (SELECT 'commitment' AS t, id FROM commitment WHERE id > (SELECT c FROM mark)
      UNION ALL SELECT 'disbursement', id FROM disbursement WHERE id > (SELECT d FROM mark)
      UNION ALL SELECT 'pledge', id FROM pledge WHERE id > (SELECT p FROM mark))
ORDER BY 1, 2;

COMMIT;
ANALYZE;
PRAGMA wal_checkpoint(TRUNCATE);

SELECT 'commitments ' || (SELECT COUNT(*) FROM commitment) || ', disbursements ' || (SELECT COUNT(*) FROM disbursement)
    || ', pledges ' || (SELECT COUNT(*) FROM pledge) || ', audit entries ' || (SELECT COUNT(*) FROM audit_entry);
