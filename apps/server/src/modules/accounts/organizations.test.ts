import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/context.js';
import { expectProblem, rowCounts } from '../../test/helpers.js';
import { buildOrganization, buildPerson, buildStaffProbe, signInAs } from './accounts.factories.js';

let env: TestEnv;
let probe: FastifyInstance;
let root: Awaited<ReturnType<typeof signInAs>>;
let codeCounter = 0;
const code = (tag: string) => `${tag}-${++codeCounter}`;

beforeAll(async () => {
  env = await createTestEnv();
  probe = await buildStaffProbe(env.ctx);
  root = await signInAs(env.app, (await buildPerson(env.ctx, { platformAdmin: true })).email);
});

afterAll(async () => {
  await probe.close();
});

function create(payload: Record<string, unknown>, headers: Record<string, string> = root.headers) {
  return env.app.inject({ method: 'POST', url: '/api/v1/organizations', headers, payload });
}

async function created(payload: Record<string, unknown>): Promise<{ id: string; code: string }> {
  const res = await create(payload);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

interface PageOf {
  items: Array<{ id: string; code: string; kind: string; country: string; names: Record<string, string> }>;
  total: number;
  page: number;
  pageSize: number;
}
async function directory(query: string): Promise<PageOf> {
  const res = await env.app.inject({ method: 'GET', url: `/api/v1/organizations?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('the directory', () => {
  let association: { id: string };
  beforeAll(async () => {
    association = await created({
      code: 'DIR-RLA',
      kind: 'association',
      country: 'RU',
      names: { en: 'Directory Association' },
    });
    for (const [c, city, name] of [
      ['DIR-NOV', 'Великий Новгород', 'Novgorod Regional Library'],
      ['DIR-KAZ', 'Казань', 'Kazan City Library'],
      ['DIR-PSK', 'Псков', 'Pskov Pushkin Library'],
    ] as const) {
      await created({
        code: c,
        kind: 'library',
        country: 'RU',
        names: { en: name, ru: `Библиотека ${city}` },
        address: { city },
        memberOf: [association.id],
      });
    }
    await created({
      code: 'DIR-SAO',
      kind: 'library',
      country: 'BR',
      names: { en: 'São Paulo Library 100%' },
      address: { city: 'São Paulo' },
    });
    await created({ code: 'DIR-REC', kind: 'library', country: 'BR', names: { en: 'Recife Library' } });
    const nov = (await directory('q=DIR-NOV')).items[0]!;
    await created({
      code: 'DIR-NOV-CENTRAL',
      kind: 'branch',
      country: 'RU',
      parentId: nov.id,
      names: { en: 'Central Lending' },
    });
  });

  it('filters by kind and country together', async () => {
    const page = await directory('kind=library&country=RU');
    expect(page.total).toBe(3);
    expect(page.items.map((o) => o.code).sort()).toEqual(['DIR-KAZ', 'DIR-NOV', 'DIR-PSK']);
    expect(page.items.every((o) => o.kind === 'library' && o.country === 'RU')).toBe(true);
    expect((await directory('country=RU')).total).toBe(5);
    expect((await directory('kind=library')).total).toBe(5);
  });

  it('searches names, codes and cities, ignoring letter case', async () => {
    expect((await directory('q=pushkin')).items.map((o) => o.code)).toEqual(['DIR-PSK']);
    expect((await directory('q=PUSHKIN')).items.map((o) => o.code)).toEqual(['DIR-PSK']);
    expect((await directory(`q=${encodeURIComponent('казань')}`)).items.map((o) => o.code)).toEqual(['DIR-KAZ']);
    expect((await directory('q=dir-rec')).items.map((o) => o.code)).toEqual(['DIR-REC']);
    expect((await directory('q=library&country=BR')).total).toBe(2);
    expect((await directory('q=no-such-library-anywhere')).total).toBe(0);
  });

  it('treats % and _ in a search as plain characters', async () => {
    expect((await directory(`q=${encodeURIComponent('100%')}`)).items.map((o) => o.code)).toEqual(['DIR-SAO']);
    expect((await directory(`q=${encodeURIComponent('%')}`)).items.map((o) => o.code)).toEqual(['DIR-SAO']);
    expect((await directory('q=_')).total).toBe(0);
  });

  it('lists the members of an association (and the branches of a library) with memberOf', async () => {
    const page = await directory(`memberOf=${association.id}`);
    expect(page.items.map((o) => o.code).sort()).toEqual(['DIR-KAZ', 'DIR-NOV', 'DIR-PSK']);
  });

  it('pages with a stable total and no overlap', async () => {
    const first = await directory('kind=library&pageSize=2&page=1');
    const second = await directory('kind=library&pageSize=2&page=2');
    const third = await directory('kind=library&pageSize=2&page=3');
    const beyond = await directory('kind=library&pageSize=2&page=4');
    expect([first.total, second.total, third.total, beyond.total]).toEqual([5, 5, 5, 5]);
    expect([first.items.length, second.items.length, third.items.length, beyond.items.length]).toEqual([2, 2, 1, 0]);
    expect(first).toMatchObject({ page: 1, pageSize: 2 });
    const codes = [...first.items, ...second.items, ...third.items].map((o) => o.code);
    expect(new Set(codes).size).toBe(5);
  });

  it.each(['pageSize=0', 'pageSize=101', 'page=0', 'country=ru', 'kind=museum', 'memberOf=nope', 'sort=name'])(
    'refuses ?%s with a 400 naming the parameter',
    async (query) => {
      const body = expectProblem(
        await env.app.inject({ method: 'GET', url: `/api/v1/organizations?${query}` }),
        400,
        'VALIDATION_FAILED',
      );
      expect(body.detail).toContain('querystring');
    },
  );

  it('shows one organization with its parent, its groups and its members', async () => {
    const nov = (await directory('q=DIR-NOV&kind=library')).items[0]!;
    const res = await env.app.inject({ method: 'GET', url: `/api/v1/organizations/${nov.id}` });
    expect(res.json()).toMatchObject({
      code: 'DIR-NOV',
      parent: null,
      memberOf: [{ id: association.id }],
      members: [{ code: 'DIR-NOV-CENTRAL', kind: 'branch' }],
      address: { city: 'Великий Новгород' },
    });
    const branch = (await directory('q=DIR-NOV-CENTRAL')).items[0]!;
    expect(
      (await env.app.inject({ method: 'GET', url: `/api/v1/organizations/${branch.id}` })).json().parent,
    ).toMatchObject({ id: nov.id });
  });
});

describe('creating organizations', () => {
  it('creates one with an audit entry', async () => {
    const org = await created({
      code: code('NEW'),
      kind: 'library',
      country: 'FR',
      names: { fr: 'Bibliothèque', en: 'Library' },
    });
    const audit = await env.ctx.db.selectFrom('audit_log').selectAll().where('organization_id', '=', org.id).execute();
    expect(audit).toEqual([
      expect.objectContaining({ action: 'organization.created', subject: { code: org.code, kind: 'library' } }),
    ]);
  });

  it.each([
    ['a branch without a parent', () => ({ kind: 'branch' })],
    [
      'a branch under an association',
      async () => ({ kind: 'branch', parentId: (await buildOrganization(env.ctx, { kind: 'association' })).id }),
    ],
    [
      'a branch under another branch',
      async () => {
        const lib = await buildOrganization(env.ctx);
        return {
          kind: 'branch',
          parentId: (await buildOrganization(env.ctx, { kind: 'branch', parentId: lib.id })).id,
        };
      },
    ],
    [
      'a branch under an organization that does not exist',
      () => ({ kind: 'branch', parentId: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b' }),
    ],
    ['a library with a parent', async () => ({ kind: 'library', parentId: (await buildOrganization(env.ctx)).id })],
    [
      'a library member of a library',
      async () => ({ kind: 'library', memberOf: [(await buildOrganization(env.ctx)).id] }),
    ],
    [
      'an association member of an association',
      async () => ({ kind: 'association', memberOf: [(await buildOrganization(env.ctx, { kind: 'association' })).id] }),
    ],
    [
      'a library member of an unknown group',
      () => ({ kind: 'library', memberOf: ['6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b'] }),
    ],
  ])('refuses %s (422) and writes nothing', async (_what, shape) => {
    const extra = await shape();
    const before = await rowCounts(env.ctx.db);
    const res = await create({ code: code('BAD'), country: 'FR', names: { en: 'Invalid' }, ...extra });
    expectProblem(res, 422, 'ACCOUNTS_ORGANIZATION_INVALID');
    expect(await rowCounts(env.ctx.db)).toEqual(before);
  });

  it('creates a branch under a library', async () => {
    const lib = await buildOrganization(env.ctx);
    const branch = await created({
      code: code('BR'),
      kind: 'branch',
      parentId: lib.id,
      country: 'FR',
      names: { en: 'Branch' },
    });
    expect(branch).toMatchObject({ kind: 'branch', parent: { id: lib.id } });
  });

  it('refuses a code already in use (409) and writes nothing', async () => {
    const taken = code('DUP');
    await created({ code: taken, kind: 'library', country: 'FR', names: { en: 'First' } });
    const before = await rowCounts(env.ctx.db);
    const body = expectProblem(
      await create({ code: taken, kind: 'association', country: 'DE', names: { en: 'Second' } }),
      409,
      'ACCOUNTS_ORGANIZATION_CODE_TAKEN',
    );
    expect(body.detail).toContain(taken);
    expect(await rowCounts(env.ctx.db)).toEqual(before);
  });

  it('answers 409 to one of two simultaneous creations with the same code, never an error', async () => {
    for (let round = 0; round < 5; round++) {
      const same = code('RACE');
      const answers = await Promise.all([
        create({ code: same, kind: 'library', country: 'FR', names: { en: 'One' } }),
        create({ code: same, kind: 'library', country: 'FR', names: { en: 'Two' } }),
      ]);
      expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 409]);
      expect(answers.find((r) => r.statusCode === 409)!.json().code).toBe('ACCOUNTS_ORGANIZATION_CODE_TAKEN');
    }
  });

  it('lets only platform administrators create (403 for a library admin, 401 anonymous)', async () => {
    const lib = await buildOrganization(env.ctx);
    const admin = await buildPerson(env.ctx, { roles: [[lib.id, 'admin']] });
    const session = await signInAs(env.app, admin.email);
    const before = await rowCounts(env.ctx.db);
    const payload = { code: code('NOPE'), kind: 'library', country: 'FR', names: { en: 'Not allowed' } };
    expectProblem(await create(payload, session.headers), 403, 'FORBIDDEN');
    expectProblem(await create(payload, {}), 401, 'AUTHENTICATION_REQUIRED');
    expect(await rowCounts(env.ctx.db)).toEqual(before);
  });
});

describe('managing organizations', () => {
  it('lets an admin update their library, with an audit entry, and keeps the search text current', async () => {
    const lib = await buildOrganization(env.ctx);
    const admin = await buildPerson(env.ctx, { roles: [[lib.id, 'admin']] });
    const session = await signInAs(env.app, admin.email);
    const res = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/organizations/${lib.id}`,
      headers: session.headers,
      payload: { names: { en: 'Renamed Zanzibar Library' }, phone: '+33 1 23 45 67 89' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      names: { en: 'Renamed Zanzibar Library' },
      phone: '+33 1 23 45 67 89',
      code: lib.code,
    });
    expect((await directory('q=zanzibar')).items.map((o) => o.id)).toEqual([lib.id]);
    const audit = await env.ctx.db.selectFrom('audit_log').selectAll().where('organization_id', '=', lib.id).execute();
    expect(audit).toEqual([expect.objectContaining({ action: 'organization.updated', actor_id: admin.id })]);
  });

  it('keeps opening hours for branches (422 on a library)', async () => {
    const lib = await buildOrganization(env.ctx);
    const branch = await buildOrganization(env.ctx, { kind: 'branch', parentId: lib.id });
    const hours = [{ day: 'mon', opens: '09:00', closes: '18:00' }];
    const onLibrary = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/organizations/${lib.id}`,
      headers: root.headers,
      payload: { openingHours: hours },
    });
    expectProblem(onLibrary, 422, 'ACCOUNTS_ORGANIZATION_INVALID');
    const onBranch = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/organizations/${branch.id}`,
      headers: root.headers,
      payload: { openingHours: hours },
    });
    expect(onBranch.json().openingHours).toEqual(hours);
  });

  it('counts roles at the parent library at its branches, and not the other way round', async () => {
    const lib = await buildOrganization(env.ctx);
    const branch = await buildOrganization(env.ctx, { kind: 'branch', parentId: lib.id });
    const otherBranch = await buildOrganization(env.ctx, {
      kind: 'branch',
      parentId: (await buildOrganization(env.ctx)).id,
    });
    const libStaff = await signInAs(env.app, (await buildPerson(env.ctx, { roles: [[lib.id, 'staff']] })).email);
    const branchStaff = await signInAs(env.app, (await buildPerson(env.ctx, { roles: [[branch.id, 'staff']] })).email);
    const libAdmin = await signInAs(env.app, (await buildPerson(env.ctx, { roles: [[lib.id, 'admin']] })).email);

    const at = (id: string, s: { headers: Record<string, string> }) =>
      probe.inject({ method: 'GET', url: `/probe/${id}`, headers: s.headers });
    expect((await at(branch.id, libStaff)).statusCode).toBe(200);
    expect((await at(otherBranch.id, libStaff)).statusCode).toBe(403);
    expect((await at(branch.id, branchStaff)).statusCode).toBe(200);
    expect((await at(lib.id, branchStaff)).statusCode).toBe(403);

    const patch = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/organizations/${branch.id}`,
      headers: libAdmin.headers,
      payload: { phone: '123' },
    });
    expect(patch.statusCode).toBe(200);
    expectProblem(
      await env.app.inject({
        method: 'PATCH',
        url: `/api/v1/organizations/${otherBranch.id}`,
        headers: libAdmin.headers,
        payload: { phone: '123' },
      }),
      403,
      'FORBIDDEN',
    );
  });

  it('does not let an association officer manage the member libraries', async () => {
    const association = await buildOrganization(env.ctx, { kind: 'association' });
    const lib = await buildOrganization(env.ctx, { memberOf: [association.id] });
    const officer = await signInAs(
      env.app,
      (await buildPerson(env.ctx, { roles: [[association.id, 'officer']] })).email,
    );
    expect(
      (
        await env.app.inject({
          method: 'GET',
          url: `/api/v1/organizations/${association.id}/members`,
          headers: officer.headers,
        })
      ).statusCode,
    ).toBe(200);
    expectProblem(
      await env.app.inject({
        method: 'PATCH',
        url: `/api/v1/organizations/${lib.id}`,
        headers: officer.headers,
        payload: { phone: '1' },
      }),
      403,
      'FORBIDDEN',
    );
  });
});
