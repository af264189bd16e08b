import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CopySearchResult, CopyTarget } from '@athenaeum/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { expectProblem } from '../../../test/helpers.js';
import { buildOrganization, buildPerson, signInAs } from '../../accounts/accounts.factories.js';
import { marcRecord } from '../../catalog/catalog.factories.js';
import { importRecords } from '../../catalog/index.js';
import { searchCopyTarget, toCql } from './copy.service.js';
import { parseEnvelope } from './sru-client.js';

// Deployment A serves its real /sru on a port; B copies from it. A stub server plays a broken remote.
let a: TestEnv;
let b: TestEnv;
let libB: { id: string };
let libC: { id: string };
let staffB: Record<string, string>;
let staffC: Record<string, string>;
let patronB: Record<string, string>;
let sruA: string;
let stub: http.Server;
let stubUrl: string;

const DIAGNOSTIC = `<?xml version="1.0"?>
<srw:searchRetrieveResponse xmlns:srw="http://www.loc.gov/zing/srw/" xmlns:diag="http://www.loc.gov/zing/srw/diagnostic/">
<srw:version>1.2</srw:version><srw:numberOfRecords>0</srw:numberOfRecords>
<srw:diagnostics><diag:diagnostic><diag:uri>info:srw/diagnostic/1/10</diag:uri><diag:details>title =</diag:details><diag:message>Query syntax error</diag:message></diag:diagnostic></srw:diagnostics>
</srw:searchRetrieveResponse>`;

beforeAll(async () => {
  // The remote servers of these tests listen on 127.0.0.1, an internal address: allowed here.
  a = await createTestEnv({ PUBLIC_URL: 'https://a.example.org', INTEROP_ALLOW_PRIVATE_REMOTES: 'true' });
  b = await createTestEnv({ INTEROP_ALLOW_PRIVATE_REMOTES: 'true' });
  const libA = await buildOrganization(a.ctx, { code: 'COPY-A' });
  libB = await buildOrganization(b.ctx, { code: 'COPY-B' });
  libC = await buildOrganization(b.ctx, { code: 'COPY-C' });
  staffB = (await signInAs(b.app, (await buildPerson(b.ctx, { roles: [[libB.id, 'staff']] })).email)).headers;
  staffC = (await signInAs(b.app, (await buildPerson(b.ctx, { roles: [[libC.id, 'staff']] })).email)).headers;
  patronB = (await signInAs(b.app, (await buildPerson(b.ctx, { roles: [[libB.id, 'patron']] })).email)).headers;
  const records = [
    marcRecord('00000cam a2200000 a 4500', [
      '001 COPY-W1',
      '003 XA',
      '008 850101s1968    cau           000 1 eng d',
      '020 __$a9780547773742',
      '100 1_$aLe Guin, Ursula K.',
      '245 14$aThe wizard of Earthsea /$cUrsula K. Le Guin.',
      '264 _1$aBoston :$bHoughton Mifflin,$c1968.',
    ]),
    marcRecord('00000cam a2200000 a 4500', [
      '001 COPY-W2',
      '008 850101s1971    nyu           000 1 eng d',
      '100 1_$aLe Guin, Ursula K.',
      '245 14$aThe lathe of heaven.',
    ]),
  ];
  await importRecords(
    a.ctx,
    records.map((record, index) => ({ record, position: { index } })),
    { libraryId: libA.id, flavour: 'marc21', sourceFormat: 'iso2709' },
  );
  sruA = `${await a.app.listen({ host: '127.0.0.1', port: 0 })}/sru`;
  stub = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/diagnostic') {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(DIAGNOSTIC);
    } else if (path === '/malformed') {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end('<srw:searchRetrieveResponse xmlns:srw="http://www.loc.gov/zing/srw/"><srw:numberOfRecords>1</srw:num');
    } else if (path === '/entity') {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><srw:searchRetrieveResponse xmlns:srw="http://www.loc.gov/zing/srw/"><srw:numberOfRecords>&x;</srw:numberOfRecords></srw:searchRetrieveResponse>',
      );
    } else if (path === '/html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Welcome</body></html>');
    } else if (path === '/big') {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(`<x>${'a'.repeat(200_000)}</x>`);
    } else if (path === '/slow') {
      setTimeout(() => res.end(DIAGNOSTIC), 3_000);
    } else {
      res.writeHead(500);
      res.end('boom');
    }
  });
  await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
  stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
});

afterAll(async () => {
  stub.closeAllConnections();
  await new Promise((resolve) => stub.close(resolve));
});

const base = (libraryId: string) => `/api/v1/organizations/${libraryId}/copy-targets`;

