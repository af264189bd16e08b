// The interop module: Athenaeum as a peer of every library system — OAI-PMH data provider and
// harvester, SRU/CQL server. Catalogue data comes only through the catalog module's surface.
/** The protocol endpoints (/oai, /sru), mounted at the root. */
export { interopRoutes } from './interop.routes.js';
/** The interop module's error codes (JSON API and command line). */
export { InteropErrors } from './interop.errors.js';
/** Harvests an OAI-PMH repository into a library's catalogue: incremental, resumable, deletions applied. */
export {
  harvest,
  type HarvestOptions,
  type HarvestProgress,
  type HarvestResult,
  type HarvestPrefix,
} from './harvest/harvester.js';
/** The JSON API under /api/v1: a library's harvest sources (with schedules) and copy-cataloguing targets. */
export { interopApiRoutes } from './api.routes.js';
/** Registers the harvest scheduler's job (queue `interop.harvest-due`); runs every due source. */
export { registerInteropJobs, runDueHarvests, HARVEST_DUE_QUEUE } from './harvest/scheduler.js';
