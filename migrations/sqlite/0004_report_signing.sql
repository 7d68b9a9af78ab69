ALTER TABLE issued_report ADD COLUMN audit_entry_id INTEGER;
ALTER TABLE issued_report ADD COLUMN audit_head TEXT;
