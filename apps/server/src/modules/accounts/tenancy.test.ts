import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/context.js';
import { buildOrganization, buildPerson, signInAs } from './accounts.factories.js';

let env: TestEnv;
let libA: { id: string };
let libB: { id: string };
let branchB: { id: string };
let staffA: Awaited<ReturnType<typeof signInAs>>;
let adminA: Awaited<ReturnType<typeof signInAs>>;

beforeAll(async () => {
  env = await createTestEnv();
  libA = await buildOrganization(env.ctx, { kind: 'library' });
  libB = await buildOrganization(env.ctx, { kind: 'library' });
  branchB = await buildOrganization(env.ctx, { kind: 'branch', parentId: libB.id });
  const sa = await buildPerson(env.ctx, { roles: [[libA.id, 'staff']] });
  const aa = await buildPerson(env.ctx, { roles: [[libA.id, 'admin']] });
  await buildPerson(env.ctx, { roles: [[libB.id, 'admin']] });
  staffA = await signInAs(env.app, sa.email);
  adminA = await signInAs(env.app, aa.email);
});

describe('tenant isolation between libraries', () => {
  it('lets an admin of library A read A’s members', async () => {
    const res = await env.app.inject({
      method: 'GET',
      url: `/api/v1/organizations/${libA.id}/members`,
      headers: adminA.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBe(2);
  });

  it.each([
    ['members of B', () => `/api/v1/organizations/${libB.id}/members`],
    ['audit log of B', () => `/api/v1/organizations/${libB.id}/audit`],
    ['members of B’s branch', () => `/api/v1/organizations/${branchB.id}/members`],
  ])('refuses staff and admins of A reading the %s', async (_what, url) => {
    for (const who of [staffA, adminA]) {
      const res = await env.app.inject({ method: 'GET', url: url(), headers: who.headers });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('FORBIDDEN');
    }
  });

  it('refuses an admin of A changing B, granting roles at B, or revoking B’s roles, and writes nothing', async () => {
    const before = await env.app.inject({ method: 'GET', url: `/api/v1/organizations/${libB.id}` });
    const patch = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/organizations/${libB.id}`,
      headers: adminA.headers,
      payload: { names: { en: 'Hijacked' } },
    });
    const grant = await env.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${libB.id}/members`,
      headers: adminA.headers,
      payload: { email: 'x@example.org', role: 'admin' },
    });
    expect([patch.statusCode, grant.statusCode]).toEqual([403, 403]);
    const after = await env.app.inject({ method: 'GET', url: `/api/v1/organizations/${libB.id}` });
    expect(after.json().names).toEqual(before.json().names);
  });

  it('refuses staff of A managing their own library (admins only)', async () => {
    const res = await env.app.inject({
      method: 'GET',
      url: `/api/v1/organizations/${libA.id}/members`,
      headers: staffA.headers,
    });
    expect(res.statusCode).toBe(403);
  });
});
