-- The audit entry's hash loses its UNIQUE index: see the SQLite file of the same number.
ALTER TABLE audit_entry DROP CONSTRAINT audit_entry_hash_key;
