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

// ── harvesting (OAI-PMH) ─────────────────────────────────────────────────────

export interface HarvestFilter {
  libraryId?: string;
  materialType?: string;
  /** Inclusive lower bound on updated_at (ISO 8601, UTC). */
  from?: string;
  /** Exclusive upper bound on updated_at (ISO 8601, UTC). */
  before?: string;
}

export interface HarvestRow {
  id: string;
  organization_id: string;
  work_id: string;
  material_type: string;
  deleted: boolean;
  stamp: string;
  marc?: MarcRecord;
  fields?: NormalizedRecord;
}

// A transaction that began before a record's updated_at may still be uncommitted (an insert
// takes now(), the transaction's start), and its rows would appear behind a harvester's cursor
// later. Harvesters see rows only below the start of the oldest open client transaction, so the
// keyset never passes a row that is not yet visible.
const HORIZON = sql`coalesce((select min(a.xact_start) from pg_stat_activity a
  where a.datname = current_database() and a.backend_type = 'client backend' and a.xact_start is not null
    and a.pid <> pg_backend_pid()), 'infinity'::timestamptz)`;

function harvestWhere(filter: HarvestFilter) {
  return sql.join(
    [
      sql`r.updated_at < ${HORIZON}`,
      ...(filter.libraryId ? [sql`r.organization_id = ${filter.libraryId}`] : []),
      ...(filter.materialType ? [sql`r.material_type = ${filter.materialType}`] : []),
      ...(filter.from ? [sql`r.updated_at >= ${filter.from}::timestamptz`] : []),
      ...(filter.before ? [sql`r.updated_at < ${filter.before}::timestamptz`] : []),
    ],
    sql` and `,
  );
}

/** Records (live and deleted) in (updated_at, id) order after the cursor: the keyset behind resumption tokens. */
export async function harvestPage(
  db: CatalogDb,
  filter: HarvestFilter,
  after: { stamp: string; id: string } | null,
  limit: number,
  withMetadata: boolean,
): Promise<HarvestRow[]> {
  const { rows } = await sql<HarvestRow>`
    select r.id, r.organization_id, r.work_id, r.material_type, r.deleted_at is not null as deleted, ${STAMP} as stamp
      ${withMetadata ? sql`, case when r.deleted_at is null then r.marc end as marc, case when r.deleted_at is null then r.fields end as fields` : sql``}
    from catalog_records r
    where ${harvestWhere(filter)}
      ${after ? sql`and (r.updated_at, r.id) > (${after.stamp}::timestamptz, ${after.id}::uuid)` : sql``}
    order by r.updated_at, r.id
    limit ${limit}`.execute(db);
  return rows;
}

export async function harvestCount(db: CatalogDb, filter: HarvestFilter): Promise<number> {
  const { rows } = await sql<{
    n: number;
  }>`select count(*)::int as n from catalog_records r where ${harvestWhere(filter)}`.execute(db);
  return rows[0]!.n;
}

export async function harvestRecord(db: CatalogDb, id: string): Promise<HarvestRow | undefined> {
  const { rows } = await sql<HarvestRow>`
    select r.id, r.organization_id, r.work_id, r.material_type, r.deleted_at is not null as deleted, ${STAMP} as stamp,
      case when r.deleted_at is null then r.marc end as marc, case when r.deleted_at is null then r.fields end as fields
    from catalog_records r where r.id = ${id}`.execute(db);
  return rows[0];
}

/** What sets and Identify need: the earliest datestamp, and the libraries and material types that have records. */
export async function harvestOverview(
  db: CatalogDb,
): Promise<{ earliest: string | null; libraryIds: string[]; materialTypes: string[] }> {
  const { rows } = await sql<{
    earliest: string | null;
    library_ids: string[] | null;
    material_types: string[] | null;
  }>`
    select
      (select to_char(min(updated_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') from catalog_records) as earliest,
      (select array_agg(distinct organization_id::text order by organization_id::text) from catalog_records) as library_ids,
      (select array_agg(distinct material_type order by material_type) from catalog_records) as material_types`.execute(
    db,
  );
  const row = rows[0]!;
  return { earliest: row.earliest, libraryIds: row.library_ids ?? [], materialTypes: row.material_types ?? [] };
}

/** Marks a library's live records with these record keys deleted; returns their works. */
export async function markDeletedByKeys(
  db: CatalogDb,
  libraryId: string,
  keys: readonly string[],
): Promise<Array<{ work_id: string }>> {
  if (keys.length === 0) return [];
  return db
    .updateTable('catalog_records')
    .set({ deleted_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('organization_id', '=', libraryId)
    .where('record_key', 'in', [...keys])
    .where('deleted_at', 'is', null)
    .returning(['work_id'])
    .execute();
}
