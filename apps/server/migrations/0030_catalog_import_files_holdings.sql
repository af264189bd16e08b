-- Catalog: an uploaded file says which holdings field its copies are read from, as the person who
-- uploaded it chose: 952, 852, 949 or none. Null for the automatic choice (the first of 952, 852
-- and 949 present in each record), which is also what uploads made before this column get.
alter table catalog_import_files
  add column holdings text check (holdings in ('952', '852', '949', 'none'));
