import fs from 'node:fs';
import path from 'node:path';
import { readRecords } from '@athenaeum/marc';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../app.js';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { SHARED_DATA, xmllintErrors } from '../../../test/xml-schemas.js';
import { buildOrganization, buildPerson, signInAs } from '../../accounts/accounts.factories.js';
import { importRecords } from '../../catalog/index.js';
import { handleOai, type OaiOptions } from './provider.js';

let env: TestEnv;
let empty: TestEnv;
let libA: { id: string; code: string };
let libB: { id: string; code: string };
let allIds: string[];
let deletedId: string;
let staffA: Record<string, string>;

const OPTIONS: OaiOptions = {
  baseUrl: 'https://catalogue.example.org/oai',
  repositoryId: 'catalogue.example.org',
  repositoryName: 'Test catalogue',
  adminEmail: 'admin@example.org',
  pageSize: 3,
  tokenLifetime: 48 * 3600,
};

async function importFile(file: string, libraryId: string, e: TestEnv = env) {
  return importRecords(e.ctx, readRecords(fs.readFileSync(path.join(SHARED_DATA, file))), {
    libraryId,
    flavour: 'marc21',
    sourceFormat: 'iso2709',
  });
}

async function oai(query: Record<string, string> | string, e: TestEnv = env, options: Partial<OaiOptions> = {}) {
  const params = typeof query === 'string' ? new URLSearchParams(query) : new URLSearchParams(query);
  const out = await handleOai(e.ctx, params, { ...OPTIONS, ...options });
  return out;
}

/** The response, after checking it against the OAI-PMH schemas (envelope and payloads). */
async function valid(query: Record<string, string> | string, e: TestEnv = env, options: Partial<OaiOptions> = {}) {
  const out = await oai(query, e, options);
  expect(out.status).toBe(200);
  expect(xmllintErrors(out.xml, 'oai')).toBeNull();
  return out.xml;
}

const errorsIn = (xml: string) => [...xml.matchAll(/<error code="(\w+)">/g)].map((m) => m[1]);
const identifiers = (xml: string) =>
  [...xml.matchAll(/<identifier>oai:catalogue\.example\.org:([0-9a-f-]{36})<\/identifier>/g)].map((m) => m[1]!);
const tokenOf = (xml: string) => /<resumptionToken[^>]*>([^<]+)<\/resumptionToken>/.exec(xml)?.[1] ?? null;
const idOf = (id: string) => `oai:catalogue.example.org:${id}`;

async function harvest(first: Record<string, string>, between?: (page: number) => Promise<void>) {
  const ids: string[] = [];
  const pages: string[] = [];
  let xml = await valid(first);
  for (let page = 0; ; page++) {
    pages.push(xml);
    ids.push(...identifiers(xml));
    const token = tokenOf(xml);
    if (!token) break;
    await between?.(page);
    xml = await valid({ verb: first.verb!, resumptionToken: token });
  }
  return { ids, pages };
}

beforeAll(async () => {
  empty = await createTestEnv();
  env = await createTestEnv();
  libA = await buildOrganization(env.ctx, { code: 'OAI-A', names: { en: 'Library A & Sons' } });
  libB = await buildOrganization(env.ctx, { code: 'OAI-B', names: { en: 'Library B' } });
  await importFile('marc/pymarc/test.dat', libA.id);
  await importFile('marc/evergreen/RDA_record_MAP_2012_Enchanted_Circle.mrc', libA.id);
  await importFile('marc/xbib-marc/chabon.mrc', libB.id);
  const { rows } = await sql<{ id: string }>`select id from catalog_records order by id`.execute(env.ctx.db);
  allIds = rows.map((r) => r.id);
  const person = await buildPerson(env.ctx, { roles: [[libA.id, 'staff']] });
  staffA = (await signInAs(env.app, person.email)).headers;
  const { rows: a } = await sql<{
    id: string;
  }>`select id from catalog_records where organization_id = ${libA.id} order by id limit 1`.execute(env.ctx.db);
  deletedId = a[0]!.id;
  const res = await env.app.inject({ method: 'DELETE', url: `/api/v1/catalog/records/${deletedId}`, headers: staffA });
  expect(res.statusCode).toBe(200);
});

