import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { HarvestSource } from '@athenaeum/contracts';
import { readRecords } from '@athenaeum/marc';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { expectProblem } from '../../../test/helpers.js';
import { SHARED_DATA } from '../../../test/xml-schemas.js';
import { buildOrganization, buildPerson, signInAs } from '../../accounts/accounts.factories.js';
import { importRecords } from '../../catalog/index.js';
import { handleOai } from '../oai/provider.js';
import { failureBackoffMs, nextScheduledRun } from './schedule.js';
import { registerInteropJobs, runDueHarvests } from './scheduler.js';

// Deployment A provides (its real OAI-PMH provider behind a local HTTP server), B harvests on a schedule.
let a: TestEnv;
let b: TestEnv;
let libA: { id: string };
let libB: { id: string };
let libC: { id: string };
let branchB: { id: string };
let staffB: Record<string, string>;
let staffC: Record<string, string>;
let patronB: Record<string, string>;
let server: http.Server;
let origin: string;
let listRequests = 0;
let failing = false;
/** A's records (all of ../shared/data/marc/pymarc/test.dat). */
let total = 0;

const SICKLE = path.join(SHARED_DATA, 'oai/sickle');

beforeAll(async () => {
  // The remote servers of these tests listen on 127.0.0.1, an internal address: allowed here.
  a = await createTestEnv({ INTEROP_ALLOW_PRIVATE_REMOTES: 'true' });
  b = await createTestEnv({ INTEROP_ALLOW_PRIVATE_REMOTES: 'true' });
  registerInteropJobs(b.ctx);
  libA = await buildOrganization(a.ctx, { code: 'SCHED-A' });
  libB = await buildOrganization(b.ctx, { code: 'SCHED-B' });
  libC = await buildOrganization(b.ctx, { code: 'SCHED-C' });
  branchB = await buildOrganization(b.ctx, { kind: 'branch', parentId: libB.id, code: 'SCHED-B-EAST' });
  staffB = (await signInAs(b.app, (await buildPerson(b.ctx, { roles: [[libB.id, 'staff']] })).email)).headers;
  staffC = (await signInAs(b.app, (await buildPerson(b.ctx, { roles: [[libC.id, 'staff']] })).email)).headers;
  patronB = (await signInAs(b.app, (await buildPerson(b.ctx, { roles: [[libB.id, 'patron']] })).email)).headers;
  ({ added: total } = await importRecords(
    a.ctx,
    readRecords(fs.readFileSync(path.join(SHARED_DATA, 'marc/pymarc/test.dat'))),
    {
      libraryId: libA.id,
      flavour: 'marc21',
      sourceFormat: 'iso2709',
    },
  ));
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/sickle') {
      // The real response chain of ../shared/data/oai/sickle, ending in a broken page.
      const verb = url.searchParams.get('verb');
      const token = url.searchParams.get('resumptionToken');
      const name = verb === 'Identify' ? 'Identify.xml' : token ? 'ListRecordsBroken.xml' : 'ListRecords.xml';
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(fs.readFileSync(path.join(SICKLE, name)));
      return;
    }
    if (url.pathname === '/down') {
      // A repository that fails every request, its first (Identify) included.
      res.writeHead(500);
      res.end('down');
      return;
    }
    if (url.searchParams.get('verb') === 'ListRecords') listRequests++;
    if (failing) {
      res.writeHead(500);
      res.end('down for maintenance');
      return;
    }
    handleOai(a.ctx, url.searchParams, {
      baseUrl: `${origin}/oai`,
      repositoryId: 'a.example.org',
      repositoryName: 'A',
      adminEmail: 'a@a.example.org',
      pageSize: 5,
      tokenLifetime: 86_400,
    })
      .then((out) => {
        res.writeHead(out.status, { 'content-type': 'text/xml; charset=utf-8' });
        res.end(out.xml);
      })
      .catch((error: Error) => {
        res.writeHead(500);
        res.end(error.message);
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const base = (libraryId: string) => `/api/v1/organizations/${libraryId}/harvest-sources`;
const input = (extra: Record<string, unknown> = {}) => ({
  name: 'Library A',
  baseUrl: `${origin}/oai`,
  metadataPrefix: 'marc21',
  schedule: { kind: 'interval', hours: 6 },
  ...extra,
});
const fast = { attempts: 1, maxDelayMs: 10 };

async function create(body: Record<string, unknown>, libraryId = libB.id, headers = staffB) {
  const res = await b.app.inject({ method: 'POST', url: base(libraryId), headers, payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<HarvestSource>();
}
async function get(id: string, libraryId = libB.id, headers = staffB) {
  const res = await b.app.inject({ method: 'GET', url: `${base(libraryId)}/${id}`, headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<HarvestSource>();
}
const liveCount = async (libraryId: string) =>
  (
    await sql<{
      n: number;
    }>`select count(*)::int as n from catalog_records where organization_id = ${libraryId} and deleted_at is null`.execute(
      b.ctx.db,
    )
  ).rows[0]!.n;

describe('schedules', () => {
  it('names the next run: every N hours after a run, daily at HH:MM UTC (today if still ahead, else tomorrow)', () => {
    const at = new Date('2026-03-10T14:20:00Z');
    expect(nextScheduledRun({ kind: 'manual' }, at)).toBeNull();
    expect(nextScheduledRun({ kind: 'interval', hours: 6 }, at)?.toISOString()).toBe('2026-03-10T20:20:00.000Z');
    expect(nextScheduledRun({ kind: 'daily', at: '18:00' }, at)?.toISOString()).toBe('2026-03-10T18:00:00.000Z');
    expect(nextScheduledRun({ kind: 'daily', at: '02:30' }, at)?.toISOString()).toBe('2026-03-11T02:30:00.000Z');
    expect(nextScheduledRun({ kind: 'daily', at: '14:20' }, at)?.toISOString()).toBe('2026-03-11T14:20:00.000Z');
    expect([1, 2, 3, 20].map(failureBackoffMs)).toEqual([300_000, 600_000, 1_200_000, 86_400_000]);
  });
});

describe('harvest sources configured by staff', () => {
  it('refuses bad settings with what was wrong, and creates nothing', async () => {
    for (const bad of [
      input({ baseUrl: 'ftp://example.org/oai' }),
      input({ baseUrl: 'not a url' }),
      input({ baseUrl: 'https://user:secret@example.org/oai' }),
      input({ metadataPrefix: 'mods' }),
      input({ schedule: { kind: 'daily', at: '25:00' } }),
      input({ schedule: { kind: 'interval', hours: 0 } }),
      input({ set: 'has spaces' }),
      input({ name: '' }),
    ]) {
      const res = await b.app.inject({ method: 'POST', url: base(libB.id), headers: staffB, payload: bad });
      const problem = expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(problem.errors?.length).toBeGreaterThan(0);
    }
    const list = await b.app.inject({ method: 'GET', url: base(libB.id), headers: staffB });
    expect(list.json()).toEqual({ items: [] });
  });

  it('keeps each library to its own sources: other staff, patrons and branches are refused', async () => {
    const mine = await create(input({ name: 'Tenancy', baseUrl: `${origin}/tenancy` }));
    for (const [method, url] of [
      ['GET', base(libB.id)],
      ['POST', base(libB.id)],
      ['GET', `${base(libB.id)}/${mine.id}`],
      ['PUT', `${base(libB.id)}/${mine.id}`],
      ['DELETE', `${base(libB.id)}/${mine.id}`],
      ['POST', `${base(libB.id)}/${mine.id}/harvest`],
    ] as const) {
      for (const headers of [staffC, patronB, {}]) {
        const res = await b.app.inject({ method, url, headers, payload: method === 'GET' ? undefined : input() });
        expect([401, 403], `${method} ${url}`).toContain(res.statusCode);
      }
    }
    // Under their own library, C's staff cannot reach B's source by its id either.
    const viaC = await b.app.inject({ method: 'GET', url: `${base(libC.id)}/${mine.id}`, headers: staffC });
    expectProblem(viaC, 404, 'INTEROP_SOURCE_NOT_FOUND');
    const del = await b.app.inject({ method: 'DELETE', url: `${base(libC.id)}/${mine.id}`, headers: staffC });
    expectProblem(del, 404, 'INTEROP_SOURCE_NOT_FOUND');
    expect((await get(mine.id)).name).toBe('Tenancy');
    // A branch is not where sources live.
    const branch = await b.app.inject({ method: 'POST', url: base(branchB.id), headers: staffB, payload: input() });
    expectProblem(branch, 422, 'INTEROP_NOT_A_LIBRARY');
    // The same repository, format and set twice is refused.
    const twice = await b.app.inject({
      method: 'POST',
      url: base(libB.id),
      headers: staffB,
      payload: input({ name: 'Again', baseUrl: `${origin}/tenancy` }),
    });
    expectProblem(twice, 409, 'INTEROP_SOURCE_EXISTS');
    const gone = await b.app.inject({ method: 'DELETE', url: `${base(libB.id)}/${mine.id}`, headers: staffB });
    expect(gone.statusCode).toBe(204);
  });

  it('harvests a scheduled source when due, then again only when its interval has passed', async () => {
    const source = await create(input());
    expect(source).toMatchObject({ status: 'queued', schedule: { kind: 'interval', hours: 6 }, enabled: true });
    expect(source.nextRunAt).toBe(b.clock.now().toISOString());
    const runs = await runDueHarvests(b.ctx, fast);
    expect(runs).toEqual([{ sourceId: source.id, ok: true, error: null }]);
    const after = await get(source.id);
    expect(after).toMatchObject({ status: 'idle', lastError: null, lastErrorCode: null, consecutiveFailures: 0 });
    expect(after.lastRun).toMatchObject({ records: total, added: total, deleted: 0 });
    expect(after.lastDatestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(after.nextRunAt).toBe(new Date(b.clock.now().getTime() + 6 * 3_600_000).toISOString());
    expect(await liveCount(libB.id)).toBe(total);

    b.clock.advance(5 * 3_600_000);
    expect(await runDueHarvests(b.ctx, fast)).toEqual([]);
    b.clock.advance(3_600_000);
    const again = await runDueHarvests(b.ctx, fast);
    expect(again.map((r) => r.sourceId)).toEqual([source.id]);
    expect((await get(source.id)).lastRun).toMatchObject({ added: 0, updated: 0 });
    expect(await liveCount(libB.id)).toBe(total);
  });

  it('records a failure with its time, backs off, and clears it after a good run', async () => {
    const lib = await buildOrganization(b.ctx, { code: 'SCHED-F' });
    const staff = (await signInAs(b.app, (await buildPerson(b.ctx, { roles: [[lib.id, 'staff']] })).email)).headers;
    const source = await create(input({ name: 'Flaky' }), lib.id, staff);
    failing = true;
    const first = await runDueHarvests(b.ctx, fast);
    expect(first).toEqual([{ sourceId: source.id, ok: false, error: expect.stringMatching(/HTTP 500/) as string }]);
    let now = b.clock.now();
    let state = await get(source.id, lib.id, staff);
    expect(state).toMatchObject({ status: 'failed', consecutiveFailures: 1, lastErrorAt: now.toISOString() });
    expect(state.lastError).toMatch(/HTTP 500/);
    // An HTTP error from the repository has no code of its own: the harvest's generic one.
    expect(state.lastErrorCode).toBe('INTEROP_HARVEST_FAILED');
    expect(state.nextRunAt).toBe(new Date(now.getTime() + 5 * 60_000).toISOString());
    b.clock.advance(5 * 60_000);
    await runDueHarvests(b.ctx, fast);
    now = b.clock.now();
    state = await get(source.id, lib.id, staff);
    expect(state.consecutiveFailures).toBe(2);
    expect(state.nextRunAt).toBe(new Date(now.getTime() + 10 * 60_000).toISOString());
    failing = false;
    b.clock.advance(10 * 60_000);
    await runDueHarvests(b.ctx, fast);
    state = await get(source.id, lib.id, staff);
    expect(state).toMatchObject({
      status: 'idle',
      consecutiveFailures: 0,
      lastError: null,
      lastErrorCode: null,
      lastErrorAt: null,
    });
    expect(state.lastRun.added).toBe(total);
  });

  it('records the error of a real broken response (sickle ListRecordsBroken.xml) and keeps what came before', async () => {
    const lib = await buildOrganization(b.ctx, { code: 'SCHED-S' });
    const staff = (await signInAs(b.app, (await buildPerson(b.ctx, { roles: [[lib.id, 'staff']] })).email)).headers;
    const source = await create(
      input({ name: 'Sickle', baseUrl: `${origin}/sickle`, metadataPrefix: 'oai_dc', schedule: { kind: 'manual' } }),
      lib.id,
      staff,
    );
    expect(source).toMatchObject({ status: 'idle', nextRunAt: null });
    const res = await b.app.inject({ method: 'POST', url: `${base(lib.id)}/${source.id}/harvest`, headers: staff });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ status: 'queued' });
    await b.drainJobs();
    const state = await get(source.id, lib.id, staff);
    expect(state.status).toBe('failed');
    expect(state.lastError).toMatch(/not an OAI-PMH response/);
    expect(state.lastErrorCode).toBe('INTEROP_HARVEST_BAD_RESPONSE');
    // A manual source is not retried by itself: it waits for staff.
    expect(state.nextRunAt).toBeNull();
    expect(await liveCount(lib.id)).toBe(1);
  });

  it('"harvest now" of a source failing its first request shows the error, its code and time to staff', async () => {
    const lib = await buildOrganization(b.ctx, { code: 'SCHED-D' });
    const staff = (await signInAs(b.app, (await buildPerson(b.ctx, { roles: [[lib.id, 'staff']] })).email)).headers;
    const source = await create(
      input({ name: 'Down', baseUrl: `${origin}/down`, schedule: { kind: 'manual' } }),
      lib.id,
      staff,
    );
    const res = await b.app.inject({ method: 'POST', url: `${base(lib.id)}/${source.id}/harvest`, headers: staff });
    expect(res.statusCode).toBe(202);
    await b.drainJobs();
    const state = await get(source.id, lib.id, staff);
    expect(state).toMatchObject({
      status: 'failed',
      lastErrorCode: 'INTEROP_HARVEST_FAILED',
      lastErrorAt: b.clock.now().toISOString(),
      consecutiveFailures: 1,
      nextRunAt: null,
    });
    expect(state.lastError).toMatch(/\/down\?verb=Identify: HTTP 500/);
  });

  it('"harvest now" queues the source and the job queue runs it; refused while a run holds it', async () => {
    const lib = await buildOrganization(b.ctx, { code: 'SCHED-N' });
    const staff = (await signInAs(b.app, (await buildPerson(b.ctx, { roles: [[lib.id, 'staff']] })).email)).headers;
    const source = await create(
      input({ name: 'Daily', schedule: { kind: 'daily', at: '03:00' }, set: `library:SCHED-A` }),
      lib.id,
      staff,
    );
    expect(new Date(source.nextRunAt!).getTime()).toBeGreaterThan(b.clock.now().getTime());
    const now = await b.app.inject({ method: 'POST', url: `${base(lib.id)}/${source.id}/harvest`, headers: staff });
    expect(now.statusCode).toBe(202);
    // While a run holds the source (a claim until later), another "harvest now" is refused.
    await sql`update interop_harvest_sources set claimed_until = ${new Date(b.clock.now().getTime() + 60_000)} where id = ${source.id}`.execute(
      b.ctx.db,
    );
    const busy = await b.app.inject({ method: 'POST', url: `${base(lib.id)}/${source.id}/harvest`, headers: staff });
    expectProblem(busy, 409, 'INTEROP_SOURCE_RUNNING');
    expect((await get(source.id, lib.id, staff)).status).toBe('running');
    await sql`update interop_harvest_sources set claimed_until = null where id = ${source.id}`.execute(b.ctx.db);
    await b.drainJobs();
    const state = await get(source.id, lib.id, staff);
    expect(state).toMatchObject({ status: 'idle', lastRun: { added: total } });
    // Back on its daily schedule.
    expect(state.nextRunAt).toBe(nextScheduledRun({ kind: 'daily', at: '03:00' }, b.clock.now())!.toISOString());
    expect(await liveCount(lib.id)).toBe(total);
  });

  it('editing the repository starts over; disabling stops the schedule', async () => {
    const lib = await buildOrganization(b.ctx, { code: 'SCHED-E' });
    const staff = (await signInAs(b.app, (await buildPerson(b.ctx, { roles: [[lib.id, 'staff']] })).email)).headers;
    const source = await create(input({ name: 'Edit me' }), lib.id, staff);
    await runDueHarvests(b.ctx, fast);
    expect((await get(source.id, lib.id, staff)).lastDatestamp).not.toBeNull();
    const put = (body: Record<string, unknown>) =>
      b.app.inject({ method: 'PUT', url: `${base(lib.id)}/${source.id}`, headers: staff, payload: body });
    const renamed = await put(input({ name: 'Renamed' }));
    expect(renamed.json()).toMatchObject({ name: 'Renamed' });
    expect(renamed.json<HarvestSource>().lastDatestamp).not.toBeNull();
    const moved = await put(input({ name: 'Renamed', baseUrl: `${origin}/oai?x=1` }));
    expect(moved.json<HarvestSource>().lastDatestamp).toBeNull();
    const off = await put(input({ name: 'Renamed', baseUrl: `${origin}/oai?x=1`, enabled: false }));
    expect(off.json()).toMatchObject({ enabled: false, nextRunAt: null, status: 'idle' });
    b.clock.advance(48 * 3_600_000);
    expect((await runDueHarvests(b.ctx, fast)).map((r) => r.sourceId)).not.toContain(source.id);
  });

  it('two servers sweeping at once harvest a due source once', async () => {
    const lib = await buildOrganization(b.ctx, { code: 'SCHED-R' });
    const staff = (await signInAs(b.app, (await buildPerson(b.ctx, { roles: [[lib.id, 'staff']] })).email)).headers;
    const source = await create(input({ name: 'Race' }), lib.id, staff);
    listRequests = 0;
    const [one, two] = await Promise.all([runDueHarvests(b.ctx, fast), runDueHarvests(b.ctx, fast)]);
    const ran = [...one, ...two].filter((r) => r.sourceId === source.id);
    expect(ran).toHaveLength(1);
    expect(ran[0]).toMatchObject({ ok: true, error: null });
    // One harvest: the records in pages of 5.
    expect(listRequests).toBe(Math.ceil(total / 5));
    expect(await liveCount(lib.id)).toBe(total);
  });
});
