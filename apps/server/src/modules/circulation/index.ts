// The circulation module: patrons, loan rules, branch calendars, the desk (check-out, check-in,
// renewal, marks), quarantine after return and patrons' own loans. Holds live in holds/.
// Other modules use only this surface.
/** Routes of the desk, patron records, loan rules and self-service loans under /api/v1. */
export { circulationRoutes } from './circulation.routes.js';
/** A patron's data download, deletion request and reading-history choice (self-service and staff). */
export { privacyRoutes } from './privacy/privacy.routes.js';
/** Guardian links (staff) and guardians' view and renewal of their children's loans. */
export { guardianRoutes } from './guardians/guardians.routes.js';
/** Self-registration online (join a library, my cards) and identity confirmation at the desk. */
export { registrationRoutes } from './registration/registration.routes.js';
/** The circulation module's error codes. */
export { CirculationErrors } from './circulation.errors.js';
/** Registers the quarantine-release job. */
export { registerCirculationJobs } from './circulation.jobs.js';
/** Releases every copy whose quarantine has ended by the app clock (what the job runs). */
export { releaseDueQuarantines } from './quarantine.js';
/** The desk's use cases. */
export {
  checkOut,
  checkIn,
  renewLoan,
  markItem,
  itemHistory,
  listLoans,
  myLoans,
  renewMyLoan,
} from './loans.service.js';
/** Patron records. */
export {
  registerPatron,
  getPatron,
  searchPatrons,
  renewMembership,
  blockPatron,
  unblockPatron,
} from './patrons.service.js';
/** Loan rules, calendars and per-library settings (quarantine hours, pickup window days). */
export {
  getCirculationSettings,
  updateCirculationSettings,
  createPolicy,
  listPolicies,
  deletePolicy,
  resolvePolicy,
  putBranchCalendar,
  getBranchCalendar,
  dueAt,
  DEFAULT_POLICY,
} from './rules.service.js';
/** Seeds the demo network's patrons and loans. */
export { seedCirculationDemo } from './circulation.seed.js';
