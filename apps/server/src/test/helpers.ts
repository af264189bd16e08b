// Assertions and readers shared by the server's tests.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Principal } from '../platform/auth/principal.js';
import type { Db } from '../platform/db/database.js';

const TABLES = [
  'people',
  'organizations',
  'organization_affiliations',
  'role_grants',
  'sessions',
  'person_tokens',
  'api_tokens',
  'login_failures',
  'emails',
  'jobs',
  'audit_log',
] as const;

/** Row counts of every table, so a test can prove that a refused request wrote nothing. */
export async function rowCounts(db: Db): Promise<Record<string, number>> {
  const query = TABLES.map((t) => `select '${t}' as t, count(*)::int as n from ${t}`).join(' union all ');
  const { rows } = await sql.raw<{ t: string; n: number }>(query).execute(db);
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
}

/** Asserts an RFC 9457 answer with the given status and code; returns its body. */
export function expectProblem(res: LightMyRequestResponse, status: number, code: string) {
  expect({ status: res.statusCode, body: res.body }).toMatchObject({ status });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json() as {
    type: string;
    code: string;
    status: number;
    title: string;
    detail: string;
    requestId: string;
    instance: string;
    errors?: Array<{ path: string; message: string }>;
    retryAfterSeconds?: number;
  };
  expect(body.code).toBe(code);
  expect(body.status).toBe(status);
  expect(body.title.length).toBeGreaterThan(0);
  expect(body.detail.length).toBeGreaterThan(0);
  expect(body.requestId).toBeTruthy();
  expect(body.requestId).toBe(res.headers['x-request-id']);
  return body;
}

export interface OutboxItem {
  id: string;
  to: string;
  subject: string;
  bodyText: string;
  locale: string;
  status: string;
}

/** The e-mails to one address, newest first, read the way an operator does: GET /api/v1/admin/emails. */
export async function outboxFor(
  app: FastifyInstance,
  adminHeaders: Record<string, string>,
  to: string,
): Promise<OutboxItem[]> {
  const res = await app.inject({
    method: 'GET',
    url: `/api/v1/admin/emails?to=${encodeURIComponent(to)}&pageSize=100`,
    headers: adminHeaders,
  });
  expect(res.statusCode).toBe(200);
  return (res.json() as { items: OutboxItem[] }).items;
}

/** The one-time token inside an e-mailed link (`…?token=…`). */
export function tokenFromEmail(bodyText: string): string {
  const match = /[?&]token=([^\s&]+)/.exec(bodyText);
  if (!match) throw new Error(`no token link in e-mail:\n${bodyText}`);
  return decodeURIComponent(match[1]!);
}

/** A signed-in person as the use cases see them, for tests that call those directly. */
export const principalOf = (personId: string, isPlatformAdmin = false): Principal => ({
  personId,
  isPlatformAdmin,
  locale: 'en',
  via: 'session',
  sessionId: null,
  csrfToken: null,
  tokenId: null,
});
