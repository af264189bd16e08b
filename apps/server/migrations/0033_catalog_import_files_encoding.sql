-- Catalog: an uploaded file says which character set its ISO 2709 records are decoded from, as the
-- person who uploaded it chose, for files whose leaders (leader/09) or UNIMARC field 100 say it
-- wrongly. Null for the automatic choice (what each record says), which is also what uploads made
-- before this column get.
alter table catalog_import_files
  add column encoding text check (encoding in ('utf-8', 'marc-8', 'iso-5426', 'windows-1251', 'iso-8859-1'));
