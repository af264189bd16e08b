import fs from 'node:fs';
import path from 'node:path';
import { readIso2709, readRecords } from '@athenaeum/marc';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/context.js';
import { expectProblem } from '../../test/helpers.js';
import { SHARED_DATA, xmllintErrors } from '../../test/xml-schemas.js';
import { buildOrganization, buildPerson, signInAs } from '../accounts/accounts.factories.js';
import { catalogDb } from './catalog.repository.js';
import { importRecords } from './import/import-records.js';
import { record } from './normalize/marc-fixtures.js';

let env: TestEnv;
let library: { id: string; code: string };
let other: { id: string };
let staff: Record<string, string>;
let otherStaff: Record<string, string>;
let ids: string[];
let wizardId: string;

async function importFile(file: string, libraryId: string) {
  return importRecords(env.ctx, readRecords(fs.readFileSync(path.join(SHARED_DATA, file))), {
    libraryId,
    flavour: 'marc21',
    sourceFormat: 'iso2709',
  });
}

beforeAll(async () => {
  env = await createTestEnv({ PUBLIC_URL: 'https://catalogue.example.org' });
  library = await buildOrganization(env.ctx, { code: 'EXP-LIB', names: { en: 'Export Library' } });
  other = await buildOrganization(env.ctx, { code: 'EXP-OTHER', names: { en: 'Other Library' } });
  await importFile('marc/pymarc/test.dat', library.id);
  await importFile('marc/xbib-marc/chabon.mrc', library.id);
  const wizard = record('00000cam a2200000 a 4500', [
    '001 EXP-W1',
    '008 850101s1968    cau           000 1 eng d',
    '020 __$a9780547773742',
    '100 1_$aLe Guin, Ursula K.',
    '245 14$aThe wizard of Earthsea /$cUrsula K. Le Guin.',
    '264 _1$aBoston :$bHoughton Mifflin,$c1968.',
    '952 __$pEXP-0001$oFIC LEG',
    '952 __$pEXP-0002$oFIC LEG',
    '541 0_$aGift of Jane Donor, 12 Elm Street.',
  ]);
  await importRecords(env.ctx, [{ record: wizard, position: { index: 0 } }], {
    libraryId: library.id,
    flavour: 'marc21',
    sourceFormat: 'iso2709',
  });
  const rows = await catalogDb(env.ctx.db)
    .selectFrom('catalog_records')
    .select(['id', 'record_key'])
    .where('organization_id', '=', library.id)
    .orderBy('id')
    .execute();
  ids = rows.map((r) => r.id);
  wizardId = rows.find((r) => r.record_key === '-/EXP-W1')!.id;
  const person = await buildPerson(env.ctx, { roles: [[library.id, 'staff']] });
  staff = (await signInAs(env.app, person.email)).headers;
  const otherPerson = await buildPerson(env.ctx, { roles: [[other.id, 'admin']] });
  otherStaff = (await signInAs(env.app, otherPerson.email)).headers;
});

const get = (url: string, headers: Record<string, string> = {}) => env.app.inject({ method: 'GET', url, headers });

describe('GET /api/v1/catalog/records/:id?format=', () => {
  it('serves each format with its content type and a download file name, without signing in', async () => {
    const expected = {
      marcxml: ['application/marcxml+xml', 'xml'],
      marc21: ['application/marc', 'mrc'],
      dc: ['application/xml', 'dc.xml'],
      jsonld: ['application/ld+json', 'jsonld'],
      ris: ['application/x-research-info-systems', 'ris'],
      bibtex: ['application/x-bibtex', 'bib'],
    } as const;
    for (const [format, [type, ext]] of Object.entries(expected)) {
      const res = await get(`/api/v1/catalog/records/${wizardId}?format=${format}`);
      expect(res.statusCode, format).toBe(200);
      expect(res.headers['content-type']).toMatch(new RegExp(`^${type.replace('+', '\\+')}`));
      expect(res.headers['content-disposition']).toBe(`attachment; filename="record-${wizardId}.${ext}"`);
    }
  });

  it('writes the record itself: valid MARCXML and Dublin Core, MARC that reads back, JSON-LD with offers', async () => {
    const marcxml = (await get(`/api/v1/catalog/records/${wizardId}?format=marcxml`)).body;
    expect(xmllintErrors(marcxml, 'marcxml')).toBeNull();
    expect(marcxml).toContain('<subfield code="a">The wizard of Earthsea /</subfield>');
    // Anyone may ask: the copies' barcodes (952) and the private source of acquisition are not given.
    expect(marcxml).not.toContain('EXP-0001');
    expect(marcxml).not.toContain('Jane Donor');
    const dc = (await get(`/api/v1/catalog/records/${wizardId}?format=dc`)).body;
    expect(xmllintErrors(dc, 'oaiDc')).toBeNull();
    expect(dc).toContain('<dc:identifier>urn:isbn:9780547773742</dc:identifier>');
    expect(dc).toMatch(/<dc:identifier>https:\/\/catalogue\.example\.org\/works\/[0-9a-f-]{36}<\/dc:identifier>/);
    const iso = (await get(`/api/v1/catalog/records/${wizardId}?format=marc21`)).rawPayload;
    const back = [];
    for await (const item of readIso2709(iso)) back.push(item);
    expect(back).toHaveLength(1);
    const json = (await get(`/api/v1/catalog/records/${wizardId}?format=jsonld`)).json();
    expect(json).toMatchObject({
      '@type': 'Book',
      name: 'The wizard of Earthsea',
      isbn: '9780547773742',
      datePublished: '1968',
      inLanguage: 'en',
      author: [{ '@type': 'Person', name: 'Le Guin, Ursula K' }],
      offers: [
        {
          '@type': 'Offer',
          availability: 'https://schema.org/InStock',
          offeredBy: { '@type': 'Library', name: 'Export Library' },
          inventoryLevel: { value: 2 },
        },
      ],
    });
  });

  it('answers 400 for a missing or unknown format, 404 for an unknown record', async () => {
    expectProblem(await get(`/api/v1/catalog/records/${wizardId}`), 400, 'VALIDATION_FAILED');
    expectProblem(await get(`/api/v1/catalog/records/${wizardId}?format=pdf`), 400, 'VALIDATION_FAILED');
    expectProblem(
      await get('/api/v1/catalog/records/00000000-0000-4000-8000-000000000000?format=dc'),
      404,
      'CATALOG_RECORD_NOT_FOUND',
    );
  });
});

