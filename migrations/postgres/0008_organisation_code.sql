-- A short stable code per organisation, so a spreadsheet can name an organisation in a way
-- that survives export and import into another database (ids do not). The application
-- assigns `ORG-0001`-style codes on create; an import may carry its own. Nullable as in the
-- SQLite schema (which cannot add a NOT NULL column without a default); every row has one
-- after this migration and every insert sets it in the same transaction.
ALTER TABLE organisation ADD COLUMN code TEXT CHECK (code IS NULL OR length(code) BETWEEN 1 AND 40);
-- lpad would cut a longer id to four digits, so only short ids are padded.
UPDATE organisation SET code = 'ORG-' || CASE WHEN id < 10000 THEN lpad(id::text, 4, '0') ELSE id::text END;
CREATE UNIQUE INDEX organisation_code ON organisation (code);