async function addTarget(name: string, baseUrl: string, version = '1.2', libraryId = libB.id, headers = staffB) {
  const res = await b.app.inject({
    method: 'POST',
    url: base(libraryId),
    headers,
    payload: { name, baseUrl, version },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<CopyTarget>();
}

const search = (targetId: string, query: string, headers = staffB, libraryId = libB.id) =>
  b.app.inject({
    method: 'GET',
    url: `${base(libraryId)}/${targetId}/search?query=${encodeURIComponent(query)}`,
    headers,
  });

describe('copy cataloguing from another Athenaeum over SRU', () => {
  it('searches the remote /sru in SRU 1.2 and 2.0: title, authors, date, ISBN and the MARC lines', async () => {
    for (const version of ['1.2', '2.0']) {
      const target = await addTarget(`Library A ${version}`, sruA, version);
      const res = await search(target.id, 'wizard');
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<CopySearchResult>();
      expect(body.total).toBe(1);
      expect(body.records).toHaveLength(1);
      expect(body.records[0]).toMatchObject({
        position: 1,
        title: 'The wizard of Earthsea',
        authors: ['Le Guin, Ursula K.'],
        isbns: ['9780547773742'],
        controlNumber: 'COPY-W1',
      });
      expect(body.records[0]!.date).toMatch(/1968/);
      expect(body.records[0]!.lines).toContain('100 1  $aLe Guin, Ursula K.');
      const cql = await search(target.id, 'dc.creator = "Le Guin"');
      expect(cql.json<CopySearchResult>().total).toBe(2);
    }
  });

  it('imports a found record into the library with one action, keeping where it came from; again is unchanged', async () => {
    const target = await addTarget('Library A (import)', sruA);
    const importIt = () =>
      b.app.inject({
        method: 'POST',
        url: `${base(libB.id)}/${target.id}/import`,
        headers: staffB,
        payload: { query: 'wizard', position: 1 },
      });
    const first = await importIt();
    expect(first.statusCode, first.body).toBe(200);
    const host = new URL(sruA).host;
    expect(first.json()).toEqual({
      outcome: 'added',
      title: 'The wizard of Earthsea',
      controlNumber: `sru:${host}:COPY-W1`,
    });
    const { rows } = await sql<{
      record_key: string;
      provenance: { sru: { target: string; remoteId: string } };
      marc: { fields: Array<{ tag: string; subfields?: Array<{ value: string }> }> };
      work_id: string;
    }>`select record_key, provenance, marc, work_id from catalog_records where organization_id = ${libB.id}`.execute(
      b.ctx.db,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.record_key).toBe(`-/sru:${host}:COPY-W1`);
    expect(rows[0]!.provenance.sru).toMatchObject({ target: 'Library A (import)', remoteId: 'COPY-W1' });
    const f035 = rows[0]!.marc.fields.filter((f) => f.tag === '035').flatMap((f) => f.subfields!.map((s) => s.value));
    expect(f035).toContain('(XA)COPY-W1');
    expect(rows[0]!.work_id).toBeTruthy();
    expect((await importIt()).json()).toMatchObject({ outcome: 'unchanged' });
    const beyond = await b.app.inject({
      method: 'POST',
      url: `${base(libB.id)}/${target.id}/import`,
      headers: staffB,
      payload: { query: 'wizard', position: 5 },
    });
    // Past the end, the remote answers SRU diagnostic 61 (first record position out of range).
    expect(expectProblem(beyond, 422, 'INTEROP_REMOTE_DIAGNOSTIC').detail).toMatch(/diagnostic\/1\/61/);
  });

  it('keeps targets to their library: other staff, patrons and other libraries are refused', async () => {
    const target = await addTarget('Private', sruA);
    for (const headers of [staffC, patronB, {}]) {
      expect([401, 403]).toContain((await search(target.id, 'wizard', headers)).statusCode);
      const list = await b.app.inject({ method: 'GET', url: base(libB.id), headers });
      expect([401, 403]).toContain(list.statusCode);
      const imp = await b.app.inject({
        method: 'POST',
        url: `${base(libB.id)}/${target.id}/import`,
        headers,
        payload: { query: 'wizard', position: 1 },
      });
      expect([401, 403]).toContain(imp.statusCode);
    }
    expectProblem(await search(target.id, 'wizard', staffC, libC.id), 404, 'INTEROP_TARGET_NOT_FOUND');
    const del = await b.app.inject({ method: 'DELETE', url: `${base(libC.id)}/${target.id}`, headers: staffC });
    expectProblem(del, 404, 'INTEROP_TARGET_NOT_FOUND');
    const mine = await b.app.inject({ method: 'GET', url: base(libC.id), headers: staffC });
    expect(mine.json()).toEqual({ items: [] });
  });

  it('refuses a bad target with what was wrong, and a name twice', async () => {
    for (const payload of [
      { name: 'X', baseUrl: 'file:///etc/passwd' },
      { name: 'X', baseUrl: 'https://example.org/sru', version: '3.0' },
      { name: '', baseUrl: 'https://example.org/sru' },
      { name: 'X', baseUrl: 'https://example.org/sru', recordSchema: 'dc' },
    ]) {
      const res = await b.app.inject({ method: 'POST', url: base(libB.id), headers: staffB, payload });
      expectProblem(res, 400, 'VALIDATION_FAILED');
    }
    await addTarget('Twice', sruA);
    const again = await b.app.inject({
      method: 'POST',
      url: base(libB.id),
      headers: staffB,
      payload: { name: 'Twice', baseUrl: sruA },
    });
    expectProblem(again, 409, 'INTEROP_TARGET_EXISTS');
  });
});

describe('remote failures are told clearly', () => {
  it('an SRU diagnostic, a malformed body, a DOCTYPE, HTML and an HTTP error', async () => {
    const diag = await addTarget('Diagnostic', `${stubUrl}/diagnostic`);
    const problem = expectProblem(await search(diag.id, 'title ='), 422, 'INTEROP_REMOTE_DIAGNOSTIC');
    expect(problem.detail).toContain('Query syntax error');
    expect(problem.detail).toContain('info:srw/diagnostic/1/10');
    const malformed = await addTarget('Malformed', `${stubUrl}/malformed`);
    expectProblem(await search(malformed.id, 'x'), 502, 'INTEROP_REMOTE_BAD_RESPONSE');
    const entity = await addTarget('Entity', `${stubUrl}/entity`);
    expect(expectProblem(await search(entity.id, 'x'), 502, 'INTEROP_REMOTE_BAD_RESPONSE').detail).toMatch(/DOCTYPE/);
    const html = await addTarget('Html', `${stubUrl}/html`);
    expect(expectProblem(await search(html.id, 'x'), 502, 'INTEROP_REMOTE_BAD_RESPONSE').detail).toMatch(/html/);
    const down = await addTarget('Down', `${stubUrl}/down`);
    expect(expectProblem(await search(down.id, 'x'), 502, 'INTEROP_REMOTE_HTTP_ERROR').detail).toMatch(/HTTP 500/);
    const closed = await addTarget('Closed', 'http://127.0.0.1:9/sru');
    expectProblem(await search(closed.id, 'x'), 502, 'INTEROP_REMOTE_UNREACHABLE');
  });

  it('a server that does not answer in time, and an answer past the size cap', async () => {
    const slow = await addTarget('Slow', `${stubUrl}/slow`);
    await expect(
      searchCopyTarget(b.ctx, libB.id, slow.id, { query: 'x', start: 1, pageSize: 10 }, { timeoutMs: 200 }),
    ).rejects.toMatchObject({ code: 'INTEROP_REMOTE_TIMEOUT' });
    const big = await addTarget('Big', `${stubUrl}/big`);
    await expect(
      searchCopyTarget(b.ctx, libB.id, big.id, { query: 'x', start: 1, pageSize: 10 }, { maxBytes: 100_000 }),
    ).rejects.toMatchObject({ code: 'INTEROP_REMOTE_TOO_LARGE' });
  });
});

describe('the OAI-PMH identifiers of this deployment (for work pages)', () => {
  it('gives the endpoint and identifier prefix, and an identifier built from them resolves with GetRecord', async () => {
    const info = await a.app.inject({ method: 'GET', url: '/api/v1/interop/oai' });
    expect(info.statusCode).toBe(200);
    expect(info.json()).toEqual({ endpoint: '/oai', identifierPrefix: 'oai:a.example.org:' });
    const { rows } = await sql<{ id: string }>`select id from catalog_records limit 1`.execute(a.ctx.db);
    const identifier = `${info.json<{ identifierPrefix: string }>().identifierPrefix}${rows[0]!.id}`;
    const record = await a.app.inject({
      method: 'GET',
      url: `/oai?verb=GetRecord&metadataPrefix=marc21&identifier=${encodeURIComponent(identifier)}`,
    });
    expect(record.body).toContain('<GetRecord>');
    expect(record.body).not.toContain('<error');
  });
});

describe('reading SRU', () => {
  it('reads the envelope: total, diagnostics, and which records hold MARCXML', () => {
    expect(parseEnvelope(DIAGNOSTIC)).toEqual({
      total: 0,
      records: [],
      diagnostics: [{ uri: 'info:srw/diagnostic/1/10', message: 'Query syntax error', details: 'title =' }],
    });
  });

  it('sends plain words as one quoted CQL term and CQL as it is', () => {
    expect(toCql('wizard of earthsea')).toBe('"wizard of earthsea"');
    expect(toCql('say "hi"')).toBe('"say \\"hi\\""');
    expect(toCql('dc.title = wizard')).toBe('dc.title = wizard');
    expect(toCql('wizard and earthsea')).toBe('wizard and earthsea');
  });
});
