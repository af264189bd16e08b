import { access } from '../../platform/auth/access.js';

/** Who may do what in the catalog module. */
export const catalogPolicy = {
  /** The union catalogue is public: patrons search it without signing in. */
  searchCatalog: access.public(),
};
