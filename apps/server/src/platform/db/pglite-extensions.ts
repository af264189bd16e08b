import { citext } from '@electric-sql/pglite/contrib/citext';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';

/** The contrib extensions the schema relies on; a PostgreSQL server ships them in postgresql-contrib. */
export const pgliteExtensions = { citext, pg_trgm, unaccent };
