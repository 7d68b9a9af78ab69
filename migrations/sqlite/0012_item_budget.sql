-- An aid item's budgets and planned disbursements, as IATI 2.03 publishes them: what the NGO
-- plans to spend per period, and when it plans to pay. They are plans, not money that moved,
-- so they sit apart from the ledger's money rows and are never summed into committed or
-- disbursed value. An IATI import holds an item's whole set (a newer file replaces it, with
-- one audit entry for the set), which is why rows here may be deleted, unlike money rows.
-- The PostgreSQL file of the same number is the same schema.
--
-- `kind`: `budget` (IATI <budget>) or `planned` (<planned-disbursement>). `type_code` is the
-- element's @type as published (IATI BudgetType, for both: 1 original, 2 revised), NULL when
-- the file gave none. `status_code` is a
-- budget's @status (1 indicative, 2 committed); a planned disbursement has none. A budget
-- needs its period-end (the schema says so); a planned disbursement may leave it open.
-- `amount_minor` is integer minor units of `currency` (ISO 4217 exponent), as in commitment.
CREATE TABLE item_budget (
    id           INTEGER PRIMARY KEY,
    item_id      INTEGER NOT NULL REFERENCES aid_item (id),
    kind         TEXT NOT NULL CHECK (kind IN ('budget', 'planned')),
    type_code    TEXT CHECK (type_code IS NULL OR type_code IN ('1', '2')),
    status_code  TEXT CHECK (status_code IS NULL OR (kind = 'budget' AND status_code IN ('1', '2'))),
    period_start TEXT NOT NULL,
    period_end   TEXT,
    currency     TEXT NOT NULL CHECK (length(currency) = 3),
    amount_minor INTEGER NOT NULL,
    value_date   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    CHECK (kind = 'planned' OR period_end IS NOT NULL),
    CHECK (period_end IS NULL OR period_end >= period_start)
) STRICT;
CREATE INDEX item_budget_item ON item_budget (item_id, kind, period_start);
