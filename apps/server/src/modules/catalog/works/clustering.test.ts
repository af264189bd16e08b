import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { expectProblem, principalOf } from '../../../test/helpers.js';
import { buildOrganization, buildPerson, signInAs } from '../../accounts/accounts.factories.js';
import { catalogDb, refreshWorks } from '../catalog.repository.js';
import { importRecords } from '../import/import-records.js';
import { record } from '../normalize/marc-fixtures.js';
import { mergeWorks } from './merge-works.js';
import { splitWork } from './split-work.js';
import { undoDecision } from './undo-decision.js';

let env: TestEnv;
let libA: { id: string };
let libB: { id: string };
let libC: { id: string };
let staffA: Record<string, string>;
let staffC: Record<string, string>;
let patronA: Record<string, string>;
let staffAId: string;

const dune = (id: string, extra: string[] = []) =>
  record('00000cam a2200000 a 4500', [
    `001 ${id}`,
    '008 650101s1965    nyu           000 1 eng d',
    '020 __$a9780441013593',
    '100 1_$aHerbert, Frank.',
    '245 10$aDune /$cFrank Herbert.',
    '264 _1$aNew York :$bChilton,$c1965.',
    ...extra,
  ]);
const other = (id: string, title: string, isbn: string) =>
  record('00000cam a2200000 a 4500', [
    `001 ${id}`,
    '008 700101s1970    nyu           000 1 eng d',
    `020 __$a${isbn}`,
    '100 1_$aLem, Stanisław.',
    `245 10$a${title} /$cStanisław Lem.`,
  ]);

async function load(libraryId: string, records: ReturnType<typeof record>[]) {
  return importRecords(
    env.ctx,
    records.map((r, index) => ({ record: r, position: { index } })),
    { libraryId, flavour: 'marc21', sourceFormat: 'iso2709' },
  );
}

const db = () => catalogDb(env.ctx.db);
async function recordsByKey() {
  const rows = await db()
    .selectFrom('catalog_records')
    .select(['id', 'record_key', 'organization_id', 'work_id', 'work_pinned'])
    .where('deleted_at', 'is', null)
    .execute();
  return new Map(rows.map((r) => [`${r.organization_id === libA.id ? 'A' : 'B'}:${r.record_key}`, r]));
}
const workOf = async (key: string) => (await recordsByKey()).get(key)!.work_id;
const redirects = async () =>
  (
    await sql<{ work_id: string; to_work_id: string }>`
      select work_id, to_work_id from catalog_work_redirects order by created_at, work_id`.execute(env.ctx.db)
  ).rows;
const redirectOf = async (workId: string) => (await redirects()).find((r) => r.work_id === workId)?.to_work_id;
const recordCount = async (workId: string) =>
  (await db().selectFrom('catalog_works').select('record_count').where('id', '=', workId).executeTakeFirst())
    ?.record_count;

const inject = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: object) =>
  payload === undefined ? env.app.inject({ method, url, headers }) : env.app.inject({ method, url, headers, payload });

beforeAll(async () => {
  env = await createTestEnv();
  libA = await buildOrganization(env.ctx, { code: 'CL-A' });
  libB = await buildOrganization(env.ctx, { code: 'CL-B' });
  libC = await buildOrganization(env.ctx, { code: 'CL-C' });
  await load(libA.id, [dune('A-1'), dune('A-2', ['250 __$a2nd ed.'])]);
  await load(libB.id, [dune('B-1'), other('B-2', 'Solaris', '9780156027601')]);
  const a = await buildPerson(env.ctx, { roles: [[libA.id, 'staff']] });
  staffAId = a.id;
  staffA = (await signInAs(env.app, a.email)).headers;
  const c = await buildPerson(env.ctx, { roles: [[libC.id, 'admin']] });
  staffC = (await signInAs(env.app, c.email)).headers;
  const p = await buildPerson(env.ctx, { roles: [[libA.id, 'patron']] });
  patronA = (await signInAs(env.app, p.email)).headers;
});

