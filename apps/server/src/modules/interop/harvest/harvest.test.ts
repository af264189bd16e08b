import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { readRecords } from '@athenaeum/marc';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { principalOf } from '../../../test/helpers.js';
import { SHARED_DATA } from '../../../test/xml-schemas.js';
import { buildOrganization } from '../../accounts/accounts.factories.js';
import { marcRecord } from '../../catalog/catalog.factories.js';
import { deleteRecord, importRecords } from '../../catalog/index.js';
import { handleOai } from '../oai/provider.js';
import { harvest, type HarvestOptions } from './harvester.js';
import { parseOaiResponse } from './oai-response.js';

const SICKLE = path.join(SHARED_DATA, 'oai/sickle');
const sickle = (name: string) => fs.readFileSync(path.join(SICKLE, name), 'utf8');

describe('reading real OAI-PMH responses (../shared/data/oai)', () => {
  it('reads ListRecords pages: deleted and live records, Dublin Core, the resumption token and list size', () => {
    const page = parseOaiResponse(sickle('ListRecords.xml'));
    expect(page.errors).toEqual([]);
    expect(page.records).toHaveLength(2);
    expect(page.records[0]).toMatchObject({
      identifier: 'oai:test.example.com:1585310',
      datestamp: '2011-07-18T16:31:00Z',
      deleted: true,
      dc: null,
    });
    expect(page.records[1]).toMatchObject({ identifier: 'oai:test.example.com:1585322', deleted: false });
    expect(page.records[1]!.dc!.title).toEqual(['Sample Title']);
    expect(page.resumptionToken).toBe('ListRecords2.xml');
    expect(page.completeListSize).toBe(8);
    expect(page.cursor).toBe(0);
    expect(parseOaiResponse(sickle('ListRecords4.xml')).resumptionToken).toBeNull();
  });

  it('reads GetRecord (with UTF-8 text), ListIdentifiers headers, Identify and every error response', () => {
    const utf8 = parseOaiResponse(sickle('GetRecord_utf8test.xml'));
    expect(utf8.records).toHaveLength(1);
    expect(utf8.records[0]!.identifier).toBe('oai:test.example.com:1996652');
    const ids = parseOaiResponse(sickle('ListIdentifiers.xml'));
    expect(ids.records).toHaveLength(2);
    expect(ids.records.filter((r) => r.deleted)).toHaveLength(1);
    expect(ids.resumptionToken).toBe('ListIdentifiers2.xml');
    expect(parseOaiResponse(sickle('Identify.xml')).granularity).toBe('YYYY-MM-DD');
    for (const code of [
      'badArgument',
      'badResumptionToken',
      'cannotDisseminateFormat',
      'idDoesNotExist',
      'noRecordsMatch',
      'noSetHierarchy',
      'undefinedError',
    ]) {
      expect(parseOaiResponse(sickle(`${code}.xml`)).errors.map((e) => e.code)).toEqual([code]);
    }
  });

  it('refuses a broken response and a DOCTYPE with entities', () => {
    expect(() => parseOaiResponse(sickle('ListRecordsBroken.xml'))).toThrow(/not an OAI-PMH response/);
    expect(() =>
      parseOaiResponse(
        '<!DOCTYPE OAI-PMH [<!ENTITY x SYSTEM "file:///etc/passwd">]><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">&x;</OAI-PMH>',
      ),
    ).toThrow(/DOCTYPE/);
    expect(() => parseOaiResponse('<html><body>Not found</body></html>')).toThrow(/root element/);
  });
});

// Two deployments on this machine: A provides, B harvests.
let a: TestEnv;
let b: TestEnv;
let libA: { id: string };
let libB: { id: string };
let provider: http.Server;
let baseUrl: string;
let failNext: { status: number; retryAfter?: string; count: number } | null = null;

