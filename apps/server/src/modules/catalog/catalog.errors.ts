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
  CATALOG_IMPORT_TOO_LARGE: { status: 413, title: 'The file is larger than this server accepts for import' },
  CATALOG_IMPORT_MEDIA_TYPE: { status: 415, title: 'Send the file as the raw request body' },
  CATALOG_IMPORT_LIMIT_REACHED: { status: 429, title: 'Too many imports for this library just now' },
});
