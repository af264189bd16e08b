import { sql, type Kysely } from 'kysely';
import type { NormalizedRecord } from '@athenaeum/contracts';
import type { MarcRecord } from '@athenaeum/marc';
import type { Db } from '../../platform/db/database.js';
import type { PlatformTables } from '../../platform/db/tables.js';
import type { CatalogTables, SearchDoc } from './catalog.tables.js';

/** The database as this module sees it. */
export type CatalogDb = Kysely<CatalogTables & PlatformTables>;
export const catalogDb = (db: Db | Kysely<PlatformTables>): CatalogDb => db.withTables<CatalogTables>();

// Any constant; serializes clustering batches across processes so two imports cannot create
// two works for one ISBN at the same moment.
const CLUSTERING_LOCK = 7_401_275_301;

export async function lockClustering(db: CatalogDb): Promise<void> {
  await sql`select pg_advisory_xact_lock(${CLUSTERING_LOCK})`.execute(db);
}

export interface ExistingRecord {
  id: string;
  record_key: string;
  content_hash: string;
  work_id: string;
  work_pinned: boolean;
}

export function findRecordsByKeys(db: CatalogDb, organizationId: string, keys: string[]): Promise<ExistingRecord[]> {
  if (keys.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('catalog_records')
    .select(['id', 'record_key', 'content_hash', 'work_id', 'work_pinned'])
    .where('organization_id', '=', organizationId)
    .where('record_key', 'in', keys)
    .execute();
}

export interface CandidateWork {
  id: string;
  identifiers: string[];
  title_author_key: string | null;
  years: number[];
}

/** Works sharing an identifier key or the title|author key with any of the given keys. */
export function findCandidateWorks(db: CatalogDb, identifierKeys: string[], titleAuthorKeys: string[]): Promise<CandidateWork[]> {
  if (identifierKeys.length === 0 && titleAuthorKeys.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('catalog_works')
    .select(['id', 'identifiers', 'title_author_key', 'years'])
    .where((eb) =>
      eb.or([
        ...(identifierKeys.length ? [eb('identifiers', '&&', sql<string[]>`${identifierKeys}::text[]`)] : []),
        ...(titleAuthorKeys.length ? [eb('title_author_key', 'in', titleAuthorKeys)] : []),
      ]),
    )
    .execute();
}

export interface NewWork {
  id: string;
  title: string;
  sortTitle: string;
  author: string | null;
  identifiers: string[];
  titleAuthorKey: string | null;
  years: number[];
}

export async function insertWorks(db: CatalogDb, works: NewWork[]): Promise<void> {
  for (let i = 0; i < works.length; i += 1000) {
    await db
      .insertInto('catalog_works')
      .values(
        works.slice(i, i + 1000).map((w) => ({
          id: w.id,
          title: w.title,
          sort_title: w.sortTitle,
          author: w.author,
          identifiers: w.identifiers,
          title_author_key: w.titleAuthorKey,
          years: w.years,
          year_min: null,
          year_max: null,
        })),
      )
      .execute();
  }
}

export interface RecordValues {
  organizationId: string;
  recordKey: string;
  flavour: 'marc21' | 'unimarc';
  sourceFormat: 'iso2709' | 'marcxml' | 'json' | 'editor';
  sourceEncoding: string | null;
  source: Buffer;
  marc: MarcRecord;
  contentHash: string;
  fields: NormalizedRecord;
  workId: string;
  matchScore: number | null;
  matchReason: string | null;
  clusterKeys: string[];
  titleAuthorKey: string | null;
  subjectFacets: string[];
  searchDoc: SearchDoc;
  provenance: Record<string, unknown>;
  warnings: string[];
}

function columns(v: RecordValues) {
  return {
    flavour: v.flavour,
    source_format: v.sourceFormat,
    source_encoding: v.sourceEncoding,
    source: v.source,
    marc: JSON.stringify(v.marc),
    content_hash: v.contentHash,
    fields: JSON.stringify(v.fields),
    work_id: v.workId,
    match_score: v.matchScore,
    match_reason: v.matchReason,
    cluster_keys: v.clusterKeys,
    title_author_key: v.titleAuthorKey,
    year: v.fields.year,
    material_type: v.fields.materialType,
    languages: v.fields.languages,
    subject_facets: v.subjectFacets,
    search_doc: JSON.stringify(v.searchDoc),
    search_vector: sql<string>`catalog_record_vector(${JSON.stringify(v.searchDoc)}::jsonb, ${v.fields.languages}::text[])`,
    provenance: JSON.stringify(v.provenance),
    warnings: v.warnings,
  };
}

export async function insertRecords(db: CatalogDb, values: RecordValues[]): Promise<Array<{ id: string; record_key: string }>> {
  if (values.length === 0) return [];
  return db
    .insertInto('catalog_records')
    .values(values.map((v) => ({ organization_id: v.organizationId, record_key: v.recordKey, ...columns(v), deleted_at: null })))
    .returning(['id', 'record_key'])
    .execute();
}

export async function updateRecord(db: CatalogDb, id: string, values: RecordValues): Promise<void> {
  await db
    .updateTable('catalog_records')
    .set({ ...columns(values), updated_at: new Date(), deleted_at: null })
    .where('id', '=', id)
    .execute();
}

/**
 * Recomputes the display fields, matching keys, facets and search vector of works from their
 * live records and items, and deletes works left without records.
 */
export async function refreshWorks(db: CatalogDb, workIds: string[]): Promise<void> {
  if (workIds.length === 0) return;
  const ids = sql`${[...new Set(workIds)]}::uuid[]`;
  await sql`
    update catalog_works w set
      title = s.title, sort_title = s.sort_title, author = s.author,
      identifiers = s.identifiers, title_author_key = s.title_author_key, years = s.years,
      year_min = s.year_min, year_max = s.year_max,
      material_types = s.material_types, languages = s.languages, subjects = s.subjects,
      library_ids = s.library_ids, available_library_ids = s.available_library_ids,
      record_count = s.record_count, search_vector = s.search_vector, updated_at = now()
    from (
      select r.work_id,
        count(*)::int as record_count,
        (array_agg(r.fields->>'title' order by r.created_at, r.id))[1] as title,
        (array_agg(r.fields->>'sortTitle' order by r.created_at, r.id))[1] as sort_title,
        (array_agg(r.fields->'authors'->0->>'name' order by r.created_at, r.id))[1] as author,
        (array_agg(r.title_author_key order by r.created_at, r.id) filter (where r.title_author_key is not null))[1] as title_author_key,
        min(r.year) as year_min, max(r.year) as year_max,
        coalesce(array_agg(distinct r.year) filter (where r.year is not null), '{}') as years,
        array_agg(distinct r.material_type) as material_types,
        array_agg(distinct r.organization_id) as library_ids,
        catalog_tsvector_agg(r.search_vector) as search_vector,
        (select coalesce(array_agg(distinct k), '{}') from catalog_records r2, unnest(r2.cluster_keys) k
           where r2.work_id = r.work_id and r2.deleted_at is null) as identifiers,
        (select coalesce(array_agg(distinct l), '{}') from catalog_records r2, unnest(r2.languages) l
           where r2.work_id = r.work_id and r2.deleted_at is null) as languages,
        (select coalesce(array_agg(distinct f), '{}') from catalog_records r2, unnest(r2.subject_facets) f
           where r2.work_id = r.work_id and r2.deleted_at is null) as subjects,
        (select coalesce(array_agg(distinct i.organization_id), '{}') from catalog_items i
           join catalog_records r2 on r2.id = i.record_id
           where r2.work_id = r.work_id and r2.deleted_at is null and i.status = 'available') as available_library_ids
      from catalog_records r
      where r.work_id = any(${ids}) and r.deleted_at is null
      group by r.work_id
    ) s
    where w.id = s.work_id`.execute(db);
  await sql`
    delete from catalog_works w
    where w.id = any(${ids})
      and not exists (select 1 from catalog_records r where r.work_id = w.id)`.execute(db);
  await sql`
    update catalog_works w set record_count = 0, library_ids = '{}', available_library_ids = '{}'
    where w.id = any(${ids})
      and not exists (select 1 from catalog_records r where r.work_id = w.id and r.deleted_at is null)`.execute(db);
}

export interface ItemValues {
  organizationId: string;
  recordId: string;
  branchId: string | null;
  barcode: string;
  callNumber: string | null;
  location: string | null;
  itemType: string | null;
}

/** Adds items, or moves an existing barcode of the library to its record and new details. */
export async function upsertItems(db: CatalogDb, items: ItemValues[]): Promise<void> {
  // One row per barcode: a file may describe the same copy twice; the last description wins.
  const unique = [...new Map(items.map((i) => [i.barcode, i])).values()];
  for (let i = 0; i < unique.length; i += 1000) {
    await db
      .insertInto('catalog_items')
      .values(unique.slice(i, i + 1000).map((v) => ({
        organization_id: v.organizationId,
        record_id: v.recordId,
        branch_id: v.branchId,
        barcode: v.barcode,
        call_number: v.callNumber,
        location: v.location,
        item_type: v.itemType ?? 'book',
      })))
      .onConflict((oc) =>
        oc.columns(['organization_id', 'barcode']).doUpdateSet((eb) => ({
          record_id: eb.ref('excluded.record_id'),
          branch_id: eb.ref('excluded.branch_id'),
          call_number: eb.ref('excluded.call_number'),
          location: eb.ref('excluded.location'),
          item_type: eb.ref('excluded.item_type'),
          updated_at: new Date(),
        })),
      )
      .execute();
  }
}

// ── import runs ──────────────────────────────────────────────────────────────

export async function insertImport(db: CatalogDb, values: { organizationId: string; filename: string; format: string; createdBy: string | null }) {
  return db
    .insertInto('catalog_imports')
    .values({ organization_id: values.organizationId, filename: values.filename, format: values.format, created_by: values.createdBy, error: null, started_at: null, finished_at: null })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function addImportCounts(db: CatalogDb, id: string, counts: { processed: number; added: number; updated: number; unchanged: number; rejected: number }) {
  await db
    .updateTable('catalog_imports')
    .set((eb) => ({
      processed: eb('processed', '+', counts.processed),
      added: eb('added', '+', counts.added),
      updated: eb('updated', '+', counts.updated),
      unchanged: eb('unchanged', '+', counts.unchanged),
      rejected: eb('rejected', '+', counts.rejected),
    }))
    .where('id', '=', id)
    .execute();
}

export async function setImportStatus(db: CatalogDb, id: string, status: 'running' | 'done' | 'failed', error: string | null = null) {
  await db
    .updateTable('catalog_imports')
    .set({
      status,
      error,
      ...(status === 'running' ? { started_at: new Date() } : { finished_at: new Date() }),
    })
    .where('id', '=', id)
    .execute();
}

export async function insertRejects(db: CatalogDb, importId: string, rejects: Array<{ position: string; reason: string }>) {
  if (rejects.length === 0) return;
  await db.insertInto('catalog_import_rejects').values(rejects.map((r) => ({ import_id: importId, ...r }))).execute();
}
