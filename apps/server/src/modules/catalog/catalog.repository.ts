import { CompiledQuery, sql, type Kysely, type RawBuilder } from 'kysely';
import type { MarcRecord } from '@athenaeum/marc';
import type { Db } from '../../platform/db/database.js';
import { PREPARE_ALWAYS } from '../../platform/db/prepared.js';
import { inSavepoint } from '../../platform/db/savepoint.js';
import type { PlatformTables } from '../../platform/db/tables.js';
import type { CatalogTables } from './catalog.tables.js';
import { uuidV7 } from './import/uuid-v7.js';
import { MAX_TITLE_KEY } from './normalize/truncate.js';
import { markerLexemes } from './search/search.sql.js';
import { noteWhereWorksWent } from './works/work-redirects.js';

/** The database as this module sees it. */
export type CatalogDb = Kysely<CatalogTables & PlatformTables>;
export const catalogDb = (db: Db | Kysely<PlatformTables>): CatalogDb => db.withTables<CatalogTables>();

/**
 * Runs `head VALUES (…), (…) tail` with one row of parameters per element, in statements of
 * `sizes` rows (as many of the first size as fit, then of the next; the rest in one last, shorter
 * statement): the bulk path of an import. Parameters go as they are (no JSON or array document
 * for the server to parse first), typed by the columns they are inserted into. (The embedded
 * database takes longer per row for much longer statements; a few hundred rows is where both
 * engines do well.) Statements of one of the sizes are prepared once per connection (parsing
 * and planning thousands of parameters cost about as much as inserting the rows).
 */
async function insertRows<R = never>(
  db: CatalogDb,
  head: string,
  tail: string,
  rows: unknown[][],
  sizes: readonly number[] = [250],
): Promise<R[]> {
  const out: R[] = [];
  if (rows.length === 0) return out;
  const width = rows[0]!.length;
  for (const { start, length, full } of statementsOf(rows.length, sizes)) {
    const params: unknown[] = [];
    for (let r = start; r < start + length; r++) for (const value of rows[r]!) params.push(value);
    const prefix = full ? PREPARE_ALWAYS : '';
    const result = await db.executeQuery<R>(
      CompiledQuery.raw(`${prefix}${head} values ${placeholders(length, width)} ${tail}`, params),
    );
    // What statements return is small: the works copies moved out of, the copies a chunk added.
    for (const row of result.rows) out.push(row);
  }
  return out;
}

/** How `total` rows go in statements of `sizes` rows (largest first), and which are of one of the sizes. */
export function* statementsOf(
  total: number,
  sizes: readonly number[],
): Generator<{ start: number; length: number; full: boolean }> {
  if (sizes.length === 0 || !sizes.every((size) => Number.isInteger(size) && size >= 1))
    throw new RangeError(`statement sizes must be whole numbers of rows, at least 1 (given: ${sizes.join(', ')})`);
  let start = 0;
  for (const size of [...sizes].sort((a, b) => b - a)) {
    for (; total - start >= size; start += size) yield { start, length: size, full: true };
  }
  if (start < total) yield { start, length: total - start, full: false };
}

const placeholderCache = new Map<string, string>();

/** "($1,$2),($3,$4)" for 2 rows of 2. */
function placeholders(rows: number, width: number): string {
  const key = `${rows}x${width}`;
  let text = placeholderCache.get(key);
  if (text === undefined) {
    const tuples: string[] = [];
    for (let r = 0; r < rows; r++)
      tuples.push(`(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(',')})`);
    text = tuples.join(',');
    if (placeholderCache.size < 64) placeholderCache.set(key, text);
  }
  return text;
}

// Any constant; serializes clustering batches across processes so two imports cannot create
// two works for one ISBN at the same moment.
const CLUSTERING_LOCK = 7_401_275_301;

// JIT compilation (on by default in PostgreSQL 15) costs far more than it saves on the batch
// statements, whose estimates are large; off for the rest of the transaction.
const NO_JIT = sql`set_config('jit', 'off', true)`;
const BULK_SETTINGS = sql`${NO_JIT}, set_config('synchronous_commit', 'off', true)`;
// Records the transaction inserts from now on get no subject terms: whoever sets it stores them
// (storeSubjectTerms), in the same transaction or once it has committed (with a batch's copies).
const DEFER_SUBJECT_TERMS = sql`set_config('athenaeum.subject_terms', 'deferred', true)`;

/**
 * Takes the clustering lock for the rest of the transaction. `bulk` is for an import's batches
 * and refreshes: their commits do not wait for the WAL to reach the disk, since a crash can only
 * lose the last few of them, and running the import again (which changes nothing it already
 * stored) stores them again; staff edits keep waiting. `shared` is for refreshes of disjoint sets
 * of works, which may run side by side (and never beside a batch or an edit).
 */
export async function lockClustering(
  db: CatalogDb,
  options: { bulk?: boolean; shared?: boolean; deferSubjectTerms?: boolean } = {},
): Promise<void> {
  const lock = options.shared
    ? sql`pg_advisory_xact_lock_shared(${CLUSTERING_LOCK})`
    : sql`pg_advisory_xact_lock(${CLUSTERING_LOCK})`;
  // In the same statement (one round trip less for each batch of an import).
  const defer = options.deferSubjectTerms ? sql`, ${DEFER_SUBJECT_TERMS}` : sql``;
  await sql`select ${lock}, ${options.bulk ? BULK_SETTINGS : NO_JIT}${defer}`.execute(db);
}

/**
 * An import's transaction without the clustering lock (a batch's copies): the settings `bulk`
 * gives a batch (no JIT, a commit that does not wait for the WAL).
 */
export async function bulkTransaction(db: CatalogDb): Promise<void> {
  await sql`select ${BULK_SETTINGS}`.execute(db);
}

