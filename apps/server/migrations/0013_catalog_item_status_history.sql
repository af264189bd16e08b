-- Catalog: every change of an item's status is recorded (who, when, from, to, why), and the
-- statuses circulation needs. Items keep living in catalog_items; circulation changes a status only
-- through the catalog module's changeItemStatus(), which writes the item and its history together.
alter table catalog_items drop constraint if exists catalog_items_status_check;
alter table catalog_items add constraint catalog_items_status_check
  check (status in ('available', 'on_loan', 'in_transit', 'on_hold_shelf', 'in_quarantine', 'lost', 'damaged',
                    'claimed_returned', 'missing', 'withdrawn', 'not_for_loan', 'in_processing'));

create table catalog_item_status_history (
  id              bigint generated always as identity primary key,
  item_id         uuid not null references catalog_items (id),
  organization_id uuid not null,
  from_status     text not null,
  to_status       text not null,
  reason          text not null,
  -- The branch the change concerns: where the item was checked in, or where it is going.
  branch_id       uuid,
  until           timestamptz,
  actor_id        uuid,
  changed_at      timestamptz not null default now()
);
create index catalog_item_status_history_item on catalog_item_status_history (item_id, id);
