import { z } from 'zod';
import {
  MATERIAL_TYPES,
  CATALOG_IMPORT_FORMATS,
  CATALOG_IMPORT_HOLDINGS,
  CATALOG_IMPORT_ENCODINGS,
  CATALOG_IMPORT_STATUSES,
} from './vocabulary.js';
export { MATCH_REASONS, sameIdentifierReason, yearsApartReason } from './vocabulary.js';
export {
  MATERIAL_TYPES,
  CATALOG_IMPORT_FORMATS,
  CATALOG_IMPORT_HOLDINGS,
  CATALOG_IMPORT_ENCODINGS,
  CATALOG_IMPORT_STATUSES,
} from './vocabulary.js';

export const MaterialType = z.enum(MATERIAL_TYPES);
export type MaterialType = z.infer<typeof MaterialType>;

export const AuthorRole = z.string().describe('relator term or code, e.g. "author", "editor", "ill"');

/** A name from 1XX/7XX (MARC 21) or 70X/71X (UNIMARC), with its 880 alternate-script form. */
export const Author = z.object({
  name: z.string(),
  dates: z.string().nullable(),
  kind: z.enum(['person', 'organization', 'meeting']),
  roles: z.array(AuthorRole),
  main: z.boolean(),
  altScript: z.string().nullable(),
});
export type Author = z.infer<typeof Author>;

export const Subject = z.object({
  heading: z.string(),
  kind: z.enum(['topic', 'person', 'organization', 'meeting', 'title', 'place', 'genre']),
  vocabulary: z.string().nullable(),
  /** The heading in its original script, from the 880 field linked to it (MARC 21); absent when none. */
  altScript: z.string().optional(),
});
export type Subject = z.infer<typeof Subject>;

export const Classification = z.object({
  ddc: z.array(z.string()),
  udc: z.array(z.string()),
  lcc: z.array(z.string()),
  bbk: z.array(z.string()),
});
export type Classification = z.infer<typeof Classification>;

export const Link = z.object({
  url: z.string(),
  label: z.string().nullable(),
  kind: z.enum(['resource', 'cover', 'related']),
});
export type Link = z.infer<typeof Link>;

/** What the catalogue derives from a MARC record; the source MARC is kept beside it verbatim. */
export const NormalizedRecord = z.object({
  title: z.string(),
  /** The title without its leading article (MARC 245 ind2), for sorting and matching. */
  sortTitle: z.string(),
  subtitle: z.string().nullable(),
  responsibility: z.string().nullable(),
  altTitles: z.array(z.string()),
  authors: z.array(Author),
  subjects: z.array(Subject),
  isbns: z.array(z.string()).describe('valid ISBNs as ISBN-13'),
  invalidIsbns: z.array(z.string()),
  issns: z.array(z.string()),
  lccn: z.string().nullable(),
  oclcNumbers: z.array(z.string()),
  languages: z.array(z.string()).describe('ISO 639-2/B codes'),
  year: z.number().int().nullable(),
  dateText: z.string().nullable(),
  publisher: z.string().nullable(),
  place: z.string().nullable(),
  edition: z.string().nullable(),
  series: z.array(z.string()),
  // The ISSNs the record gives for its series (MARC 21 8XX, 440 and 490 $x; UNIMARC 225 and 410
  // $x), valid ones as NNNN-NNNC, not the record's own; searchable like them. Absent when none.
  seriesIssns: z.array(z.string()).optional(),
  // The original-script forms of series, edition, publisher and place, from their 880 fields
  // (MARC 21), searchable like the romanized ones; absent when the record has none.
  altSeries: z.array(z.string()).optional(),
  altEdition: z.string().optional(),
  altPublisher: z.string().optional(),
  altPlace: z.string().optional(),
  extent: z.string().nullable(),
  materialType: MaterialType,
  classification: Classification,
  summary: z.string().nullable(),
  notes: z.array(z.string()),
  links: z.array(Link),
});
export type NormalizedRecord = z.infer<typeof NormalizedRecord>;

const csv = <T extends z.ZodTypeAny>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(item).max(50));

export const CatalogSort = z.enum(['relevance', 'date', 'title']);

