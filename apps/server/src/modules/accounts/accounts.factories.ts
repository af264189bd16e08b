// Test factories for the accounts module (used by tests only).
import fastifyCookie from '@fastify/cookie';
import type { OrganizationKind, Role } from '@athenaeum/contracts';
import Fastify, { type FastifyInstance } from 'fastify';
import { access } from '../../platform/auth/access.js';
import type { AppContext } from '../../platform/context/context.js';
import { installGuard } from '../../platform/http/guard.js';
import { installProblemHandler } from '../../platform/http/problem.js';
import '../../platform/http/augment.js';
import { createAccessResolver } from './access-resolver.js';
import * as repo from './accounts.repository.js';
import { hashPassword } from './passwords.js';

let counter = 0;
const next = () => `${Date.now().toString(36).toUpperCase().slice(-4)}${(++counter).toString(36).toUpperCase()}`;

export async function buildOrganization(
  ctx: AppContext,
  values: {
    kind?: OrganizationKind;
    parentId?: string;
    code?: string;
    country?: string;
    names?: Record<string, string>;
    memberOf?: string[];
  } = {},
) {
  const kind = values.kind ?? 'library';
  const code = values.code ?? `T-${kind.slice(0, 3).toUpperCase()}-${next()}`;
  const db = repo.accountsDb(ctx.db);
  const row = await repo.insertOrganization(db, {
    code,
    kind,
    parent_id: values.parentId ?? null,
    names: values.names ?? { en: `Test ${kind} ${code}` },
    country: values.country ?? 'FR',
  });
  if (!row) throw new Error(`organization code ${code} is taken`);
  await repo.addAffiliations(db, row.id, values.memberOf ?? []);
  return row;
}

let cachedHash: Promise<string> | null = null;
export const TEST_PASSWORD = 'test-password-123';

export async function buildPerson(
  ctx: AppContext,
  values: {
    email?: string;
    roles?: Array<[string, Role]>;
    platformAdmin?: boolean;
    verified?: boolean;
    locale?: string;
    displayName?: string;
  } = {},
) {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  const db = repo.accountsDb(ctx.db);
  const email = values.email ?? `person-${next().toLowerCase()}@example.org`;
  const person = await repo.insertPerson(db, {
    email,
    displayName: values.displayName ?? email.split('@')[0]!,
    passwordHash: await cachedHash,
    locale: values.locale ?? 'en',
    verified: values.verified ?? true,
    platformAdmin: values.platformAdmin ?? false,
  });
  for (const [organizationId, role] of values.roles ?? []) {
    await repo.insertGrant(db, { personId: person!.id, organizationId, role, grantedBy: null });
  }
  return person!;
}

/** Signs in through the API and returns the headers a browser would send afterwards. */
export async function signInAs(app: FastifyInstance, email: string, password = TEST_PASSWORD) {
  const res = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email, password } });
  if (res.statusCode !== 201) throw new Error(`sign-in failed for ${email}: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'athenaeum_session')!;
  const { csrfToken } = res.json() as { csrfToken: string };
  return {
    headers: { cookie: `athenaeum_session=${cookie.value}`, 'x-csrf-token': csrfToken },
    cookie,
    csrfToken,
  };
}

/**
 * A minimal app with the real guard and access resolver over the test database, and routes that
 * need the `staff` role at `:id`; the accounts routes themselves only check `admin`/`officer`.
 */
export async function buildStaffProbe(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify();
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  await app.register(fastifyCookie);
  installProblemHandler(app);
  installGuard(app, createAccessResolver(ctx));
  const staff = access.orgRole(['staff']);
  app.get('/probe/:id', { config: { access: staff } }, async () => ({ ok: true }));
  app.post('/probe/:id', { config: { access: staff } }, async () => ({ ok: true }));
  await app.ready();
  return app;
}
