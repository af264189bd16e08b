import { defineErrors } from '../../platform/errors.js';

/** Error codes of the catalog module. */
export const CatalogErrors = defineErrors({
  CATALOG_WORK_NOT_FOUND: { status: 404, title: 'No such work' },
  CATALOG_RECORD_NOT_FOUND: { status: 404, title: 'No such record' },
});
