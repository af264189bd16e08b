// The catalog module: records with their source MARC, holdings, works clustered across
// libraries, search and import. Other modules use only this surface.
/** Imports a stream of MARC records (from a @athenaeum/marc reader) into a library's catalogue. */
export { importRecords, type ImportCounts, type ImportOptions, type ReaderItem } from './import/import-records.js';
export { defaultPrepareWorkers } from './import/prepare-pool.js';
/** Derives the catalogue's fields from a MARC 21 or UNIMARC record. */
export { normalizeRecord } from './normalize/unimarc.js';
/** Routes of the union catalogue under /api/v1. */
export { catalogRoutes } from './catalog.routes.js';
/** Staff review, split and merge of works (decisions kept through re-imports), under /api/v1/catalog/works/:id. */
export { catalogWorkRoutes } from './works/works.routes.js';
export { splitWork } from './works/split-work.js';
export { mergeWorks } from './works/merge-works.js';
export { undoDecision } from './works/undo-decision.js';
export { getClustering } from './works/clustering.service.js';
/** The catalog module's error codes. */
export { CatalogErrors } from './catalog.errors.js';
/** Seeds the demo catalogue across the demo libraries (directly, or queued as a job). */
export { seedCatalogDemo } from './catalog.seed.js';
export { queueDemoCatalog, registerCatalogJobs } from './catalog.jobs.js';
/** Derives stored records' normalized fields again from their MARC (after normalization changes). */
export { renormalizeRecords, type RenormalizeProgress } from './import/renormalize.js';
/** Imports a MARC file (ISO 2709, MARCXML or MARC-in-JSON) as a recorded import run. */
export { importFile, type ImportFormat, type FileImportProgress } from './import/import-file.js';
/** A file's MARC format (given, else detected), and why a character set cannot be forced on it. */
export { encodingRefusal, fileFormat } from './import/import-file.js';
/** Record and library exports (MARCXML, MARC 21, Dublin Core, JSON-LD, RIS, BibTeX) and record deletion, under /api/v1. */
export { catalogExportRoutes } from './export.routes.js';
/** Writes a library's records (or a selection) as one export file, streamed; one record in a format. */
export { exportLibrary, exportRecord, type LibraryExport, type ExportLinks } from './export/export.service.js';
export { publicMarc } from './export/public-marc.js';
export { EXPORT_FORMATS, type ExportFormat } from './export/formats.js';
/** Deletes a record (kept as deleted for harvesters); staff of its library only. */
export { deleteRecord, deleteRecordsByControlNumbers } from './delete-record.js';
/** Records for OAI-PMH harvesting: keyset pages in (datestamp, id) order with deletions, counts, one record, and the sets' raw material. */
export {
  listRecordsForHarvest,
  countRecordsForHarvest,
  getRecordForHarvest,
  harvestOverview,
  type HarvestSelection,
  type HarvestCursor,
  type HarvestRecord,
} from './harvest.service.js';
/** Dublin Core (LoC crosswalk) and MARCXML writers, for protocol endpoints that carry records. */
export { dublinCore, oaiDcElement, type DublinCore } from './export/dublin-core.js';
export { marc21SlimElement } from './export/marc.js';
/** CQL over the library records (for SRU): search with sortBy and paging, index scan, and the indexes and context sets supported. */
export {
  searchRecordsByCql,
  scanCqlIndex,
  CQL_INDEXES,
  CQL_SORT_INDEXES,
  CQL_CONTEXT_SETS,
  type CqlHit,
  type ScanTerm,
} from './search/cql-search.js';
/** Searches the union catalogue (what GET /api/v1/catalog/search answers). */
export { searchCatalog } from './search/search.service.js';
/** Staff uploads into a library's catalogue, imported by a background job, under /api/v1/organizations/:id/catalog-imports. */
export { catalogImportRoutes } from './imports.routes.js';
export { sweepImportFiles } from './imports.sweep.js';
export {
  uploadImport,
  listImports,
  getImport,
  importReport,
  runUploadedImport,
  CATALOG_IMPORT_QUEUE,
} from './imports.service.js';
/** Work pages for search engines (index.html with title, description, canonical link and JSON-LD), the sitemap and robots.txt. */
export { catalogPageRoutes } from './pages.routes.js';
export { renderWorkPage, injectHead, workJsonLd, jsonForScript, escapeHtml, type PageHead } from './seo/work-page.js';
export { sitemapXml, robotsTxt, SITEMAP_MAX_URLS } from './seo/sitemap.js';
/** Copies for circulation: locked by barcode or id, status changes recorded with who and when, history, summaries. */
export {
  lockItemByBarcode,
  lockItem,
  findItemsByBarcode,
  changeItemStatus,
  itemStatusHistory,
  describeItems,
  ITEM_STATUSES,
  type ItemStatus,
  type LockedItem,
  type StatusChange,
  type ItemStatusEvent,
  type ItemSummary,
} from './items/item-status.js';
/** Copies of a work, one copy, whether a library holds a work, and works' titles (for holds and inter-library loans). */
export { copiesOfWork, copyById, libraryHoldsWork, workTitles, type CopyRow } from './items/copies.repository.js';
/** Staff cataloguing under /api/v1: a record read for editing, saved (422 with every MARC problem, 409 on a concurrent save) or created; its items added, changed and deleted. */
export { catalogCataloguingRoutes } from './cataloguing/cataloguing.routes.js';
export { catalogItemRoutes } from './items/items.routes.js';
export { getRecordForEditing, saveRecord, createRecord } from './cataloguing/record-editing.service.js';
export { addItem, updateItem, removeItem } from './items/items.service.js';
