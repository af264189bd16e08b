import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '../../platform/errors.js';
import { createTestEnv, type TestEnv } from '../../test/context.js';
import { expectProblem, rowCounts } from '../../test/helpers.js';
import { buildOrganization, buildPerson, buildStaffProbe, signInAs } from './accounts.factories.js';
import { revokeRole } from './roles.service.js';

let env: TestEnv;
let probe: FastifyInstance;

type Session = Awaited<ReturnType<typeof signInAs>>;
interface MemberItem {
  grantId: string;
  role: string;
  person: { id: string; email: string };
}
interface AuditItem {
  action: string;
  actor: { id: string } | null;
  subject: Record<string, unknown>;
}

beforeAll(async () => {
  env = await createTestEnv();
  probe = await buildStaffProbe(env.ctx);
});

afterAll(async () => {
  await probe.close();
});

async function libraryWithAdmin(kind: 'library' | 'association' = 'library') {
  const org = await buildOrganization(env.ctx, { kind });
  const role = kind === 'library' ? 'admin' : 'officer';
  const admin = await buildPerson(env.ctx, { roles: [[org.id, role]] });
  return { org, admin, session: await signInAs(env.app, admin.email) };
}

const grant = (orgId: string, s: Session, email: string, role: string) =>
  env.app.inject({
    method: 'POST',
    url: `/api/v1/organizations/${orgId}/members`,
    headers: s.headers,
    payload: { email, role },
  });
const revoke = (orgId: string, s: Session, grantId: string) =>
  env.app.inject({ method: 'DELETE', url: `/api/v1/organizations/${orgId}/members/${grantId}`, headers: s.headers });

async function members(orgId: string, s: Session): Promise<MemberItem[]> {
  const res = await env.app.inject({
    method: 'GET',
    url: `/api/v1/organizations/${orgId}/members?pageSize=100`,
    headers: s.headers,
  });
  expect(res.statusCode).toBe(200);
  return res.json().items;
}

async function audit(orgId: string): Promise<AuditItem[]> {
  const rows = await env.ctx.db
    .selectFrom('audit_log')
    .selectAll()
    .where('organization_id', '=', orgId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ action: r.action, actor: r.actor_id ? { id: r.actor_id } : null, subject: r.subject }));
}

async function grantIdOf(orgId: string, personId: string, role: string): Promise<string> {
  const row = await env.ctx.db
    .withTables<{ role_grants: { id: string; organization_id: string; person_id: string; role: string } }>()
    .selectFrom('role_grants')
    .select('id')
    .where('organization_id', '=', orgId)
    .where('person_id', '=', personId)
    .where('role', '=', role)
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('granting roles', () => {
  it('grants a role to a registered person, with an audit entry naming the actor', async () => {
    const { org, admin, session } = await libraryWithAdmin();
    const person = await buildPerson(env.ctx, { displayName: 'New Staff' });

    const res = await grant(org.id, session, person.email.toUpperCase(), 'staff');
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      role: 'staff',
      person: { id: person.id, email: person.email, displayName: 'New Staff' },
    });

    expect(await audit(org.id)).toEqual([
      {
        action: 'role.granted',
        actor: { id: admin.id },
        subject: { personId: person.id, email: person.email, role: 'staff' },
      },
    ]);
    const viaApi = await env.app.inject({
      method: 'GET',
      url: `/api/v1/organizations/${org.id}/audit`,
      headers: session.headers,
    });
    expect(viaApi.json()).toMatchObject({ total: 1, items: [{ action: 'role.granted', actor: { id: admin.id } }] });

    const me = await env.app.inject({
      method: 'GET',
      url: '/api/v1/sessions/current',
      headers: (await signInAs(env.app, person.email)).headers,
    });
    expect(me.json().person.roles).toEqual([
      expect.objectContaining({ role: 'staff', organization: expect.objectContaining({ id: org.id }) }),
    ]);
  });

  it('refuses to grant the same role twice (409) and writes nothing', async () => {
    const { org, session } = await libraryWithAdmin();
    const person = await buildPerson(env.ctx);
    expect((await grant(org.id, session, person.email, 'patron')).statusCode).toBe(201);
    const before = await rowCounts(env.ctx.db);
    expectProblem(await grant(org.id, session, person.email, 'patron'), 409, 'ACCOUNTS_ROLE_EXISTS');
    expect(await rowCounts(env.ctx.db)).toEqual(before);
  });

  it('refuses an address nobody registered (404) and writes nothing', async () => {
    const { org, session } = await libraryWithAdmin();
    const before = await rowCounts(env.ctx.db);
    expectProblem(
      await grant(org.id, session, 'not-registered@example.org', 'staff'),
      404,
      'ACCOUNTS_PERSON_NOT_FOUND',
    );
    expect(await rowCounts(env.ctx.db)).toEqual(before);
  });

  it.each([
    ['library', 'officer'],
    ['library', 'member'],
    ['association', 'admin'],
    ['association', 'staff'],
  ] as const)('refuses a role that a %s does not have (%s → 422) and writes nothing', async (kind, role) => {
    const { org, session } = await libraryWithAdmin(kind);
    const person = await buildPerson(env.ctx);
    const before = await rowCounts(env.ctx.db);
    const body = expectProblem(await grant(org.id, session, person.email, role), 422, 'ACCOUNTS_ROLE_NOT_ALLOWED');
    expect(body.detail).toContain(role);
    expect(await rowCounts(env.ctx.db)).toEqual(before);
  });

  it('refuses staff (not admins) granting roles', async () => {
    const org = await buildOrganization(env.ctx);
    const staff = await buildPerson(env.ctx, { roles: [[org.id, 'staff']] });
    const person = await buildPerson(env.ctx);
    const staffSession = await signInAs(env.app, staff.email);
    const before = await rowCounts(env.ctx.db);
    expectProblem(await grant(org.id, staffSession, person.email, 'staff'), 403, 'FORBIDDEN');
    expect(await rowCounts(env.ctx.db)).toEqual(before);
  });
});

