import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { HarvestSource } from '@athenaeum/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { SHARED_DATA } from '../../../test/xml-schemas.js';
import { buildOrganization, buildPerson, signInAs } from '../../accounts/accounts.factories.js';
import { harvest, type HarvestOptions } from './harvester.js';
import { runDueHarvests } from './scheduler.js';

// Repositories that misbehave on their second page, behind a local HTTP server: one sends more
// than the size cap, one trickles and never finishes, one never answers at all; one behaves.
const IDENTIFY = fs.readFileSync(path.join(SHARED_DATA, 'oai/sickle/Identify.xml'));
const OPEN = `<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
<responseDate>2026-01-01T00:00:00Z</responseDate>
<request verb="ListRecords">http://stub/oai</request>
<ListRecords>
`;
const CLOSE = '</ListRecords>\n</OAI-PMH>\n';
const record = (id: string, title: string) => `<record><header><identifier>oai:stub:${id}</identifier>
<datestamp>2026-01-01T00:00:00Z</datestamp></header><metadata>
<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title>${title}</dc:title></oai_dc:dc></metadata></record>
`;
/** The first page: two records and a token for the second. */
const firstPage = (name: string) =>
  `${OPEN}${record(`${name}-1`, `${name} page one, first`)}${record(`${name}-2`, `${name} page one, second`)}<resumptionToken>${name}-2</resumptionToken>\n${CLOSE}`;
/** The start of a second page: well-formed records a reader could take before the page fails. */
const secondPageStart = (name: string) =>
  `${OPEN}${record(`${name}-3`, `${name} page two, first`)}${record(`${name}-4`, `${name} page two, second`)}`;

const CAP = 64 * 1024;
let env: TestEnv;
let server: http.Server;
let origin: string;
/** Requests for a second page, by repository. */
const secondPageRequests: Record<string, number> = {};
let silentRequests = 0;

