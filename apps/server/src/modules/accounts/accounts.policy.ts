import { access } from '../../platform/auth/access.js';

/** Who may do what in the accounts module; routes declare these, tests read them. */
export const accountsPolicy = {
  browseDirectory: access.public(),
  signUpOrIn: access.public(),
  ownAccount: access.signedIn(),
  /** Changing the account itself (profile, sessions, tokens) needs a session, never an API token. */
  manageOwnAccount: access.session(),
  /** Admins of a library (or its branch) and officers of an association or alliance. */
  manageOrganization: access.orgRole(['admin', 'officer']),
  createOrganization: access.platformAdmin(),
  readOutbox: access.platformAdmin(),
};
