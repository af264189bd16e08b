-- Catalog: a work's address outlives the work. When a work is left without live records because
-- they joined other works (a staff merge, a re-import that clusters them elsewhere, a record
-- edit, the undo of a split), the refresh that deletes or empties it notes where most of them
-- went, and `/works/:id` and `GET /api/v1/catalog/works/:id` answer there with 301, so that
-- bookmarks and the links search engines indexed keep working. When the target moves in turn, its
-- own redirect is followed (to the first live work; never round a loop), so that undoing the later
-- move makes the earlier redirect lead to the target again. A redirect is dropped when its id is a
-- live work again (an undone merge brings the work back); a work whose records were deleted
-- redirects nowhere.
create table catalog_work_redirects (
  work_id    uuid primary key,
  to_work_id uuid not null,
  created_at timestamptz not null default now(),
  check (to_work_id <> work_id)
);

-- Live records that left a work since its last refresh, noted by the trigger below whoever moved
-- them (an import's update, a staff decision, the record editor); the refresh of the work reads
-- them, to find where the work went, and clears them. (No foreign keys, as catalog_work_keys.)
create table catalog_work_departures (
  work_id   uuid not null,
  record_id uuid not null,
  primary key (work_id, record_id)
);

create function catalog_record_departures_noted() returns trigger
language plpgsql as $$
begin
  insert into catalog_work_departures (work_id, record_id)
    select o.work_id, o.id from old_records o join new_records n on n.id = o.id
    where n.work_id <> o.work_id and n.deleted_at is null
  on conflict do nothing;
  return null;
end
$$;

create trigger catalog_records_work_departures after update on catalog_records
  referencing old table as old_records new table as new_records
  for each statement execute function catalog_record_departures_noted();
