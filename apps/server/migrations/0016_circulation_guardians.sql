-- Guardians: a patron (with an account, for self-service) linked to child patrons of the same
-- library, whose loans they see and renew online.
create table circulation_guardians (
  organization_id     uuid not null,
  child_patron_id     uuid not null,
  guardian_patron_id  uuid not null,
  created_by          uuid,
  created_at          timestamptz not null default now(),
  primary key (child_patron_id, guardian_patron_id),
  check (child_patron_id <> guardian_patron_id),
  -- Both patrons belong to the library of the link.
  foreign key (organization_id, child_patron_id) references circulation_patrons (organization_id, id) on delete cascade,
  foreign key (organization_id, guardian_patron_id) references circulation_patrons (organization_id, id) on delete cascade
);
create index circulation_guardians_guardian on circulation_guardians (guardian_patron_id);
