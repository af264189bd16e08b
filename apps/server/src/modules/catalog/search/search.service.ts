import type {
  CatalogSearchQuery,
  CatalogSearchResult,
  Edition,
  FacetValue,
  MaterialType,
  NormalizedRecord,
  WorkHit,
} from '@athenaeum/contracts';
import { sql, type RawBuilder } from 'kysely';
import type { AppContext } from '../../../platform/context/context.js';
import { catalogDb, type CatalogDb } from '../catalog.repository.js';
import { parseQuery } from './query.js';
import { popularQuery, SAMPLE_LEVELS, titleOfQueryWords, workMatch } from './search.sql.js';
import { suggestQuery } from './suggest.js';

type Row = {
  id: string;
  title: string;
  author: string | null;
  year_min: number | null;
  year_max: number | null;
  material_types: string[];
  languages: string[];
  library_ids: string[];
  available_library_ids: string[];
};

/** How many editions a hit lists (the work's page has them all): its newest ones. */
const EDITIONS_PER_HIT = 20;

/** Editions of the given works, in the order staff and patrons expect: newest first. */
async function editionsOf(
  db: CatalogDb,
  workIds: string[],
): Promise<Map<string, { editions: Edition[]; cover: string | null }>> {
  const out = new Map<string, { editions: Edition[]; cover: string | null }>();
  if (workIds.length === 0) return out;
  const { rows } = await sql<{ id: string; work_id: string; organization_id: string; fields: NormalizedRecord }>`
    select r.id, r.work_id, r.organization_id, r.fields
    from unnest(${workIds}::uuid[]) as w(id)
      cross join lateral (
        select id, work_id, organization_id, fields from catalog_records
        where work_id = w.id and deleted_at is null
        order by year desc nulls last
        limit ${EDITIONS_PER_HIT}
      ) r`.execute(db);
  for (const r of rows) {
    const f = r.fields as NormalizedRecord;
    const entry = out.get(r.work_id) ?? { editions: [], cover: null };
    entry.editions.push({
      recordId: r.id,
      libraryId: r.organization_id,
      title: f.title,
      edition: f.edition,
      year: f.year,
      publisher: f.publisher,
      materialType: f.materialType,
      isbns: f.isbns,
      languages: f.languages,
    });
    entry.cover ??= f.links.find((l) => l.kind === 'cover')?.url ?? null;
    out.set(r.work_id, entry);
  }
  return out;
}

// Up to about this many matching works (estimated from one sample bucket), hits are ranked
// and the total and facets counted over all of them. Past it, they are counted over a sample of
// about FACET_SAMPLE works (a sample marked in the search index) and scaled up, and
// relevance puts the works held most widely first instead of ranking every match (a word
// found in a tenth of the catalogue ranks its matches by little more than chance).
const EXACT_UP_TO = 1000;
const FACET_SAMPLE = 2000;
// A query matching fewer works than this gets a "did you mean" when its words can be corrected.
const SUGGEST_BELOW = 3;

type FacetRow = {
  total: number;
  material: FacetValue[] | null;
  language: FacetValue[] | null;
  decade: FacetValue[] | null;
  library: FacetValue[] | null;
  subject: FacetValue[] | null;
  available: number;
  year_min: number | null;
  year_max: number | null;
};

/** Works with a copy available now: at one of `libraries` when the search is limited to some, else anywhere. */
const availableAt = (libraries: string[] | undefined) =>
  libraries?.length ? sql`available_library_ids && ${libraries}::uuid[]` : sql`available_library_ids <> '{}'`;

/**
 * Facet counts over the works matching `where`, in one statement; "available now" counts as its
 * filter selects (in the chosen libraries, if any), and a decade counts every work whose years
 * (first to last edition) reach into it, as the year filter selects.
 */
async function facetsOf(db: CatalogDb, where: RawBuilder<unknown>, libraries: string[] | undefined): Promise<FacetRow> {
  const { rows } = await sql<FacetRow>`
    with m as materialized (
      select w.material_types, w.languages, w.library_ids, w.subjects, w.year_min, w.year_max, w.available_library_ids
      from catalog_works w where ${where}
    )
    select t.*,
      (select jsonb_agg(jsonb_build_object('value', v, 'count', n) order by n desc, v) from
        (select v, count(*)::int n from (select unnest(material_types) v from m) u group by v) t) as material,
      (select jsonb_agg(jsonb_build_object('value', v, 'count', n) order by n desc, v) from
        (select v, count(*)::int n from (select unnest(languages) v from m) u group by v order by n desc limit 30) t) as language,
      (select jsonb_agg(jsonb_build_object('value', v::text, 'count', n) order by v desc) from
        (select v, count(*)::int n from m,
          generate_series(floor(year_min / 10.0)::int * 10, floor(coalesce(year_max, year_min) / 10.0)::int * 10, 10) v
        where year_min is not null group by 1) t) as decade,
      (select jsonb_agg(jsonb_build_object('value', v, 'count', n) order by n desc, v) from
        (select v::text, count(*)::int n from (select unnest(library_ids) v from m) u group by v) t) as library,
      (select jsonb_agg(jsonb_build_object('value', v, 'count', n) order by n desc, v) from
        (select v, count(*)::int n from (select unnest(subjects) v from m) u group by v order by n desc limit 20) t) as subject
    from (
      select count(*)::int as total, (count(*) filter (where ${availableAt(libraries)}))::int as available,
        min(year_min) as year_min, max(year_max) as year_max
      from m
    ) t`.execute(db);
  return rows[0]!;
}

