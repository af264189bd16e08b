import { access } from '../../platform/auth/access.js';

/** Who may do what in the circulation module. */
export const circulationPolicy = {
  /** The desk and patron records of a library (`:id`): its staff and admins. */
  desk: access.orgRole(['staff', 'admin'], 'id'),
  /** Loan rules, calendars and settings of a library (`:id`): its staff and admins. */
  configure: access.orgRole(['staff', 'admin'], 'id'),
  /**
   * A person acting as a patron, through the patron records linked to their account (own loans,
   * holds, fines, inter-library loans, e-mail choices, cards): a session only. An API token's
   * scopes are staff roles at a library, none of which lets it act as the patron, and these routes
   * show personal data (what the person reads, their card numbers).
   */
  self: access.session(),
  /**
   * A person's own patron data (download, deletion, the reading-history choice): a session, never
   * an API token, even if `self` is ever opened to tokens.
   */
  ownPatronData: access.session(),
  /** A guardian's view of and actions for the children whose patron records name them: a session, never an API token. */
  asGuardian: access.session(),
  /** A patron's data download and deletion by the library's (`:id`) staff and admins. */
  patronData: access.orgRole(['staff', 'admin'], 'id'),
  /** Linking guardians to a library's (`:id`) child patrons: its staff and admins. */
  guardians: access.orgRole(['staff', 'admin'], 'id'),
};
