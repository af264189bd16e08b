// Read-only queries on the catalog's tables that catalog/index.ts does not offer yet: the copies
// of a work that may fill a hold, a copy's edition, and work titles. Writes to copies go through
// the catalog's lockItem/changeItemStatus only. To move behind the catalog's surface.
import { sql } from 'kysely';
import type { AnyDb } from '../../../platform/db/database.js';

export interface CopyRow {
  id: string;
  library_id: string;
  branch_id: string | null;
  work_id: string;
  record_id: string;
  status: string;
}

/**
 * Available copies of a work (or the one copy of an item-level hold) at the given libraries that
 * no open hold holds and no open inter-library loan has taken.
 */
export async function freeCopies(
  db: AnyDb,
  where: { workId: string; itemId: string | null; recordIds: string[] | null; libraryIds: string[] },
): Promise<CopyRow[]> {
  const { rows } = await sql<CopyRow>`
    select i.id, i.organization_id as library_id, i.branch_id, r.work_id, i.record_id, i.status
    from catalog_records r
    join catalog_items i on i.record_id = r.id
    where r.work_id = ${where.workId} and r.deleted_at is null
      and i.status = 'available'
      and i.organization_id = any(${where.libraryIds}::uuid[])
      and (${where.itemId}::uuid is null or i.id = ${where.itemId}::uuid)
      and (${where.recordIds}::uuid[] is null or i.record_id = any(${where.recordIds}::uuid[]))
      and not exists (select 1 from circulation_holds h
                      where h.trapped_item_id = i.id and h.status in ('pull', 'in_transit', 'ready'))
      and not exists (select 1 from circulation_ill_requests l where l.item_id = i.id
                      and l.status in ('approved', 'shipped', 'received', 'on_loan', 'returned', 'shipped_back'))
    limit 2000`.execute(db);
  return rows;
}

/** A copy's work, edition, library and status. */
export async function copyById(db: AnyDb, itemId: string): Promise<CopyRow | undefined> {
  const { rows } = await sql<CopyRow>`
    select i.id, i.organization_id as library_id, i.branch_id, r.work_id, i.record_id, i.status
    from catalog_items i join catalog_records r on r.id = i.record_id
    where i.id = ${itemId}`.execute(db);
  return rows[0];
}

/** Whether a library holds a live copy of a work. */
export async function libraryHoldsWork(db: AnyDb, libraryId: string, workId: string): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from catalog_records r join catalog_items i on i.record_id = r.id
    where r.work_id = ${workId} and r.deleted_at is null and i.organization_id = ${libraryId}
      and i.status not in ('withdrawn', 'lost', 'missing')`.execute(db);
  return Number(rows[0]?.n ?? 0) > 0;
}

/** Titles (and first authors) of works by id; missing ids are left out. */
export async function workTitles(
  db: AnyDb,
  ids: string[],
): Promise<Map<string, { title: string; author: string | null }>> {
  if (!ids.length) return new Map();
  const { rows } = await sql<{ id: string; title: string; author: string | null }>`
    select id, title, author from catalog_works where id = any(${[...new Set(ids)]}::uuid[])`.execute(db);
  return new Map(rows.map((r) => [r.id, { title: r.title, author: r.author }]));
}
