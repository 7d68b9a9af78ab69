-- Who signed an issued report, whom it was sent to, and the audit entry it witnesses (see the
-- SQLite twin for the reasons). ADD COLUMN leaves the append-only triggers of 0002 in force.
ALTER TABLE issued_report ADD COLUMN audit_entry_id BIGINT;
ALTER TABLE issued_report ADD COLUMN audit_head TEXT CHECK (audit_head IS NULL OR length(audit_head) = 64);
ALTER TABLE issued_report ADD COLUMN signer_name TEXT;
ALTER TABLE issued_report ADD COLUMN signer_lines TEXT;
ALTER TABLE issued_report ADD COLUMN recipients TEXT;