export interface ExistingRecord {
  id: string;
  record_key: string;
  /** What an import compares a record with: the version last imported (staff edits since do not count). */
  content_hash: string;
  work_id: string;
  work_pinned: boolean;
}

export async function findRecordsByKeys(
  db: CatalogDb,
  organizationId: string,
  keys: string[],
): Promise<ExistingRecord[]> {
  if (keys.length === 0) return [];
  const { rows } = await sql<ExistingRecord>`
    select r.id, r.record_key, r.content_hash, r.work_id, r.work_pinned
    from unnest(${keys}::text[]) as q(key)
      cross join lateral (
        select id, record_key, coalesce(imported_hash, content_hash) as content_hash, work_id, work_pinned
        from catalog_records r
        where r.organization_id = ${organizationId} and r.record_key = q.key offset 0
      ) r`.execute(db);
  return rows;
}

/**
 * The 005 (date and time of latest transaction) of stored records as their source last sent
 * them, by record id: a record's own 005 while it is as imported, the one kept when staff first
 * edited it (imported_latest) after; records without one are left out.
 */
export async function importedLatestTransactions(db: CatalogDb, recordIds: string[]): Promise<Map<string, string>> {
  if (recordIds.length === 0) return new Map();
  const { rows } = await sql<{ id: string; value: string }>`
    select r.id, coalesce(r.imported_latest, x.value) as value
    from catalog_records r
      left join lateral (
        select f->>'value' as value from json_array_elements(r.marc->'fields') f
        where r.imported_hash is null and f->>'tag' = '005' limit 1
      ) x on true
    where r.id = any(${recordIds}::uuid[]) and coalesce(r.imported_latest, x.value) is not null`.execute(db);
  return new Map(rows.map((r) => [r.id, r.value]));
}

export interface CandidateWork {
  id: string;
  /** The work's identifier keys among those looked up (enough to tell whether it shares one). */
  identifiers: string[];
  /** The work's title|author key when it was among those looked up, else null. */
  title_author_key: string | null;
  years: number[];
}

/** A work's title|author key as a matching key in catalog_work_keys. */
const TITLE_AUTHOR = 'ta:';
export const titleAuthorKey = (key: string): string => `${TITLE_AUTHOR}${key}`;

/**
 * Works sharing an identifier key or the title|author key with any of the given keys, with the
 * keys they share and their years, all from the works' matching keys (catalog_work_keys), which
 * batches keep current without touching works.
 */
export async function findCandidateWorks(
  db: CatalogDb,
  identifierKeys: string[],
  titleAuthorKeys: string[],
): Promise<CandidateWork[]> {
  const keys = [...identifierKeys, ...titleAuthorKeys.map(titleAuthorKey)];
  if (keys.length === 0) return [];
  // Key by key (lateral, and `offset 0` so that it stays so): each an index probe whatever the
  // planner thinks of the table's size, which a bulk import changes faster than statistics.
  const { rows } = await sql<{ id: string; keys: string[]; years: number[] | null }>`
    select h.work_id as id, array_agg(h.key) as keys,
      (select array_agg(substr(y.key, 6)::int) from catalog_work_keys y
        where y.work_id = h.work_id and y.key >= 'year:' and y.key < 'year;') as years
    from unnest(${keys}::text[]) as q(key)
      cross join lateral (select work_id, key from catalog_work_keys k where k.key = q.key offset 0) h
    group by h.work_id`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    identifiers: r.keys.filter((k) => !k.startsWith(TITLE_AUTHOR)),
    title_author_key: r.keys.find((k) => k.startsWith(TITLE_AUTHOR))?.slice(TITLE_AUTHOR.length) ?? null,
    years: r.years ?? [],
  }));
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

/** Adds works; their aggregates (and record_count, which makes them searchable) come with the next refresh. */
export async function insertWorks(db: CatalogDb, works: NewWork[]): Promise<void> {
  await insertRows(
    db,
    'insert into catalog_works (id, title, sort_title, author, identifiers, title_author_key, years)',
    '',
    works.map((w) => [w.id, w.title, w.sortTitle, w.author, w.identifiers, w.titleAuthorKey, w.years]),
  );
}

/** Makes works answer to keys (identifiers and "year:NNNN") in matching; known pairs are skipped. */
export async function addWorkKeys(db: CatalogDb, keys: Array<{ workId: string; key: string }>): Promise<void> {
  const unique = new Map(keys.map((k) => [`${k.workId} ${k.key}`, k]));
  await insertRows(
    db,
    'insert into catalog_work_keys (work_id, key)',
    'on conflict do nothing',
    [...unique.values()].map((k) => [k.workId, k.key]),
    [1000],
  );
}

export interface RecordValues {
  /** Chosen by the caller, so items can refer to new records without a round trip. */
  id: string;
  organizationId: string;
  recordKey: string;
  flavour: 'marc21' | 'unimarc';
  sourceFormat: 'iso2709' | 'marcxml' | 'json' | 'editor';
  sourceEncoding: string | null;
  source: Buffer;
  /** The parsed record as JSON text (the content hash is taken of the same text). */
  marcJson: string;
  contentHash: string;
  /** The NormalizedRecord as JSON text, with the parts of it kept in columns. */
  fieldsJson: string;
  year: number | null;
  materialType: string;
  languages: string[];
  workId: string;
  matchScore: number | null;
  matchReason: string | null;
  clusterKeys: string[];
  titleAuthorKey: string | null;
  subjectFacets: string[];
  /** The SearchDoc as JSON text. */
  searchDocJson: string;
  provenanceJson: string;
  warnings: string[];
}

const RECORD_COLUMNS = `id, organization_id, record_key, flavour, source_format, source_encoding, source, marc, content_hash, fields,
  work_id, match_score, match_reason, cluster_keys, title_author_key, year, material_type, languages, subject_facets, search_doc,
  provenance, warnings`;

