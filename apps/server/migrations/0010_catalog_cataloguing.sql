-- Catalog: staff cataloguing. Items get a free-text note for staff. (Record edits are written to
-- the audit log with who and when; the record's content hash is its version for optimistic
-- concurrency, so no column is needed for it.)
alter table catalog_items add column notes text;
