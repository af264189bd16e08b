import Fastify, { type RouteOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOrganization, buildPerson, signInAs } from '../../modules/accounts/accounts.factories.js';
import { accountsRoutes } from '../../modules/accounts/index.js';
import { createTestEnv, type TestEnv } from '../../test/context.js';
import { expectProblem, rowCounts } from '../../test/helpers.js';
import type { Access } from '../auth/access.js';
import type { AccessResolver } from '../auth/principal.js';
import { installGuard } from './guard.js';
import { platformRoutes } from './platform.routes.js';
import './augment.js';

const nobody: AccessResolver = { authenticate: async () => null, rolesAt: async () => [] };
const SOME_UUID = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';

let env: TestEnv;
let library: { id: string };
let admin: { id: string; email: string };
let adminSession: Awaited<ReturnType<typeof signInAs>>;

beforeAll(async () => {
  env = await createTestEnv();
  library = await buildOrganization(env.ctx, { kind: 'library' });
  admin = await buildPerson(env.ctx, { roles: [[library.id, 'admin']] });
  adminSession = await signInAs(env.app, admin.email);
});

/** The application's routes as the guard sees them, registered the way buildApp registers them. */
async function collectRoutes(): Promise<RouteOptions[]> {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installGuard(app, nobody);
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
  await app.register(async (scope) =>
    platformRoutes(scope as never, { ctx: env.ctx, database: { ping: async () => true }, version: 't' }),
  );
  await app.register(async (scope) => accountsRoutes(scope as never, env.ctx), { prefix: '/api/v1' });
  await app.ready();
  await app.close();
  return routes;
}

describe('every route declares who may call it', () => {
  it('refuses to register a route without config.access', async () => {
    const app = Fastify();
    installGuard(app, nobody);
    const register = async () => {
      app.post('/api/v1/forgotten', async () => ({ ok: true }));
      await app.ready();
    };
    await expect(register()).rejects.toThrow('Route POST /api/v1/forgotten does not declare config.access');
    await app.close().catch(() => undefined);
  });

  it('registers a route that declares its access', async () => {
    const app = Fastify();
    installGuard(app, nobody);
    app.get('/api/v1/fine', { config: { access: { kind: 'public' } } }, async () => ({ ok: true }));
    await app.ready();
    expect((await app.inject({ method: 'GET', url: '/api/v1/fine' })).json()).toEqual({ ok: true });
    await app.close();
  });

  it('finds config.access on every route of the platform and the accounts module', async () => {
    const routes = await collectRoutes();
    expect(routes.length).toBeGreaterThan(20);
    for (const route of routes) {
      const declared = (route.config as { access?: Access } | undefined)?.access;
      expect(declared, `${String(route.method)} ${route.url}`).toBeDefined();
      expect(['public', 'signedIn', 'session', 'platformAdmin', 'orgRole']).toContain(declared!.kind);
    }
    const kindOf = (method: string, url: string) =>
      (routes.find((r) => r.method === method && r.url === url)?.config as { access: Access }).access;
    expect(kindOf('POST', '/api/v1/organizations')).toEqual({ kind: 'platformAdmin' });
    expect(kindOf('GET', '/api/v1/admin/emails')).toEqual({ kind: 'platformAdmin' });
    expect(kindOf('PATCH', '/api/v1/organizations/:id')).toEqual({
      kind: 'orgRole',
      roles: ['admin', 'officer'],
      param: 'id',
    });
  });

  it('answers 401 to an anonymous caller on every route that is not public (in the real app)', async () => {
    const routes = (await collectRoutes()).filter(
      (r) => r.method !== 'HEAD' && (r.config as { access: Access }).access.kind !== 'public',
    );
    expect(routes.length).toBeGreaterThan(10);
    for (const route of routes) {
      const url = route.url.replace(/:[A-Za-z]+/g, SOME_UUID);
      const res = await env.app.inject({
        method: route.method as 'GET',
        url,
        payload: route.method === 'GET' ? undefined : {},
      });
      expect(res.statusCode, `${String(route.method)} ${route.url}`).toBe(401);
      expectProblem(res, 401, 'AUTHENTICATION_REQUIRED');
    }
  });
});