const recordRow = (v: RecordValues): unknown[] => [
  v.id,
  v.organizationId,
  v.recordKey,
  v.flavour,
  v.sourceFormat,
  v.sourceEncoding,
  v.source,
  v.marcJson,
  v.contentHash,
  v.fieldsJson,
  v.workId,
  v.matchScore,
  v.matchReason,
  v.clusterKeys,
  v.titleAuthorKey,
  v.year,
  v.materialType,
  v.languages,
  v.subjectFacets,
  v.searchDocJson,
  v.provenanceJson,
  v.warnings,
];

/**
 * Adds records in statements of `sizes` rows (insertRows). An import with a copy writer (on
 * PostgreSQL) gives a full batch's thousand one statement, each statement being a round trip on
 * its serial path; the embedded database takes longer per row for much longer statements.
 */
export async function insertRecords(
  db: CatalogDb,
  values: RecordValues[],
  sizes: readonly number[] = [250],
): Promise<void> {
  await insertRows(db, `insert into catalog_records (${RECORD_COLUMNS})`, '', values.map(recordRow), sizes);
}

/** Replaces records (found by library and record key) with newer versions; their ids stay. */
export async function updateRecords(db: CatalogDb, values: RecordValues[]): Promise<void> {
  await insertRows(
    db,
    `insert into catalog_records (${RECORD_COLUMNS})`,
    `on conflict (organization_id, record_key) do update set
      flavour = excluded.flavour, source_format = excluded.source_format, source_encoding = excluded.source_encoding,
      source = excluded.source, marc = excluded.marc, content_hash = excluded.content_hash, fields = excluded.fields,
      work_id = excluded.work_id, match_score = excluded.match_score, match_reason = excluded.match_reason,
      cluster_keys = excluded.cluster_keys, title_author_key = excluded.title_author_key, year = excluded.year,
      material_type = excluded.material_type, languages = excluded.languages, subject_facets = excluded.subject_facets,
      search_doc = excluded.search_doc, provenance = excluded.provenance, warnings = excluded.warnings,
      imported_hash = null, imported_latest = null, updated_at = now(), deleted_at = null`,
    values.map(recordRow),
  );
}

/** A stored record as renormalizeRecords reads it: its MARC, flavour and work. */
export interface RecordToRenormalize {
  id: string;
  marc: unknown;
  flavour: 'marc21' | 'unimarc';
  work_id: string;
}

/** Up to `limit` records (of a library, or all) after `after`, in id order, deleted ones too. */
export async function recordsToRenormalize(
  db: CatalogDb,
  options: { libraryId?: string; after: string | null; limit: number },
): Promise<RecordToRenormalize[]> {
  const { rows } = await sql<RecordToRenormalize>`
    select id, marc, flavour, work_id from catalog_records
    where true
      ${options.libraryId ? sql`and organization_id = ${options.libraryId}` : sql``}
      ${options.after ? sql`and id > ${options.after}` : sql``}
    order by id limit ${options.limit}`.execute(db);
  return rows;
}

/** What renormalizing derives of a record's MARC (RecordValues' derived part). */
export interface RenormalizedValues {
  id: string;
  workId: string;
  fieldsJson: string;
  year: number | null;
  materialType: string;
  languages: string[];
  clusterKeys: string[];
  titleAuthorKey: string | null;
  subjectFacets: string[];
  searchDocJson: string;
}

/**
 * Writes the derived columns of records where they differ from what is stored (their updated_at
 * moves, so that harvesters fetch what they serve of them again); returns the works of the records
 * changed, with how many each.
 */
export async function updateRenormalized(
  db: CatalogDb,
  values: RenormalizedValues[],
): Promise<Array<{ workId: string; records: number }>> {
  if (values.length === 0) return [];
  const payload = JSON.stringify(
    values.map((v) => ({
      id: v.id,
      fields: JSON.parse(v.fieldsJson) as unknown,
      year: v.year,
      material_type: v.materialType,
      languages: v.languages,
      cluster_keys: v.clusterKeys,
      title_author_key: v.titleAuthorKey,
      subject_facets: v.subjectFacets,
      search_doc: JSON.parse(v.searchDocJson) as unknown,
    })),
  );
  const { rows } = await sql<{ work_id: string; n: number }>`
    with v as (
      select * from jsonb_to_recordset(${payload}::jsonb) as v(id uuid, fields jsonb, year int, material_type text,
        languages text[], cluster_keys text[], title_author_key text, subject_facets text[], search_doc jsonb)
    ), changed as (
      update catalog_records r set fields = v.fields, year = v.year, material_type = v.material_type,
        languages = v.languages, cluster_keys = v.cluster_keys, title_author_key = v.title_author_key,
        subject_facets = v.subject_facets, search_doc = v.search_doc, updated_at = now()
      from v
      where r.id = v.id
        and (r.fields, r.year, r.material_type, r.languages, r.cluster_keys, r.title_author_key, r.subject_facets, r.search_doc)
          is distinct from (v.fields, v.year, v.material_type, v.languages, v.cluster_keys, v.title_author_key, v.subject_facets, v.search_doc)
      returning r.work_id
    )
    select work_id, count(*)::int as n from changed group by work_id`.execute(db);
  return rows.map((r) => ({ workId: r.work_id, records: r.n }));
}

/** A work to refresh: the records it gained, or (rekey) rebuilt whole. */
export interface WorkMark {
  workId: string;
  added: string[];
  rekey: boolean;
}

/**
 * Marks works for a refresh of their aggregates (refreshPendingWorks): `added` records joined
 * them, or, with `rekey`, one of their records changed or left (they are then rebuilt whole,
 * matching keys included).
 */