describe('Identify, ListMetadataFormats, ListSets', () => {
  it('identifies the repository: persistent deletions, seconds granularity, the oai-identifier description', async () => {
    const xml = await valid({ verb: 'Identify' });
    expect(xml).toContain('<request verb="Identify">https://catalogue.example.org/oai</request>');
    expect(xml).toContain('<deletedRecord>persistent</deletedRecord>');
    expect(xml).toContain('<granularity>YYYY-MM-DDThh:mm:ssZ</granularity>');
    expect(xml).toContain('<repositoryIdentifier>catalogue.example.org</repositoryIdentifier>');
    expect(xml).toMatch(/<earliestDatestamp>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z<\/earliestDatestamp>/);
  });

  it('lists oai_dc and marc21, for the repository and for a live record; a deleted record has none', async () => {
    const xml = await valid({ verb: 'ListMetadataFormats' });
    expect(xml).toContain('<metadataPrefix>oai_dc</metadataPrefix>');
    expect(xml).toContain('<metadataPrefix>marc21</metadataPrefix>');
    expect(xml).toContain('<metadataNamespace>http://www.loc.gov/MARC21/slim</metadataNamespace>');
    const live = allIds.find((id) => id !== deletedId)!;
    expect(await valid({ verb: 'ListMetadataFormats', identifier: idOf(live) })).toContain(
      '<metadataPrefix>marc21</metadataPrefix>',
    );
    expect(errorsIn(await valid({ verb: 'ListMetadataFormats', identifier: idOf(deletedId) }))).toEqual([
      'noMetadataFormats',
    ]);
    expect(
      errorsIn(
        await valid({
          verb: 'ListMetadataFormats',
          identifier: 'oai:catalogue.example.org:00000000-0000-4000-8000-000000000000',
        }),
      ),
    ).toEqual(['idDoesNotExist']);
    expect(errorsIn(await valid({ verb: 'ListMetadataFormats', identifier: 'not-an-identifier' }))).toEqual([
      'idDoesNotExist',
    ]);
  });

  it('lists a set per library (by code, escaped name) and per material type', async () => {
    const xml = await valid({ verb: 'ListSets' });
    expect(xml).toContain('<setSpec>library:OAI-A</setSpec>');
    expect(xml).toContain('<setName>Library A &amp; Sons</setName>');
    expect(xml).toContain('<setSpec>library:OAI-B</setSpec>');
    expect(xml).toContain('<setSpec>type:book</setSpec>');
    expect(xml).toContain('<setSpec>type:map</setSpec>');
  });

  it('answers noSetHierarchy while the catalogue has no records', async () => {
    expect(errorsIn(await valid({ verb: 'ListSets' }, empty))).toEqual(['noSetHierarchy']);
    expect(errorsIn(await valid({ verb: 'ListRecords', metadataPrefix: 'oai_dc', set: 'library:X' }, empty))).toEqual([
      'noSetHierarchy',
    ]);
    expect(errorsIn(await valid({ verb: 'ListRecords', metadataPrefix: 'oai_dc' }, empty))).toEqual(['noRecordsMatch']);
    expect(await valid({ verb: 'Identify' }, empty)).toContain('<earliestDatestamp>');
  });
});