describe('the clustering of a work', () => {
  it('lists the records with library, score, reason and pinned flag for staff of a holding library', async () => {
    const workId = await workOf('A:-/A-1');
    const res = await inject('GET', `/api/v1/catalog/works/${workId}/clustering`, staffA);
    expect(res.statusCode).toBe(200);
    const body = res.json() as {
      records: Array<{ libraryId: string; matchScore: number | null; matchReason: string | null; pinned: boolean }>;
      decisions: unknown[];
    };
    expect(body.records).toHaveLength(3);
    expect(body.records.map((r) => r.libraryId).sort()).toEqual([libA.id, libA.id, libB.id].sort());
    expect(body.records.filter((r) => r.matchReason?.includes('ISBN'))).toHaveLength(2);
    expect(body.records.every((r) => !r.pinned)).toBe(true);
    expect(body.decisions).toEqual([]);
  });

  it('is refused to staff of an unrelated library, to patrons and to anonymous callers', async () => {
    const workId = await workOf('A:-/A-1');
    expectProblem(
      await inject('GET', `/api/v1/catalog/works/${workId}/clustering`, staffC),
      403,
      'CATALOG_NOT_CATALOGUE_STAFF',
    );
    expectProblem(
      await inject('GET', `/api/v1/catalog/works/${workId}/clustering`, patronA),
      403,
      'CATALOG_NOT_CATALOGUE_STAFF',
    );
    expect((await inject('GET', `/api/v1/catalog/works/${workId}/clustering`, {})).statusCode).toBe(401);
  });
});