export async function markWorksForRefresh(db: CatalogDb, works: WorkMark[]): Promise<void> {
  if (works.length === 0) return;
  const byWork = new Map<string, { added: string[]; rekey: boolean }>();
  // In the works' order, so that two transactions marking works lock them in the same order.
  for (const w of [...works].sort((a, b) => (a.workId < b.workId ? -1 : a.workId > b.workId ? 1 : 0))) {
    const entry = byWork.get(w.workId) ?? { added: [], rekey: false };
    entry.added.push(...w.added);
    entry.rekey ||= w.rekey;
    byWork.set(w.workId, entry);
  }
  await insertRows(
    db,
    'insert into catalog_work_refresh (work_id, rekey, added)',
    `on conflict (work_id) do update set
      rekey = catalog_work_refresh.rekey or excluded.rekey, added = catalog_work_refresh.added || excluded.added`,
    [...byWork].map(([workId, w]) => [workId, w.rekey, w.added]),
  );
}

/** Which marked works a refresh takes: those rebuilt whole (new, or a record changed or left), those that only gained records, or both. */
export type RefreshKind = 'whole' | 'added' | 'any';

/**
 * Refreshes up to `limit` of the works marked for it, in one transaction; returns how many.
 * A work that only gained records is brought up to date from those records alone; a new work,
 * or one whose records changed, is rebuilt from all of them. Refreshes of one `kind` may run side
 * by side on several connections (`parallel`): each takes works no other has taken, and updates
 * the lexicon (catalog_lexicon, by trigger) in one statement, locking its words in their order.
 */
export async function refreshPendingWorks(
  db: CatalogDb,
  limit: number,
  options: { kind?: RefreshKind; parallel?: boolean } = {},
): Promise<number> {
  const kind = options.kind ?? 'any';
  return db.transaction().execute(async (trx) => {
    // Batches wait meanwhile: none may pick a work that this refresh finds empty and deletes.
    await lockClustering(trx, { bulk: true, shared: options.parallel });
    // (Probed work by work, in the queue's order: the queue is small, the works may be millions.)
    const rebuilt = sql`(m.rekey or coalesce((select w.record_count from catalog_works w where w.id = m.work_id), 0) = 0)`;
    const { rows } = await sql<{ work_id: string; rekey: boolean; added: string[]; record_count: number | null }>`
      with taken as (
        delete from catalog_work_refresh where work_id in (
          select m.work_id from catalog_work_refresh m
          ${kind === 'whole' ? sql`where ${rebuilt}` : kind === 'added' ? sql`where not ${rebuilt}` : sql``}
          order by m.work_id limit ${limit} for update of m skip locked)
        returning work_id, rekey, added
      )
      select t.work_id, t.rekey, t.added, w.record_count from taken t left join catalog_works w on w.id = t.work_id`.execute(
      trx,
    );
    if (rows.length === 0) return 0;
    const whole = rows.filter((r) => r.rekey || !r.record_count);
    await refreshWorks(
      trx,
      whole.map((r) => r.work_id),
      { rekey: whole.filter((r) => r.rekey).map((r) => r.work_id) },
    );
    await addToWorks(
      trx,
      rows.filter((r) => !r.rekey && r.record_count),
    );
    return rows.length;
  });
}

// What a refresh reads of a work `p.work_id`: its records `r` (the FROM … WHERE `records`), summed up in
// one pass per work (s), then its search vectors and the libraries with an available copy (v).
// The search vector holds each distinct text once: accent-folded `simple` words weighted
// A title, B names, C subjects and series, D the rest, plus stems of titles and subjects in the
// work's languages; one tsvector per weight, so that an addition can skip the words a work has.
// rank_vector is the same without D (edition details), small even for a work with thousands of
// editions: ranking reads it, while search_vector (indexed) decides what matches. Subject facet
// values are cut for the works' index as subjectFacets cuts them (records stored before it did not).
const stems = (text: string, weight: string) =>
  `coalesce((select catalog_tsvector_agg(setweight(to_tsvector(c.cfg, ${text}), '${weight}'))
      from (select distinct catalog_stem_config(x) as cfg from unnest(s.languages) x) c where c.cfg is not null), '')`;
const summarySql = (records: string, capped = false) => {
  const text = (weight: keyof typeof CAPPED_TEXT) =>
    capped ? `left(s.t${weight}, ${CAPPED_TEXT[weight]})` : `s.t${weight}`;
  return sql.raw(`
  cross join lateral (
    select count(*)::int as record_count,
      (array_agg(r.id order by r.created_at, r.id))[1] as first_id,
      (array_agg(r.title_author_key order by r.created_at, r.id) filter (where r.title_author_key is not null))[1] as title_author_key,
      min(r.year) as year_min, max(r.year) as year_max,
      coalesce(array_agg(distinct r.year) filter (where r.year is not null), '{}') as years,
      coalesce(array_agg(distinct r.material_type), '{}') as material_types,
      coalesce(array_agg(distinct r.organization_id), '{}') as library_ids,
      (select coalesce(array_agg(distinct x), '{}') from unnest(catalog_array_cat(r.cluster_keys)) x) as identifiers,
      (select coalesce(array_agg(distinct x), '{}') from unnest(catalog_array_cat(r.languages)) x) as languages,
      (select coalesce(array_agg(distinct left(x, ${MAX_TITLE_KEY})), '{}') from unnest(catalog_array_cat(r.subject_facets)) x) as subjects,
      array_agg(r.id) as ids,
      coalesce(string_agg(distinct r.search_doc->>'a', ' '), '') as ta,
      coalesce(string_agg(distinct r.search_doc->>'b', ' '), '') as tb,
      coalesce(string_agg(distinct r.search_doc->>'c', ' '), '') as tc,
      coalesce(string_agg(distinct r.search_doc->>'d', ' '), '') as td
    from ${records}
  ) s
  cross join lateral (
    select setweight(to_tsvector('simple', unaccent(${text('a')})), 'A') || ${stems(text('a'), 'A')} as a,
      setweight(to_tsvector('simple', unaccent(${text('b')})), 'B') as b,
      setweight(to_tsvector('simple', unaccent(${text('c')})), 'C') || ${stems(text('c'), 'C')} as c,
      setweight(to_tsvector('simple', unaccent(${text('d')})), 'D') as d,
      (select coalesce(array_agg(distinct i.organization_id), '{}') from catalog_items i
        where i.record_id = any(s.ids) and i.status = 'available') as available
  ) v`);
};

