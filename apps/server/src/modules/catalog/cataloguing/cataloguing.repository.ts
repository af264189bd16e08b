import { sql } from 'kysely';
import type { CatalogDb, RecordValues } from '../catalog.repository.js';

export interface EditableRecordRow {
  id: string;
  organization_id: string;
  record_key: string;
  flavour: 'marc21' | 'unimarc';
  marc: unknown;
  content_hash: string;
  fields: unknown;
  work_id: string;
  work_pinned: boolean;
  provenance: Record<string, unknown>;
  updated_at: Date;
  deleted_at: Date | null;
}

const columns = [
  'id',
  'organization_id',
  'record_key',
  'flavour',
  'marc',
  'content_hash',
  'fields',
  'work_id',
  'work_pinned',
  'provenance',
  'updated_at',
  'deleted_at',
] as const;

export async function findRecord(db: CatalogDb, id: string): Promise<EditableRecordRow | undefined> {
  return db.selectFrom('catalog_records').select(columns).where('id', '=', id).executeTakeFirst() as Promise<
    EditableRecordRow | undefined
  >;
}

/** The record under a row lock for the rest of the transaction (concurrent saves queue here). */
export async function lockRecord(db: CatalogDb, id: string): Promise<EditableRecordRow | undefined> {
  return db
    .selectFrom('catalog_records')
    .select(columns)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst() as Promise<EditableRecordRow | undefined>;
}

/** Whether another record of the library has this record key. */
export async function recordKeyTaken(db: CatalogDb, organizationId: string, key: string, except: string | null) {
  const row = await db
    .selectFrom('catalog_records')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('record_key', '=', key)
    .$if(except !== null, (q) => q.where('id', '<>', except!))
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Replaces a record's content (found by id) with an edited version; updated_at moves for
 * harvesters. An imported record keeps the hash and the 005 of its imported version
 * (imported_hash, imported_latest), so that re-importing that version, or an older one, leaves
 * the edit in place. (On the right of SET, columns are the row as it was before this update.)
 */
export async function updateRecordById(db: CatalogDb, v: RecordValues): Promise<void> {
  await sql`
    update catalog_records set
      imported_latest = case when imported_hash is null and source_format <> 'editor' then (
        select f->>'value' from json_array_elements(marc->'fields') f where f->>'tag' = '005' limit 1
      ) else imported_latest end,
      imported_hash = coalesce(imported_hash, case when source_format <> 'editor' then content_hash end),
      record_key = ${v.recordKey}, flavour = ${v.flavour}, source_format = ${v.sourceFormat},
      source_encoding = ${v.sourceEncoding}, source = ${v.source}, marc = ${v.marcJson},
      content_hash = ${v.contentHash}, fields = ${v.fieldsJson}, work_id = ${v.workId},
      match_score = ${v.matchScore}, match_reason = ${v.matchReason}, cluster_keys = ${v.clusterKeys},
      title_author_key = ${v.titleAuthorKey}, year = ${v.year}, material_type = ${v.materialType},
      languages = ${v.languages}, subject_facets = ${v.subjectFacets}, search_doc = ${v.searchDocJson},
      provenance = ${v.provenanceJson}, warnings = ${v.warnings}, updated_at = now()
    where id = ${v.id}`.execute(db);
}
