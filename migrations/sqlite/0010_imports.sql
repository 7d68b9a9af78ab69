-- Uploaded imports: a spreadsheet (CSV or XLSX) or IATI XML file sent from the pages or the
-- API, kept with the preview its dry run gave, until someone applies it. The bytes live in
-- the database, not on one machine's disk, so the instance that applies an import need not be
-- the one that received it (PostgreSQL deployments run several). The PostgreSQL file of the
-- same number is the same schema.
--
-- `state`: `previewed` (the dry run found no error rows; it may be applied), `refused` (its
-- preview, at upload or when applying, has error rows; a corrected file is a new upload) or
-- `applied` (with who applied it and when). `organisation_id` is the NGO's for an upload by
-- NGO staff, which is what scopes the list; NULL for province staff. `preview` is the JSON
-- of the preview the pages and the API show: the latest dry run, or the applied import's;
-- its counts are columns too, so the list of imports does not read every preview.
CREATE TABLE imports (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('csv', 'xlsx', 'iati')),
    file_name       TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
    sha256          TEXT NOT NULL CHECK (length(sha256) = 64),
    size_bytes      INTEGER NOT NULL CHECK (size_bytes > 0),
    content         BLOB NOT NULL,
    uploaded_by     INTEGER REFERENCES app_user (id),
    uploaded_by_name TEXT NOT NULL,
    organisation_id INTEGER REFERENCES organisation (id),
    created_at      TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('previewed', 'applied', 'refused')),
    preview         TEXT NOT NULL,
    new_rows        INTEGER NOT NULL CHECK (new_rows >= 0),
    changed_rows    INTEGER NOT NULL CHECK (changed_rows >= 0),
    unchanged_rows  INTEGER NOT NULL CHECK (unchanged_rows >= 0),
    error_rows      INTEGER NOT NULL CHECK (error_rows >= 0),
    applied_at      TEXT,
    applied_by      INTEGER REFERENCES app_user (id),
    applied_by_name TEXT,
    CHECK (length(content) = size_bytes),
    CHECK ((state = 'applied') = (applied_at IS NOT NULL))
) STRICT;
CREATE INDEX imports_organisation ON imports (organisation_id, id);
