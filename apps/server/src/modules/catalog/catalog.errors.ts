import { defineErrors } from '../../platform/errors.js';

/** Error codes of the catalog module. */
export const CatalogErrors = defineErrors({
  CATALOG_WORK_NOT_FOUND: { status: 404, title: 'No such work' },
  CATALOG_RECORD_NOT_FOUND: { status: 404, title: 'No such record' },
  CATALOG_RECORD_DELETED: { status: 410, title: 'The record was deleted' },
  CATALOG_LIBRARY_NOT_FOUND: { status: 404, title: 'No such library' },
  CATALOG_EXPORT_IMPOSSIBLE: { status: 422, title: 'The record cannot be written in this format' },
  CATALOG_IMPORT_NOT_FOUND: { status: 404, title: 'No such import' },
  CATALOG_IMPORT_NOT_A_LIBRARY: {
    status: 422,
    title: 'Records are imported into a library, not a branch or an association',
  },
  CATALOG_IMPORT_EMPTY: { status: 422, title: 'The uploaded file is empty' },
  CATALOG_IMPORT_NOT_MARC: { status: 422, title: 'The file is not MARC 21, UNIMARC, MARCXML or MARC-in-JSON' },
  CATALOG_IMPORT_ENCODING_NOT_ISO2709: {
    status: 400,
    title: 'A character set is forced for ISO 2709 files only, not MARCXML or MARC-in-JSON',
  },
  CATALOG_IMPORT_TOO_LARGE: { status: 413, title: 'The file is larger than this server accepts for import' },
  CATALOG_IMPORT_MEDIA_TYPE: { status: 415, title: 'Send the file as the raw request body' },
  CATALOG_IMPORT_LIMIT_REACHED: { status: 429, title: 'Too many imports for this library just now' },
  CATALOG_SPLIT_ALL_RECORDS: { status: 422, title: 'A split must leave at least one record in the work' },
  CATALOG_SPLIT_UNKNOWN_RECORDS: { status: 422, title: 'Some records are not live records of this work' },
  CATALOG_MERGE_SAME_WORK: { status: 422, title: 'A work cannot be merged into itself' },
  CATALOG_DECISION_NOT_FOUND: { status: 404, title: 'No such clustering decision for this work' },
  CATALOG_DECISION_NOT_LATEST: { status: 409, title: 'A later decision changed these works; undo that one first' },
  CATALOG_DECISION_NOT_CLEAN: {
    status: 409,
    title: 'The records of the decision are no longer where it put them, so it cannot be undone',
  },
  CATALOG_NOT_CATALOGUE_STAFF: {
    status: 403,
    title: 'Only staff of a library holding a record of the work may change its clustering',
  },
  CATALOG_RECORD_INVALID: { status: 422, title: 'The record has problems to correct before it can be saved' },
  CATALOG_RECORD_CHANGED: { status: 409, title: 'Someone else saved this record meanwhile' },
  CATALOG_RECORD_KEY_TAKEN: { status: 409, title: 'Another record of the library has this control number' },
  CATALOG_NOT_A_LIBRARY: { status: 422, title: 'Records belong to a library, not a branch or an association' },
  CATALOG_ITEM_NOT_FOUND: { status: 404, title: 'No such item' },
  CATALOG_ITEM_CHANGED: { status: 409, title: 'Someone else changed this item meanwhile' },
  CATALOG_ITEM_BARCODE_TAKEN: { status: 409, title: 'Another item of the library has this barcode' },
  CATALOG_ITEM_IN_CIRCULATION: { status: 409, title: 'The item is on loan, in transit or on the hold shelf' },
  CATALOG_ITEM_BRANCH_INVALID: { status: 422, title: "The branch is not a branch of the item's library" },
  CATALOG_ITEM_STATUS_RESERVED: { status: 422, title: 'This status is set by circulation, not by cataloguing' },
});