/**
 * How many characters of each weight's distinct texts (title, names, subjects and series, the
 * rest) a work's search vector is built from when all of them would make it larger than
 * PostgreSQL allows (1 MB): a work of editions whose notes hold hundreds of thousands of distinct
 * words. Its editions' first texts (in sorted order) stay searchable, the rest do not. A character
 * gives at most about 8 bytes of vector (a letter takes up to four bytes, a hyphenated word is
 * indexed whole and in its parts, and each word has its position), and titles and subjects are
 * also stemmed in up to six languages: (7 × 5,000 + 5,000 + 7 × 5,000 + 30,000) × 8 bytes is
 * 840,000, under the limit.
 */
const CAPPED_TEXT = { a: 5_000, b: 5_000, c: 5_000, d: 30_000 } as const;

/** Whether the database refused a search vector for its size ("string is too long for tsvector"). */
const isVectorTooLong = (error: unknown) =>
  (error as { code?: unknown } | null)?.code === '54000' && String((error as Error).message).includes('tsvector');

/**
 * Runs `update` for `works` in a savepoint of the transaction `db`. If some work's search vector
 * would exceed PostgreSQL's limit, each half is tried again the same way, down to the works that
 * fail alone, which `capped` recomputes whole from at most CAPPED_TEXT of their texts; the others
 * keep all their words.
 */
async function withinVectorLimit<W>(
  db: CatalogDb,
  works: W[],
  update: (works: W[]) => Promise<unknown>,
  capped: (work: W) => Promise<unknown>,
): Promise<void> {
  if (works.length === 0) return;
  try {
    await inSavepoint(db, () => update(works));
  } catch (error) {
    if (!isVectorTooLong(error)) throw error;
    if (works.length === 1) return void (await capped(works[0]!));
    const half = Math.ceil(works.length / 2);
    await withinVectorLimit(db, works.slice(0, half), update, capped);
    await withinVectorLimit(db, works.slice(half), update, capped);
  }
}

/**
 * Runs an update of works returning `(id, ta, old_ta)`, their title|author key after and before,
 * and moves the "ta:" matching key of each work whose key changed along with it.
 */
const keepingTitleAuthorKeys = (update: RawBuilder<unknown>) => sql`
  with changed as (${update}),
  moved as (select id, ta, old_ta from changed where ta is distinct from old_ta),
  dropped as (delete from catalog_work_keys k using moved m where k.work_id = m.id and k.key = 'ta:' || m.old_ta)
  insert into catalog_work_keys (work_id, key) select id, 'ta:' || ta from moved where ta is not null
  on conflict do nothing`;

/** The works `workIds` recomputed from their live records (`capped`: their vectors from CAPPED_TEXT of their texts). */
function recomputeWorks(db: CatalogDb, workIds: string[], capped: boolean) {
  const ids = sql`${workIds}::uuid[]`;
  return keepingTitleAuthorKeys(sql`
    update catalog_works w set
      title = f.fields->>'title', sort_title = f.fields->>'sortTitle', author = f.fields->'authors'->0->>'name',
      identifiers = x.identifiers, title_author_key = x.title_author_key, years = x.years,
      year_min = x.year_min, year_max = x.year_max, material_types = x.material_types, languages = x.languages,
      subjects = x.subjects, library_ids = x.library_ids, available_library_ids = x.available, record_count = x.record_count,
      rank_vector = x.a || x.b || x.c, search_vector = x.a || x.b || x.c || x.d || ${markerLexemes('w.id', 'x.record_count')},
      updated_at = now()
    from (
      select p.work_id, s.*, v.*
      from unnest(${ids}) as p(work_id)
      ${summarySql('catalog_records r where r.work_id = p.work_id and r.deleted_at is null', capped)}
    ) x
      join catalog_records f on f.id = x.first_id
      join catalog_works o on o.id = x.work_id
    where w.id = x.work_id and x.record_count > 0
    returning w.id, w.title_author_key as ta, o.title_author_key as old_ta`).execute(db);
}

/**
 * Recomputes the display fields, matching keys, facets and search vector of works from their
 * live records and items, and deletes works left without records. The matching keys of the
 * works in `rekey` (default: all of them) are rebuilt from their records, for when a record
 * changed, left or was deleted.
 */
export async function refreshWorks(
  db: CatalogDb,
  workIds: string[],
  options: { rekey?: string[] } = {},
): Promise<void> {
  if (workIds.length === 0) return;
  // Its statements belong together (and withinVectorLimit needs a transaction for its savepoint).
  if (!db.isTransaction) return db.transaction().execute((trx) => refreshWorks(trx, workIds, options));
  const unique = [...new Set(workIds)];
  const ids = sql`${unique}::uuid[]`;
  await withinVectorLimit(
    db,
    unique,
    (some) => recomputeWorks(db, some, false),
    (one) => recomputeWorks(db, [one], true),
  );
  const rekeyIds = options.rekey ?? workIds;
  if (rekeyIds.length) {
    const rekey = sql`${[...new Set(rekeyIds)]}::uuid[]`;
    await sql`delete from catalog_work_keys where work_id = any(${rekey})`.execute(db);
    await sql`
      insert into catalog_work_keys (work_id, key)
      select w.id, k from catalog_works w, unnest(w.identifiers) k where w.id = any(${rekey})
      union
      select w.id, 'year:' || y from catalog_works w, unnest(w.years) y where w.id = any(${rekey})
      union
      select w.id, 'ta:' || w.title_author_key from catalog_works w
      where w.id = any(${rekey}) and w.title_author_key is not null`.execute(db);
  }
  // Works left without live records: deleted when no record refers to them any more, else
  // (their records are deleted ones, kept for harvesters) emptied.
  await sql`
    with empty as (
      select p.id from unnest(${ids}) as p(id)
      where not exists (select 1 from catalog_records r where r.work_id = p.id and r.deleted_at is null)
    ),
    gone as (
      delete from catalog_works w using empty e
      where w.id = e.id and not exists (select 1 from catalog_records r where r.work_id = e.id and r.deleted_at is not null)
      returning w.id
    ),
    keys as (delete from catalog_work_keys k using gone where k.work_id = gone.id)
    update catalog_works w set record_count = 0, library_ids = '{}', available_library_ids = '{}'
    from empty e where w.id = e.id and e.id not in (select id from gone)`.execute(db);
  // Those left without live records because they joined other works: their addresses lead there.
  await noteWhereWorksWent(db, workIds);
}