beforeAll(async () => {
  // The remote servers of these tests listen on 127.0.0.1, an internal address: allowed here.
  a = await createTestEnv();
  b = await createTestEnv({ INTEROP_ALLOW_PRIVATE_REMOTES: 'true' });
  libA = await buildOrganization(a.ctx, { code: 'HARV-A' });
  libB = await buildOrganization(b.ctx, { code: 'HARV-B' });
  await importRecords(a.ctx, readRecords(fs.readFileSync(path.join(SHARED_DATA, 'marc/pymarc/test.dat'))), {
    libraryId: libA.id,
    flavour: 'marc21',
    sourceFormat: 'iso2709',
  });
  await importRecords(a.ctx, readRecords(fs.readFileSync(path.join(SHARED_DATA, 'marc/xbib-marc/chabon.mrc'))), {
    libraryId: libA.id,
    flavour: 'marc21',
    sourceFormat: 'iso2709',
  });
  // A's provider with small pages, so a harvest takes several resumption tokens.
  provider = http.createServer((req, res) => {
    if (failNext && failNext.count > 0) {
      failNext.count--;
      res.writeHead(failNext.status, failNext.retryAfter ? { 'retry-after': failNext.retryAfter } : {});
      res.end('busy');
      return;
    }
    const params = new URL(req.url ?? '/', 'http://x').searchParams;
    handleOai(a.ctx, params, {
      baseUrl,
      repositoryId: 'a.example.org',
      repositoryName: 'A',
      adminEmail: 'a@a.example.org',
      pageSize: 4,
      tokenLifetime: 86_400,
    })
      .then((out) => {
        res.writeHead(out.status, {
          'content-type': 'text/xml; charset=utf-8',
          ...(out.retryAfter ? { 'retry-after': String(out.retryAfter) } : {}),
        });
        res.end(out.xml);
      })
      .catch((error: Error) => {
        res.writeHead(500);
        res.end(error.message);
      });
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/oai`;
});

afterAll(async () => {
  await new Promise((resolve) => provider.close(resolve));
});

/** B's live catalogue, as comparable text: title, and where it came from in A. */
async function liveTitles(env: TestEnv, libraryId: string) {
  const { rows } = await sql<{
    title: string;
  }>`select fields->>'title' as title from catalog_records where organization_id = ${libraryId} and deleted_at is null order by 1`.execute(
    env.ctx.db,
  );
  return rows.map((r) => r.title);
}

const options = (extra: Partial<HarvestOptions> = {}): HarvestOptions => ({
  baseUrl,
  metadataPrefix: 'marc21',
  libraryId: libB.id,
  maxDelayMs: 50,
  ...extra,
});

describe('harvesting our own provider (B harvests A)', () => {
  it('copies every record of A into B, following resumption tokens; a second harvest changes nothing', async () => {
    const first = await harvest(b.ctx, options());
    expect(first.pages).toBe(3);
    expect(first).toMatchObject({ records: 12, added: 12, deleted: 0, rejected: 0, from: null, resumed: false });
    expect(await liveTitles(b, libB.id)).toEqual(await liveTitles(a, libA.id));
    // The source's 001/003 moved to 035; 001 is the OAI identifier.
    const { rows } = await sql<{
      record_key: string;
    }>`select record_key from catalog_records where organization_id = ${libB.id} limit 1`.execute(b.ctx.db);
    expect(rows[0]!.record_key).toMatch(/^-\/oai:a\.example\.org:[0-9a-f-]{36}$/);
    const again = await harvest(b.ctx, options());
    expect(again.from).toBe(first.lastDatestamp);
    expect(again.added + again.updated).toBe(0);
    expect(await liveTitles(b, libB.id)).toEqual(await liveTitles(a, libA.id));
  });

  it('reflects exactly what changed in A at the next (incremental) harvest: an update and a deletion', async () => {
    // Datestamps have one-second granularity: let the next changes fall in a later second.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const changed = marcRecord('00000cam a2200000 a 4500', [
      '001 HARV-NEW',
      '008 850101s1968    cau           000 1 eng d',
      '100 1_$aLe Guin, Ursula K.',
      '245 14$aThe wizard of Earthsea.',
    ]);
    await importRecords(a.ctx, [{ record: changed, position: { index: 0 } }], {
      libraryId: libA.id,
      flavour: 'marc21',
      sourceFormat: 'iso2709',
    });
    const { rows } = await sql<{
      id: string;
    }>`select id from catalog_records where organization_id = ${libA.id} and fields->>'title' like 'Summerland%'`.execute(
      a.ctx.db,
    );
    const admin = principalOf('00000000-0000-4000-8000-000000000000', true);
    await deleteRecord(a.ctx, admin, rows[0]!.id);
    const next = await harvest(b.ctx, options());
    expect(next.from).not.toBeNull();
    expect(next).toMatchObject({ added: 1, deleted: 1 });
    expect(await liveTitles(b, libB.id)).toEqual(await liveTitles(a, libA.id));
    expect(await liveTitles(b, libB.id)).toContain('The wizard of Earthsea');
    expect(await liveTitles(b, libB.id)).not.toContain('Summerland');
  });

  it('resumes an interrupted harvest from its last page, without duplicates', async () => {
    const lib = await buildOrganization(b.ctx, { code: 'HARV-C' });
    let pages = 0;
    const crashing: typeof fetch = async (input, init) => {
      if (String(input).includes('resumptionToken') && ++pages === 2) throw new Error('connection reset');
      return fetch(input, init);
    };
    await expect(harvest(b.ctx, options({ libraryId: lib.id, fetch: crashing, attempts: 1 }))).rejects.toThrow(
      /connection reset/,
    );
    const { rows } = await sql<{
      status: string;
      resumption_token: string | null;
      last_error: string;
      last_error_code: string | null;
    }>`select status, resumption_token, last_error, last_error_code from interop_harvest_sources where organization_id = ${lib.id}`.execute(
      b.ctx.db,
    );
    expect(rows[0]).toMatchObject({ status: 'failed', last_error_code: 'INTEROP_REMOTE_UNREACHABLE' });
    expect(rows[0]!.resumption_token).toBeTruthy();
    const partial = (await liveTitles(b, lib.id)).length;
    expect(partial).toBeGreaterThan(0);
    const resumed = await harvest(b.ctx, options({ libraryId: lib.id }));
    expect(resumed.resumed).toBe(true);
    expect(partial + resumed.added).toBe((await liveTitles(a, libA.id)).length);
    const { rows: keys } = await sql<{
      n: number;
      d: number;
    }>`select count(*)::int as n, count(distinct record_key)::int as d from catalog_records where organization_id = ${lib.id}`.execute(
      b.ctx.db,
    );
    expect(keys[0]!.n).toBe(keys[0]!.d);
    expect(await liveTitles(b, lib.id)).toEqual(await liveTitles(a, libA.id));
  });

  it('waits out a 503 with Retry-After and retries server errors with backoff', async () => {
    const lib = await buildOrganization(b.ctx, { code: 'HARV-D' });
    failNext = { status: 503, retryAfter: '0', count: 2 };
    const result = await harvest(b.ctx, options({ libraryId: lib.id }));
    expect(failNext.count).toBe(0);
    expect(result.records).toBeGreaterThan(0);
    failNext = { status: 500, count: 10 };
    await expect(harvest(b.ctx, options({ libraryId: lib.id, full: true, attempts: 3 }))).rejects.toThrow(/HTTP 500/);
    failNext = null;
  });

  it('records a harvest that fails at its first request on the source, with code and time, and clears it after a good one', async () => {
    const lib = await buildOrganization(b.ctx, { code: 'HARV-G' });
    const state = async () =>
      (
        await sql<{
          status: string;
          last_error: string | null;
          last_error_code: string | null;
          last_error_at: Date | null;
          consecutive_failures: number;
        }>`select status, last_error, last_error_code, last_error_at, consecutive_failures from interop_harvest_sources where organization_id = ${lib.id}`.execute(
          b.ctx.db,
        )
      ).rows[0]!;
    // The repository answers its first request (Identify) with a server error.
    failNext = { status: 500, count: 1 };
    await expect(harvest(b.ctx, options({ libraryId: lib.id, attempts: 1 }))).rejects.toThrow(/HTTP 500/);
    expect(failNext.count).toBe(0);
    failNext = null;
    const failed = await state();
    expect(failed).toMatchObject({
      status: 'failed',
      last_error_code: 'INTEROP_HARVEST_FAILED',
      consecutive_failures: 1,
    });
    expect(failed.last_error).toMatch(/verb=Identify: HTTP 500/);
    expect(failed.last_error_at?.toISOString()).toBe(b.clock.now().toISOString());
    // No answer at all: the AppError's own code; a second failure in a row.
    b.clock.advance(60_000);
    const unreachable: typeof fetch = () => Promise.reject(new Error('connection refused'));
    await expect(harvest(b.ctx, options({ libraryId: lib.id, fetch: unreachable, attempts: 1 }))).rejects.toThrow();
    expect(await state()).toMatchObject({
      status: 'failed',
      last_error_code: 'INTEROP_REMOTE_UNREACHABLE',
      last_error_at: b.clock.now(),
      consecutive_failures: 2,
    });
    const result = await harvest(b.ctx, options({ libraryId: lib.id }));
    expect(result.records).toBeGreaterThan(0);
    expect(await state()).toEqual({
      status: 'idle',
      last_error: null,
      last_error_code: null,
      last_error_at: null,
      consecutive_failures: 0,
    });
  });

  it('harvests oai_dc into MARC records', async () => {
    const lib = await buildOrganization(b.ctx, { code: 'HARV-E' });
    const result = await harvest(b.ctx, options({ libraryId: lib.id, metadataPrefix: 'oai_dc', set: 'type:book' }));
    expect(result.rejected).toBe(0);
    const titles = await liveTitles(b, lib.id);
    expect(titles).toContain('The wizard of Earthsea');
    expect(titles.length).toBe(result.added);
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from catalog_records where organization_id = ${libA.id} and deleted_at is null and material_type = 'book'`.execute(
      a.ctx.db,
    );
    expect(titles.length).toBe(rows[0]!.n);
  });

  it('harvests the real sickle response chain, following its tokens', async () => {
    const lib = await buildOrganization(b.ctx, { code: 'HARV-F' });
    const files: typeof fetch = async (input) => {
      const params = new URL(String(input)).searchParams;
      const name =
        params.get('verb') === 'Identify' ? 'Identify.xml' : (params.get('resumptionToken') ?? 'ListRecords.xml');
      return new Response(sickle(name), { status: 200, headers: { 'content-type': 'text/xml' } });
    };
    const result = await harvest(b.ctx, {
      baseUrl: 'http://test.example.com/oai',
      metadataPrefix: 'oai_dc',
      libraryId: lib.id,
      fetch: files,
    });
    expect(result.pages).toBe(4);
    expect(result.records).toBe(8);
    expect(await liveTitles(b, lib.id)).toEqual(['Sample Title']);
  });
});
