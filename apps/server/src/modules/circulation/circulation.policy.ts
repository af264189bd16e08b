import { access } from '../../platform/auth/access.js';

/** Who may do what in the circulation module. */
export const circulationPolicy = {
  /** The desk and patron records of a library (`:id`): its staff and admins. */
  desk: access.orgRole(['staff', 'admin'], 'id'),
  /** Loan rules, calendars and settings of a library (`:id`): its staff and admins. */
  configure: access.orgRole(['staff', 'admin'], 'id'),
  /** A signed-in person's own loans, through the patron records linked to their account. */
  self: access.signedIn(),
  /** A patron's data download and deletion by the library's (`:id`) staff and admins. */
  patronData: access.orgRole(['staff', 'admin'], 'id'),
  /** Linking guardians to a library's (`:id`) child patrons: its staff and admins. */
  guardians: access.orgRole(['staff', 'admin'], 'id'),
};
