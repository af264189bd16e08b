import { sql } from 'kysely';
import type { AnyDb } from '../../../platform/db/database.js';

/** A copy as other modules see it: its library, home branch, edition, work and status. */
export interface CopyRow {
  id: string;
  library_id: string;
  branch_id: string | null;
  work_id: string;
  record_id: string;
  status: string;
}

/**
 * Copies of a work in the given status at the given libraries (or the one copy `itemId`, or the
 * copies of some of its editions), at most 2,000.
 */
export async function copiesOfWork(
  db: AnyDb,
  where: { workId: string; itemId: string | null; recordIds: string[] | null; libraryIds: string[]; status: string },
): Promise<CopyRow[]> {
  const { rows } = await sql<CopyRow>`
    select i.id, i.organization_id as library_id, i.branch_id, r.work_id, i.record_id, i.status
    from catalog_records r
    join catalog_items i on i.record_id = r.id
    where r.work_id = ${where.workId} and r.deleted_at is null
      and i.status = ${where.status}
      and i.organization_id = any(${where.libraryIds}::uuid[])
      and (${where.itemId}::uuid is null or i.id = ${where.itemId}::uuid)
      and (${where.recordIds}::uuid[] is null or i.record_id = any(${where.recordIds}::uuid[]))
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
