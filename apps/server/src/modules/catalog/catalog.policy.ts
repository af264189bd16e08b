import { access } from '../../platform/auth/access.js';

/** Who may do what in the catalog module. */
export const catalogPolicy = {
  /** The union catalogue is public: patrons search it without signing in. */
  searchCatalog: access.public(),
  /** One record in an export format: as public as the catalogue, without the library's local and private fields. */
  exportRecord: access.public(),
  /** A whole library's records (or a selection): its staff and admins, named by `?library=`. */
  exportLibrary: access.orgRole(['staff', 'admin'], 'library', 'query'),
  /** Signed in here; the use case checks the staff role at the record's own library. */
  deleteRecord: access.signedIn(),
  /** Uploading a file into a library's catalogue, and following its imports: its staff and admins (`:id`). */
  importRecords: access.orgRole(['staff', 'admin'], 'id'),
  /**
   * Reviewing, splitting and merging works: signed in here; the use case checks the staff or
   * admin role at a library holding a record of the work(s) (or a platform administrator).
   */
  curateWorks: access.signedIn(),
  /** Editing a record and its items: signed in here; the use case checks the staff role at the record's library. */
  editRecord: access.signedIn(),
  /** A new record in a library's catalogue: its staff and admins (`:id`). */
  createRecord: access.orgRole(['staff', 'admin'], 'id'),
};