/**
 * Searches the union catalogue: one hit per work with its editions and where it is held, facet
 * counts over the whole result (the total and counts estimated from a sample when it is very
 * large, and marked so), and a suggestion when few works match.
 */
export async function searchCatalog(
  ctx: AppContext,
  query: CatalogSearchQuery,
  limits: { exactUpTo?: number; facetSample?: number } = {},
): Promise<CatalogSearchResult> {
  const exactUpTo = limits.exactUpTo ?? EXACT_UP_TO;
  const facetSample = limits.facetSample ?? FACET_SAMPLE;
  const db = catalogDb(ctx.db);
  const parsed = parseQuery(query.q);
  const yearFrom = query.yearFrom ?? parsed.yearFrom;
  const yearTo = query.yearTo ?? parsed.yearTo;

  const filters = [sql`w.record_count > 0`];
  if (query.material?.length) filters.push(sql`w.material_types && ${query.material}::text[]`);
  if (query.language?.length) filters.push(sql`w.languages && ${query.language}::text[]`);
  if (query.library?.length) filters.push(sql`w.library_ids && ${query.library}::uuid[]`);
  if (query.subject?.length) filters.push(sql`w.subjects @> ${query.subject}::text[]`);
  if (query.available) filters.push(availableAt(query.library));
  if (yearFrom != null) filters.push(sql`w.year_max >= ${yearFrom}`);
  if (yearTo != null) filters.push(sql`w.year_min <= ${yearTo}`);
  const whereOf = (sample?: number) => {
    const match = workMatch(parsed, sample);
    return sql.join(match.where ? [match.where, ...filters] : filters, sql` and `);
  };
  const where = whereOf();
  const rank = workMatch(parsed).rank;

  const estimated =
    (
      await sql<{ n: number }>`select count(*)::int as n from catalog_works w where ${whereOf(SAMPLE_LEVELS)}`.execute(
        db,
      )
    ).rows[0]!.n *
    2 ** SAMPLE_LEVELS;
  const large = estimated > exactUpTo;

  const titleOfWords = titleOfQueryWords(parsed);
  const titleFirst = titleOfWords ? sql`${titleOfWords} desc, ` : sql``;
  const order =
    query.sort === 'date'
      ? sql`w.year_max desc nulls last, w.sort_title, w.id`
      : query.sort === 'title'
        ? sql`w.sort_title, w.id`
        : rank && !large
          ? sql`${titleFirst}ts_rank_cd(w.rank_vector, ${rank}, 1) desc, w.record_count desc, w.sort_title, w.id`
          : sql`w.record_count desc, w.sort_title, w.id`;
  const offset = (query.page - 1) * query.pageSize;
  const columns = sql`w.id, w.title, w.author, w.year_min, w.year_max, w.material_types, w.languages, w.library_ids, w.available_library_ids`;
  const pageOf = (condition: RawBuilder<unknown>) =>
    sql<Row>`select ${columns} from catalog_works w where ${condition}
      order by ${order} limit ${query.pageSize} offset ${offset}`.execute(db);
  const byPopularity = large && (query.sort === 'relevance' || !query.sort);
  // The sample of one in 2^level works that holds about facetSample of the matches (0: all).
  const level = Math.max(0, Math.min(SAMPLE_LEVELS, Math.floor(Math.log2(Math.max(estimated, 1) / facetSample))));
  const [firstPage, counted] = await Promise.all([
    // Ordered by how widely works are held, a large result's first pages are among its popular
    // works (those marked in the index): read those alone when there are enough of them.
    byPopularity ? pageOf(sql`${where} and w.search_vector @@ ${popularQuery()}`) : pageOf(where),
    facetsOf(db, large && level > 0 ? whereOf(level) : where, query.library),
  ]);
  const page = byPopularity && firstPage.rows.length < query.pageSize ? await pageOf(where) : firstPage;
  let f = counted;
  let approximate = false;
  if (large) {
    const scale = 2 ** level;
    const total = Math.round(counted.total * scale);
    const scaled = (values: FacetValue[] | null) =>
      (values ?? []).map((v) => ({ value: v.value, count: Math.max(1, Math.round(v.count * scale)) }));
    f = {
      ...counted,
      total,
      available: Math.round(counted.available * scale),
      material: scaled(counted.material),
      language: scaled(counted.language),
      decade: scaled(counted.decade),
      library: scaled(counted.library),
      subject: scaled(counted.subject),
    };
    approximate = true;
  }

  const hits = page.rows;
  const [editions, didYouMean] = await Promise.all([
    editionsOf(
      db,
      hits.map((h) => h.id),
    ),
    f.total < SUGGEST_BELOW && query.q ? suggestQuery(db, query.q) : null,
  ]);
  const items: WorkHit[] = hits.map((h) => ({
    id: h.id,
    title: h.title,
    author: h.author,
    yearMin: h.year_min,
    yearMax: h.year_max,
    materialTypes: h.material_types as MaterialType[],
    languages: h.languages,
    libraryCount: h.library_ids.length,
    availableLibraryCount: h.available_library_ids.length,
    cover: editions.get(h.id)?.cover ?? null,
    editions: editions.get(h.id)?.editions ?? [],
  }));
  return {
    items,
    page: query.page,
    pageSize: query.pageSize,
    total: f.total,
    facets: {
      material: f.material ?? [],
      language: f.language ?? [],
      decade: f.decade ?? [],
      library: f.library ?? [],
      subject: f.subject ?? [],
      available: f.available,
      yearRange: { min: f.year_min, max: f.year_max },
      ...(approximate ? { approximate } : {}),
    },
    didYouMean,
  };
}
