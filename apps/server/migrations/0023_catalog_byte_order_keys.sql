-- Catalog: identifier columns compared byte by byte.

-- Record keys, matching keys, barcodes and subject terms are identifiers, looked up by equality
-- (and matching keys by prefix range, 'year:' up to 'year;'), never sorted for people to read.
-- Under the database's locale every comparison in their indexes went through the C library's
-- collation (strcoll), which on a bulk import was about a tenth of a record's insert; the "C"
-- collation compares bytes, and gives the same order whatever locale the cluster was made with.
alter table catalog_records alter column record_key type text collate "C";
alter table catalog_work_keys alter column key type text collate "C";
alter table catalog_items alter column barcode type text collate "C";
alter table catalog_search.record_subject_terms alter column term type text collate "C";