describe('GetRecord', () => {
  it('returns a live record in oai_dc and marc21, and a deleted one as a header with status="deleted"', async () => {
    const live = allIds.find((id) => id !== deletedId)!;
    const dc = await valid({ verb: 'GetRecord', identifier: idOf(live), metadataPrefix: 'oai_dc' });
    expect(dc).toContain('<oai_dc:dc ');
    expect(dc).toMatch(/<dc:identifier>https:\/\/catalogue\.example\.org\/works\/[0-9a-f-]{36}<\/dc:identifier>/);
    expect(dc).toMatch(/<setSpec>library:OAI-[AB]<\/setSpec>/);
    const marc = await valid({ verb: 'GetRecord', identifier: idOf(live), metadataPrefix: 'marc21' });
    expect(marc).toContain('<record xmlns="http://www.loc.gov/MARC21/slim">');
    const gone = await valid({ verb: 'GetRecord', identifier: idOf(deletedId), metadataPrefix: 'oai_dc' });
    expect(gone).toContain('<header status="deleted">');
    expect(gone).not.toContain('<metadata>');
  });

  it('gives MARC without the local fields of the library (906 and 955 of the Library of Congress in one record)', async () => {
    const { pages } = await harvest({ verb: 'ListRecords', metadataPrefix: 'marc21' });
    const xml = pages.join('');
    expect(xml).toContain('Enchanted Circle');
    expect(xml).not.toMatch(/<datafield tag="9\d\d"/);
    expect(xml).not.toContain('sent to CMT');
  });

  it('answers idDoesNotExist and cannotDisseminateFormat', async () => {
    expect(
      errorsIn(
        await valid({ verb: 'GetRecord', identifier: 'oai:other.example.org:' + allIds[0], metadataPrefix: 'oai_dc' }),
      ),
    ).toEqual(['idDoesNotExist']);
    const bad = await valid({ verb: 'GetRecord', identifier: idOf(allIds[0]!), metadataPrefix: 'mods' });
    expect(errorsIn(bad)).toEqual(['cannotDisseminateFormat']);
    // Not an argument error, so the request is echoed with its arguments.
    expect(bad).toMatch(/<request verb="GetRecord" identifier="[^"]+" metadataPrefix="mods">/);
  });
});

