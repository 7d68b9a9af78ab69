-- The audit entry's hash loses its UNIQUE index. Nothing looks an entry up by its hash (report
-- anchors and checkpoints name the entry's id), and the chain already makes every hash
-- depend on all entries before it, which `audit verify` checks. The index cost more than
-- anything else an import writes per row: SHA-256 keys land on random pages of a B-tree as
-- large as the trail, a fifth of a million-row import's time (measured, BENCHMARKS.md).
-- SQLite cannot drop a column's constraint, so the table is rebuilt with the same rows and
-- ids; its index and its two triggers come back as they were. Nothing references it by key.
CREATE TABLE audit_entry_new (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor_id  INTEGER REFERENCES app_user (id),
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before    TEXT,
    after     TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;
INSERT INTO audit_entry_new (id, at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash)
    SELECT id, at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash FROM audit_entry ORDER BY id;
DROP TABLE audit_entry;
ALTER TABLE audit_entry_new RENAME TO audit_entry;
CREATE INDEX audit_entity ON audit_entry (entity, entity_id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_entry
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_entry
BEGIN SELECT RAISE(ABORT, 'audit entries are never deleted'); END;
