import { isMaterialType, SORTS, type CatalogSort } from './vocabulary';

/** The search page's state, all of it in the URL (`/search?q=…&material=book,map&page=2`). */
export interface CatalogSearch {
  q?: string | undefined;
  /** Comma-separated material types, languages (MARC codes) and library ids. */
  material?: string | undefined;
  language?: string | undefined;
  library?: string | undefined;
  /** Subjects may contain commas, so they are a list. */
  subject?: string[] | undefined;
  available?: boolean | undefined;
  yearFrom?: number | undefined;
  yearTo?: number | undefined;
  sort?: CatalogSort | undefined;
  page?: number | undefined;
}

export const PAGE_SIZE = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function csv(value: unknown, keep: (item: string) => boolean): string | undefined {
  if (typeof value !== 'string' && !Array.isArray(value)) return undefined;
  const items = (Array.isArray(value) ? value.map(String) : value.split(',')).map((v) => v.trim()).filter(keep);
  const unique = [...new Set(items)].slice(0, 50);
  return unique.length ? unique.join(',') : undefined;
}

function year(value: unknown): number | undefined {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 0 && n <= 2100 ? n : undefined;
}

/** Reads the search state from the URL, dropping whatever the API would refuse. */
export function validateCatalogSearch(search: Record<string, unknown>): CatalogSearch {
  const q = typeof search.q === 'string' && search.q.trim() ? search.q.trim().slice(0, 500) : undefined;
  const subjects = (
    Array.isArray(search.subject) ? search.subject : typeof search.subject === 'string' ? [search.subject] : []
  )
    .filter((s): s is string => typeof s === 'string' && s.trim().length > 0 && s.length <= 200)
    .slice(0, 20);
  const page = Number(search.page);
  const sort = (SORTS as readonly unknown[]).includes(search.sort) ? (search.sort as CatalogSort) : undefined;
  let yearFrom = year(search.yearFrom);
  let yearTo = year(search.yearTo);
  if (yearFrom !== undefined && yearTo !== undefined && yearFrom > yearTo) [yearFrom, yearTo] = [yearTo, yearFrom];
  return {
    q,
    material: csv(search.material, isMaterialType),
    language: csv(search.language, (v) => /^[a-z]{3}$/.test(v)),
    library: csv(search.library, (v) => UUID.test(v)),
    subject: subjects.length ? [...new Set(subjects)] : undefined,
    available: search.available === true || search.available === 'true' ? true : undefined,
    yearFrom,
    yearTo,
    sort: sort === 'relevance' ? undefined : sort,
    page: Number.isInteger(page) && page > 1 && page <= 1000 ? page : undefined,
  };
}

export const listOf = (value: string | undefined): string[] => (value ? value.split(',') : []);

/** A list toggled by one value, as the URL keeps it (undefined when empty). */
export function toggled(value: string | undefined, item: string): string | undefined {
  const list = listOf(value);
  const next = list.includes(item) ? list.filter((v) => v !== item) : [...list, item];
  return next.length ? next.join(',') : undefined;
}

/** The query string for GET /api/v1/catalog/search. */
export function apiSearchParams(search: CatalogSearch): URLSearchParams {
  const params = new URLSearchParams();
  if (search.q) params.set('q', search.q);
  for (const key of ['material', 'language', 'library'] as const) {
    const value = search[key];
    if (value) params.set(key, value);
  }
  for (const subject of search.subject ?? []) params.append('subject', subject);
  // The API splits a single `subject` at commas; repeated, the values are taken whole (a
  // subject heading such as "Russia, History" is repeated to keep its comma).
  if (search.subject?.length === 1 && search.subject[0]!.includes(',')) params.append('subject', search.subject[0]!);
  if (search.available) params.set('available', 'true');
  if (search.yearFrom !== undefined) params.set('yearFrom', String(search.yearFrom));
  if (search.yearTo !== undefined) params.set('yearTo', String(search.yearTo));
  if (search.sort) params.set('sort', search.sort);
  params.set('page', String(search.page ?? 1));
  params.set('pageSize', String(PAGE_SIZE));
  return params;
}

/** True when any filter (not the words, sort or page) is set. */
export function hasFilters(search: CatalogSearch): boolean {
  return Boolean(
    search.material ||
    search.language ||
    search.library ||
    search.subject?.length ||
    search.available ||
    search.yearFrom !== undefined ||
    search.yearTo !== undefined,
  );
}

/** Decades (1960, 1970 …) inside the year range, as the decade checkboxes show it. */
export function decadeChecked(search: CatalogSearch, decade: number): boolean {
  if (search.yearFrom === undefined && search.yearTo === undefined) return false;
  return (search.yearFrom ?? -Infinity) <= decade && decade + 9 <= (search.yearTo ?? Infinity);
}

/**
 * The year range after ticking or unticking a decade. Ticked decades make one range: ticking
 * widens it to include the decade; unticking an end decade narrows it, and unticking one in the
 * middle keeps the part before it.
 */
export function toggleDecade(search: CatalogSearch, decade: number): Pick<CatalogSearch, 'yearFrom' | 'yearTo'> {
  const from = search.yearFrom;
  const to = search.yearTo;
  if (!decadeChecked(search, decade)) {
    if (from === undefined && to === undefined) return { yearFrom: decade, yearTo: decade + 9 };
    return { yearFrom: Math.min(from ?? decade, decade), yearTo: Math.max(to ?? decade + 9, decade + 9) };
  }
  if (from === decade && to === decade + 9) return { yearFrom: undefined, yearTo: undefined };
  if (from === decade) return { yearFrom: decade + 10, yearTo: to };
  return { yearFrom: from, yearTo: decade - 1 };
}
