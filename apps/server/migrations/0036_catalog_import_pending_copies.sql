-- Catalog: the copies of a batch an import stores in a transaction of their own. On PostgreSQL an
-- import stores a batch's records in one transaction and its copies in a second, on a second
-- connection, while the next batch's records are stored: the copies (their JSON) are written here
-- with the records, and the second transaction stores them and deletes the row. A row left behind
-- (the process ended between the two) is stored by the next import, once no live process holds
-- the run's lock (a session-level advisory lock on `run_token`).
create table catalog_import_pending_copies (
  id bigint generated always as identity primary key,
  run_token uuid not null,
  organization_id uuid not null,
  items text not null,
  created_at timestamptz not null default now()
);
-- Written once, read at most once: not worth compressing.
alter table catalog_import_pending_copies alter column items set storage external;
create index catalog_import_pending_copies_run on catalog_import_pending_copies (run_token, id);