describe('ListRecords and ListIdentifiers', () => {
  it('harvests every record once, deleted ones included, in pages with completeListSize and cursor', async () => {
    const { ids, pages } = await harvest({ verb: 'ListRecords', metadataPrefix: 'oai_dc' });
    expect([...ids].sort()).toEqual(allIds);
    expect(pages.length).toBe(Math.ceil(allIds.length / 3));
    pages.forEach((page, i) => {
      const token = /<resumptionToken completeListSize="(\d+)" cursor="(\d+)"/.exec(page);
      if (pages.length > 1) {
        expect(token, `page ${i}`).not.toBeNull();
        expect(Number(token![1])).toBe(allIds.length);
        expect(Number(token![2])).toBe(i * 3);
      }
    });
    expect(pages.at(-1)).toMatch(/<resumptionToken completeListSize="\d+" cursor="\d+"\/>/);
    const deleted = pages.join('').match(/<header status="deleted">/g);
    expect(deleted).toHaveLength(1);
  });

  it('harvests marc21 (MARCXML valid against MARC21slim inside the envelope)', async () => {
    const { ids, pages } = await harvest({ verb: 'ListRecords', metadataPrefix: 'marc21' });
    expect(ids).toHaveLength(allIds.length);
    expect(pages.join('').match(/<record xmlns="http:\/\/www\.loc\.gov\/MARC21\/slim">/g)).toHaveLength(
      allIds.length - 1,
    );
  });

  it('lists identifiers (five times a records page), filtered by library and by material type', async () => {
    const all = await valid({ verb: 'ListIdentifiers', metadataPrefix: 'oai_dc' });
    expect(identifiers(all)).toHaveLength(Math.min(15, allIds.length));
    expect(all).not.toContain('<metadata>');
    const b = await valid({ verb: 'ListIdentifiers', metadataPrefix: 'marc21', set: 'library:OAI-B' });
    expect(identifiers(b)).toHaveLength(2);
    expect(b).not.toContain('library:OAI-A');
    const maps = await valid({ verb: 'ListIdentifiers', metadataPrefix: 'oai_dc', set: 'type:map' });
    expect(identifiers(maps)).toHaveLength(1);
    expect(errorsIn(await valid({ verb: 'ListIdentifiers', metadataPrefix: 'oai_dc', set: 'library:NOPE' }))).toEqual([
      'noRecordsMatch',
    ]);
    expect(errorsIn(await valid({ verb: 'ListIdentifiers', metadataPrefix: 'oai_dc', set: 'type:spaceship' }))).toEqual(
      ['noRecordsMatch'],
    );
  });

  it('selects by from/until at day and seconds granularity, in UTC, until including its whole second or day', async () => {
    const [a, b, c] = allIds.filter((id) => id !== deletedId);
    await sql`update catalog_records set updated_at = '2020-03-01T10:00:00.500Z' where id = ${a!}`.execute(env.ctx.db);
    await sql`update catalog_records set updated_at = '2020-03-01T23:59:59.900Z' where id = ${b!}`.execute(env.ctx.db);
    await sql`update catalog_records set updated_at = '2020-03-02T00:00:00Z' where id = ${c!}`.execute(env.ctx.db);
    const list = async (args: Record<string, string>) =>
      identifiers(await valid({ verb: 'ListIdentifiers', metadataPrefix: 'oai_dc', ...args }));
    expect(new Set(await list({ from: '2020-03-01', until: '2020-03-01' }))).toEqual(new Set([a, b]));
    expect(await list({ from: '2020-03-01T10:00:00Z', until: '2020-03-01T10:00:00Z' })).toEqual([a]);
    expect(await list({ from: '2020-03-01T10:00:01Z', until: '2020-03-02T00:00:00Z' })).toEqual([b, c]);
    expect(await list({ until: '2020-03-01T09:59:59Z' }).catch(() => [])).toEqual([]);
    expect(errorsIn(await valid({ verb: 'ListIdentifiers', metadataPrefix: 'oai_dc', until: '2019-12-31' }))).toEqual([
      'noRecordsMatch',
    ]);
    const identify = await valid({ verb: 'Identify' });
    expect(identify).toContain('<earliestDatestamp>2020-03-01T10:00:00Z</earliestDatestamp>');
    const dated = await valid({ verb: 'GetRecord', identifier: idOf(a!), metadataPrefix: 'oai_dc' });
    expect(dated).toContain('<datestamp>2020-03-01T10:00:00Z</datestamp>');
  });

  it('takes from and until at the edges of the calendar: 0001-01-01 and 9999-12-31 select all; year 0000 is badArgument', async () => {
    const every = async (args: Record<string, string>) =>
      (await harvest({ verb: 'ListIdentifiers', metadataPrefix: 'oai_dc', ...args })).ids.sort();
    expect(await every({ from: '0001-01-01' })).toEqual(allIds);
    expect(await every({ until: '9999-12-31' })).toEqual(allIds);
    expect(await every({ from: '0001-01-01', until: '9999-12-31' })).toEqual(allIds);
    expect(await every({ from: '0001-01-01T00:00:00Z', until: '9999-12-31T23:59:59Z' })).toEqual(allIds);
    expect((await harvest({ verb: 'ListRecords', metadataPrefix: 'marc21', until: '9999-12-31' })).ids.sort()).toEqual(
      allIds,
    );
    expect(errorsIn(await valid({ verb: 'ListIdentifiers', metadataPrefix: 'oai_dc', until: '0001-01-01' }))).toEqual([
      'noRecordsMatch',
    ]);
    // XML Schema's dates, which OAI-PMH's UTCdatetime is, have no year 0000.
    const yearZero: Array<Record<string, string>> = [
      { from: '0000-01-01' },
      { until: '0000-12-31T23:59:59Z' },
      { from: '0000-01-01', until: '9999-12-31' },
    ];
    for (const args of yearZero)
      expect(errorsIn(await valid({ verb: 'ListIdentifiers', metadataPrefix: 'oai_dc', ...args }))).toEqual([
        'badArgument',
      ]);
    // Through HTTP, as a harvester sees it: OAI-PMH XML with 200, never a 500.
    for (const dates of ['from=0000-01-01&until=9999-12-31', 'from=0001-01-01&until=9999-12-31']) {
      const res = await env.app.inject({
        method: 'GET',
        url: `/oai?verb=ListIdentifiers&metadataPrefix=oai_dc&${dates}`,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.body).toMatch(/<ListIdentifiers>|<error code="badArgument">/);
    }
  });

  it('neither skips nor repeats a record when records change during a harvest; a changed one comes again at its new datestamp', async () => {
    await sql`update catalog_records set updated_at = now() - interval '1 hour'`.execute(env.ctx.db);
    const before = (
      await sql<{ id: string }>`select id from catalog_records order by updated_at, id`.execute(env.ctx.db)
    ).rows.map((r) => r.id);
    const early = before[0]!;
    const late = before.at(-1)!;
    const { ids } = await harvest({ verb: 'ListRecords', metadataPrefix: 'oai_dc' }, async (page) => {
      if (page !== 0) return;
      // One record already delivered and one not yet delivered change after the first page.
      await sql`update catalog_records set updated_at = now() where id in (${early}, ${late})`.execute(env.ctx.db);
    });
    expect(ids.filter((id) => id === early)).toHaveLength(2);
    expect(ids.filter((id) => id === late)).toHaveLength(1);
    expect(new Set(ids)).toEqual(new Set(before));
    expect(ids.length).toBe(before.length + 1);
  });

  it('keeps tokens valid across a restart and another server process, and for 48 hours', async () => {
    const first = await valid({ verb: 'ListRecords', metadataPrefix: 'oai_dc' });
    const token = tokenOf(first)!;
    expect(/expirationDate="([^"]+)"/.exec(first)![1]).toBe(
      `${new Date(env.clock.now().getTime() + 48 * 3600_000).toISOString().slice(0, 19)}Z`,
    );
    // A second application on the same database (another process would be the same: no state is shared).
    const other = await buildApp({ ctx: env.ctx, database: env.database, version: 'other' });
    const res = await other.inject({
      method: 'GET',
      url: `/oai?verb=ListRecords&resumptionToken=${encodeURIComponent(token)}`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.body.match(/<identifier>oai:athenaeum\.local:[0-9a-f-]{36}<\/identifier>/g)).toHaveLength(
      allIds.length - 3,
    );
    await other.close();
    env.clock.advance(47 * 3600_000);
    expect(errorsIn(await valid({ verb: 'ListRecords', resumptionToken: token }))).toEqual([]);
    env.clock.advance(2 * 3600_000);
    expect(errorsIn(await valid({ verb: 'ListRecords', resumptionToken: token }))).toEqual(['badResumptionToken']);
    env.clock.set(new Date());
  });
});

