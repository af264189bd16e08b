import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../platform/tokens.js';
import { createTestEnv, type TestEnv } from '../../test/context.js';
import { expectProblem, rowCounts } from '../../test/helpers.js';
import { buildOrganization, buildPerson, buildStaffProbe, signInAs } from './accounts.factories.js';

let env: TestEnv;
let probe: FastifyInstance;
type Session = Awaited<ReturnType<typeof signInAs>>;
interface Scope {
  organizationId: string;
  role: string;
}

beforeAll(async () => {
  env = await createTestEnv();
  probe = await buildStaffProbe(env.ctx);
});

afterAll(async () => {
  await probe.close();
});

function createToken(headers: Record<string, string>, scopes: Scope[], name = 'integration') {
  return env.app.inject({ method: 'POST', url: '/api/v1/tokens', headers, payload: { name, scopes } });
}

async function newToken(
  s: Session,
  scopes: Scope[],
): Promise<{ id: string; token: string; bearer: { authorization: string } }> {
  const res = await createToken(s.headers, scopes);
  expect(res.statusCode).toBe(201);
  const { id, token } = res.json() as { id: string; token: string };
  return { id, token, bearer: { authorization: `Bearer ${token}` } };
}

const listMembers = (orgId: string, headers: Record<string, string>) =>
  env.app.inject({ method: 'GET', url: `/api/v1/organizations/${orgId}/members`, headers });

async function adminOf(...orgIds: string[]) {
  const person = await buildPerson(env.ctx, { roles: orgIds.map((id) => [id, 'admin'] as [string, 'admin']) });
  return { person, session: await signInAs(env.app, person.email) };
}

describe('creating API tokens', () => {
  it('shows the secret once; the list and the database never hold it', async () => {
    const lib = await buildOrganization(env.ctx);
    const { person, session } = await adminOf(lib.id);

    const res = await createToken(session.headers, [{ organizationId: lib.id, role: 'admin' }], 'catalogue sync');
    expect(res.statusCode).toBe(201);
    const created = res.json() as { id: string; token: string; prefix: string; name: string; scopes: Scope[] };
    expect(created.token).toMatch(/^ath_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.token.slice(0, 10));
    expect(created).toMatchObject({
      name: 'catalogue sync',
      scopes: [{ organizationId: lib.id, role: 'admin' }],
      revokedAt: null,
    });

    const list = await env.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: session.headers });
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toEqual([
      expect.objectContaining({ id: created.id, prefix: created.prefix, name: 'catalogue sync' }),
    ]);
    expect(list.json().items[0]).not.toHaveProperty('token');
    expect(list.body).not.toContain(created.token);
    expect(list.body).not.toContain(created.token.slice(10));

    const rows = await env.ctx.db
      .withTables<{ api_tokens: { id: string; person_id: string; token_hash: string } }>()
      .selectFrom('api_tokens')
      .selectAll()
      .where('person_id', '=', person.id)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(hashSecret(created.token));
    expect(JSON.stringify(rows)).not.toContain(created.token.slice(10));
  });

  it('writes an audit entry at each organization in scope', async () => {
    const [a, b] = [await buildOrganization(env.ctx), await buildOrganization(env.ctx)];
    const { person, session } = await adminOf(a.id, b.id);
    const { id } = await newToken(session, [
      { organizationId: a.id, role: 'admin' },
      { organizationId: b.id, role: 'admin' },
    ]);
    for (const org of [a, b]) {
      const entries = await env.ctx.db
        .selectFrom('audit_log')
        .selectAll()
        .where('organization_id', '=', org.id)
        .execute();
      expect(entries).toEqual([
        expect.objectContaining({
          action: 'token.created',
          actor_id: person.id,
          subject: { tokenId: id, name: 'integration' },
        }),
      ]);
    }
  });

  it('refuses a role the creator does not hold (403) and creates nothing', async () => {
    const [mine, theirs] = [await buildOrganization(env.ctx), await buildOrganization(env.ctx)];
    const { session } = await adminOf(mine.id);
    const before = await rowCounts(env.ctx.db);
    for (const scopes of [
      [{ organizationId: theirs.id, role: 'admin' }],
      [
        { organizationId: mine.id, role: 'admin' },
        { organizationId: theirs.id, role: 'staff' },
      ],
      [{ organizationId: mine.id, role: 'staff' }],
    ]) {
      expectProblem(await createToken(session.headers, scopes), 403, 'ACCOUNTS_TOKEN_SCOPE_NOT_HELD');
    }
    expect(await rowCounts(env.ctx.db)).toEqual(before);
  });

  it('refuses a platform administrator a scope they hold no role for, and never lends a token platform powers', async () => {
    const lib = await buildOrganization(env.ctx);
    const root = await buildPerson(env.ctx, { platformAdmin: true, roles: [[lib.id, 'staff']] });
    const session = await signInAs(env.app, root.email);
    expectProblem(
      await createToken(session.headers, [{ organizationId: lib.id, role: 'admin' }]),
      403,
      'ACCOUNTS_TOKEN_SCOPE_NOT_HELD',
    );

    const { bearer } = await newToken(session, [{ organizationId: lib.id, role: 'staff' }]);
    expectProblem(
      await env.app.inject({ method: 'GET', url: '/api/v1/admin/emails', headers: bearer }),
      403,
      'FORBIDDEN',
    );
    expectProblem(await listMembers(lib.id, bearer), 403, 'FORBIDDEN');
    expect((await probe.inject({ method: 'GET', url: `/probe/${lib.id}`, headers: bearer })).statusCode).toBe(200);
  });
});

