-- Who signed an issued report, whom it was sent to, and the audit entry it witnesses.
--
-- audit_entry_id / audit_head: the id and hash of the newest audit entry at the moment the
-- report was rendered (before the report's own audit entry), printed in its footer so the
-- signed paper anchors the hash chain; `audit verify` checks every anchor. NULL when the audit
-- trail was empty, and for reports issued before this migration.
-- signer_name / signer_lines / recipients: the signature block and "Nơi nhận" as printed
-- (lines separated by a newline), so the archive shows who signed without opening the PDF.
-- ADD COLUMN leaves the append-only triggers of 0002 in force.
ALTER TABLE issued_report ADD COLUMN audit_entry_id INTEGER;
ALTER TABLE issued_report ADD COLUMN audit_head TEXT CHECK (audit_head IS NULL OR length(audit_head) = 64);
ALTER TABLE issued_report ADD COLUMN signer_name TEXT;
ALTER TABLE issued_report ADD COLUMN signer_lines TEXT;
ALTER TABLE issued_report ADD COLUMN recipients TEXT;
