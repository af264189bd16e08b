import { sql } from 'kysely';
import type { AnyDb } from '../../../platform/db/database.js';

/** An item as circulation sees it, read under a row lock. */
export interface ItemRow {
  id: string;
  library_id: string;
  home_branch_id: string | null;
  status: string;
  item_type: string;
  barcode: string;
  record_id: string;
  work_id: string;
  title: string | null;
  author: string | null;
}

const itemColumns = sql`i.id, i.organization_id as library_id, i.branch_id as home_branch_id, i.status, i.item_type,
  i.barcode, i.record_id, r.work_id, r.fields->>'title' as title, r.fields->'authors'->0->>'name' as author`;

export async function lockItemByBarcode(db: AnyDb, libraryId: string, barcode: string): Promise<ItemRow | undefined> {
  const { rows } = await sql<ItemRow>`
    select ${itemColumns} from catalog_items i join catalog_records r on r.id = i.record_id
    where i.organization_id = ${libraryId} and i.barcode = ${barcode}
    for update of i`.execute(db);
  return rows[0];
}

export async function lockItem(db: AnyDb, itemId: string): Promise<ItemRow | undefined> {
  const { rows } = await sql<ItemRow>`
    select ${itemColumns} from catalog_items i join catalog_records r on r.id = i.record_id
    where i.id = ${itemId}
    for update of i`.execute(db);
  return rows[0];
}

export async function itemIdsByBarcode(
  db: AnyDb,
  barcode: string,
  where: { libraryId?: string; libraryIds?: readonly string[]; statuses?: readonly string[] },
): Promise<Array<{ id: string; library_id: string }>> {
  const { libraryId, libraryIds, statuses } = where;
  if (libraryIds?.length === 0) return [];
  const { rows } = await sql<{ id: string; library_id: string }>`
    select id, organization_id as library_id from catalog_items
    where barcode = ${barcode}
      ${libraryId ? sql`and organization_id = ${libraryId}` : sql``}
      ${libraryIds ? sql`and organization_id = any(${[...libraryIds]}::uuid[])` : sql``}
      ${statuses ? sql`and status = any(${[...statuses]}::text[])` : sql``}
    order by id ${libraryId || libraryIds || statuses ? sql`` : sql`limit 50`}`.execute(db);
  return rows;
}

/**
 * Sets a copy's status and records the change, in one statement (a round trip on every
 * check-out and check-in). When the copy starts or stops being available, the work's "available
 * at" libraries follow in the same statement: the library is added if missing, or removed when no
 * other copy of the work there is available (the statement's snapshot still shows this copy's old
 * status, so it is left out of that check). The work row is written only when the set changes.
 */
export async function setStatus(
  db: AnyDb,
  item: { id: string; library_id: string; work_id: string; from: string; to: string },
  entry: { actorId: string | null; reason: string; branchId: string | null; until: Date | null; at: Date },
): Promise<void> {
  const nowAvailable = item.to === 'available';
  const availability =
    (item.from === 'available') === nowAvailable
      ? sql``
      : nowAvailable
        ? sql`, available as (
            update catalog_works set available_library_ids = available_library_ids || ${item.library_id}::uuid
            where id = ${item.work_id}::uuid and not (${item.library_id}::uuid = any(available_library_ids))
          )`
        : sql`, available as (
            update catalog_works w set available_library_ids = array_remove(w.available_library_ids, ${item.library_id}::uuid)
            where w.id = ${item.work_id}::uuid and ${item.library_id}::uuid = any(w.available_library_ids)
              and not exists (
                select 1 from catalog_records r join catalog_items i on i.record_id = r.id
                where r.work_id = ${item.work_id}::uuid and r.deleted_at is null and i.organization_id = ${item.library_id}::uuid
                  and i.status = 'available' and i.id <> ${item.id}::uuid
              )
          )`;
  await sql`
    with changed as (
      update catalog_items set status = ${item.to}, updated_at = ${entry.at} where id = ${item.id} returning id
    )${availability}
    insert into catalog_item_status_history (item_id, organization_id, from_status, to_status, reason, branch_id, until, actor_id, changed_at)
    select changed.id, ${item.library_id}::uuid, ${item.from}::text, ${item.to}::text, ${entry.reason}::text,
      ${entry.branchId}::uuid, ${entry.until}::timestamptz, ${entry.actorId}::uuid, ${entry.at}::timestamptz
    from changed`.execute(db);
}

export interface StatusHistoryRow {
  id: number;
  from_status: string;
  to_status: string;
  reason: string;
  branch_id: string | null;
  until: Date | null;
  actor_id: string | null;
  changed_at: Date;
}

export async function statusHistory(db: AnyDb, itemId: string, limit: number): Promise<StatusHistoryRow[]> {
  const { rows } = await sql<StatusHistoryRow>`
    select id::int, from_status, to_status, reason, branch_id, until, actor_id, changed_at
    from catalog_item_status_history where item_id = ${itemId} order by id desc limit ${limit}`.execute(db);
  return rows;
}

export interface ItemSummaryRow {
  id: string;
  library_id: string;
  barcode: string;
  title: string | null;
  author: string | null;
  home_branch_id: string | null;
  status: string;
  item_type: string;
  work_id: string;
}

export async function itemSummaries(db: AnyDb, ids: string[]): Promise<ItemSummaryRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<ItemSummaryRow>`
    select i.id, i.organization_id as library_id, i.barcode, r.fields->>'title' as title,
      r.fields->'authors'->0->>'name' as author, i.branch_id as home_branch_id, i.status, i.item_type, r.work_id
    from catalog_items i join catalog_records r on r.id = i.record_id
    where i.id = any(${ids}::uuid[])`.execute(db);
  return rows;
}
