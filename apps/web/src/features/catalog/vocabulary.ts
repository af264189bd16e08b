// The catalogue's vocabularies as values for the browser (the contracts' runtime values are zod
// schemas, too heavy for the bundle): the compiler checks they equal the contracts' types.
import {
  ITEM_STATUSES,
  type CatalogImportFormat,
  type CatalogImportStatus,
  type ItemStatus,
  type MaterialType,
} from '@athenaeum/contracts';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

export const MATERIAL_TYPES = [
  'book',
  'ebook',
  'serial',
  'article',
  'map',
  'score',
  'sound',
  'music',
  'audiobook',
  'video',
  'image',
  'software',
  'kit',
  'mixed',
  'object',
  'manuscript',
  'other',
] as const;
export const IMPORT_FORMATS = ['auto', 'marc21', 'unimarc', 'marcxml', 'json'] as const;
export const IMPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
/** Item statuses (the catalog_items check constraint), from the contracts. */
export { ITEM_STATUSES, type ItemStatus };
export const SORTS = ['relevance', 'date', 'title'] as const;
export type CatalogSort = (typeof SORTS)[number];

/** Fails to compile when a vocabulary here drifts from the contracts. */
export type CatalogVocabularyMatchesContracts = [
  Assert<Same<(typeof MATERIAL_TYPES)[number], MaterialType>>,
  Assert<Same<(typeof IMPORT_FORMATS)[number], CatalogImportFormat>>,
  Assert<Same<(typeof IMPORT_STATUSES)[number], CatalogImportStatus>>,
];

export function isMaterialType(value: string): value is MaterialType {
  return (MATERIAL_TYPES as readonly string[]).includes(value);
}

export function isItemStatus(value: string): value is ItemStatus {
  return (ITEM_STATUSES as readonly string[]).includes(value);
}

// MARC records name languages by ISO 639-2/B codes; where the bibliographic code differs from the
// terminological one (which Intl knows), the terminological one is used for display names.
const BIBLIOGRAPHIC_TO_TERMINOLOGICAL: Record<string, string> = {
  alb: 'sqi',
  arm: 'hye',
  baq: 'eus',
  bur: 'mya',
  chi: 'zho',
  cze: 'ces',
  dut: 'nld',
  fre: 'fra',
  geo: 'kat',
  ger: 'deu',
  gre: 'ell',
  ice: 'isl',
  mac: 'mkd',
  mao: 'mri',
  may: 'msa',
  per: 'fas',
  rum: 'ron',
  slo: 'slk',
  tib: 'bod',
  wel: 'cym',
};

/** The language tag Intl.DisplayNames understands for a MARC language code (null: no display name). */
export function marcLanguageTag(code: string): string | null {
  const lower = code.toLowerCase();
  if (!/^[a-z]{3}$/.test(lower) || lower === 'und' || lower === 'mul' || lower === 'zxx') return null;
  return BIBLIOGRAPHIC_TO_TERMINOLOGICAL[lower] ?? lower;
}
