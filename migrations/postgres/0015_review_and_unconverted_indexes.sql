-- Indexes for the reads that once scanned every disbursement at national scale (a million
-- rows). The other engine's file of the same number is the same schema.
--
-- disbursement_status: the reviewer queue and the dashboard ask for the rows in one review
-- state (COUNT, and a page of them oldest value date first, continuing after the last row
-- seen). With the state first and the value date second, both read only that state's
-- entries, already in the queue's order.
CREATE INDEX disbursement_status ON disbursement (status, value_date);

-- The rows without a usable exchange rate are few (a rate missing for a currency and a
-- date); the dashboard lists them over all dates. Partial indexes hold only those rows, so
-- the list costs what it returns instead of a walk through the date index. A row leaves
-- them when it is converted (rate_id set).
CREATE INDEX disbursement_unconverted ON disbursement (status, value_date) WHERE rate_id IS NULL;
CREATE INDEX commitment_unconverted ON commitment (commitment_date) WHERE rate_id IS NULL;
