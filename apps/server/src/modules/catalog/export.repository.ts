// SQL for exporting, deleting and harvesting catalogue records (the catalog module's tables).
import { sql } from 'kysely';
import type { NormalizedRecord } from '@athenaeum/contracts';
import type { MarcRecord } from '@athenaeum/marc';
import type { CatalogDb } from './catalog.repository.js';

export interface ExportRow {
  id: string;
  organization_id: string;
  work_id: string;
  marc: MarcRecord;
  fields: NormalizedRecord;
  material_type: string;
  deleted_at: Date | null;
  /** updated_at in UTC with microseconds, as text: keyset cursors must not lose precision to Date. */
  stamp: string;
}

const STAMP = sql<string>`to_char(r.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export async function findRecord(db: CatalogDb, id: string): Promise<ExportRow | undefined> {
  const { rows } = await sql<ExportRow>`
    select r.id, r.organization_id, r.work_id, r.marc, r.fields, r.material_type, r.deleted_at, ${STAMP} as stamp
    from catalog_records r where r.id = ${id}`.execute(db);
  return rows[0];
}

/** Live records of a library after `afterId`, in id order (keyset pages for streaming exports). */
export async function libraryRecordsPage(
  db: CatalogDb,
  libraryId: string,
  afterId: string | null,
  limit: number,
  ids?: readonly string[],
): Promise<ExportRow[]> {
  const { rows } = await sql<ExportRow>`
    select r.id, r.organization_id, r.work_id, r.marc, r.fields, r.material_type, r.deleted_at, ${STAMP} as stamp
    from catalog_records r
    where r.organization_id = ${libraryId} and r.deleted_at is null
      ${afterId ? sql`and r.id > ${afterId}` : sql``}
      ${ids ? sql`and r.id = any(${ids}::uuid[])` : sql``}
    order by r.id
    limit ${limit}`.execute(db);
  return rows;
}

export interface AvailabilityRow {
  record_id: string;
  organization_id: string;
  total: number;
  available: number;
}

/** Copies per record and library: how many there are and how many are on the shelf. */
export async function availability(db: CatalogDb, recordIds: readonly string[]): Promise<AvailabilityRow[]> {
  if (recordIds.length === 0) return [];
  const { rows } = await sql<AvailabilityRow>`
    select i.record_id, i.organization_id, count(*)::int as total, (count(*) filter (where i.status = 'available'))::int as available
    from catalog_items i
    where i.record_id = any(${recordIds}::uuid[])
    group by i.record_id, i.organization_id
    order by i.record_id, i.organization_id`.execute(db);
  return rows;
}

/** Marks a record deleted (kept for OAI-PMH's persistent deletions); returns its work, or nothing if it was not live. */
export async function markDeleted(db: CatalogDb, id: string): Promise<{ work_id: string } | undefined> {
  return db
    .updateTable('catalog_records')
    .set({ deleted_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .returning(['work_id'])
    .executeTakeFirst();
}
