ALTER TABLE issued_report ADD COLUMN audit_entry_id BIGINT;
ALTER TABLE issued_report ADD COLUMN audit_head TEXT;
