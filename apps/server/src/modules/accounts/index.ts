// The accounts module: organizations and their affiliations, people, sessions, roles and API tokens.
// Other modules use this surface only; they never read these tables.
// Routes mount under /api/v1; the access resolver plugs into the platform's guard.
export { accountsRoutes } from './accounts.routes.js';
/** Resolves the caller of a request (session cookie or API token) and their roles at an organization. */
export { createAccessResolver, SESSION_COOKIE } from './access-resolver.js';
/** Seeds the demo network's organizations and people on an empty database. */
export { seedAccountsDemo, isEmpty as isAccountsEmpty, DEMO_PASSWORD, type DemoSignIn } from './accounts.seed.js';
/** Creates or promotes a platform administrator (operator command line). */
export { ensurePlatformAdmin } from './people.service.js';
/** A person's id by e-mail address (for other modules' demo seeds). */
export { personIdByEmail } from './people.service.js';
/** Roles a principal holds at an organization, for other modules' policies. */
export { rolesAt } from './sessions.service.js';
/** The signed-in person's account (e-mail, whether it is verified, display name, language, roles). */
export { getMe } from './people.service.js';
/** Reads an organization (with parent, groups and members) by id; finds one by code; a library's branches. */
export { getOrganization, findOrganizationByCode, branchesOf } from './organizations.service.js';
/** Libraries sharing an association with a library (network card), and organizations' codes and names by id. */
export { associatedLibraries, organizationNames } from './organizations.service.js';
/** The accounts module's error codes. */
export { AccountsErrors } from './accounts.errors.js';