describe('errors', () => {
  const cases: Array<[string, string, string[]]> = [
    ['no verb', '', ['badVerb']],
    ['an unknown verb', 'verb=Frobnicate', ['badVerb']],
    ['a repeated verb', 'verb=Identify&verb=Identify', ['badVerb']],
    ['an argument Identify does not take', 'verb=Identify&metadataPrefix=oai_dc', ['badArgument']],
    ['a repeated argument', 'verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=marc21', ['badArgument']],
    ['a missing metadataPrefix', 'verb=ListRecords', ['badArgument']],
    ['GetRecord without identifier', 'verb=GetRecord&metadataPrefix=oai_dc', ['badArgument']],
    [
      'a resumption token with other arguments',
      'verb=ListRecords&resumptionToken=x&metadataPrefix=oai_dc',
      ['badArgument'],
    ],
    ['a date that is not one', 'verb=ListRecords&metadataPrefix=oai_dc&from=2020-02-30', ['badArgument']],
    [
      'a date with a time zone other than Z',
      'verb=ListRecords&metadataPrefix=oai_dc&from=2020-01-01T00:00:00+01:00',
      ['badArgument'],
    ],
    [
      'mixed granularities',
      'verb=ListRecords&metadataPrefix=oai_dc&from=2020-01-01&until=2020-02-01T00:00:00Z',
      ['badArgument'],
    ],
    ['until before from', 'verb=ListRecords&metadataPrefix=oai_dc&from=2020-02-01&until=2020-01-01', ['badArgument']],
    ['a malformed set', 'verb=ListRecords&metadataPrefix=oai_dc&set=library:%20x', ['badArgument']],
    ['two argument errors at once', 'verb=ListIdentifiers&foo=1&bar=2', ['badArgument', 'badArgument', 'badArgument']],
    ['an unknown format', 'verb=ListRecords&metadataPrefix=mods', ['cannotDisseminateFormat']],
    ['a garbage resumption token', 'verb=ListRecords&resumptionToken=garbage', ['badResumptionToken']],
    ['a ListSets resumption token', 'verb=ListSets&resumptionToken=abc', ['badResumptionToken']],
  ];
  it.each(cases)('answers %s with the right error, valid against the schema', async (_what, query, codes) => {
    const xml = await valid(query);
    expect(errorsIn(xml)).toEqual(codes);
    if (codes.includes('badVerb') || codes.includes('badArgument'))
      expect(xml).toContain('<request>https://catalogue.example.org/oai</request>');
  });

  it('refuses an altered token and a token of another verb', async () => {
    const token = tokenOf(await valid({ verb: 'ListRecords', metadataPrefix: 'oai_dc' }))!;
    const [payload, sum] = token.split('.');
    const decoded = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as unknown[];
    decoded[7] = 0;
    const forged = `${Buffer.from(JSON.stringify(decoded)).toString('base64url')}.${sum}`;
    expect(errorsIn(await valid({ verb: 'ListRecords', resumptionToken: forged }))).toEqual(['badResumptionToken']);
    expect(errorsIn(await valid({ verb: 'ListIdentifiers', resumptionToken: token }))).toEqual(['badResumptionToken']);
    expect(errorsIn(await valid({ verb: 'ListRecords', resumptionToken: token.slice(0, -1) }))).toEqual([
      'badResumptionToken',
    ]);
  });
});

