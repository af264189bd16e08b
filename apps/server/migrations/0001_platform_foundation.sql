-- Platform: extensions, the job queue, the e-mail outbox and the audit log.
create extension if not exists citext;
create extension if not exists pg_trgm;
create extension if not exists unaccent;

create table jobs (
  id            bigint generated always as identity primary key,
  queue         text not null,
  payload       jsonb not null default '{}'::jsonb,
  status        text not null default 'queued'
                check (status in ('queued', 'running', 'done', 'failed')),
  run_at        timestamptz not null default now(),
  attempts      integer not null default 0,
  max_attempts  integer not null default 5 check (max_attempts > 0),
  locked_by     text,
  locked_until  timestamptz,
  last_error    text,
  dedupe_key    text,
  created_at    timestamptz not null default now(),
  finished_at   timestamptz
);
-- The worker's hot path: runnable jobs in order.
create index jobs_runnable on jobs (run_at) where status in ('queued', 'running');
create unique index jobs_dedupe on jobs (queue, dedupe_key)
  where dedupe_key is not null and status in ('queued', 'running');

create table emails (
  id            uuid primary key default gen_random_uuid(),
  to_address    text not null,
  subject       text not null,
  body_text     text not null,
  body_html     text,
  locale        text not null default 'en',
  status        text not null default 'queued'
                check (status in ('queued', 'sent', 'outbox', 'failed')),
  error         text,
  created_at    timestamptz not null default now(),
  delivered_at  timestamptz
);
create index emails_created on emails (created_at desc);
create index emails_to on emails (lower(to_address), created_at desc);

create table audit_log (
  id               bigint generated always as identity primary key,
  organization_id  uuid,
  actor_id         uuid,
  action           text not null,
  subject          jsonb not null default '{}'::jsonb,
  at               timestamptz not null default now()
);
create index audit_log_org on audit_log (organization_id, at desc);
