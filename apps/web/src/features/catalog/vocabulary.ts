// The catalogue's vocabularies, as the contracts list them (one list each for server and browser).
import type { ItemStatus, MaterialType } from '@athenaeum/contracts';
import {
  CATALOG_IMPORT_ENCODINGS as IMPORT_ENCODINGS,
  CATALOG_IMPORT_FORMATS as IMPORT_FORMATS,
  CATALOG_IMPORT_HOLDINGS as IMPORT_HOLDINGS,
  CATALOG_IMPORT_STATUSES as IMPORT_STATUSES,
  ITEM_STATUSES,
  MATERIAL_TYPES,
} from '@athenaeum/contracts/vocabulary';

export {
  IMPORT_ENCODINGS,
  IMPORT_FORMATS,
  IMPORT_HOLDINGS,
  IMPORT_STATUSES,
  ITEM_STATUSES,
  MATERIAL_TYPES,
  type ItemStatus,
};
export const SORTS = ['relevance', 'date', 'title'] as const;
export type CatalogSort = (typeof SORTS)[number];

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
