import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { CopyTarget, HarvestSource } from '@athenaeum/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/context.js';
import { expectProblem } from '../../test/helpers.js';
import { SHARED_DATA } from '../../test/xml-schemas.js';
import { buildOrganization, buildPerson, signInAs } from '../accounts/accounts.factories.js';
import { harvest } from './harvest/harvester.js';
import { runDueHarvests } from './harvest/scheduler.js';
import { fetchRemote, InternalAddressError, refusingConnector } from './remote-fetch.js';

// The interop clients refuse internal addresses unless INTEROP_ALLOW_PRIVATE_REMOTES is on: a
// repository on this machine (127.0.0.1, ::1, a name resolving to them) answers every request,
// counted, so each refusal is shown to have sent nothing.
const IDENTIFY = fs.readFileSync(path.join(SHARED_DATA, 'oai/sickle/Identify.xml'));
const RECORDS = `<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
<responseDate>2026-01-01T00:00:00Z</responseDate>
<request verb="ListRecords">http://stub/oai</request>
<ListRecords><record><header><identifier>oai:stub:1</identifier><datestamp>2026-01-01T00:00:00Z</datestamp></header>
<metadata><oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title>An intranet record</dc:title></oai_dc:dc></metadata></record></ListRecords>
</OAI-PMH>
`;

let guarded: TestEnv;
let open: TestEnv;
const servers: http.Server[] = [];
let v4Port: number;
/** The port on ::1; null when this machine has no IPv6 loopback. */
let v6Port: number | null = null;
let requests = 0;
let connections = 0;

async function listen(host: string): Promise<number | null> {
  const server = http.createServer((req, res) => {
    requests++;
    const verb = new URL(req.url ?? '/', 'http://x').searchParams.get('verb');
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end(verb === 'Identify' ? IDENTIFY : RECORDS);
  });
  server.on('connection', () => connections++);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, resolve);
    });
  } catch {
    return null;
  }
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  guarded = await createTestEnv();
  open = await createTestEnv({ INTEROP_ALLOW_PRIVATE_REMOTES: 'true' });
  v4Port = (await listen('127.0.0.1'))!;
  v6Port = await listen('::1');
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Runs `run` and proves the local repository got no request from it, not even a connection. */
async function sendsNothing<T>(run: () => Promise<T>): Promise<T> {
  const before = { requests, connections };
  const result = await run();
  expect({ requests, connections }).toEqual(before);
  return result;
}

const limits = { timeoutMs: 5000, maxBytes: 1024 * 1024 };
const get = (url: string, allowPrivateAddresses?: boolean) =>
  fetchRemote(url, { accept: 'text/xml', allowPrivateAddresses }, limits);

const internalUrls = () => [
  [`http://127.0.0.1:${v4Port}/oai?verb=Identify`, '127.0.0.1 is an internal address (loopback)'],
  [`http://localhost:${v4Port}/oai?verb=Identify`, 'localhost resolves to an internal address (loopback)'],
  [`http://[::ffff:127.0.0.1]:${v4Port}/oai?verb=Identify`, '::ffff:7f00:1 is an internal address (loopback)'],
  [`http://127.1:${v4Port}/oai?verb=Identify`, '127.0.0.1 is an internal address (loopback)'],
  [`http://2130706433:${v4Port}/oai?verb=Identify`, '127.0.0.1 is an internal address (loopback)'],
  ...(v6Port ? [[`http://[::1]:${v6Port}/oai?verb=Identify`, '::1 is an internal address (loopback)']] : []),
  ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is an internal address (link-local (cloud metadata))'],
  ['http://10.0.0.1:9/', '10.0.0.1 is an internal address (private network)'],
  ['http://[fd00::1]:9/', 'fd00::1 is an internal address (unique local (private network))'],
  ['http://0.0.0.0:9/', '0.0.0.0 is an internal address (unspecified ("this network"))'],
];

