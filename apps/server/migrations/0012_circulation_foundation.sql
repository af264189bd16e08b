-- Circulation: patrons, loan rules, branch calendars, loans and per-library settings.
-- Items stay in the catalog module (catalog_items.status); circulation refers to them by id.

-- Per library: quarantine after return (hours, 0 = none) and how long a ready hold waits.
create table circulation_library_settings (
  organization_id     uuid primary key,
  quarantine_hours    integer not null default 0 check (quarantine_hours between 0 and 8760),
  pickup_window_days  integer not null default 7 check (pickup_window_days between 1 and 365),
  updated_at          timestamptz not null default now()
);

create table circulation_patrons (
  id                 uuid primary key default gen_random_uuid(),
  organization_id    uuid not null,
  -- The person's account, for online self-service; null for a card-only patron.
  person_id          uuid,
  card_number        text not null check (card_number <> ''),
  category           text not null check (category in ('adult', 'child', 'senior', 'staff', 'institutional')),
  given_name         text not null,
  family_name        text not null,
  email              text,
  preferred_language text not null default 'en',
  expires_on         date not null,
  status             text not null default 'active' check (status in ('active', 'pending', 'closed')),
  -- Visible to staff only; never returned to the patron.
  staff_notes        text not null default '',
  keep_history       boolean not null default false,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  unique (organization_id, card_number),
  unique (organization_id, id)
);
create index circulation_patrons_person on circulation_patrons (person_id) where person_id is not null;
create index circulation_patrons_name on circulation_patrons (organization_id, lower(family_name), lower(given_name));

-- A patron is blocked while one of these rows is not lifted.
create table circulation_patron_blocks (
  id              uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  patron_id       uuid not null references circulation_patrons (id) on delete cascade,
  reason          text not null check (reason <> ''),
  blocked_by      uuid,
  blocked_at      timestamptz not null default now(),
  lifted_by       uuid,
  lifted_at       timestamptz
);
create index circulation_patron_blocks_open on circulation_patron_blocks (patron_id) where lifted_at is null;

-- Loan rules: library × patron category (null = any) × item type (null = any). The most specific
-- row wins: category and item type > category only > item type only > neither.
create table circulation_policies (
  id                  uuid primary key default gen_random_uuid(),
  organization_id     uuid not null,
  patron_category     text check (patron_category in ('adult', 'child', 'senior', 'staff', 'institutional')),
  item_type           text,
  loan_days           integer not null check (loan_days between 0 and 3650),
  renewals            integer not null default 2 check (renewals >= 0),
  hold_blocks_renewal boolean not null default true,
  max_loans           integer not null default 30 check (max_loans >= 0),
  holds_allowed       integer not null default 20 check (holds_allowed >= 0),
  -- null: fines-free.
  daily_fine          numeric(10, 2) check (daily_fine >= 0),
  fine_cap            numeric(10, 2) check (fine_cap >= 0),
  grace_days          integer not null default 0 check (grace_days >= 0),
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now()
);
create unique index circulation_policies_rule
  on circulation_policies (organization_id, coalesce(patron_category, ''), coalesce(item_type, ''));

-- Per branch: weekly opening hours (index 0 = Sunday … 6 = Saturday; null = closed that day) and
-- closed dates. Dates are calendar days in UTC.
create table circulation_calendars (
  branch_id       uuid primary key,
  organization_id uuid not null,
  weekly_hours    jsonb not null default '[null, {"open":"09:00","close":"18:00"}, {"open":"09:00","close":"18:00"}, {"open":"09:00","close":"18:00"}, {"open":"09:00","close":"18:00"}, {"open":"09:00","close":"18:00"}, {"open":"10:00","close":"16:00"}]'::jsonb,
  updated_at      timestamptz not null default now()
);
create table circulation_closed_dates (
  branch_id       uuid not null,
  organization_id uuid not null,
  closed_on       date not null,
  reason          text not null default '',
  primary key (branch_id, closed_on)
);

create table circulation_loans (
  id              uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  item_id         uuid not null,
  -- Null once the loan has ended, unless the patron keeps a reading history.
  patron_id       uuid references circulation_patrons (id) on delete set null,
  branch_id       uuid not null,
  checked_out_at  timestamptz not null,
  due_at          timestamptz not null,
  renewals        integer not null default 0,
  returned_at     timestamptz,
  returned_branch_id uuid,
  -- The rule that applied; null = the built-in default (no rule at the library matched).
  policy_id       uuid references circulation_policies (id) on delete set null,
  checked_out_by  uuid,
  returned_by     uuid
);
-- An item is never on loan twice.
create unique index circulation_loans_open_item on circulation_loans (item_id) where returned_at is null;
create index circulation_loans_open_patron on circulation_loans (patron_id) where returned_at is null;
create index circulation_loans_library on circulation_loans (organization_id, checked_out_at desc);
create index circulation_loans_item on circulation_loans (item_id, checked_out_at desc);

-- Where a returned item is, circulation-wise: in quarantine until a time, or in transit to a branch.
create table circulation_item_states (
  item_id           uuid primary key,
  organization_id   uuid not null,
  at_branch_id      uuid,
  quarantine_until  timestamptz,
  transit_to_branch_id uuid,
  updated_at        timestamptz not null default now()
);
create index circulation_item_states_quarantine on circulation_item_states (quarantine_until)
  where quarantine_until is not null;
