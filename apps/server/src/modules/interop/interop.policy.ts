import { access } from '../../platform/auth/access.js';

/** Who may do what in the interop module. */
export const interopPolicy = {
  /** OAI-PMH and SRU are open protocols: any harvester or client, no sign-in. */
  protocolEndpoint: access.public(),
};
