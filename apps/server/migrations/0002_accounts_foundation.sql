-- Accounts: organizations and how they belong together, people, roles, sessions and tokens.
create table organizations (
  id              uuid primary key default gen_random_uuid(),
  code            text not null unique check (code ~ '^[A-Z0-9][A-Z0-9-]{1,31}$'),
  kind            text not null check (kind in ('alliance', 'association', 'library', 'branch')),
  parent_id       uuid references organizations (id),
  names           jsonb not null check (jsonb_typeof(names) = 'object' and names <> '{}'::jsonb),
  country         char(2) not null check (country ~ '^[A-Z]{2}$'),
  address         jsonb not null default '{}'::jsonb,
  latitude        double precision check (latitude between -90 and 90),
  longitude       double precision check (longitude between -180 and 180),
  website         text,
  email           text,
  phone           text,
  opening_hours   jsonb,
  search_text     text not null default '',
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  -- A branch belongs to exactly one library; nothing else has a parent.
  check ((kind = 'branch') = (parent_id is not null))
);
create index organizations_kind_country on organizations (kind, country);
create index organizations_parent on organizations (parent_id);
create index organizations_search on organizations using gin (search_text gin_trgm_ops);

-- Library -> association, association -> alliance (a library may join several associations).
create table organization_affiliations (
  member_id   uuid not null references organizations (id) on delete cascade,
  group_id    uuid not null references organizations (id) on delete cascade,
  since       date,
  primary key (member_id, group_id),
  check (member_id <> group_id)
);
create index organization_affiliations_group on organization_affiliations (group_id);

create table people (
  id                 uuid primary key default gen_random_uuid(),
  email              citext not null unique,
  display_name       text not null,
  password_hash      text not null,
  locale             text not null default 'en',
  email_verified_at  timestamptz,
  is_platform_admin  boolean not null default false,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now()
);

create table role_grants (
  id               uuid primary key default gen_random_uuid(),
  person_id        uuid not null references people (id) on delete cascade,
  organization_id  uuid not null references organizations (id) on delete cascade,
  role             text not null check (role in ('patron', 'staff', 'admin', 'member', 'officer')),
  granted_by       uuid references people (id) on delete set null,
  granted_at       timestamptz not null default now(),
  unique (person_id, organization_id, role)
);
create index role_grants_org on role_grants (organization_id, role);

create table sessions (
  id            uuid primary key default gen_random_uuid(),
  person_id     uuid not null references people (id) on delete cascade,
  token_hash    text not null unique,
  csrf_token    text not null,
  user_agent    text,
  ip            text,
  created_at    timestamptz not null default now(),
  last_seen_at  timestamptz not null default now(),
  expires_at    timestamptz not null
);
create index sessions_person on sessions (person_id);

-- One-time tokens sent by e-mail: address verification and password reset.
create table person_tokens (
  token_hash  text primary key,
  person_id   uuid not null references people (id) on delete cascade,
  purpose     text not null check (purpose in ('verify_email', 'reset_password')),
  expires_at  timestamptz not null,
  used_at     timestamptz,
  created_at  timestamptz not null default now()
);
create index person_tokens_person on person_tokens (person_id, purpose);

create table api_tokens (
  id            uuid primary key default gen_random_uuid(),
  person_id     uuid not null references people (id) on delete cascade,
  name          text not null,
  token_hash    text not null unique,
  prefix        text not null,
  scopes        jsonb not null default '[]'::jsonb,
  created_at    timestamptz not null default now(),
  last_used_at  timestamptz,
  revoked_at    timestamptz
);
create index api_tokens_person on api_tokens (person_id);

create table login_failures (
  id     bigint generated always as identity primary key,
  email  citext not null,
  ip     text not null,
  at     timestamptz not null default now()
);
create index login_failures_email on login_failures (email, at desc);
create index login_failures_ip on login_failures (ip, at desc);