describe('/oai over HTTP', () => {
  it('answers GET and form POST alike, as text/xml, without signing in', async () => {
    const get = await env.app.inject({ method: 'GET', url: '/oai?verb=ListSets' });
    expect(get.statusCode).toBe(200);
    expect(get.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(xmllintErrors(get.body, 'oai')).toBeNull();
    const post = await env.app.inject({
      method: 'POST',
      url: '/oai',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'verb=ListSets',
    });
    expect(post.statusCode).toBe(200);
    expect(post.body.replace(/<responseDate>[^<]+/, '')).toBe(get.body.replace(/<responseDate>[^<]+/, ''));
    const repeated = await env.app.inject({
      method: 'POST',
      url: '/oai',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc',
    });
    expect(errorsIn(repeated.body)).toEqual(['badArgument']);
    expect(xmllintErrors(repeated.body, 'oai')).toBeNull();
  });

  it.each([
    ['an identifier', 'verb=GetRecord&metadataPrefix=oai_dc&identifier=oai%3Ax%00y', ['badArgument']],
    ['a set', 'verb=ListRecords&metadataPrefix=oai_dc&set=library%3AA%00', ['badArgument']],
    ['a resumption token', 'verb=ListRecords&resumptionToken=%00', ['badArgument']],
    ['two arguments', 'verb=ListRecords&metadataPrefix=oai%00dc&from=2020%00', ['badArgument', 'badArgument']],
    ['an argument name', 'verb=Identify&x%00y=1', ['badArgument']],
    ['the verb', 'verb=Identify%00', ['badVerb']],
  ])(
    'answers a NUL character in %s with an OAI-PMH error, not the JSON problem, by GET and POST',
    async (_what, query, codes) => {
      const get = await env.app.inject({ method: 'GET', url: `/oai?${query}` });
      const post = await env.app.inject({
        method: 'POST',
        url: '/oai',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: query,
      });
      for (const res of [get, post]) {
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
        expect(errorsIn(res.body)).toEqual(codes);
        expect(res.body).toContain('NUL character (U+0000)');
        expect(res.body).not.toContain('\u0000');
        expect(xmllintErrors(res.body, 'oai')).toBeNull();
        // With badVerb or badArgument the request element carries no attributes (spec 3.6).
        expect(res.body).toContain('<request>');
      }
    },
  );

  it('uses the request address as baseURL when PUBLIC_URL is not set', async () => {
    const res = await env.app.inject({
      method: 'GET',
      url: '/oai?verb=Identify',
      headers: { host: 'library.example.net' },
    });
    expect(res.body).toContain('<baseURL>http://library.example.net/oai</baseURL>');
    expect(res.body).toContain('<repositoryIdentifier>athenaeum.local</repositoryIdentifier>');
  });
});
