// Calling the HTTP API from the server's tests as a browser does: signed-in headers, JSON payloads.
import type { HTTPMethods } from 'fastify';
import { buildPerson, signInAs } from '../modules/accounts/accounts.factories.js';
import type { TestEnv } from './context.js';

/** The headers a signed-in browser sends: the session cookie and the CSRF token. */
export type SessionHeaders = Record<string, string>;

/** A request to the API: method, path below /api/v1, headers and, if any, a JSON payload. */
export type ApiRequest = [method: HTTPMethods, url: string, headers: SessionHeaders, payload?: object];

/** Sends one request (`url` below /api/v1) to the test app. */
export function callApi(env: TestEnv, ...[method, url, headers, payload]: ApiRequest) {
  return env.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });
}

/** A new person with the `staff` role at an organization, signed in; returns the headers they send. */
export async function signInNewStaff(env: TestEnv, organizationId: string): Promise<SessionHeaders> {
  const librarian = await buildPerson(env.ctx, { roles: [[organizationId, 'staff']] });
  return (await signInAs(env.app, librarian.email)).headers;
}