describe('fetchRemote and internal addresses', () => {
  it('refuses loopback, link-local, private and unspecified addresses, by IP or by name, sending nothing', async () => {
    for (const [url, reason] of internalUrls()) {
      const started = Date.now();
      const error = await sendsNothing(() =>
        get(url!).then(
          () => null,
          (e: unknown) => e,
        ),
      );
      expect(error, url).toMatchObject({
        code: 'INTEROP_REMOTE_FORBIDDEN_ADDRESS',
        message: `${url}: ${reason}; this server does not fetch from internal addresses.`,
        details: { reason: `${reason}; this server does not fetch from internal addresses.` },
      });
      // Refused at once: nothing waited for (no connection to a black-holed address).
      expect(Date.now() - started, url).toBeLessThan(2000);
    }
  });

  it('fetches from them when allowed (INTEROP_ALLOW_PRIVATE_REMOTES)', async () => {
    for (const host of ['127.0.0.1', 'localhost', ...(v6Port ? ['[::1]'] : [])]) {
      const port = host === '[::1]' ? v6Port : v4Port;
      const before = requests;
      const answer = await get(`http://${host}:${port}/oai?verb=Identify`, true);
      expect(answer.status, host).toBe(200);
      expect(requests).toBe(before + 1);
    }
  });

  it('checks each connection itself (redirects included): an internal IP, or a name resolving to one, is not connected to', async () => {
    const connect = refusingConnector();
    const attempt = (hostname: string, port: number) =>
      new Promise<unknown>((resolve) =>
        connect({ hostname, host: `${hostname}:${port}`, protocol: 'http:', port: String(port) }, (error, socket) => {
          socket?.destroy();
          resolve(error);
        }),
      );
    const cases: Array<[string, number, string]> = [
      ['127.0.0.1', v4Port, '127.0.0.1 is an internal address (loopback)'],
      ['::ffff:127.0.0.1', v4Port, '::ffff:127.0.0.1 is an internal address (loopback)'],
      ['localhost', v4Port, 'localhost resolves to an internal address (loopback)'],
      ...(v6Port
        ? ([['::1', v6Port, '::1 is an internal address (loopback)']] as Array<[string, number, string]>)
        : []),
    ];
    for (const [hostname, port, message] of cases) {
      const error = await sendsNothing(() => attempt(hostname, port));
      expect(error, hostname).toBeInstanceOf(InternalAddressError);
      expect((error as Error).message).toBe(`${message}; this server does not fetch from internal addresses.`);
    }
  });

  it('still reports an unreachable public address as unreachable, not as refused', async () => {
    await expect(get('http://does-not-exist.invalid/oai')).rejects.toMatchObject({
      code: 'INTEROP_REMOTE_UNREACHABLE',
    });
  });
});