/**
 * Brings works up to date with records added to them, reading only those records: counts, years
 * and facet arrays merged, and the search vector extended by the words it lacks (per weight).
 * The first record, and with it the display fields, stays what it was.
 */
async function addToWorks(db: CatalogDb, works: Array<{ work_id: string; added: string[] }>): Promise<void> {
  const union = (column: string) =>
    sql.raw(`(select coalesce(array_agg(distinct v), '{}') from unnest(w.${column} || x.${column}) v)`);
  // The words of the added records the work lacks (with that weight): titles, names and subjects
  // are looked up in the (small) rank_vector, edition details in search_vector.
  const missing = (weight: string) =>
    sql.raw(
      `ts_delete(v.${weight}, tsvector_to_array(ts_filter(cw.${weight === 'd' ? 'search' : 'rank'}_vector, '{${weight}}'))) as new_${weight}`,
    );
  const update = (some: typeof works) => {
    const pairs = some.flatMap((w) => w.added.map((id) => [w.work_id, id] as const));
    return keepingTitleAuthorKeys(sql`
    update catalog_works w set
      identifiers = ${union('identifiers')}, title_author_key = coalesce(w.title_author_key, x.title_author_key),
      years = ${union('years')}, year_min = least(w.year_min, x.year_min), year_max = greatest(w.year_max, x.year_max),
      material_types = ${union('material_types')}, languages = ${union('languages')}, subjects = ${union('subjects')},
      library_ids = ${union('library_ids')},
      available_library_ids = (select coalesce(array_agg(distinct v), '{}') from unnest(w.available_library_ids || x.available) v),
      record_count = w.record_count + x.record_count,
      rank_vector = w.rank_vector || x.new_a || x.new_b || x.new_c,
      search_vector = w.search_vector || x.new_a || x.new_b || x.new_c || x.new_d
        || ${markerLexemes('w.id', 'w.record_count + x.record_count')},
      updated_at = now()
    from (
      select p.work_id, s.*, v.available, n.*
      from (
        select work_id, array_agg(record_id) as added
        from unnest(${pairs.map((p) => p[0])}::uuid[], ${pairs.map((p) => p[1])}::uuid[]) as a(work_id, record_id)
        group by work_id
      ) p
      ${summarySql('unnest(p.added) as a(id) join catalog_records r on r.id = a.id where r.work_id = p.work_id and r.deleted_at is null')}
      cross join lateral (
        select ${missing('a')}, ${missing('b')}, ${missing('c')}, ${missing('d')}, cw.title_author_key as old_ta
        from catalog_works cw where cw.id = p.work_id
      ) n
    ) x
    where w.id = x.work_id and x.record_count > 0
    returning w.id, w.title_author_key as ta, x.old_ta`).execute(db);
  };
  // A work whose new words would make its vector too large is recomputed whole, from part of its texts.
  const adding = works.filter((w) => w.added.length > 0);
  await withinVectorLimit(db, adding, update, (w) => recomputeWorks(db, [w.work_id], true));
}

export interface ItemValues {
  organizationId: string;
  recordId: string;
  branchId: string | null;
  barcode: string;
  callNumber: string | null;
  location: string | null;
  itemType: string | null;
  /** The copy's status as the imported file gives it; null when it says nothing of it. */
  status: string | null;
}

/** How an import changes the statuses of copies it finds already stored. */
export interface ImportedStatusRule {
  /** The statuses an import may change; a copy in any other status keeps it. */
  mayChange: readonly string[];
  /** Why, in the copy's status history. */
  reason: string;
}

const ITEM_COLUMNS = 'id, organization_id, record_id, branch_id, barcode, call_number, location, item_type';
const itemRow = (v: ItemValues) => [
  uuidV7(),
  v.organizationId,
  v.recordId,
  v.branchId,
  v.barcode,
  v.callNumber,
  v.location,
  v.itemType ?? 'book',
];

/**
 * Adds items, or moves an existing barcode of the library to its record and new details. A copy
 * the file gives a status is added with it; a stored copy takes it when its status is one the
 * rule lets an import change, and the change goes into the copy's status history (one statement
 * per chunk: the copies' statuses before are read in the statement's snapshot; one that
 * circulation changed meanwhile keeps its new status, and nothing is recorded for it). A copy the
 * file says nothing of keeps its status. Returns the works that copies moved out of (a copy now
 * listed under a record of another work), read in the same statement, for the caller to rebuild.
 */
