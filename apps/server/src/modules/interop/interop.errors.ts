import { defineErrors } from '../../platform/errors.js';

/**
 * Error codes of the interop module's JSON API and command line. OAI-PMH and SRU answer in
 * their own XML error formats (OAI-PMH <error code>, SRU diagnostics), not with these.
 */
export const InteropErrors = defineErrors({
  INTEROP_HARVEST_FAILED: { status: 502, title: 'The remote repository could not be harvested' },
  INTEROP_HARVEST_BAD_RESPONSE: { status: 502, title: 'The remote repository sent a response that is not OAI-PMH' },
  INTEROP_LIBRARY_NOT_FOUND: { status: 404, title: 'No such library' },
});
