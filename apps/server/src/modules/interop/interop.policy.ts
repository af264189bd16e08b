import { access } from '../../platform/auth/access.js';

/** Who may do what in the interop module. */
export const interopPolicy = {
  /** OAI-PMH and SRU are open protocols: any harvester or client, no sign-in. */
  protocolEndpoint: access.public(),
  /** A library's harvest sources (configure, run, follow): its staff and admins (`:id`). */
  manageHarvestSources: access.orgRole(['staff', 'admin'], 'id'),
  /**
   * A library's copy-cataloguing targets — configuring them, searching them, importing from
   * them: its staff and admins (`:id`). Targets are the library's own, not platform-wide.
   */
  copyCatalogue: access.orgRole(['staff', 'admin'], 'id'),
};