describe('harvests and copy cataloguing from internal addresses', () => {
  let library: { id: string };
  let staff: Record<string, string>;
  let openLibrary: { id: string };
  let openStaff: Record<string, string>;
  beforeAll(async () => {
    library = await buildOrganization(guarded.ctx, { code: 'GUARD-LIB' });
    staff = (await signInAs(guarded.app, (await buildPerson(guarded.ctx, { roles: [[library.id, 'staff']] })).email))
      .headers;
    openLibrary = await buildOrganization(open.ctx, { code: 'OPEN-LIB' });
    openStaff = (await signInAs(open.app, (await buildPerson(open.ctx, { roles: [[openLibrary.id, 'staff']] })).email))
      .headers;
  });

  const sources = (libraryId: string) => `/api/v1/organizations/${libraryId}/harvest-sources`;
  const targets = (libraryId: string) => `/api/v1/organizations/${libraryId}/copy-targets`;
  const source = (baseUrl: string, name = baseUrl) => ({
    name,
    baseUrl,
    metadataPrefix: 'oai_dc',
    schedule: { kind: 'manual' },
  });

  it('refuses to save a source or target whose address is an internal IP, with 422 INTEROP_REMOTE_FORBIDDEN_ADDRESS', async () => {
    const urls = [
      `http://127.0.0.1:${v4Port}/oai`,
      'http://[::1]/oai',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::ffff:a9fe:a9fe]/',
    ];
    for (const baseUrl of urls) {
      const res = await guarded.app.inject({
        method: 'POST',
        url: sources(library.id),
        headers: staff,
        payload: source(baseUrl),
      });
      expect(expectProblem(res, 422, 'INTEROP_REMOTE_FORBIDDEN_ADDRESS').detail).toMatch(/is an internal address/);
      const target = await guarded.app.inject({
        method: 'POST',
        url: targets(library.id),
        headers: staff,
        payload: { name: baseUrl, baseUrl, version: '2.0' },
      });
      expect(expectProblem(target, 422, 'INTEROP_REMOTE_FORBIDDEN_ADDRESS').detail).toMatch(/is an internal address/);
    }
    const rows = await sql<{
      n: number;
    }>`select (select count(*) from interop_harvest_sources) + (select count(*) from interop_copy_targets) as n`.execute(
      guarded.ctx.db,
    );
    expect(Number(rows.rows[0]!.n)).toBe(0);
  });

  it('saves a source named by a host name, but its harvest is refused on connecting and fetches nothing', async () => {
    const created = await guarded.app.inject({
      method: 'POST',
      url: sources(library.id),
      headers: staff,
      payload: source(`http://localhost:${v4Port}/oai`, 'Intranet'),
    });
    expect(created.statusCode, created.body).toBe(201);
    const saved = created.json<HarvestSource>();
    const now = await guarded.app.inject({
      method: 'POST',
      url: `${sources(library.id)}/${saved.id}/harvest`,
      headers: staff,
    });
    expect(now.statusCode, now.body).toBeLessThan(300);
    const runs = await sendsNothing(() => runDueHarvests(guarded.ctx, { attempts: 3, maxDelayMs: 10 }));
    expect(runs).toEqual([{ sourceId: saved.id, ok: false, error: expect.stringContaining('internal address') }]);
    const after = (
      await guarded.app.inject({ method: 'GET', url: `${sources(library.id)}/${saved.id}`, headers: staff })
    ).json<HarvestSource>();
    expect(after.status).toBe('failed');
    expect(after.lastErrorCode).toBe('INTEROP_REMOTE_FORBIDDEN_ADDRESS');
    expect(after.lastError).toBe(
      `http://localhost:${v4Port}/oai?verb=Identify: localhost resolves to an internal address (loopback); this server does not fetch from internal addresses.`,
    );
  });

  it('refuses a harvest of an internal IP (a source saved before the check) at once, without retrying', async () => {
    const started = Date.now();
    const error = await sendsNothing(() =>
      harvest(guarded.ctx, {
        baseUrl: `http://127.0.0.1:${v4Port}/oai`,
        metadataPrefix: 'oai_dc',
        libraryId: library.id,
        attempts: 5,
        maxDelayMs: 5000,
      }).then(
        () => null,
        (e: unknown) => e,
      ),
    );
    expect(error).toMatchObject({ code: 'INTEROP_REMOTE_FORBIDDEN_ADDRESS' });
    // Retried, the five attempts would wait 0.5 + 1 + 2 + 4 s between them.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('answers a copy search of an internal address with 422 INTEROP_REMOTE_FORBIDDEN_ADDRESS, fetching nothing', async () => {
    const created = await guarded.app.inject({
      method: 'POST',
      url: targets(library.id),
      headers: staff,
      payload: { name: 'Intranet SRU', baseUrl: `http://localhost:${v4Port}/sru`, version: '2.0' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const target = created.json<CopyTarget>();
    const res = await sendsNothing(() =>
      guarded.app.inject({ method: 'GET', url: `${targets(library.id)}/${target.id}/search?query=x`, headers: staff }),
    );
    expect(expectProblem(res, 422, 'INTEROP_REMOTE_FORBIDDEN_ADDRESS').detail).toMatch(
      /localhost resolves to an internal address \(loopback\); this server does not fetch from internal addresses\.$/,
    );
  });

  it('with INTEROP_ALLOW_PRIVATE_REMOTES=true, saves and harvests a repository on 127.0.0.1', async () => {
    const created = await open.app.inject({
      method: 'POST',
      url: sources(openLibrary.id),
      headers: openStaff,
      payload: source(`http://127.0.0.1:${v4Port}/oai`, 'Intranet'),
    });
    expect(created.statusCode, created.body).toBe(201);
    const before = requests;
    const result = await harvest(open.ctx, {
      baseUrl: `http://localhost:${v4Port}/oai`,
      metadataPrefix: 'oai_dc',
      libraryId: openLibrary.id,
      attempts: 1,
    });
    expect(result.added).toBe(1);
    expect(requests).toBe(before + 2); // Identify, ListRecords
  });
});
