-- The IATI activity identifier an aid item was imported under (or is published under), so a
-- re-import of a newer file finds the item it already made instead of adding it again, and
-- the export writes the identifier the world already knows. Nullable: items entered by hand
-- have none (the export then builds one from the NGO's identifier and the item code).
ALTER TABLE aid_item ADD COLUMN iati_identifier TEXT CHECK (iati_identifier IS NULL OR length(iati_identifier) BETWEEN 1 AND 200);
CREATE UNIQUE INDEX aid_item_iati_identifier ON aid_item (iati_identifier);