describe('revoking roles', () => {
  it('revokes a grant, with an audit entry', async () => {
    const { org, admin, session } = await libraryWithAdmin();
    const person = await buildPerson(env.ctx);
    const grantId = (await grant(org.id, session, person.email, 'staff')).json().grantId as string;

    const res = await revoke(org.id, session, grantId);
    expect(res.statusCode).toBe(200);
    expect((await members(org.id, session)).map((m) => m.person.id)).toEqual([admin.id]);
    expect((await audit(org.id)).at(-1)).toEqual({
      action: 'role.revoked',
      actor: { id: admin.id },
      subject: { personId: person.id, email: person.email, displayName: person.display_name, role: 'staff' },
    });

    expectProblem(await revoke(org.id, session, grantId), 404, 'ACCOUNTS_GRANT_NOT_FOUND');
  });

  it('does not revoke a grant of another organization through this one’s URL', async () => {
    const a = await libraryWithAdmin();
    const b = await libraryWithAdmin();
    const grantOfB = await grantIdOf(b.org.id, b.admin.id, 'admin');
    const before = await rowCounts(env.ctx.db);
    expectProblem(await revoke(a.org.id, a.session, grantOfB), 404, 'ACCOUNTS_GRANT_NOT_FOUND');
    expect(await rowCounts(env.ctx.db)).toEqual(before);
    expect((await members(b.org.id, b.session)).map((m) => m.grantId)).toEqual([grantOfB]);
  });

  it('keeps the last admin of a library (409), writes nothing, and the admin stays an admin', async () => {
    const { org, admin, session } = await libraryWithAdmin();
    const grantId = await grantIdOf(org.id, admin.id, 'admin');
    const before = await rowCounts(env.ctx.db);
    const body = expectProblem(await revoke(org.id, session, grantId), 409, 'ACCOUNTS_LAST_ADMIN');
    expect(body.detail).toContain(org.code);
    expect(await rowCounts(env.ctx.db)).toEqual(before);
    expect((await members(org.id, session)).map((m) => m.grantId)).toEqual([grantId]);
  });

  it('keeps the last officer of an association', async () => {
    const { org, admin, session } = await libraryWithAdmin('association');
    expectProblem(
      await revoke(org.id, session, await grantIdOf(org.id, admin.id, 'officer')),
      409,
      'ACCOUNTS_LAST_ADMIN',
    );
  });

  it('lets the last admin drop another role they hold there', async () => {
    const { org, admin, session } = await libraryWithAdmin();
    const grantId = (await grant(org.id, session, admin.email, 'staff')).json().grantId as string;
    expect((await revoke(org.id, session, grantId)).statusCode).toBe(200);
  });

  it('revokes one of two admins, then keeps the other', async () => {
    const { org, admin, session } = await libraryWithAdmin();
    const second = await buildPerson(env.ctx, { roles: [[org.id, 'admin']] });
    expect((await revoke(org.id, session, await grantIdOf(org.id, second.id, 'admin'))).statusCode).toBe(200);
    expectProblem(
      await revoke(org.id, session, await grantIdOf(org.id, admin.id, 'admin')),
      409,
      'ACCOUNTS_LAST_ADMIN',
    );
  });

  async function adminGrantsLeft(orgId: string) {
    return env.ctx.db
      .withTables<{ role_grants: { id: string; organization_id: string; role: string } }>()
      .selectFrom('role_grants')
      .select('id')
      .where('organization_id', '=', orgId)
      .where('role', '=', 'admin')
      .execute();
  }

  it('keeps exactly one admin when the last two revoke each other at the same moment', async () => {
    for (let round = 0; round < 5; round++) {
      const org = await buildOrganization(env.ctx);
      const p = await buildPerson(env.ctx, { roles: [[org.id, 'admin']] });
      const q = await buildPerson(env.ctx, { roles: [[org.id, 'admin']] });
      const [ps, qs] = [await signInAs(env.app, p.email), await signInAs(env.app, q.email)];
      const [pGrant, qGrant] = [await grantIdOf(org.id, p.id, 'admin'), await grantIdOf(org.id, q.id, 'admin')];

      const answers = await Promise.all([revoke(org.id, ps, qGrant), revoke(org.id, qs, pGrant)]);

      // One wins. The other is refused: by the last-admin rule if both got past the guard, or by
      // the guard itself if the winner's revocation had already taken the loser's role away.
      const codes = answers.map((r) => (r.statusCode === 200 ? 'ok' : (r.json() as { code: string }).code)).sort();
      expect([
        ['ACCOUNTS_LAST_ADMIN', 'ok'],
        ['FORBIDDEN', 'ok'],
      ]).toContainEqual(codes);
      expect(await adminGrantsLeft(org.id)).toHaveLength(1);
      expect((await audit(org.id)).filter((a) => a.action === 'role.revoked')).toHaveLength(1);
    }
  });

  it('keeps exactly one admin when two revocations race in the service (the database lock decides)', async () => {
    for (let round = 0; round < 5; round++) {
      const org = await buildOrganization(env.ctx);
      const p = await buildPerson(env.ctx, { roles: [[org.id, 'admin']] });
      const q = await buildPerson(env.ctx, { roles: [[org.id, 'admin']] });
      const [pGrant, qGrant] = [await grantIdOf(org.id, p.id, 'admin'), await grantIdOf(org.id, q.id, 'admin')];

      const outcomes = await Promise.allSettled([
        revokeRole(env.ctx, p.id, org.id, qGrant),
        revokeRole(env.ctx, q.id, org.id, pGrant),
      ]);

      const fulfilled = outcomes.filter((o) => o.status === 'fulfilled');
      const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(fulfilled).toHaveLength(1);
      expect(rejected.map((o) => (o.reason as AppError).code)).toEqual(['ACCOUNTS_LAST_ADMIN']);
      expect(await adminGrantsLeft(org.id)).toHaveLength(1);
    }
  });

  it('lets a branch lose its own admins: the parent library’s admins still manage it', async () => {
    const { org, session } = await libraryWithAdmin();
    const branch = await buildOrganization(env.ctx, { kind: 'branch', parentId: org.id });
    const branchAdmin = await buildPerson(env.ctx, { roles: [[branch.id, 'admin']] });
    expect((await revoke(branch.id, session, await grantIdOf(branch.id, branchAdmin.id, 'admin'))).statusCode).toBe(
      200,
    );
    expect(await members(branch.id, session)).toEqual([]);
  });
});