describe('GET /api/v1/catalog/exports?library=&format=', () => {
  it('is for staff of that library only', async () => {
    expectProblem(
      await get(`/api/v1/catalog/exports?library=${library.id}&format=marcxml`),
      401,
      'AUTHENTICATION_REQUIRED',
    );
    expectProblem(
      await get(`/api/v1/catalog/exports?library=${library.id}&format=marcxml`, otherStaff),
      403,
      'FORBIDDEN',
    );
    // A second library parameter cannot smuggle in a library the caller does not serve.
    expectProblem(
      await get(`/api/v1/catalog/exports?library=${other.id}&library=${library.id}&format=marcxml`, otherStaff),
      403,
      'FORBIDDEN',
    );
  });

  it('streams every live record of the library as one MARCXML collection that validates', async () => {
    const res = await get(`/api/v1/catalog/exports?library=${library.id}&format=marcxml`, staff);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/marcxml\+xml/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="EXP-LIB-\d{4}-\d{2}-\d{2}\.xml"$/);
    expect(res.body.match(/<record>/g)).toHaveLength(ids.length);
    expect(xmllintErrors(res.body, 'marcxml')).toBeNull();
    // The library's staff get their records whole.
    expect(res.body).toContain('<subfield code="p">EXP-0001</subfield>');
    expect(res.body).toContain('Jane Donor');
  });

  it('exports a selection as MARC 21, and pages through a library larger than one page', async () => {
    const selection = ids.slice(0, 3);
    const res = await get(
      `/api/v1/catalog/exports?library=${library.id}&format=marc21&ids=${selection.join(',')}`,
      staff,
    );
    expect(res.statusCode).toBe(200);
    const back = [];
    for await (const item of readIso2709(res.rawPayload)) back.push(item);
    expect(back).toHaveLength(3);
    const { exportLibrary } = await import('./export/export.service.js');
    const out = await exportLibrary(env.ctx, {
      libraryId: library.id,
      format: 'ris',
      links: { baseUrl: null },
      pageSize: 2,
    });
    let text = '';
    for await (const chunk of out.chunks) text += String(chunk);
    expect(text.match(/^TY {2}- /gm)).toHaveLength(ids.length);
    expect(out.counts).toEqual({ written: ids.length, skipped: 0, skippedRecords: [] });
  });

  it('writes BibTeX, RIS, Dublin Core and JSON-LD files', async () => {
    const bib = (await get(`/api/v1/catalog/exports?library=${library.id}&format=bibtex`, staff)).body;
    expect(bib.match(/^@\w+\{/gm)).toHaveLength(ids.length);
    const dc = (await get(`/api/v1/catalog/exports?library=${library.id}&format=dc`, staff)).body;
    expect(dc.match(/<oai_dc:dc /g)).toHaveLength(ids.length);
    const jsonld = (await get(`/api/v1/catalog/exports?library=${library.id}&format=jsonld`, staff)).json();
    expect(jsonld['@graph']).toHaveLength(ids.length);
  });

  it('refuses a malformed library id or selection with 400/403 and an empty library with an empty file', async () => {
    expectProblem(await get(`/api/v1/catalog/exports?library=not-a-uuid&format=marcxml`, staff), 403, 'FORBIDDEN');
    // 36 characters of a UUID's alphabet that are not a UUID: refused before they reach a query.
    for (const malformed of ['-'.repeat(36), 'a'.repeat(36), `${library.id.slice(0, 35)}g`]) {
      expectProblem(await get(`/api/v1/catalog/exports?library=${malformed}&format=ris`, staff), 403, 'FORBIDDEN');
    }
    expectProblem(
      await get(`/api/v1/catalog/exports?library=${library.id}&format=marcxml&ids=nope`, staff),
      400,
      'VALIDATION_FAILED',
    );
    const empty = await get(`/api/v1/catalog/exports?library=${other.id}&format=marcxml`, otherStaff);
    expect(empty.statusCode).toBe(200);
    expect(empty.body).not.toContain('<record>');
    expect(xmllintErrors(empty.body, 'marcxml')).toBeNull();
  });
});

