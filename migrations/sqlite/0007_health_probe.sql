-- One row that `/healthz` rewrites and commits, at most once a second: a write that rolls back
-- never reaches the disk, so only a committed one shows a full disk or a file that has become
-- unwritable. It holds no business data and is neither audited nor backed up on purpose.
CREATE TABLE health_probe (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    probed_at  TEXT NOT NULL
) STRICT;
