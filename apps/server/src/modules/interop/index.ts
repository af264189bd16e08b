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