beforeAll(async () => {
  // The remote servers of these tests listen on 127.0.0.1, an internal address: allowed here.
  env = await createTestEnv({ INTEROP_ALLOW_PRIVATE_REMOTES: 'true' });
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const name = url.pathname.slice(1);
    const verb = url.searchParams.get('verb');
    if (name === 'silent' && verb !== 'Identify') {
      silentRequests++;
      return; // never answers
    }
    if (verb === 'Identify') {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(IDENTIFY);
      return;
    }
    if (!url.searchParams.get('resumptionToken')) {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(name === 'good' ? `${OPEN}${record('good-1', 'good only page')}${CLOSE}` : firstPage(name));
      return;
    }
    secondPageRequests[name] = (secondPageRequests[name] ?? 0) + 1;
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.write(secondPageStart(name));
    if (name === 'huge') {
      // Records on and on, well past the cap (no Content-Length), until the client hangs up.
      let sent = 0;
      const more = () => {
        if (res.destroyed || sent > 16 * CAP) return void res.end(CLOSE);
        sent += 8192;
        res.write(`<!-- ${'x'.repeat(8192)} -->\n`, () => setImmediate(more));
      };
      more();
    }
    // name === 'stall': the page is never finished.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const liveTitles = async (libraryId: string) =>
  (
    await sql<{
      title: string;
    }>`select fields->>'title' as title from catalog_records where organization_id = ${libraryId} and deleted_at is null order by 1`.execute(
      env.ctx.db,
    )
  ).rows.map((r) => r.title);

const sourceOf = async (libraryId: string) =>
  (
    await sql<{
      status: string;
      last_error: string | null;
      last_error_code: string | null;
      resumption_token: string | null;
    }>`select status, last_error, last_error_code, resumption_token from interop_harvest_sources where organization_id = ${libraryId}`.execute(
      env.ctx.db,
    )
  ).rows[0]!;

const options = (name: string, libraryId: string, extra: Partial<HarvestOptions> = {}): HarvestOptions => ({
  baseUrl: `${origin}/${name}`,
  metadataPrefix: 'oai_dc',
  libraryId,
  attempts: 3,
  maxDelayMs: 10,
  // Generous enough for a busy machine (the server shares the test's event loop), short enough to be quick.
  limits: { maxBytes: CAP, deadlineMs: 1500, timeoutMs: 1000 },
  ...extra,
});

describe('a harvest within limits on each request', () => {
  it('refuses a page past the size cap at once, without retrying it, and keeps only the pages before it', async () => {
    const lib = await buildOrganization(env.ctx, { code: 'LIMIT-HUGE' });
    const started = Date.now();
    await expect(harvest(env.ctx, options('huge', lib.id, { limits: { maxBytes: CAP } }))).rejects.toMatchObject({
      code: 'INTEROP_REMOTE_TOO_LARGE',
      message: expect.stringMatching(/huge\?verb=ListRecords&resumptionToken=huge-2: the answer is larger than 64 KiB/),
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(secondPageRequests.huge).toBe(1);
    const source = await sourceOf(lib.id);
    expect(source.status).toBe('failed');
    expect(source.last_error).toMatch(/larger than 64 KiB/);
    expect(source.last_error_code).toBe('INTEROP_REMOTE_TOO_LARGE');
    // The first page is stored and its token kept; nothing of the failed page is.
    expect(source.resumption_token).toBe('huge-2');
    expect(await liveTitles(lib.id)).toEqual(['huge page one, first', 'huge page one, second']);
  });

  it('cuts off a page that trickles past its deadline, without retrying it, and keeps only the pages before it', async () => {
    const lib = await buildOrganization(env.ctx, { code: 'LIMIT-STALL' });
    const started = Date.now();
    await expect(harvest(env.ctx, options('stall', lib.id))).rejects.toMatchObject({
      code: 'INTEROP_REMOTE_TIMEOUT',
      message: expect.stringMatching(/resumptionToken=stall-2: the answer did not arrive in full within 1\.5 s/),
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(secondPageRequests.stall).toBe(1);
    const source = await sourceOf(lib.id);
    expect(source.status).toBe('failed');
    expect(source.last_error).toMatch(/did not arrive in full within 1\.5 s/);
    expect(source.last_error_code).toBe('INTEROP_REMOTE_TIMEOUT');
    expect(source.resumption_token).toBe('stall-2');
    expect(await liveTitles(lib.id)).toEqual(['stall page one, first', 'stall page one, second']);
  });

  it('retries a repository that does not begin to answer, then fails with the timeout', async () => {
    const lib = await buildOrganization(env.ctx, { code: 'LIMIT-SILENT' });
    silentRequests = 0;
    await expect(harvest(env.ctx, options('silent', lib.id, { attempts: 2 }))).rejects.toMatchObject({
      code: 'INTEROP_REMOTE_TIMEOUT',
      message: expect.stringMatching(/silent\?verb=ListRecords&metadataPrefix=oai_dc: no answer within 1 s/),
    });
    expect(silentRequests).toBe(2);
    expect(await sourceOf(lib.id)).toMatchObject({ status: 'failed', resumption_token: null });
    expect(await liveTitles(lib.id)).toEqual([]);
  });
});

describe('scheduled harvests with a misbehaving source', () => {
  it('records each failure on its own source and still harvests the other libraries', async () => {
    const sources: Record<string, { lib: string; headers: Record<string, string>; id: string }> = {};
    for (const name of ['huge', 'stall', 'silent', 'good']) {
      const lib = await buildOrganization(env.ctx, { code: `DUE-${name.toUpperCase()}` });
      const staff = await buildPerson(env.ctx, { roles: [[lib.id, 'staff']] });
      const { headers } = await signInAs(env.app, staff.email);
      const res = await env.app.inject({
        method: 'POST',
        url: `/api/v1/organizations/${lib.id}/harvest-sources`,
        headers,
        payload: {
          name,
          baseUrl: `${origin}/${name}`,
          metadataPrefix: 'oai_dc',
          schedule: { kind: 'interval', hours: 6 },
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      sources[name] = { lib: lib.id, headers, id: res.json<HarvestSource>().id };
    }
    const started = Date.now();
    const runs = await runDueHarvests(env.ctx, {
      attempts: 1,
      maxDelayMs: 10,
      limits: { maxBytes: CAP, deadlineMs: 2000, timeoutMs: 1500 },
    });
    expect(Date.now() - started).toBeLessThan(20_000);
    const outcome = Object.fromEntries(runs.map((r) => [r.sourceId, r]));
    expect(outcome[sources.good!.id]).toMatchObject({ ok: true, error: null });
    expect(outcome[sources.huge!.id]?.error).toMatch(/larger than 64 KiB/);
    expect(outcome[sources.stall!.id]?.error).toMatch(/did not arrive in full within 2 s/);
    expect(outcome[sources.silent!.id]?.error).toMatch(/no answer within 1\.5 s/);
    for (const name of ['huge', 'stall', 'silent']) {
      const { lib, headers, id } = sources[name]!;
      const res = await env.app.inject({
        method: 'GET',
        url: `/api/v1/organizations/${lib}/harvest-sources/${id}`,
        headers,
      });
      const state = res.json<HarvestSource>();
      expect(state, name).toMatchObject({ status: 'failed', consecutiveFailures: 1 });
      expect(state.lastError, name).toBe(outcome[id]!.error);
      expect(state.lastErrorCode, name).toBe(name === 'huge' ? 'INTEROP_REMOTE_TOO_LARGE' : 'INTEROP_REMOTE_TIMEOUT');
      expect(await liveTitles(lib), name).not.toContainEqual(expect.stringMatching(/page two/));
    }
    expect(await liveTitles(sources.good!.lib)).toEqual(['good only page']);
  });
});
