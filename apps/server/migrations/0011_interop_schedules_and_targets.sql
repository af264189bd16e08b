-- Interop: harvest sources configured by staff, with a schedule and the status of their runs;
-- remote SRU targets for copy cataloguing; the keyset index behind OAI-PMH list pages.

-- A source now has a name, a schedule (manual, every N hours, or daily at HH:MM UTC) and the
-- next time it is due. A run claims the source (claimed_until: a lease, so a crashed server's
-- claim runs out) with FOR UPDATE SKIP LOCKED; failures back off (consecutive_failures).
alter table interop_harvest_sources
  add column name                 text not null default '',
  add column schedule_kind        text not null default 'manual' check (schedule_kind in ('manual', 'interval', 'daily')),
  add column interval_hours       integer check (interval_hours between 1 and 744),
  add column daily_at             text check (daily_at ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  add column enabled              boolean not null default true,
  add column next_run_at          timestamptz,
  add column claimed_until        timestamptz,
  add column claimed_by           text,
  add column consecutive_failures integer not null default 0,
  add column last_error_at        timestamptz,
  add column last_run_started_at  timestamptz,
  add column last_run_finished_at timestamptz,
  add column last_added           integer not null default 0,
  add column last_updated         integer not null default 0,
  add column last_deleted         integer not null default 0,
  add column last_records         integer not null default 0,
  add constraint interop_harvest_sources_schedule check (
    (schedule_kind = 'manual' and interval_hours is null and daily_at is null)
    or (schedule_kind = 'interval' and interval_hours is not null and daily_at is null)
    or (schedule_kind = 'daily' and daily_at is not null and interval_hours is null)
  );

-- The scheduler's question: which sources are due? (A disabled source has no next run unless
-- staff asked for one now.)
create index interop_harvest_sources_due on interop_harvest_sources (next_run_at) where next_run_at is not null;
create index interop_harvest_sources_library on interop_harvest_sources (organization_id, created_at);

-- Remote SRU servers a library copies records from.
create table interop_copy_targets (
  id              uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  name            text not null,
  base_url        text not null,
  sru_version     text not null default '1.2' check (sru_version in ('1.2', '2.0')),
  record_schema   text not null default 'marcxml' check (record_schema in ('marcxml')),
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  unique (organization_id, name)
);

-- OAI-PMH lists are keyset pages on (updated_at, id): with both columns in one index the row
-- comparison `(updated_at, id) > (…)` is an index condition and the order needs no sort, even
-- where one import batch gave thousands of records the same updated_at.
create index catalog_records_updated_id on catalog_records (updated_at, id);