describe('using API tokens', () => {
  it('works as its scoped role: reads and writes without a CSRF token', async () => {
    const lib = await buildOrganization(env.ctx);
    const { session } = await adminOf(lib.id);
    const { bearer } = await newToken(session, [{ organizationId: lib.id, role: 'admin' }]);
    expect((await listMembers(lib.id, bearer)).statusCode).toBe(200);
    const patch = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/organizations/${lib.id}`,
      headers: bearer,
      payload: { website: 'https://lib.example.org' },
    });
    expect(patch.statusCode).toBe(200);
    expect(patch.json().website).toBe('https://lib.example.org');
  });

  it('narrows to its scope: a staff token of an admin cannot act as admin', async () => {
    const lib = await buildOrganization(env.ctx);
    const person = await buildPerson(env.ctx, {
      roles: [
        [lib.id, 'admin'],
        [lib.id, 'staff'],
      ],
    });
    const { bearer } = await newToken(await signInAs(env.app, person.email), [
      { organizationId: lib.id, role: 'staff' },
    ]);
    expect((await probe.inject({ method: 'GET', url: `/probe/${lib.id}`, headers: bearer })).statusCode).toBe(200);
    expectProblem(await listMembers(lib.id, bearer), 403, 'FORBIDDEN');
  });

  it('cannot act on library B when scoped to A, though its creator is admin of both', async () => {
    const [a, b] = [await buildOrganization(env.ctx), await buildOrganization(env.ctx)];
    const { session } = await adminOf(a.id, b.id);
    const { bearer } = await newToken(session, [{ organizationId: a.id, role: 'admin' }]);
    expect((await listMembers(a.id, bearer)).statusCode).toBe(200);
    expectProblem(await listMembers(b.id, bearer), 403, 'FORBIDDEN');
    const before = await rowCounts(env.ctx.db);
    const patch = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/organizations/${b.id}`,
      headers: bearer,
      payload: { names: { en: 'Taken over' } },
    });
    expectProblem(patch, 403, 'FORBIDDEN');
    expect(await rowCounts(env.ctx.db)).toEqual(before);
    // The person's own session still reaches B: the scope narrows the token, not the person.
    expect((await listMembers(b.id, session.headers)).statusCode).toBe(200);
  });

  it('reaches a branch through a scope on its parent library', async () => {
    const lib = await buildOrganization(env.ctx);
    const branch = await buildOrganization(env.ctx, { kind: 'branch', parentId: lib.id });
    const otherBranch = await buildOrganization(env.ctx, {
      kind: 'branch',
      parentId: (await buildOrganization(env.ctx)).id,
    });
    const { session } = await adminOf(lib.id);
    const { bearer } = await newToken(session, [{ organizationId: lib.id, role: 'admin' }]);
    expect((await listMembers(branch.id, bearer)).statusCode).toBe(200);
    expectProblem(await listMembers(otherBranch.id, bearer), 403, 'FORBIDDEN');
  });

  it('stops working the moment it is revoked', async () => {
    const lib = await buildOrganization(env.ctx);
    const { session } = await adminOf(lib.id);
    const { id, bearer } = await newToken(session, [{ organizationId: lib.id, role: 'admin' }]);
    expect((await listMembers(lib.id, bearer)).statusCode).toBe(200);

    const res = await env.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: session.headers });
    expect(res.statusCode).toBe(200);

    expectProblem(await listMembers(lib.id, bearer), 401, 'AUTHENTICATION_REQUIRED');
    expectProblem(
      await env.app.inject({ method: 'GET', url: '/api/v1/sessions/current', headers: bearer }),
      401,
      'AUTHENTICATION_REQUIRED',
    );
    const listed = await env.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: session.headers });
    expect(listed.json().items[0].revokedAt).toEqual(expect.any(String));
    expect(
      (await env.ctx.db.selectFrom('audit_log').select('action').where('organization_id', '=', lib.id).execute()).map(
        (r) => r.action,
      ),
    ).toContain('token.revoked');
    expectProblem(
      await env.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: session.headers }),
      404,
      'ACCOUNTS_TOKEN_NOT_FOUND',
    );
  });

  it('cannot be revoked by someone else (404), and keeps working', async () => {
    const lib = await buildOrganization(env.ctx);
    const { session } = await adminOf(lib.id);
    const { id, bearer } = await newToken(session, [{ organizationId: lib.id, role: 'admin' }]);
    const stranger = await signInAs(env.app, (await buildPerson(env.ctx)).email);
    expectProblem(
      await env.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: stranger.headers }),
      404,
      'ACCOUNTS_TOKEN_NOT_FOUND',
    );
    expect((await listMembers(lib.id, bearer)).statusCode).toBe(200);
  });

  it('loses a role at once when its creator loses it', async () => {
    const lib = await buildOrganization(env.ctx);
    const { session: keeper } = await adminOf(lib.id);
    const { person: creator, session } = await adminOf(lib.id);
    const { bearer } = await newToken(session, [{ organizationId: lib.id, role: 'admin' }]);
    expect((await listMembers(lib.id, bearer)).statusCode).toBe(200);

    const grants = (await listMembers(lib.id, keeper.headers)).json().items as Array<{
      grantId: string;
      person: { id: string };
    }>;
    const grantId = grants.find((g) => g.person.id === creator.id)!.grantId;
    expect(
      (
        await env.app.inject({
          method: 'DELETE',
          url: `/api/v1/organizations/${lib.id}/members/${grantId}`,
          headers: keeper.headers,
        })
      ).statusCode,
    ).toBe(200);

    expectProblem(await listMembers(lib.id, bearer), 403, 'FORBIDDEN');
  });

  it('cannot mint a token wider than itself (a leaked narrow token must not become an admin token)', async () => {
    const [a, b] = [await buildOrganization(env.ctx), await buildOrganization(env.ctx)];
    const person = await buildPerson(env.ctx, {
      roles: [
        [a.id, 'staff'],
        [a.id, 'admin'],
        [b.id, 'admin'],
      ],
    });
    const { bearer } = await newToken(await signInAs(env.app, person.email), [{ organizationId: a.id, role: 'staff' }]);
    const before = await rowCounts(env.ctx.db);
    for (const scopes of [[{ organizationId: b.id, role: 'admin' }], [{ organizationId: a.id, role: 'admin' }]]) {
      expectProblem(await createToken(bearer, scopes), 403, 'SESSION_REQUIRED');
    }
    expect(await rowCounts(env.ctx.db)).toEqual(before);
  });
});