describe('split and merge', () => {
  it('refuses bad requests and changes nothing', async () => {
    const before = await recordsByKey();
    const workId = before.get('A:-/A-1')!.work_id;
    const all = [...before.values()].filter((r) => r.work_id === workId).map((r) => r.id);
    const solaris = before.get('B:-/B-2')!;
    const url = `/api/v1/catalog/works/${workId}/split`;
    expectProblem(await inject('POST', url, staffA, { recordIds: all }), 422, 'CATALOG_SPLIT_ALL_RECORDS');
    const unknown = expectProblem(
      await inject('POST', url, staffA, { recordIds: [solaris.id] }),
      422,
      'CATALOG_SPLIT_UNKNOWN_RECORDS',
    );
    expect(unknown.detail).toContain(solaris.id);
    expectProblem(await inject('POST', url, staffA, { recordIds: [] }), 400, 'VALIDATION_FAILED');
    expectProblem(await inject('POST', url, staffA, { recordIds: ['nope'] }), 400, 'VALIDATION_FAILED');
    expectProblem(await inject('POST', url, staffC, { recordIds: [all[0]] }), 403, 'CATALOG_NOT_CATALOGUE_STAFF');
    expectProblem(
      await inject('POST', `/api/v1/catalog/works/${workId}/merge`, staffA, { intoWorkId: workId }),
      422,
      'CATALOG_MERGE_SAME_WORK',
    );
    expectProblem(
      await inject('POST', `/api/v1/catalog/works/${workId}/merge`, staffA, {
        intoWorkId: '0190f3c4-0000-7000-8000-000000000000',
      }),
      404,
      'CATALOG_WORK_NOT_FOUND',
    );
    expectProblem(
      await inject('POST', `/api/v1/catalog/works/${workId}/merge`, staffC, { intoWorkId: solaris.work_id }),
      403,
      'CATALOG_NOT_CATALOGUE_STAFF',
    );
    expect(await recordsByKey()).toEqual(before);
    const decisions = await db().selectFrom('catalog_cluster_decisions').select('id').execute();
    expect(decisions).toEqual([]);
  });

  it('splits records off into a new pinned work, kept apart when the same and newer records are imported again', async () => {
    const workId = await workOf('A:-/A-1');
    const b1 = (await recordsByKey()).get('B:-/B-1')!;
    const res = await inject('POST', `/api/v1/catalog/works/${workId}/split`, staffA, { recordIds: [b1.id] });
    expect(res.statusCode).toBe(200);
    const result = res.json() as { toWorkId: string; moved: number; decision: { kind: string; recordIds: string[] } };
    expect(result).toMatchObject({ fromWorkId: workId, moved: 1, decision: { kind: 'split', recordIds: [b1.id] } });
    const newWork = result.toWorkId;
    expect(await recordCount(workId)).toBe(2);
    expect(await recordCount(newWork)).toBe(1);
    const after = await recordsByKey();
    expect(after.get('B:-/B-1')).toMatchObject({ work_id: newWork, work_pinned: true });
    expect(after.get('A:-/A-1')).toMatchObject({ work_id: workId, work_pinned: true });
    // Both works answer a search, each with its own libraries.
    const w = await db()
      .selectFrom('catalog_works')
      .select(['id', 'library_ids', 'title'])
      .where('id', 'in', [workId, newWork])
      .execute();
    expect(w.find((x) => x.id === newWork)).toMatchObject({ library_ids: [libB.id], title: 'Dune' });
    expect(w.find((x) => x.id === workId)).toMatchObject({ library_ids: [libA.id] });

    // The same file again, then newer versions of both sides.
    await load(libB.id, [dune('B-1'), other('B-2', 'Solaris', '9780156027601')]);
    await load(libA.id, [dune('A-1'), dune('A-2', ['250 __$a2nd ed.'])]);
    await load(libB.id, [dune('B-1', ['500 __$aRevised record.'])]);
    await load(libA.id, [dune('A-1', ['500 __$aRevised record.'])]);
    const reimported = await recordsByKey();
    expect(reimported.get('B:-/B-1')!.work_id).toBe(newWork);
    expect(reimported.get('A:-/A-1')!.work_id).toBe(workId);
    expect(reimported.get('A:-/A-2')!.work_id).toBe(workId);
    expect(await recordCount(newWork)).toBe(1);
    expect(await recordCount(workId)).toBe(2);

    // The decision is in the history of both works, with who made it; and in the audit log. The
    // new work holds only B's record now, so B's staff review it; A's, who made the split, no longer.
    const staffB = (await signInAs(env.app, (await buildPerson(env.ctx, { roles: [[libB.id, 'staff']] })).email))
      .headers;
    for (const [work, headers] of [
      [workId, staffA],
      [newWork, staffB],
    ] as const) {
      const history = await inject('GET', `/api/v1/catalog/works/${work}/clustering`, headers);
      expect(history.statusCode, history.body).toBe(200);
      expect((history.json() as { decisions: unknown[] }).decisions).toEqual([
        expect.objectContaining({ kind: 'split', fromWorkId: workId, toWorkId: newWork, decidedBy: staffAId }),
      ]);
    }
    expectProblem(
      await inject('GET', `/api/v1/catalog/works/${newWork}/clustering`, staffA),
      403,
      'CATALOG_NOT_CATALOGUE_STAFF',
    );
    const audit = await sql<{ action: string; organization_id: string }>`
      select action, organization_id from audit_log where action like 'catalog.work.%'`.execute(env.ctx.db);
    expect(audit.rows).toEqual([{ action: 'catalog.work.split', organization_id: libA.id }]);
  });

  it('merges works: every record moves, pinned, the merged work is gone, its address leads to the other, and a re-import keeps them together', async () => {
    const solaris = (await recordsByKey()).get('B:-/B-2')!;
    const duneWork = await workOf('A:-/A-1');
    // Staff of A hold a record of Dune, so may merge Solaris (held by B only) into it.
    const res = await inject('POST', `/api/v1/catalog/works/${solaris.work_id}/merge`, staffA, {
      intoWorkId: duneWork,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await recordCount(duneWork)).toBe(3);
    expect(await db().selectFrom('catalog_works').select('id').where('id', '=', solaris.work_id).execute()).toEqual([]);
    expect(await redirects()).toEqual([{ work_id: solaris.work_id, to_work_id: duneWork }]);
    const moved = await inject('GET', `/api/v1/catalog/works/${solaris.work_id}?x=1`, {});
    expect(moved.statusCode).toBe(301);
    expect(moved.headers.location).toBe(`/api/v1/catalog/works/${duneWork}?x=1`);
    expect(moved.headers['cache-control']).toBe('no-cache');
    expect((await inject('GET', `/api/v1/catalog/works/${duneWork}`, {})).statusCode).toBe(200);
    // The work's departures are read and cleared by the refresh.
    expect((await sql`select * from catalog_work_departures`.execute(env.ctx.db)).rows).toEqual([]);
    await load(libB.id, [other('B-2', 'Solaris', '9780156027601')]);
    await load(libB.id, [other('B-2', 'Solaris : a novel', '9780156027601')]);
    expect(await workOf('B:-/B-2')).toBe(duneWork);
    const keys = await sql`select key from catalog_work_keys
      where work_id = ${duneWork} and key = 'isbn:9780156027601'`.execute(env.ctx.db);
    expect(keys.rows).toHaveLength(1);
  });

  it('two decisions racing on the same works end consistent', async () => {
    await load(libA.id, [other('A-10', 'Eden', '9780156278201'), other('A-11', 'Fiasco', '9780156306403')]);
    const eden = await workOf('A:-/A-10');
    const fiasco = await workOf('A:-/A-11');
    const me = principalOf(staffAId);
    const outcomes = await Promise.allSettled([
      mergeWorks(env.ctx, me, eden, fiasco),
      mergeWorks(env.ctx, me, fiasco, eden),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const failed = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason).toMatchObject({ code: 'CATALOG_WORK_NOT_FOUND' });
    const a10 = await workOf('A:-/A-10');
    expect(await workOf('A:-/A-11')).toBe(a10);
    expect(await recordCount(a10)).toBe(2);

    // Two splits of the same record: one moves it, the other finds it gone from the work.
    await load(libA.id, [other('A-12', 'Eden', '9780156278201')]);
    const a12 = (await recordsByKey()).get('A:-/A-12')!;
    expect(a12.work_id).toBe(a10);
    const splits = await Promise.allSettled([
      splitWork(env.ctx, me, a10, [a12.id]),
      splitWork(env.ctx, me, a10, [a12.id]),
    ]);
    expect(splits.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect((splits.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({
      code: 'CATALOG_SPLIT_UNKNOWN_RECORDS',
    });
    expect(await recordCount(a10)).toBe(2);
    const live = await sql<{ work_id: string; n: number; record_count: number }>`
      select r.work_id, count(*)::int as n, w.record_count from catalog_records r join catalog_works w on w.id = r.work_id
      where r.deleted_at is null group by r.work_id, w.record_count`.execute(env.ctx.db);
    for (const row of live.rows) expect(row.record_count).toBe(row.n);
  });

  it('lets a platform administrator decide, and keeps the lexicon in step with the works', async () => {
    const admin = await buildPerson(env.ctx, { platformAdmin: true });
    const headers = (await signInAs(env.app, admin.email)).headers;
    const duneWork = await workOf('A:-/A-1');
    const res = await inject('GET', `/api/v1/catalog/works/${duneWork}/clustering`, headers);
    expect(res.statusCode).toBe(200);
    const lexicon = await sql<{ word: string; works: number }>`
      select word, works from catalog_lexicon where works > 0 order by word`.execute(env.ctx.db);
    const expected = await sql<{ word: string; works: number }>`
      select w as word, count(*)::int as works from catalog_works, unnest(catalog_lexicon_words(title, author, subjects)) w
      where record_count > 0 group by w order by w`.execute(env.ctx.db);
    expect(lexicon.rows).toEqual(expected.rows);
    expect(lexicon.rows.map((r) => r.word)).toContain('dune');
  });
});

describe('the addresses of works that are no more', () => {
  it('follow a work merged into one merged in turn, and lead to it again when that merge is undone', async () => {
    await load(libA.id, [
      other('A-80', 'The star diaries', '9780156849050'),
      other('A-81', 'Memoirs of a space traveler', '9780156586504'),
      other('A-82', 'Tales of Pirx the pilot', '9780156881500'),
    ]);
    const [diaries, memoirs, pirx] = [await workOf('A:-/A-80'), await workOf('A:-/A-81'), await workOf('A:-/A-82')];
    const me = principalOf(staffAId);
    await mergeWorks(env.ctx, me, diaries, memoirs);
    expect(await redirectOf(diaries)).toBe(memoirs);
    const second = await mergeWorks(env.ctx, me, memoirs, pirx);
    expect(await redirectOf(memoirs)).toBe(pirx);
    for (const id of [diaries, memoirs]) {
      const res = await inject('GET', `/api/v1/catalog/works/${id}`, {});
      expect(res.statusCode).toBe(301);
      expect(res.headers.location).toBe(`/api/v1/catalog/works/${pirx}`);
    }
    // Undoing the second merge brings the middle work back, with the records of the first.
    await undoDecision(env.ctx, me, pirx, second.decision.id);
    expect(await workOf('A:-/A-80')).toBe(memoirs);
    expect(await redirectOf(memoirs)).toBeUndefined();
    expect((await inject('GET', `/api/v1/catalog/works/${memoirs}`, {})).statusCode).toBe(200);
    expect((await inject('GET', `/api/v1/catalog/works/${diaries}`, {})).headers.location).toBe(
      `/api/v1/catalog/works/${memoirs}`,
    );
    // A loop (which no refresh leaves: a work a redirect leads to has live records) leads nowhere.
    await sql`delete from catalog_work_redirects where work_id = ${diaries}`.execute(env.ctx.db);
    const [x, y] = ['0190f3c4-0000-7000-8000-0000000000a1', '0190f3c4-0000-7000-8000-0000000000a2'];
    await sql`insert into catalog_work_redirects (work_id, to_work_id) values (${x}, ${y}), (${y}, ${x})`.execute(
      env.ctx.db,
    );
    expectProblem(await inject('GET', `/api/v1/catalog/works/${x}`, {}), 404, 'CATALOG_WORK_NOT_FOUND');
    await sql`delete from catalog_work_redirects where work_id in (${x}, ${y})`.execute(env.ctx.db);
  });

  it('follow records that a re-import clusters into another work, the emptied work kept for its deleted records or not', async () => {
    await load(libB.id, [
      other('B-50', 'Hospital of the transfiguration', '9780156421409'),
      other('B-51', "His master's voice", '9780810117310'),
      other('B-52', 'Peace on earth', '9780156027588'),
      other('B-53', 'Peace on earth', '9780156027588'),
      other('B-54', 'Highcastle', '9780156403870'),
    ]);
    const hospital = await workOf('B:-/B-50');
    const voice = await workOf('B:-/B-51');
    const peace = await workOf('B:-/B-52');
    const b53 = (await recordsByKey()).get('B:-/B-53')!;
    // B deletes one record of "Peace on earth"; it stays, deleted, in the work.
    await sql`update catalog_records set deleted_at = now() where id = ${b53.id}`.execute(env.ctx.db);
    // Newer versions of B-50 and B-52 are editions of "His master's voice".
    await load(libB.id, [
      other('B-50', "His master's voice", '9780810117310'),
      other('B-52', "His master's voice", '9780810117310'),
    ]);
    expect(await workOf('B:-/B-50')).toBe(voice);
    expect(await workOf('B:-/B-52')).toBe(voice);
    expect(await recordCount(hospital)).toBeUndefined();
    expect(await recordCount(peace)).toBe(0);
    expect(await redirectOf(hospital)).toBe(voice);
    expect(await redirectOf(peace)).toBe(voice);
    expect((await inject('GET', `/api/v1/catalog/works/${peace}`, {})).headers.location).toBe(
      `/api/v1/catalog/works/${voice}`,
    );
    // A work whose records were deleted went nowhere: not found.
    const highcastle = await workOf('B:-/B-54');
    await db()
      .transaction()
      .execute(async (trx) => {
        await sql`update catalog_records set deleted_at = now() where work_id = ${highcastle}`.execute(trx);
        await refreshWorks(trx, [highcastle]);
      });
    expect(await recordCount(highcastle)).toBe(0);
    expect(await redirectOf(highcastle)).toBeUndefined();
    expectProblem(await inject('GET', `/api/v1/catalog/works/${highcastle}`, {}), 404, 'CATALOG_WORK_NOT_FOUND');
    expect((await sql`select * from catalog_work_departures`.execute(env.ctx.db)).rows).toEqual([]);
  });
});

describe('undo', () => {
  it('undoes the newest split, then a merge (the merged work comes back with its id), and refuses the rest', async () => {
    await load(libA.id, [
      other('A-20', 'Golem XIV', '9780156358804'),
      other('A-21', 'Golem XIV', '9780156358804'),
      other('A-22', 'Imaginary magnitude', '9780156441025'),
    ]);
    const golem = await workOf('A:-/A-20');
    const a21 = (await recordsByKey()).get('A:-/A-21')!;
    const post = (workId: string, action: string, body: object, headers = staffA) =>
      inject('POST', `/api/v1/catalog/works/${workId}/${action}`, headers, body);

    const split = (await post(golem, 'split', { recordIds: [a21.id] })).json() as {
      toWorkId: string;
      decision: { id: string };
    };
    expectProblem(
      await post(golem, 'undo', { decisionId: split.decision.id }, staffC),
      403,
      'CATALOG_NOT_CATALOGUE_STAFF',
    );
    expectProblem(await post(golem, 'undo', { decisionId: 'x' }), 400, 'VALIDATION_FAILED');
    expectProblem(await post(golem, 'undo', { decisionId: '999999' }), 404, 'CATALOG_DECISION_NOT_FOUND');
    const undone = await post(split.toWorkId, 'undo', { decisionId: split.decision.id });
    expect(undone.statusCode, undone.body).toBe(200);
    expect(await workOf('A:-/A-21')).toBe(golem);
    expect(await recordCount(golem)).toBe(2);
    expect(await recordCount(split.toWorkId)).toBeUndefined();
    // The work the split made is gone; its address leads back.
    expect(await redirectOf(split.toWorkId)).toBe(golem);
    // Undone once: the undo is now the newest decision.
    expectProblem(await post(golem, 'undo', { decisionId: split.decision.id }), 409, 'CATALOG_DECISION_NOT_LATEST');

    const magnitude = await workOf('A:-/A-22');
    const merged = (await post(magnitude, 'merge', { intoWorkId: golem })).json() as { decision: { id: string } };
    expect(await recordCount(golem)).toBe(3);
    expect(await redirectOf(magnitude)).toBe(golem);
    expect((await inject('GET', `/api/v1/catalog/works/${magnitude}`, {})).headers.location).toBe(
      `/api/v1/catalog/works/${golem}`,
    );
    const back = await post(golem, 'undo', { decisionId: merged.decision.id });
    expect(back.statusCode, back.body).toBe(200);
    expect(await workOf('A:-/A-22')).toBe(magnitude);
    expect(await recordCount(magnitude)).toBe(1);
    expect(await recordCount(golem)).toBe(2);
    // Both works live again, under their own addresses: the merged one's redirect is gone.
    expect(await redirectOf(magnitude)).toBeUndefined();
    expect(await redirectOf(golem)).toBeUndefined();
    for (const id of [magnitude, golem]) {
      const res = await inject('GET', `/api/v1/catalog/works/${id}`, {});
      expect(res.statusCode, res.body).toBe(200);
      expect((res.json() as { id: string }).id).toBe(id);
    }
    const history = (
      (await inject('GET', `/api/v1/catalog/works/${golem}/clustering`, staffA)).json() as {
        decisions: Array<{ kind: string }>;
      }
    ).decisions.map((d) => d.kind);
    expect(history).toEqual(['split', 'merge', 'merge', 'split']);
  });

  it('gives no lasting rights to whoever decided: once their staff role is gone, or through a token scoped elsewhere', async () => {
    await load(libA.id, [
      other('A-40', 'The cyberiad', '9780156027595'),
      other('A-41', 'The cyberiad', '9780156027595'),
    ]);
    await load(libB.id, [other('B-40', 'Mortal engines', '9780156622608')]);
    const cyberiad = await workOf('A:-/A-40');
    const a41 = (await recordsByKey()).get('A:-/A-41')!;
    const engines = await workOf('B:-/B-40');
    // A cataloguer of A, also an admin of C, with a token for work at C.
    const cataloguer = await buildPerson(env.ctx, {
      roles: [
        [libA.id, 'staff'],
        [libC.id, 'admin'],
      ],
    });
    const session = (await signInAs(env.app, cataloguer.email)).headers;
    const created = await inject('POST', '/api/v1/tokens', session, {
      name: 'C automation',
      scopes: [{ organizationId: libC.id, role: 'admin' }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const tokenForC = { authorization: `Bearer ${created.json().token as string}` };
    const split = await inject('POST', `/api/v1/catalog/works/${cyberiad}/split`, session, { recordIds: [a41.id] });
    expect(split.statusCode, split.body).toBe(200);
    const { toWorkId, decision } = split.json() as { toWorkId: string; decision: { id: string } };

    const before = await recordsByKey();
    const refused = async (headers: Record<string, string>) => {
      const attempts = [
        () => inject('GET', `/api/v1/catalog/works/${cyberiad}/clustering`, headers),
        () => inject('POST', `/api/v1/catalog/works/${toWorkId}/undo`, headers, { decisionId: decision.id }),
        () =>
          inject('POST', `/api/v1/catalog/works/${cyberiad}/split`, headers, {
            recordIds: [before.get('A:-/A-40')!.id],
          }),
        // An unrelated work of B merged into the one they once decided on.
        () => inject('POST', `/api/v1/catalog/works/${engines}/merge`, headers, { intoWorkId: toWorkId }),
      ];
      for (const attempt of attempts) expectProblem(await attempt(), 403, 'CATALOG_NOT_CATALOGUE_STAFF');
    };
    await refused(tokenForC);

    // The admin of A takes the staff role away: the person's session is refused the same way.
    const adminA = await buildPerson(env.ctx, { roles: [[libA.id, 'admin']] });
    const adminHeaders = (await signInAs(env.app, adminA.email)).headers;
    const members = await inject('GET', `/api/v1/organizations/${libA.id}/members`, adminHeaders);
    const grant = (members.json() as { items: Array<{ grantId: string; person: { id: string } }> }).items.find(
      (g) => g.person.id === cataloguer.id,
    )!;
    const removed = await env.app.inject({
      method: 'DELETE',
      url: `/api/v1/organizations/${libA.id}/members/${grant.grantId}`,
      headers: adminHeaders,
    });
    expect(removed.statusCode, removed.body).toBe(200);
    await refused(session);

    expect(await recordsByKey()).toEqual(before);
    expect(await workOf('B:-/B-40')).toBe(engines);
    // A's staff still curate it: they undo the split.
    const undone = await inject('POST', `/api/v1/catalog/works/${toWorkId}/undo`, staffA, { decisionId: decision.id });
    expect(undone.statusCode, undone.body).toBe(200);
    expect(await workOf('A:-/A-41')).toBe(cyberiad);
  });

  it('refuses to undo a decision whose records have moved since', async () => {
    await load(libA.id, [
      other('A-30', 'Fables for robots', '9780156307543'),
      other('A-31', 'Fables for robots', '9780156307543'),
    ]);
    const fables = await workOf('A:-/A-30');
    const a31 = (await recordsByKey()).get('A:-/A-31')!;
    const me = principalOf(staffAId);
    const split = await splitWork(env.ctx, me, fables, [a31.id]);
    // The split-off record is deleted by its library: nothing left to bring back.
    await sql`update catalog_records set deleted_at = now() where id = ${a31.id}`.execute(env.ctx.db);
    const res = await inject('POST', `/api/v1/catalog/works/${fables}/undo`, staffA, { decisionId: split.decision.id });
    expectProblem(res, 409, 'CATALOG_DECISION_NOT_CLEAN');
    expect(await workOf('A:-/A-30')).toBe(fables);
  });
});
