-- Circulation: the network card (a patron of one library borrows at another library of the same
-- association when both allow it) and fines for overdue loans.

-- Both off by default: a library opts in to lend to other libraries' patrons, and separately lets
-- its own patrons use their card elsewhere. Fines are in the library's currency (ISO 4217).
alter table circulation_library_settings
  add column lends_to_network_patrons boolean not null default false,
  add column own_patrons_borrow_elsewhere boolean not null default false,
  add column currency text not null default 'EUR' check (currency ~ '^[A-Z]{3}$');

-- A fine: owed by a patron to the library that lent (organization_id), in whole minor units of the
-- currency (cents). The balance is amount - paid - waived and can never go below zero.
create table circulation_fines (
  id              uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  patron_id       uuid not null references circulation_patrons (id),
  -- The overdue loan it was charged for (one fine per loan); null for a fine not tied to a loan.
  loan_id         uuid unique references circulation_loans (id),
  amount          integer not null check (amount > 0),
  paid            integer not null default 0 check (paid >= 0),
  waived          integer not null default 0 check (waived >= 0),
  currency        text not null check (currency ~ '^[A-Z]{3}$'),
  reason          text not null check (reason <> ''),
  status          text not null default 'open' check (status in ('open', 'paid', 'waived')),
  created_at      timestamptz not null,
  waived_by       uuid,
  waived_at       timestamptz,
  waive_reason    text,
  check (paid + waived <= amount),
  check ((status = 'open') = (paid + waived < amount))
);
create index circulation_fines_patron on circulation_fines (patron_id, created_at);
create index circulation_fines_library_open on circulation_fines (organization_id, patron_id) where status = 'open';

-- Payments taken at a desk (partial payments allowed), with who and when.
create table circulation_fine_payments (
  id              uuid primary key default gen_random_uuid(),
  fine_id         uuid not null references circulation_fines (id),
  organization_id uuid not null,
  amount          integer not null check (amount > 0),
  received_by     uuid,
  received_at     timestamptz not null
);
create index circulation_fine_payments_fine on circulation_fine_payments (fine_id);
