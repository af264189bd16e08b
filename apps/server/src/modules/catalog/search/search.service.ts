import type {
  CatalogSearchQuery,
  CatalogSearchResult,
  Edition,
  FacetValue,
  MaterialType,
  NormalizedRecord,
  WorkHit,
} from '@athenaeum/contracts';
import { sql } from 'kysely';
import type { AppContext } from '../../../platform/context/context.js';
import { catalogDb, type CatalogDb } from '../catalog.repository.js';
import { parseQuery } from './query.js';
import { workMatch } from './search.sql.js';

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

/** Editions of the given works, in the order staff and patrons expect: newest first. */
async function editionsOf(
  db: CatalogDb,
  workIds: string[],
): Promise<Map<string, { editions: Edition[]; cover: string | null }>> {
  const out = new Map<string, { editions: Edition[]; cover: string | null }>();
  if (workIds.length === 0) return out;
  const rows = await db
    .selectFrom('catalog_records')
    .select(['id', 'work_id', 'organization_id', 'fields'])
    .where('work_id', 'in', workIds)
    .where('deleted_at', 'is', null)
    .orderBy('year', (ob) => ob.desc().nullsLast())
    .execute();
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

/**
 * Searches the union catalogue: one hit per work with its editions and where it is held, facet
 * counts over the whole result, and a suggestion when few works match.
 */
export async function searchCatalog(ctx: AppContext, query: CatalogSearchQuery): Promise<CatalogSearchResult> {
  const db = catalogDb(ctx.db);
  const parsed = parseQuery(query.q);
  const match = workMatch(parsed);
  const yearFrom = query.yearFrom ?? parsed.yearFrom;
  const yearTo = query.yearTo ?? parsed.yearTo;

  const conditions = [sql`w.record_count > 0`];
  if (match.where) conditions.push(match.where);
  if (query.material?.length) conditions.push(sql`w.material_types && ${query.material}::text[]`);
  if (query.language?.length) conditions.push(sql`w.languages && ${query.language}::text[]`);
  if (query.library?.length) conditions.push(sql`w.library_ids && ${query.library}::uuid[]`);
  if (query.subject?.length) conditions.push(sql`w.subjects @> ${query.subject}::text[]`);
  if (query.available) {
    conditions.push(
      query.library?.length
        ? sql`w.available_library_ids && ${query.library}::uuid[]`
        : sql`w.available_library_ids <> '{}'`,
    );
  }
  if (yearFrom != null) conditions.push(sql`w.year_max >= ${yearFrom}`);
  if (yearTo != null) conditions.push(sql`w.year_min <= ${yearTo}`);
  const where = sql.join(conditions, sql` and `);
  const rank = match.rank ? sql`ts_rank_cd(w.rank_vector, ${match.rank}, 1)` : sql`w.record_count`;
  const order =
    query.sort === 'date'
      ? sql`w.year_max desc nulls last, w.sort_title`
      : query.sort === 'title'
        ? sql`w.sort_title, w.id`
        : sql`${rank} desc, w.record_count desc, w.sort_title`;

  const offset = (query.page - 1) * query.pageSize;
  const [page, facets] = await Promise.all([
    sql<Row>`
      select w.id, w.title, w.author, w.year_min, w.year_max, w.material_types, w.languages, w.library_ids, w.available_library_ids
      from catalog_works w where ${where}
      order by ${order}
      limit ${query.pageSize} offset ${offset}`.execute(db),
    sql<{
      total: number;
      material: FacetValue[] | null;
      language: FacetValue[] | null;
      decade: FacetValue[] | null;
      library: FacetValue[] | null;
      subject: FacetValue[] | null;
      available: number;
      year_min: number | null;
      year_max: number | null;
    }>`
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
          (select (year_min / 10) * 10 as v, count(*)::int n from m where year_min is not null group by 1) t) as decade,
        (select jsonb_agg(jsonb_build_object('value', v, 'count', n) order by n desc, v) from
          (select v::text, count(*)::int n from (select unnest(library_ids) v from m) u group by v) t) as library,
        (select jsonb_agg(jsonb_build_object('value', v, 'count', n) order by n desc, v) from
          (select v, count(*)::int n from (select unnest(subjects) v from m) u group by v order by n desc limit 20) t) as subject
      from (
        select count(*)::int as total, (count(*) filter (where available_library_ids <> '{}'))::int as available,
          min(year_min) as year_min, max(year_max) as year_max
        from m
      ) t`.execute(db),
  ]);

  const hits = page.rows;
  const editions = await editionsOf(
    db,
    hits.map((h) => h.id),
  );
  const f = facets.rows[0]!;
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
    },
    didYouMean: null,
  };
}
