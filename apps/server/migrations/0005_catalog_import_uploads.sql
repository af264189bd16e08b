-- Catalog: files uploaded from the staff web app for import. The import run itself is a row of
-- catalog_imports (status, counts, rejects); this row adds where the uploaded file is kept until
-- the background job has read it, its size, and how far the job has read (the progress bar).
create table catalog_import_files (
  import_id        uuid primary key references catalog_imports (id) on delete cascade,
  organization_id  uuid not null,
  stored_name      text not null,
  size_bytes       bigint not null,
  bytes_read       bigint not null default 0,
  removed_at       timestamptz
);