describe('records a format cannot hold', () => {
  it('are left out of the file, and GET /catalog/exports/report names them with the reason', async () => {
    const lib = await buildOrganization(env.ctx, { code: 'EXP-SKIP' });
    await importFile('marc/xbib-marc/chabon.mrc', lib.id);
    const libStaff = (await signInAs(env.app, (await buildPerson(env.ctx, { roles: [[lib.id, 'staff']] })).email))
      .headers;
    const db = catalogDb(env.ctx.db);
    const rows = await db
      .selectFrom('catalog_records')
      .select(['id', 'marc'])
      .where('organization_id', '=', lib.id)
      .orderBy('id')
      .execute();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    // Stored before the editor refused such values (or arrived by MARCXML, which can hold them).
    const [long, delimited] = [rows[0]!, rows[1]!];
    const withField = (marc: typeof long.marc, value: string) => ({
      ...marc,
      fields: [...marc.fields, { tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value }] }],
    });
    await db
      .updateTable('catalog_records')
      .set({ marc: JSON.stringify(withField(long.marc, 'x'.repeat(20_000))) as never })
      .where('id', '=', long.id)
      .execute();
    await db
      .updateTable('catalog_records')
      .set({ marc: JSON.stringify(withField(delimited.marc, 'a\u001fb')) as never })
      .where('id', '=', delimited.id)
      .execute();

    const file = await get(`/api/v1/catalog/exports?library=${lib.id}&format=marc21`, libStaff);
    expect(file.statusCode).toBe(200);
    const back = [];
    for await (const item of readIso2709(file.rawPayload)) back.push(item);
    expect(back).toHaveLength(rows.length - 2);

    const report = await get(`/api/v1/catalog/exports/report?library=${lib.id}&format=marc21`, libStaff);
    expect(report.statusCode).toBe(200);
    expect(report.json()).toEqual({
      format: 'marc21',
      written: rows.length - 2,
      skipped: 2,
      skippedRecords: [
        { id: long.id, reason: expect.stringMatching(/field 500 is 20\d{3} bytes; ISO 2709 allows at most 9999/) },
        { id: delimited.id, reason: expect.stringContaining('delimiter') },
      ],
    });

    const selection = await get(
      `/api/v1/catalog/exports/report?library=${lib.id}&format=marc21&ids=${delimited.id}`,
      libStaff,
    );
    expect(selection.json()).toMatchObject({ written: 0, skipped: 1, skippedRecords: [{ id: delimited.id }] });
    expect(
      (await get(`/api/v1/catalog/exports/report?library=${lib.id}&format=marcxml`, libStaff)).json(),
    ).toMatchObject({ format: 'marcxml', written: rows.length, skipped: 0, skippedRecords: [] });
  });

  it('the report is for staff of that library only', async () => {
    expectProblem(
      await get(`/api/v1/catalog/exports/report?library=${library.id}&format=marc21`),
      401,
      'AUTHENTICATION_REQUIRED',
    );
    expectProblem(
      await get(`/api/v1/catalog/exports/report?library=${library.id}&format=marc21`, otherStaff),
      403,
      'FORBIDDEN',
    );
  });
});

describe('DELETE /api/v1/catalog/records/:id', () => {
  it('lets only staff of the record’s library delete it; the record is then gone from exports and marked deleted', async () => {
    const target = ids.find((id) => id !== wizardId)!;
    const url = `/api/v1/catalog/records/${target}`;
    expectProblem(await env.app.inject({ method: 'DELETE', url }), 401, 'AUTHENTICATION_REQUIRED');
    expectProblem(await env.app.inject({ method: 'DELETE', url, headers: otherStaff }), 403, 'FORBIDDEN');
    expect((await get(`${url}?format=dc`)).statusCode).toBe(200);
    const res = await env.app.inject({ method: 'DELETE', url, headers: staff });
    expect(res.statusCode).toBe(200);
    expectProblem(await get(`${url}?format=dc`), 410, 'CATALOG_RECORD_DELETED');
    expectProblem(await env.app.inject({ method: 'DELETE', url, headers: staff }), 410, 'CATALOG_RECORD_DELETED');
    const all = (await get(`/api/v1/catalog/exports?library=${library.id}&format=marcxml`, staff)).body;
    expect(all.match(/<record>/g)).toHaveLength(ids.length - 1);
    const row = await catalogDb(env.ctx.db)
      .selectFrom('catalog_records')
      .select(['deleted_at'])
      .where('id', '=', target)
      .executeTakeFirstOrThrow();
    expect(row.deleted_at).not.toBeNull();
  });
});