describe('API tokens cannot manage the account that made them', () => {
  it('refuses a bearer token on profile, sessions and token management, and changes nothing', async () => {
    const lib = await buildOrganization(env.ctx);
    const person = await buildPerson(env.ctx, { roles: [[lib.id, 'admin']], displayName: 'Owner' });
    const session = await signInAs(env.app, person.email);
    const created = await env.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: session.headers,
      payload: { name: 'robot', scopes: [] },
    });
    const bearer = { authorization: `Bearer ${created.json().token as string}` };
    const attempts = [
      { method: 'PATCH', url: '/api/v1/me', payload: { displayName: 'Hijacked' } },
      { method: 'POST', url: '/api/v1/sessions/revoke-others' },
      { method: 'GET', url: '/api/v1/sessions' },
      { method: 'GET', url: '/api/v1/tokens' },
      { method: 'DELETE', url: `/api/v1/tokens/${created.json().id as string}` },
    ] as const;
    for (const a of attempts) {
      const res = await env.app.inject({ ...a, headers: bearer });
      expect(res.statusCode, `${a.method} ${a.url}`).toBe(403);
    }
    const me = await env.app.inject({ method: 'GET', url: '/api/v1/sessions/current', headers: session.headers });
    expect(me.statusCode).toBe(200);
    expect(me.json().person.displayName).toBe('Owner');
    const whoAmI = await env.app.inject({ method: 'GET', url: '/api/v1/sessions/current', headers: bearer });
    expect(whoAmI.statusCode).toBe(200);
  });
});
