-- Interop: OAI-PMH harvest sources and their progress. A source is a repository (base URL,
-- metadata prefix, set) harvested into one library. `last_datestamp` makes harvests incremental;
-- `resumption_token` (with the harvest's `harvest_from` and the greatest datestamp seen so far)
-- lets a harvest that was interrupted continue where it stopped.
create table interop_harvest_sources (
  id                    uuid primary key default gen_random_uuid(),
  organization_id       uuid not null,
  base_url              text not null,
  metadata_prefix       text not null check (metadata_prefix in ('marc21', 'oai_dc')),
  set_spec              text not null default '',
  last_datestamp        text,
  resumption_token      text,
  harvest_from          text,
  harvest_max_datestamp text,
  status                text not null default 'idle' check (status in ('idle', 'running', 'failed')),
  last_error            text,
  harvested             integer not null default 0,
  deleted               integer not null default 0,
  last_harvest_at       timestamptz,
  created_at            timestamptz not null default now(),
  updated_at            timestamptz not null default now(),
  unique (organization_id, base_url, metadata_prefix, set_spec)
);