export async function upsertItems(db: CatalogDb, items: ItemValues[], rule: ImportedStatusRule): Promise<string[]> {
  // One row per barcode: a file may describe the same copy twice; the last description wins.
  const unique = [...new Map(items.map((i) => [`${i.organizationId} ${i.barcode}`, i])).values()];
  // Most of an import's copies are new: inserted plainly first (a fifth to a quarter cheaper than
  // the upsert below, measured), and only the barcodes already stored go through the upsert.
  const silent = await insertNewItems(
    db,
    unique.filter((i) => i.status === null),
    false,
  );
  const told = await insertNewItems(
    db,
    unique.filter((i) => i.status !== null),
    true,
  );
  const details = `record_id = excluded.record_id, branch_id = excluded.branch_id, call_number = excluded.call_number,
      location = excluded.location, item_type = excluded.item_type, updated_at = now()`;
  // Read in the statement's snapshot, before its upsert: the stored copies among the chunk's
  // barcodes, and of them the copies the chunk moves from a record of another work, whose work
  // must be rebuilt without them (it may be left with none there).
  const stored = (withStatus: boolean) => `stored as materialized (
      select i.id, i.status, i.record_id as from_record, v.record_id::uuid as to_record${withStatus ? ', v.status as told' : ''}
      from v join catalog_items i on i.organization_id = v.organization_id::uuid and i.barcode = v.barcode
    ), moved as (
      select distinct r_from.work_id from stored s
      join catalog_records r_from on r_from.id = s.from_record
      join catalog_records r_to on r_to.id = s.to_record
      where s.from_record <> s.to_record and r_from.work_id <> r_to.work_id
    )`;
  const left = new Set<string>();
  const note = (rows: Array<{ work_id: string }>) => {
    for (const r of rows) left.add(r.work_id);
  };
  note(
    await insertRows<{ work_id: string }>(
      db,
      `with v (${ITEM_COLUMNS}) as (`,
      `), ${stored(false)}, up as (
        insert into catalog_items (${ITEM_COLUMNS})
        select v.id::uuid, v.organization_id::uuid, v.record_id::uuid, v.branch_id::uuid, v.barcode, v.call_number,
          v.location, v.item_type from v
        on conflict (organization_id, barcode) do update set ${details}
      )
      select work_id from moved`,
      silent.map(itemRow),
      [500],
    ),
  );
  if (told.length === 0) return [...left];
  const mayChange = rule.mayChange.map((s) => `'${s.replace(/'/g, "''")}'`).join(', ');
  const reason = `'${rule.reason.replace(/'/g, "''")}'`;
  note(
    await insertRows<{ work_id: string }>(
      db,
      `with v (${ITEM_COLUMNS}, status) as (`,
      `), ${stored(true)}, up as (
        insert into catalog_items (${ITEM_COLUMNS}, status)
        select v.id::uuid, v.organization_id::uuid, v.record_id::uuid, v.branch_id::uuid, v.barcode, v.call_number,
          v.location, v.item_type, v.status from v
        on conflict (organization_id, barcode) do update set ${details},
          status = case when catalog_items.status in (${mayChange}) then excluded.status else catalog_items.status end
        returning id, organization_id, status
      ), history as (
        insert into catalog_item_status_history (item_id, organization_id, from_status, to_status, reason)
        select up.id, up.organization_id, s.status, up.status, ${reason}
        from stored s join up on up.id = s.id
        where s.status <> up.status and up.status = s.told
      )
      select work_id from moved`,
      told.map((v) => [...itemRow(v), v.status]),
      [500],
    ),
  );
  return [...left];
}

/**
 * Inserts the copies whose barcode the library does not have yet (`withStatus`: with the status
 * the file gives them); returns the others, which the library has and which are left alone.
 */
async function insertNewItems(db: CatalogDb, items: ItemValues[], withStatus: boolean): Promise<ItemValues[]> {
  // Each row by the id it is given here.
  const byId = new Map<string, ItemValues>();
  const rows = items.map((item) => {
    const row = withStatus ? [...itemRow(item), item.status] : itemRow(item);
    byId.set(row[0] as string, item);
    return row;
  });
  const inserted = await insertRows<{ id: string }>(
    db,
    `with v (${ITEM_COLUMNS}${withStatus ? ', status' : ''}) as (`,
    `) insert into catalog_items (${ITEM_COLUMNS}${withStatus ? ', status' : ''})
      select v.id::uuid, v.organization_id::uuid, v.record_id::uuid, v.branch_id::uuid, v.barcode, v.call_number,
        v.location, v.item_type${withStatus ? ', v.status' : ''} from v
      on conflict (organization_id, barcode) do nothing
      returning id`,
    rows,
    [500],
  );
  for (const r of inserted) byId.delete(r.id);
  return [...byId.values()];
}

/**
 * What the stored versions of those records that have copies said in their holdings fields (952,
 * 852 and 949 only, in their order: enough to read their copies again), before an update.
 */
export async function holdingsOfRecordsWithItems(
  db: CatalogDb,
  recordIds: string[],
): Promise<Array<{ id: string; marc: MarcRecord }>> {
  if (recordIds.length === 0) return [];
  const { rows } = await sql<{ id: string; fields: MarcRecord['fields'] | string }>`
    select r.id, (select coalesce(json_agg(f order by n), '[]') from json_array_elements(r.marc->'fields') with ordinality as x(f, n)
      where f->>'tag' in ('952', '852', '949')) as fields
    from catalog_records r
    where r.id = any(${recordIds}::uuid[]) and exists (select 1 from catalog_items i where i.record_id = r.id)`.execute(
    db,
  );
  return rows.map((r) => ({
    id: r.id,
    marc: {
      leader: '',
      fields: typeof r.fields === 'string' ? (JSON.parse(r.fields) as MarcRecord['fields']) : r.fields,
    },
  }));
}

/**
 * Withdraws the copies a newer version of their record no longer lists, in one statement: each
 * (record, barcode) given, when the copy is still that record's and in a status the rule lets an
 * import change; each change goes into the copy's status history. A copy circulation took
 * meanwhile (on loan, in transit …) is left as it is: the status is checked again on the row.
 */
