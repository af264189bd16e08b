-- Self-registration online: each library chooses whether a signed-in person with a verified
-- e-mail may join it, and whether the new patron may borrow at once or must first confirm
-- their identity at a desk (the patron is then 'pending' until staff confirm it).
alter table circulation_library_settings
  add column self_registration text not null default 'off'
    check (self_registration in ('off', 'borrow_at_once', 'confirm_at_desk')),
  add column self_registration_categories text[] not null default '{adult}'
    check (cardinality(self_registration_categories) >= 1
           and self_registration_categories <@ array['adult', 'senior']::text[]);

alter table circulation_patrons
  -- Set when the person joined online (not registered by staff).
  add column self_registered_at    timestamptz,
  -- Who confirmed a self-registered patron's identity at a desk, and when.
  add column identity_confirmed_by uuid,
  add column identity_confirmed_at timestamptz;

-- One online registration per person and library: two joins at once make one patron.
create unique index circulation_patrons_self_registered
  on circulation_patrons (organization_id, person_id)
  where self_registered_at is not null;
