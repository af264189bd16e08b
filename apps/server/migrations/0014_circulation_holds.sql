-- Circulation: holds and their queue, click-and-collect pickup slots, inter-library loans and
-- patrons' notification choices. Copies (catalog_items) and works stay the catalog's; these rows
-- refer to them by id.

create table circulation_holds (
  id                uuid primary key default gen_random_uuid(),
  -- The patron's home library (whose staff manage the hold).
  organization_id   uuid not null,
  patron_id         uuid not null references circulation_patrons (id) on delete cascade,
  level             text not null check (level in ('title', 'item')),
  work_id           uuid not null,
  -- Item level: the one copy wanted. Title level: null.
  item_id           uuid,
  -- Title level: the editions (catalog_records) the patron accepts; null = any edition.
  record_ids        uuid[],
  -- The libraries whose copies may fill it (the patron's library and its network when placed).
  source_library_ids uuid[] not null,
  pickup_branch_id  uuid not null,
  -- waiting: in the queue; pull: a copy on a shelf is set aside to be pulled; in_transit: on its
  -- way to the pickup branch; ready: on the hold shelf; then one of the closed statuses.
  status            text not null default 'waiting'
                    check (status in ('waiting', 'pull', 'in_transit', 'ready', 'fulfilled', 'cancelled', 'expired')),
  suspended_until   timestamptz,
  -- The copy that fills the hold (pull, in transit, ready; kept afterwards for the staff lists).
  trapped_item_id   uuid,
  trapped_library_id uuid,
  trapped_at        timestamptz,
  ready_at          timestamptz,
  -- The end of the pickup window (ready holds).
  expires_at        timestamptz,
  placed_at         timestamptz not null,
  closed_at         timestamptz,
  -- An expired hold whose copy staff have taken off the hold shelf.
  cleared_at        timestamptz,
  cancel_reason     text,
  placed_by         uuid,
  check ((level = 'item') = (item_id is not null)),
  check ((status in ('pull', 'in_transit', 'ready')) <= (trapped_item_id is not null)),
  check ((status = 'ready') <= (expires_at is not null))
);
-- A copy never fills two holds.
create unique index circulation_holds_one_trap on circulation_holds (trapped_item_id)
  where status in ('pull', 'in_transit', 'ready');
-- One open hold per patron and work.
create unique index circulation_holds_one_per_work on circulation_holds (patron_id, work_id)
  where status in ('waiting', 'pull', 'in_transit', 'ready');
create index circulation_holds_queue_work on circulation_holds (work_id, placed_at) where status = 'waiting';
create index circulation_holds_queue_item on circulation_holds (item_id) where status = 'waiting' and item_id is not null;
create index circulation_holds_patron on circulation_holds (patron_id, placed_at desc);
create index circulation_holds_pickup on circulation_holds (pickup_branch_id, status);
create index circulation_holds_library on circulation_holds (organization_id, status);
create index circulation_holds_trapped_library on circulation_holds (trapped_library_id, status) where trapped_item_id is not null;

-- Click-and-collect: a branch's weekly slots (UTC times) with a capacity each.
create table circulation_pickup_slots (
  id              uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  branch_id       uuid not null,
  weekday         smallint not null check (weekday between 0 and 6),
  start_time      time not null,
  end_time        time not null,
  capacity        integer not null check (capacity between 1 and 1000),
  active          boolean not null default true,
  created_at      timestamptz not null default now(),
  check (end_time > start_time)
);
create index circulation_pickup_slots_branch on circulation_pickup_slots (branch_id, weekday) where active;

-- A booking of one slot on one day for one ready hold. Capacity is checked under a lock on the
-- slot row (select … for update), so concurrent bookings of the last place cannot both succeed.
create table circulation_pickup_bookings (
  id              uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  slot_id         uuid not null references circulation_pickup_slots (id) on delete cascade,
  slot_date       date not null,
  hold_id         uuid not null references circulation_holds (id) on delete cascade,
  patron_id       uuid not null references circulation_patrons (id) on delete cascade,
  starts_at       timestamptz not null,
  created_at      timestamptz not null default now(),
  cancelled_at    timestamptz
);
create unique index circulation_pickup_bookings_hold on circulation_pickup_bookings (hold_id) where cancelled_at is null;
create index circulation_pickup_bookings_slot on circulation_pickup_bookings (slot_id, slot_date) where cancelled_at is null;

-- Inter-library loans between libraries of a network.
create table circulation_ill_requests (
  id                  uuid primary key default gen_random_uuid(),
  -- The library asking (the patron's), and the one asked to lend.
  borrower_library_id uuid not null,
  lender_library_id   uuid not null,
  patron_id           uuid not null references circulation_patrons (id) on delete cascade,
  work_id             uuid not null,
  -- Chosen by the lender when approving.
  item_id             uuid,
  status              text not null default 'requested'
                      check (status in ('requested', 'approved', 'declined', 'shipped', 'received', 'on_loan',
                                        'returned', 'shipped_back', 'completed', 'cancelled')),
  note                text not null default '',
  decline_reason      text,
  -- The lender's loan period, fixed when approving; due_at when lent to the patron.
  loan_days           integer check (loan_days between 1 and 365),
  due_at              timestamptz,
  requested_by        uuid,
  created_at          timestamptz not null,
  updated_at          timestamptz not null,
  check (borrower_library_id <> lender_library_id)
);
create index circulation_ill_borrower on circulation_ill_requests (borrower_library_id, updated_at desc);
create index circulation_ill_lender on circulation_ill_requests (lender_library_id, updated_at desc);
create index circulation_ill_patron on circulation_ill_requests (patron_id, created_at desc);
-- A copy is lent through at most one open request.
create unique index circulation_ill_open_item on circulation_ill_requests (item_id)
  where item_id is not null and status in ('approved', 'shipped', 'received', 'on_loan', 'returned', 'shipped_back');

create table circulation_ill_events (
  id          bigint generated always as identity primary key,
  request_id  uuid not null references circulation_ill_requests (id) on delete cascade,
  from_status text not null,
  to_status   text not null,
  actor_id    uuid,
  party       text not null check (party in ('borrower', 'lender', 'patron')),
  reason      text,
  at          timestamptz not null
);
create index circulation_ill_events_request on circulation_ill_events (request_id, id);

-- Which e-mails a patron wants; no row = all of them, due-soon three days before.
create table circulation_notification_prefs (
  patron_id        uuid primary key references circulation_patrons (id) on delete cascade,
  hold_ready       boolean not null default true,
  pickup_reminder  boolean not null default true,
  due_soon         boolean not null default true,
  overdue          boolean not null default true,
  ill_status       boolean not null default true,
  due_soon_days    integer not null default 3 check (due_soon_days between 1 and 30),
  updated_at       timestamptz not null default now()
);

-- Notices already sent (one per kind, subject and occasion), so a sweep never sends twice.
create table circulation_notices_sent (
  kind        text not null,
  subject_id  uuid not null,
  occasion    text not null,
  sent_at     timestamptz not null default now(),
  primary key (kind, subject_id, occasion)
);
