import { defineErrors } from '../../platform/errors.js';

/**
 * Error codes of the interop module's JSON API and command line. OAI-PMH and SRU answer in
 * their own XML error formats (OAI-PMH <error code>, SRU diagnostics), not with these.
 */
export const InteropErrors = defineErrors({
  INTEROP_HARVEST_FAILED: { status: 502, title: 'The remote repository could not be harvested' },
  INTEROP_HARVEST_BAD_RESPONSE: { status: 502, title: 'The remote repository sent a response that is not OAI-PMH' },
  INTEROP_LIBRARY_NOT_FOUND: { status: 404, title: 'No such library' },
  INTEROP_NOT_A_LIBRARY: { status: 422, title: 'Harvest sources and copy targets belong to a library' },
  INTEROP_SOURCE_NOT_FOUND: { status: 404, title: 'No such harvest source in this library' },
  INTEROP_SOURCE_EXISTS: { status: 409, title: 'This library already harvests that repository, format and set' },
  INTEROP_SOURCE_RUNNING: { status: 409, title: 'The source is being harvested now' },
  INTEROP_TARGET_NOT_FOUND: { status: 404, title: 'No such copy-cataloguing target in this library' },
  INTEROP_TARGET_EXISTS: { status: 409, title: 'This library already has a target with that name' },
  INTEROP_REMOTE_TIMEOUT: { status: 504, title: 'The remote server did not answer in time' },
  INTEROP_REMOTE_UNREACHABLE: { status: 502, title: 'The remote server could not be reached' },
  INTEROP_REMOTE_FORBIDDEN_ADDRESS: {
    status: 422,
    title: 'The remote server is at an internal address, which this server does not fetch from',
  },
  INTEROP_REMOTE_HTTP_ERROR: { status: 502, title: 'The remote server answered with an HTTP error' },
  INTEROP_REMOTE_TOO_LARGE: { status: 502, title: 'The remote server sent more than this server accepts' },
  INTEROP_REMOTE_BAD_RESPONSE: { status: 502, title: 'The remote server sent a response that is not SRU' },
  INTEROP_REMOTE_DIAGNOSTIC: { status: 422, title: 'The remote server refused the search (SRU diagnostic)' },
  INTEROP_REMOTE_RECORD_NOT_FOUND: { status: 404, title: 'The remote server has no record at that position' },
});
