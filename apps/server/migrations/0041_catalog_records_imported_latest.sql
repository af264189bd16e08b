-- Catalog: an old file re-imported does not undo staff edits. An import skips a record older than
-- the stored version by their 005 (date and time of latest transaction), but a record staff had
-- edited was compared by content alone (0029), so loading an old export by mistake replaced every
-- edited record with its older version while leaving the unedited ones alone. The 005 of the
-- version last imported is now kept beside its hash when staff first edit the record, and an
-- import compares with it. Null while a record is as it was imported (its own 005 serves), for
-- records created in the editor, and for imported versions without a 005.
alter table catalog_records
  add column imported_latest text;

-- Records edited before this: the editor leaves 005 as it was, so the stored 005 is the imported
-- version's unless someone changed it by hand, which is the best there is.
update catalog_records r
set imported_latest = (
  select f->>'value' from json_array_elements(r.marc->'fields') f where f->>'tag' = '005' limit 1
)
where r.imported_hash is not null;