export async function withdrawDroppedItems(
  db: CatalogDb,
  organizationId: string,
  dropped: Array<{ recordId: string; barcode: string }>,
  rule: ImportedStatusRule,
): Promise<void> {
  if (dropped.length === 0) return;
  const mayChange = rule.mayChange.filter((s) => s !== 'withdrawn');
  await sql`
    with d as (
      select i.id, i.status from catalog_items i
        join unnest(${dropped.map((d) => d.recordId)}::uuid[], ${dropped.map((d) => d.barcode)}::text[]) as d(record_id, barcode)
          on i.organization_id = ${organizationId}::uuid and i.barcode = d.barcode and i.record_id = d.record_id
      where i.status = any(${mayChange}::text[])
    ), changed as (
      update catalog_items i set status = 'withdrawn', updated_at = now()
      from d where i.id = d.id and i.status = any(${mayChange}::text[])
      returning i.id, d.status as from_status
    )
    insert into catalog_item_status_history (item_id, organization_id, from_status, to_status, reason)
    select changed.id, ${organizationId}::uuid, changed.from_status, 'withdrawn', ${rule.reason}::text from changed`.execute(
    db,
  );
}

// ── copies stored in a transaction of their own (import/copy-writer.ts) ────────

// The class of the session-level advisory lock a run holds on its token while it stores copies.
const COPIES_LOCK = 740_127_542;

/** Holds the run's lock for the rest of the session of `conn` (a connection of its own). */
export async function holdCopiesLock(conn: CatalogDb, runToken: string): Promise<void> {
  await sql`select pg_advisory_lock(${COPIES_LOCK}::int, hashtext(${runToken}))`.execute(conn);
}

export async function releaseCopiesLock(conn: CatalogDb, runToken: string): Promise<void> {
  await sql`select pg_advisory_unlock(${COPIES_LOCK}::int, hashtext(${runToken}))`.execute(conn);
}

/**
 * A batch's copies and the refresh marks that wait for them; the records the marks list as added
 * are the batch's, whose subject terms wait too (lockClustering's `deferSubjectTerms`).
 */
export interface PendingBatch {
  items: ItemValues[];
  marks: WorkMark[];
}

/** Writes a batch's copies and marks beside its records; returns the row's id. */
export async function insertPendingCopies(
  db: CatalogDb,
  runToken: string,
  organizationId: string,
  batch: PendingBatch,
): Promise<string> {
  const row = await db
    .insertInto('catalog_import_pending_copies')
    .values({
      run_token: runToken,
      organization_id: organizationId,
      items: JSON.stringify(batch.items),
      marks: JSON.stringify(batch.marks),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}

/** Deletes a row of pending copies whose items the caller has; false when it is gone, stored already. */
export async function dropPendingCopies(trx: CatalogDb, id: string): Promise<boolean> {
  const { numDeletedRows } = await trx
    .deleteFrom('catalog_import_pending_copies')
    .where('id', '=', id)
    .executeTakeFirst();
  return numDeletedRows > 0n;
}

/**
 * Takes a row of pending copies in the transaction `trx` (deleted; the copies and marks are the
 * caller's to store before it commits); null when it is gone, stored already.
 */
export async function takePendingCopies(trx: CatalogDb, id: string): Promise<PendingBatch | null> {
  const row = await trx
    .deleteFrom('catalog_import_pending_copies')
    .where('id', '=', id)
    .returning(['items', 'marks'])
    .executeTakeFirst();
  return row ? { items: JSON.parse(row.items) as ItemValues[], marks: JSON.parse(row.marks) as WorkMark[] } : null;
}

/** Stores the subject terms of records inserted with theirs deferred. */
export async function storeSubjectTerms(trx: CatalogDb, recordIds: string[]): Promise<void> {
  if (recordIds.length === 0) return;
  await sql`select catalog_store_subject_terms(${recordIds}::uuid[])`.execute(trx);
}

/** The runs with copies pending, live or not (claimCopyRun tells). */
export async function pendingCopyRuns(db: CatalogDb): Promise<string[]> {
  const rows = await db.selectFrom('catalog_import_pending_copies').select('run_token').distinct().execute();
  return rows.map((r) => r.run_token);
}

/**
 * In the transaction `trx`, takes the run's lock if nobody holds it (until the transaction ends)
 * and returns the ids of its pending rows in the order they were written; null when a live
 * process holds it.
 */
export async function claimCopyRun(trx: CatalogDb, runToken: string): Promise<string[] | null> {
  const { rows } = await sql<{ held: boolean }>`
    select pg_try_advisory_xact_lock(${COPIES_LOCK}::int, hashtext(${runToken})) as held`.execute(trx);
  if (!rows[0]?.held) return null;
  const pending = await trx
    .selectFrom('catalog_import_pending_copies')
    .select('id')
    .where('run_token', '=', runToken)
    .orderBy('id')
    .execute();
  return pending.map((r) => String(r.id));
}

// ── import runs ──────────────────────────────────────────────────────────────

export async function insertImport(
  db: CatalogDb,
  values: { organizationId: string; filename: string; format: string; createdBy: string | null },
) {
  return db
    .insertInto('catalog_imports')
    .values({
      organization_id: values.organizationId,
      filename: values.filename,
      format: values.format,
      created_by: values.createdBy,
      error: null,
      started_at: null,
      finished_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function addImportCounts(
  db: CatalogDb,
  id: string,
  counts: { processed: number; added: number; updated: number; unchanged: number; rejected: number },
) {
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

export async function setImportStatus(
  db: CatalogDb,
  id: string,
  status: 'running' | 'done' | 'failed',
  error: string | null = null,
) {
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

export async function insertRejects(
  db: CatalogDb,
  importId: string,
  rejects: Array<{ position: string; reason: string }>,
) {
  if (rejects.length === 0) return;
  await db
    .insertInto('catalog_import_rejects')
    .values(rejects.map((r) => ({ import_id: importId, ...r })))
    .execute();
}
