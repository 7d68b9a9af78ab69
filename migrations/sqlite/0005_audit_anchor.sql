-- The outcome of each audit verification. The newest row says where the chain was last found
-- intact (entry id, hash and count, and the highest row id of each checked table), so start-up
-- verifies only what came after it; a 'broken' newest row makes every audited write refuse
-- until a full `aidledger audit verify` finds the trail intact again.
CREATE TABLE audit_checkpoint (
    id          INTEGER PRIMARY KEY,
    checked_at  TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('intact', 'broken')),
    reason      TEXT,
    -- The newest entry verified (NULL while the trail is empty), its hash and the entry count.
    entry_id    INTEGER,
    entry_hash  TEXT,
    entries     INTEGER NOT NULL,
    -- JSON object: table name -> highest id checked.
    row_marks   TEXT NOT NULL,
    CHECK ((outcome = 'broken') = (reason IS NOT NULL))
) STRICT;
