-- Evidence documents on promotion activities: the invitation, the minutes, the photographs of
-- a conference or a delegation's visit, attached as a disbursement's or a milestone's files
-- are. The PostgreSQL file of the same number is the same schema.
--
-- A document still belongs to exactly one record, now a disbursement, a milestone or a
-- promotion activity: the two-way check of 0006 becomes "exactly one of the three". SQLite
-- cannot change a table's CHECK, so the table is rebuilt with the same rows and ids (the
-- bytes are copied once, inside the migration's transaction) and its two indexes come back
-- with the new one. Nothing references evidence_document by key, and it has no triggers.
CREATE TABLE evidence_document_new (
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
    activity_id     INTEGER REFERENCES promotion_activity (id),
    CHECK ((disbursement_id IS NOT NULL) + (milestone_id IS NOT NULL) + (activity_id IS NOT NULL) = 1),
    CHECK (length(content) = size_bytes)
) STRICT;
INSERT INTO evidence_document_new (id, disbursement_id, milestone_id, file_name, content_type, size_bytes, sha256,
                                   content, uploaded_by, uploaded_by_name, uploaded_at, activity_id)
    SELECT id, disbursement_id, milestone_id, file_name, content_type, size_bytes, sha256,
           content, uploaded_by, uploaded_by_name, uploaded_at, NULL FROM evidence_document ORDER BY id;
DROP TABLE evidence_document;
ALTER TABLE evidence_document_new RENAME TO evidence_document;
CREATE INDEX evidence_document_disbursement ON evidence_document (disbursement_id);
CREATE INDEX evidence_document_milestone ON evidence_document (milestone_id);
CREATE INDEX evidence_document_activity ON evidence_document (activity_id);
