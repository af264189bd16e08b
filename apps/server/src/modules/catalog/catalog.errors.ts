import { defineErrors } from '../../platform/errors.js';

/** Error codes of the catalog module. */
export const CatalogErrors = defineErrors({
  CATALOG_WORK_NOT_FOUND: { status: 404, title: 'No such work' },
  CATALOG_RECORD_NOT_FOUND: { status: 404, title: 'No such record' },
  CATALOG_RECORD_DELETED: { status: 410, title: 'The record was deleted' },
  CATALOG_LIBRARY_NOT_FOUND: { status: 404, title: 'No such library' },
  CATALOG_EXPORT_IMPOSSIBLE: { status: 422, title: 'The record cannot be written in this format' },
});