describe('a revoked role stops working at once', () => {
  it('staff: the next request with the same session is refused', async () => {
    const { org, session } = await libraryWithAdmin();
    const staff = await buildPerson(env.ctx);
    const grantId = (await grant(org.id, session, staff.email, 'staff')).json().grantId as string;
    const staffSession = await signInAs(env.app, staff.email);
    expect(
      (await probe.inject({ method: 'GET', url: `/probe/${org.id}`, headers: staffSession.headers })).statusCode,
    ).toBe(200);

    expect((await revoke(org.id, session, grantId)).statusCode).toBe(200);

    expectProblem(
      await probe.inject({ method: 'GET', url: `/probe/${org.id}`, headers: staffSession.headers }),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await probe.inject({ method: 'POST', url: `/probe/${org.id}`, headers: staffSession.headers }),
      403,
      'FORBIDDEN',
    );
  });

  it('admin: managing the library is refused on the next request', async () => {
    const { org, session } = await libraryWithAdmin();
    const second = await buildPerson(env.ctx, { roles: [[org.id, 'admin']] });
    const secondSession = await signInAs(env.app, second.email);
    expect((await members(org.id, secondSession)).length).toBe(2);

    expect((await revoke(org.id, session, await grantIdOf(org.id, second.id, 'admin'))).statusCode).toBe(200);

    const res = await env.app.inject({
      method: 'GET',
      url: `/api/v1/organizations/${org.id}/members`,
      headers: secondSession.headers,
    });
    expectProblem(res, 403, 'FORBIDDEN');
    const person = await buildPerson(env.ctx);
    expectProblem(await grant(org.id, secondSession, person.email, 'admin'), 403, 'FORBIDDEN');
  });
});