export const CatalogSearchQuery = z.strictObject({
  q: z.string().trim().max(500).default(''),
  page: z.coerce.number().int().min(1).max(1000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  sort: CatalogSort.default('relevance'),
  material: csv(MaterialType).optional(),
  language: csv(z.string().regex(/^[a-z]{3}$/)).optional(),
  library: csv(z.uuid()).optional(),
  subject: csv(z.string().max(200)).optional(),
  available: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  yearFrom: z.coerce.number().int().min(0).max(2100).optional(),
  yearTo: z.coerce.number().int().min(0).max(2100).optional(),
});
export type CatalogSearchQuery = z.infer<typeof CatalogSearchQuery>;

export const Edition = z.object({
  recordId: z.uuid(),
  libraryId: z.uuid(),
  title: z.string(),
  edition: z.string().nullable(),
  year: z.number().int().nullable(),
  publisher: z.string().nullable(),
  materialType: MaterialType,
  isbns: z.array(z.string()),
  languages: z.array(z.string()),
});
export type Edition = z.infer<typeof Edition>;

export const WorkHit = z.object({
  id: z.uuid(),
  title: z.string(),
  author: z.string().nullable(),
  yearMin: z.number().int().nullable(),
  yearMax: z.number().int().nullable(),
  materialTypes: z.array(MaterialType),
  languages: z.array(z.string()),
  libraryCount: z.number().int(),
  availableLibraryCount: z.number().int(),
  cover: z.string().nullable(),
  editions: z.array(Edition),
});
export type WorkHit = z.infer<typeof WorkHit>;

export const FacetValue = z.object({ value: z.string(), count: z.number().int(), label: z.string().optional() });
export type FacetValue = z.infer<typeof FacetValue>;

export const CatalogSearchResult = z.object({
  items: z.array(WorkHit),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
  facets: z.object({
    material: z.array(FacetValue),
    language: z.array(FacetValue),
    decade: z.array(FacetValue),
    library: z.array(FacetValue),
    subject: z.array(FacetValue),
    available: z.number().int(),
    yearRange: z.object({ min: z.number().int().nullable(), max: z.number().int().nullable() }),
    /** True when the result is very large: the total and these counts are estimates from a sample of it. */
    approximate: z.boolean().optional(),
  }),
  didYouMean: z.string().nullable(),
});
export type CatalogSearchResult = z.infer<typeof CatalogSearchResult>;

export const Holding = z.object({
  itemId: z.uuid(),
  libraryId: z.uuid(),
  branchId: z.uuid().nullable(),
  barcode: z.string(),
  callNumber: z.string().nullable(),
  location: z.string().nullable(),
  itemType: z.string(),
  status: z.string(),
});
export type Holding = z.infer<typeof Holding>;

export const CatalogRecordView = z.object({
  id: z.uuid(),
  libraryId: z.uuid(),
  workId: z.uuid(),
  fields: NormalizedRecord,
  matchScore: z.number().nullable(),
  matchReason: z.string().nullable(),
  holdings: z.array(Holding),
  updatedAt: z.string(),
});
export type CatalogRecordView = z.infer<typeof CatalogRecordView>;

export const WorkView = z.object({
  id: z.uuid(),
  title: z.string(),
  author: z.string().nullable(),
  yearMin: z.number().int().nullable(),
  yearMax: z.number().int().nullable(),
  materialTypes: z.array(MaterialType),
  languages: z.array(z.string()),
  subjects: z.array(z.string()),
  libraryIds: z.array(z.uuid()),
  availableLibraryIds: z.array(z.uuid()),
  records: z.array(CatalogRecordView),
});
export type WorkView = z.infer<typeof WorkView>;

// ── Imports from the staff web app ──────────────────────────────────────────

export const CatalogImportFormat = z.enum(CATALOG_IMPORT_FORMATS);
export type CatalogImportFormat = z.infer<typeof CatalogImportFormat>;

/** Which holdings field copies are read from: auto (the first of 952, 852, 949 present), one of them, or none. */
export const CatalogImportHoldings = z.enum(CATALOG_IMPORT_HOLDINGS, {
  error: `holdings must be one of ${CATALOG_IMPORT_HOLDINGS.join(', ')}`,
});
export type CatalogImportHoldings = z.infer<typeof CatalogImportHoldings>;

/** The character set ISO 2709 records are decoded from: auto (what each record says) or one forced. */
export const CatalogImportEncoding = z.enum(CATALOG_IMPORT_ENCODINGS, {
  error: `encoding must be one of ${CATALOG_IMPORT_ENCODINGS.join(', ')}`,
});
export type CatalogImportEncoding = z.infer<typeof CatalogImportEncoding>;

export const CatalogImportStatus = z.enum(CATALOG_IMPORT_STATUSES);
export type CatalogImportStatus = z.infer<typeof CatalogImportStatus>;

/** The query of an upload; the file itself is the raw request body. */
export const CatalogImportUploadQuery = z.strictObject({
  filename: z.string().trim().min(1).max(255).describe('the name of the uploaded file, shown in the list of imports'),
  format: CatalogImportFormat.default('auto'),
  holdings: CatalogImportHoldings.default('auto').describe(
    'the holdings field copies are read from: auto (the first of 952, 852 and 949 present in each record), 952, 852, 949, or none',
  ),
  encoding: CatalogImportEncoding.default('auto').describe(
    'the character set of ISO 2709 records: auto (what each record says: leader/09, or UNIMARC field 100), or utf-8, marc-8, iso-5426, windows-1251 or iso-8859-1 for every record; not for MARCXML or MARC-in-JSON',
  ),
});
export type CatalogImportUploadQuery = z.infer<typeof CatalogImportUploadQuery>;

/** One upload into a library's catalogue, with its live counts. */
export const CatalogImport = z.object({
  id: z.uuid(),
  libraryId: z.uuid(),
  filename: z.string(),
  format: CatalogImportFormat,
  status: CatalogImportStatus,
  processed: z.number().int(),
  added: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  /** Bytes of the file read so far, and its size: the share done while running. */
  bytesRead: z.number().int(),
  totalBytes: z.number().int(),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type CatalogImport = z.infer<typeof CatalogImport>;

// ── Staff split and merge of works ──────────────────────────────────────────

/** A record of a work as catalogue staff review its clustering. */
export const ClusterRecord = z.object({
  id: z.uuid(),
  libraryId: z.uuid(),
  title: z.string(),
  author: z.string().nullable(),
  year: z.number().int().nullable(),
  edition: z.string().nullable(),
  isbns: z.array(z.string()),
  languages: z.array(z.string()),
  matchScore: z.number().nullable(),
  matchReason: z.string().nullable(),
  /** Kept in its work by a staff decision: re-imports do not move it. */
  pinned: z.boolean(),
});
export type ClusterRecord = z.infer<typeof ClusterRecord>;

export const ClusterDecision = z.object({
  id: z.string(),
  kind: z.enum(['split', 'merge']),
  fromWorkId: z.uuid().nullable(),
  toWorkId: z.uuid(),
  recordIds: z.array(z.uuid()),
  decidedBy: z.uuid().nullable(),
  decidedAt: z.string(),
});
export type ClusterDecision = z.infer<typeof ClusterDecision>;

export const WorkClustering = z.object({
  workId: z.uuid(),
  title: z.string(),
  records: z.array(ClusterRecord),
  decisions: z.array(ClusterDecision),
});
export type WorkClustering = z.infer<typeof WorkClustering>;

export const SplitWorkBody = z.strictObject({
  recordIds: z
    .array(z.uuid())
    .min(1)
    .max(1000)
    .describe('records of the work that move to a new work (at least one record must stay)'),
});
export type SplitWorkBody = z.infer<typeof SplitWorkBody>;

export const MergeWorksBody = z.strictObject({
  intoWorkId: z.uuid().describe('the work that receives every record of this one'),
});
export type MergeWorksBody = z.infer<typeof MergeWorksBody>;

/** What a split or merge did: the works on both sides, refreshed. */
export const ClusterDecisionResult = z.object({
  decision: ClusterDecision,
  fromWorkId: z.uuid(),
  toWorkId: z.uuid(),
  moved: z.number().int(),
});
export type ClusterDecisionResult = z.infer<typeof ClusterDecisionResult>;

export const UndoClusterDecisionBody = z.strictObject({
  decisionId: z
    .string()
    .regex(/^\d{1,18}$/)
    .describe("the decision to undo: the work's newest, with its records still where it put them"),
});
export type UndoClusterDecisionBody = z.infer<typeof UndoClusterDecisionBody>;
