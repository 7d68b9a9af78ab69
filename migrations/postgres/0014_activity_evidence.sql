-- Evidence documents on promotion activities: the invitation, the minutes, the photographs of
-- a conference or a delegation's visit, attached as a disbursement's or a milestone's files
-- are. The SQLite file of the same number is the same schema.
--
-- A document still belongs to exactly one record, now a disbursement, a milestone or a
-- promotion activity: the two-way check of 0006 becomes "exactly one of the three". Every
-- stored document keeps its row and id; none has an activity yet.
ALTER TABLE evidence_document ADD COLUMN activity_id BIGINT REFERENCES promotion_activity (id);
ALTER TABLE evidence_document DROP CONSTRAINT evidence_document_check;
ALTER TABLE evidence_document ADD CONSTRAINT evidence_document_one_record CHECK (
    (disbursement_id IS NOT NULL)::int + (milestone_id IS NOT NULL)::int + (activity_id IS NOT NULL)::int = 1
);
CREATE INDEX evidence_document_activity ON evidence_document (activity_id);