describe('authentication', () => {
  it.each([
    ['no credentials', {}],
    ['an unknown session cookie', { cookie: 'athenaeum_session=not-a-session' }],
    ['an unknown bearer token', { authorization: 'Bearer ath_not-a-token' }],
  ])('answers 401 with %s', async (_what, headers) => {
    const res = await env.app.inject({ method: 'GET', url: '/api/v1/sessions/current', headers });
    expectProblem(res, 401, 'AUTHENTICATION_REQUIRED');
  });

  it('answers 401 to an anonymous write and writes nothing', async () => {
    const before = await rowCounts(env.ctx.db);
    const res = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/organizations/${library.id}`,
      payload: { names: { en: 'Anonymous edit' } },
    });
    expectProblem(res, 401, 'AUTHENTICATION_REQUIRED');
    expect(await rowCounts(env.ctx.db)).toEqual(before);
    const org = await env.app.inject({ method: 'GET', url: `/api/v1/organizations/${library.id}` });
    expect(org.json().names.en).not.toBe('Anonymous edit');
  });

  it('lets anyone read public routes', async () => {
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/organizations' })).statusCode).toBe(200);
    expect((await env.app.inject({ method: 'GET', url: '/api/health' })).json()).toMatchObject({ status: 'ok' });
  });
});

describe('authorization', () => {
  it('refuses a platform-admin route to a signed-in person who is not one (403)', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/v1/admin/emails', headers: adminSession.headers });
    expectProblem(res, 403, 'FORBIDDEN');
  });

  it('lets a platform administrator through platform-admin and organization-role routes', async () => {
    const root = await buildPerson(env.ctx, { platformAdmin: true });
    const session = await signInAs(env.app, root.email);
    expect(
      (await env.app.inject({ method: 'GET', url: '/api/v1/admin/emails', headers: session.headers })).statusCode,
    ).toBe(200);
    expect(
      (
        await env.app.inject({
          method: 'GET',
          url: `/api/v1/organizations/${library.id}/members`,
          headers: session.headers,
        })
      ).statusCode,
    ).toBe(200);
  });

  it('answers 403, not an error, when the organization parameter is not an id', async () => {
    const res = await env.app.inject({
      method: 'GET',
      url: '/api/v1/organizations/not-an-id/members',
      headers: adminSession.headers,
    });
    expectProblem(res, 403, 'FORBIDDEN');
  });
});

describe('CSRF protection of cookie-authenticated writes', () => {
  const patchMe = (headers: Record<string, string>, displayName: string) =>
    env.app.inject({ method: 'PATCH', url: '/api/v1/me', headers, payload: { displayName } });

  it('refuses a cookie write without the x-csrf-token header (403) and changes nothing', async () => {
    const person = await buildPerson(env.ctx, { displayName: 'Original Name' });
    const session = await signInAs(env.app, person.email);
    const before = await rowCounts(env.ctx.db);
    const res = await patchMe({ cookie: session.headers.cookie }, 'Changed by a forged form');
    const body = expectProblem(res, 403, 'CSRF_TOKEN_INVALID');
    expect(body.detail).toContain('x-csrf-token');
    expect(await rowCounts(env.ctx.db)).toEqual(before);
    const me = await env.app.inject({
      method: 'GET',
      url: '/api/v1/sessions/current',
      headers: { cookie: session.headers.cookie },
    });
    expect(me.json().person.displayName).toBe('Original Name');
  });

  it('refuses a wrong token, including the token of another session of the same person', async () => {
    const person = await buildPerson(env.ctx, { displayName: 'Original Name' });
    const first = await signInAs(env.app, person.email);
    const second = await signInAs(env.app, person.email);
    expect(first.csrfToken).not.toBe(second.csrfToken);
    for (const token of ['wrong', second.csrfToken, `${first.csrfToken}x`, '']) {
      const res = await patchMe({ cookie: first.headers.cookie, 'x-csrf-token': token }, 'Forged');
      expectProblem(res, 403, 'CSRF_TOKEN_INVALID');
    }
    const me = await env.app.inject({
      method: 'GET',
      url: '/api/v1/sessions/current',
      headers: { cookie: first.headers.cookie },
    });
    expect(me.json().person.displayName).toBe('Original Name');
    expect(me.json().csrfToken).toBe(first.csrfToken);
  });

  it('accepts the session’s own token', async () => {
    const person = await buildPerson(env.ctx);
    const session = await signInAs(env.app, person.email);
    const res = await patchMe(session.headers, 'Renamed');
    expect(res.statusCode).toBe(200);
    expect(res.json().displayName).toBe('Renamed');
  });

  it('refuses a cookie sign-out without the token, so a forged link cannot sign someone out', async () => {
    const person = await buildPerson(env.ctx);
    const session = await signInAs(env.app, person.email);
    const res = await env.app.inject({
      method: 'DELETE',
      url: '/api/v1/sessions/current',
      headers: { cookie: session.headers.cookie },
    });
    expectProblem(res, 403, 'CSRF_TOKEN_INVALID');
    expect(
      (await env.app.inject({ method: 'GET', url: '/api/v1/sessions/current', headers: session.headers })).statusCode,
    ).toBe(200);
  });

  it('refuses creating an API token by cookie without the CSRF token, and creates none', async () => {
    const before = await rowCounts(env.ctx.db);
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { cookie: adminSession.headers.cookie },
      payload: { name: 'forged', scopes: [{ organizationId: library.id, role: 'admin' }] },
    });
    expectProblem(res, 403, 'CSRF_TOKEN_INVALID');
    expect(await rowCounts(env.ctx.db)).toEqual(before);
  });

  it('does not ask for the token on reads', async () => {
    const res = await env.app.inject({
      method: 'GET',
      url: '/api/v1/sessions',
      headers: { cookie: adminSession.headers.cookie },
    });
    expect(res.statusCode).toBe(200);
  });

  it('does not ask bearer-token writes for a CSRF token', async () => {
    const created = await env.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: adminSession.headers,
      payload: { name: 'integration', scopes: [{ organizationId: library.id, role: 'admin' }] },
    });
    expect(created.statusCode).toBe(201);
    const bearer = { authorization: `Bearer ${created.json().token as string}` };
    const res = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/organizations/${library.id}`,
      headers: bearer,
      payload: { names: { en: 'Renamed by a machine' } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().names).toEqual({ en: 'Renamed by a machine' });
  });
});
