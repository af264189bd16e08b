-- Catalog: staff edits survive re-imports. When staff edit an imported record, the content hash of
-- the version last imported is kept here; an import compares its records with it (rather than with
-- the edited content), so re-importing the same file, nightly say, leaves the edit in place, while
-- a newer version from the source (another hash) replaces the record and clears this. Null while a
-- record is as it was imported, and for records created in the editor.
alter table catalog_records
  add column imported_hash text;
