-- Evidence documents: the files (PDF, JPEG, PNG) attached to a disbursement or a milestone, by
-- the NGO that reports it or by a coordinator. The bytes live in the database, not on disk, so
-- a backup of the database holds them and a restore brings them back. The PostgreSQL file of
-- the same number is the same schema.
--
-- A document belongs to exactly one record: a disbursement or a milestone. Its type is the one
-- found by reading its content (never the name or the type the browser declared), its size and
-- SHA-256 are of the stored bytes, and who attached it is kept by id and by name (the name as
-- written in the audit trail, so a system import is named too).
CREATE TABLE evidence_document (
    id              INTEGER PRIMARY KEY,
    disbursement_id INTEGER REFERENCES disbursement (id),
    milestone_id    INTEGER REFERENCES milestone (id),
    file_name       TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
    content_type    TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size_bytes      INTEGER NOT NULL CHECK (size_bytes > 0),
    sha256          TEXT NOT NULL CHECK (length(sha256) = 64),
    content         BLOB NOT NULL,
    uploaded_by     INTEGER REFERENCES app_user (id),
    uploaded_by_name TEXT NOT NULL,
    uploaded_at     TEXT NOT NULL,
    CHECK ((disbursement_id IS NULL) <> (milestone_id IS NULL)),
    CHECK (length(content) = size_bytes)
) STRICT;
CREATE INDEX evidence_document_disbursement ON evidence_document (disbursement_id);
CREATE INDEX evidence_document_milestone ON evidence_document (milestone_id);
