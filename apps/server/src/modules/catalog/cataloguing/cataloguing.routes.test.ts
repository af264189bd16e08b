import fs from 'node:fs';
import path from 'node:path';
import type { CataloguingRecord, MarcDataFieldInput, MarcProblem, MarcRecordInput } from '@athenaeum/contracts';
import { readRecords, type MarcRecord } from '@athenaeum/marc';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { expectProblem } from '../../../test/helpers.js';
import { SHARED_DATA } from '../../../test/xml-schemas.js';
import { buildOrganization, buildPerson, signInAs } from '../../accounts/accounts.factories.js';
import { catalogDb } from '../catalog.repository.js';
import { importRecords } from '../import/import-records.js';
import { record } from '../normalize/marc-fixtures.js';

let env: TestEnv;
let library: { id: string };
let other: { id: string };
let staff: Record<string, string>;
let otherStaff: Record<string, string>;
let wizardId: string;
let tombsId: string;

const LEADER = '00000cam a2200000 i 4500';
const F008 = '850101s1968    cau           000 1 eng d';

async function importOne(libraryId: string, lines: string[]) {
  return importRecords(env.ctx, [{ record: record(LEADER, lines), position: { index: 0 } }], {
    libraryId,
    flavour: 'marc21',
    sourceFormat: 'iso2709',
  });
}

async function recordRow(id: string) {
  return catalogDb(env.ctx.db)
    .selectFrom('catalog_records')
    .select(['id', 'work_id', 'content_hash', 'updated_at', 'record_key', 'work_pinned', 'imported_latest'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

const idOf = async (key: string) =>
  (
    await catalogDb(env.ctx.db)
      .selectFrom('catalog_records')
      .select('id')
      .where('record_key', '=', key)
      .executeTakeFirstOrThrow()
  ).id;

const auditCount = async (action: string) =>
  Number(
    (await sql<{ n: number }>`select count(*)::int as n from audit_log where action = ${action}`.execute(env.ctx.db))
      .rows[0]!.n,
  );

beforeAll(async () => {
  env = await createTestEnv();
  library = await buildOrganization(env.ctx, { code: 'CAT-LIB' });
  other = await buildOrganization(env.ctx, { code: 'CAT-OTHER' });
  await importOne(library.id, [
    '001 CAT-W1',
    `008 ${F008}`,
    '020 __$a9780547773742',
    '100 1_$aLe Guin, Ursula K.',
    '245 14$aThe wizard of Earthsea /$cUrsula K. Le Guin.',
    '264 _1$aBoston :$bHoughton Mifflin,$c1968.',
  ]);
  await importOne(library.id, [
    '001 CAT-T1',
    `008 ${F008}`,
    '020 __$a9780689845369',
    '100 1_$aLe Guin, Ursula K.',
    '245 14$aThe tombs of Atuan /$cUrsula K. Le Guin.',
  ]);
  wizardId = await idOf('-/CAT-W1');
  tombsId = await idOf('-/CAT-T1');
  staff = (await signInAs(env.app, (await buildPerson(env.ctx, { roles: [[library.id, 'staff']] })).email)).headers;
  otherStaff = (await signInAs(env.app, (await buildPerson(env.ctx, { roles: [[other.id, 'admin']] })).email)).headers;
});

const get = (id: string, headers = staff) =>
  env.app.inject({ method: 'GET', url: `/api/v1/catalog/records/${id}/cataloguing`, headers });
const put = (id: string, payload: unknown, headers = staff) =>
  env.app.inject({ method: 'PUT', url: `/api/v1/catalog/records/${id}`, headers, payload: payload as object });

function withField(marc: MarcRecordInput, tag: string, change: (f: MarcDataFieldInput) => MarcDataFieldInput) {
  return {
    ...marc,
    fields: marc.fields.map((f) => (f.tag === tag && 'subfields' in f ? change(f) : f)),
  };
}

describe('GET /api/v1/catalog/records/:id/cataloguing', () => {
  it("gives the library's staff the MARC, its version, the normalized fields and the items", async () => {
    const res = await get(wizardId);
    expect(res.statusCode).toBe(200);
    const body = res.json() as CataloguingRecord;
    expect(body).toMatchObject({
      id: wizardId,
      libraryId: library.id,
      flavour: 'marc21',
      workPinned: false,
      items: [],
    });
    expect(body.version).toBe((await recordRow(wizardId)).content_hash);
    expect(body.marc.fields.find((f) => f.tag === '245')).toEqual({
      tag: '245',
      ind1: '1',
      ind2: '4',
      subfields: [
        { code: 'a', value: 'The wizard of Earthsea /' },
        { code: 'c', value: 'Ursula K. Le Guin.' },
      ],
    });
    expect(body.fields.title).toBe('The wizard of Earthsea');
  });

  it('is refused to staff of another library and to the anonymous', async () => {
    expectProblem(await get(wizardId, otherStaff), 403, 'FORBIDDEN');
    expectProblem(await get(wizardId, {}), 401, 'AUTHENTICATION_REQUIRED');
  });
});

describe('PUT /api/v1/catalog/records/:id', () => {
  it('refuses a record with problems with 422 listing every one of them, and changes nothing', async () => {
    const before = await recordRow(wizardId);
    const current = (await get(wizardId)).json() as CataloguingRecord;
    let marc = withField(current.marc, '245', (f) => ({ ...f, ind1: '7' }));
    marc = withField(marc, '100', (f) => ({ ...f, subfields: [...f.subfields, { code: 'Q', value: '' }] }));
    const res = await put(wizardId, { marc, expectedVersion: current.version });
    const problem = expectProblem(res, 422, 'CATALOG_RECORD_INVALID') as { problems?: MarcProblem[] };
    const index245 = marc.fields.findIndex((f) => f.tag === '245');
    const index100 = marc.fields.findIndex((f) => f.tag === '100');
    expect((res.json() as { problems: MarcProblem[] }).problems).toEqual([
      { code: 'SUBFIELD_CODE_INVALID', field: index100, tag: '100', subfield: 1, value: 'Q' },
      { code: 'INDICATOR_UNDEFINED', field: index245, tag: '245', indicator: 1, value: '7', expected: '01' },
    ]);
    expect(problem).toBeTruthy();
    expect(await recordRow(wizardId)).toEqual(before);
  });

  it('saves a corrected record: new fields, a moved updated_at, the work refreshed, an audit entry', async () => {
    const before = await recordRow(wizardId);
    const current = (await get(wizardId)).json() as CataloguingRecord;
    const marc = withField(current.marc, '245', (f) => ({
      ...f,
      subfields: [{ code: 'a', value: 'A wizard of Earthsea /' }, ...f.subfields.slice(1)],
    }));
    const audits = await auditCount('catalog.record.updated');
    const res = await put(wizardId, { marc, expectedVersion: current.version });
    expect(res.statusCode).toBe(200);
    const saved = res.json() as CataloguingRecord;
    expect(saved.version).not.toBe(current.version);
    expect(saved.fields.title).toBe('A wizard of Earthsea');
    // Same ISBN: it stays in its work, whose title follows its (only) record.
    expect(saved.workId).toBe(before.work_id);
    const after = await recordRow(wizardId);
    expect(after.updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
    const work = await env.app.inject({ method: 'GET', url: `/api/v1/catalog/works/${saved.workId}` });
    expect(work.json()).toMatchObject({ title: 'A wizard of Earthsea' });
    const found = await env.app.inject({ method: 'GET', url: '/api/v1/catalog/search?q=title:wizard' });
    expect((found.json() as { items: Array<{ id: string }> }).items.map((i) => i.id)).toContain(saved.workId);
    expect(await auditCount('catalog.record.updated')).toBe(audits + 1);
  });

  it('keeps staff edits when the same version is imported again; a newer version from the source replaces them', async () => {
    const version = (title: string) => [
      '001 CAT-E1',
      `008 ${F008}`,
      '100 1_$aKlein, Ada.',
      `245 10$a${title} /$cAda Klein.`,
    ];
    await importOne(library.id, version('Shelving notes'));
    const id = await idOf('-/CAT-E1');
    const retitle = async (title: string) => {
      const current = (await get(id)).json() as CataloguingRecord;
      const marc = withField(current.marc, '245', (f) => ({
        ...f,
        subfields: [{ code: 'a', value: `${title} /` }, ...f.subfields.slice(1)],
      }));
      expect((await put(id, { marc, expectedVersion: current.version })).statusCode).toBe(200);
    };
    const title = async () => ((await get(id)).json() as CataloguingRecord).fields.title;

    await retitle('Shelving notes, corrected');
    await retitle('Shelving notes, corrected twice');
    // The nightly re-import of the unchanged file: nothing changes, the edits stay.
    expect(await importOne(library.id, version('Shelving notes'))).toMatchObject({ unchanged: 1, updated: 0 });
    expect(await title()).toBe('Shelving notes, corrected twice');
    // The source's newer version replaces the record, and is then what a re-import compares with.
    expect(await importOne(library.id, version('Shelving notes, second edition'))).toMatchObject({ updated: 1 });
    expect(await title()).toBe('Shelving notes, second edition');
    expect(await importOne(library.id, version('Shelving notes, second edition'))).toMatchObject({ unchanged: 1 });
  });

  it('keeps staff edits when an older version is imported (an old export loaded by mistake), by the 005 imported', async () => {
    const version = (latest: string, title: string) => [
      '001 CAT-E2',
      `005 ${latest}`,
      `008 ${F008}`,
      '100 1_$aKlein, Ada.',
      `245 10$a${title} /$cAda Klein.`,
    ];
    await importOne(library.id, version('20230101000000.0', 'Reading rooms'));
    const id = await idOf('-/CAT-E2');
    const edit = async (change: (marc: CataloguingRecord['marc']) => CataloguingRecord['marc']) => {
      const current = (await get(id)).json() as CataloguingRecord;
      expect((await put(id, { marc: change(current.marc), expectedVersion: current.version })).statusCode).toBe(200);
    };
    const title = async () => ((await get(id)).json() as CataloguingRecord).fields.title;
    await edit((marc) =>
      withField(marc, '245', (f) => ({ ...f, subfields: [{ code: 'a', value: 'Reading rooms, corrected /' }] })),
    );
    // A second edit that moves the 005 by hand: the imported version's 005 is what imports compare with.
    await edit((marc) => ({
      ...marc,
      fields: marc.fields.map((f) => (f.tag === '005' ? { tag: '005', value: '20100101000000.0' } : f)),
    }));
    expect(await importOne(library.id, version('20190101000000.0', 'Reading rooms, first draft'))).toMatchObject({
      unchanged: 1,
      updated: 0,
    });
    expect(await title()).toBe('Reading rooms, corrected');
    // The source's newer version still replaces the edited record.
    expect(await importOne(library.id, version('20240101000000.0', 'Reading rooms, revised'))).toMatchObject({
      updated: 1,
    });
    expect(await title()).toBe('Reading rooms, revised');
    expect((await recordRow(id)).imported_latest).toBeNull();
  });

  it('answers 409 to a save based on a version someone else has replaced', async () => {
    const current = (await get(wizardId)).json() as CataloguingRecord;
    const marc = withField(current.marc, '100', (f) => ({ ...f, ind1: '0' }));
    expect((await put(wizardId, { marc, expectedVersion: current.version })).statusCode).toBe(200);
    const stale = withField(current.marc, '100', (f) => ({ ...f, ind1: '3' }));
    const res = await put(wizardId, { marc: stale, expectedVersion: current.version });
    expectProblem(res, 409, 'CATALOG_RECORD_CHANGED');
    expect((res.json() as { currentVersion: string }).currentVersion).toBe((await recordRow(wizardId)).content_hash);
  });

  it('lets only one of two concurrent saves of the same version win', async () => {
    const current = (await get(tombsId)).json() as CataloguingRecord;
    const a = withField(current.marc, '100', (f) => ({ ...f, ind1: '0' }));
    const b = withField(current.marc, '100', (f) => ({ ...f, ind1: '3' }));
    const results = await Promise.all([
      put(tombsId, { marc: a, expectedVersion: current.version }),
      put(tombsId, { marc: b, expectedVersion: current.version }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
  });

  it('moves a record to the work it now matches, and keeps a pinned record in its work', async () => {
    const tombs = (await get(tombsId)).json() as CataloguingRecord;
    const wizardWork = (await recordRow(wizardId)).work_id;
    const marc = withField(tombs.marc, '020', () => ({
      tag: '020',
      ind1: ' ',
      ind2: ' ',
      subfields: [{ code: 'a', value: '9780547773742' }],
    }));
    const moved = (await put(tombsId, { marc, expectedVersion: tombs.version })).json() as CataloguingRecord;
    expect(moved.workId).toBe(wizardWork);
    // Its old work had no other record: gone, its address leads to the work the record joined.
    const old = await env.app.inject({ method: 'GET', url: `/api/v1/catalog/works/${tombs.workId}` });
    expect(old.statusCode).toBe(301);
    expect(old.headers.location).toBe(`/api/v1/catalog/works/${wizardWork}`);
    await catalogDb(env.ctx.db)
      .updateTable('catalog_records')
      .set({ work_pinned: true })
      .where('id', '=', tombsId)
      .execute();
    const back = withField(moved.marc, '020', (f) => ({ ...f, subfields: [{ code: 'a', value: '9780689845369' }] }));
    const kept = (await put(tombsId, { marc: back, expectedVersion: moved.version })).json() as CataloguingRecord;
    expect(kept.workId).toBe(wizardWork);
  });

  it('refuses staff of another library (403) and unknown records (404)', async () => {
    const current = (await get(wizardId)).json() as CataloguingRecord;
    const before = await recordRow(wizardId);
    expectProblem(
      await put(wizardId, { marc: current.marc, expectedVersion: current.version }, otherStaff),
      403,
      'FORBIDDEN',
    );
    expect(await recordRow(wizardId)).toEqual(before);
    expectProblem(
      await put('0190c2a4-0000-7000-8000-000000000000', { marc: current.marc, expectedVersion: 'x' }),
      404,
      'CATALOG_RECORD_NOT_FOUND',
    );
  });
});

describe('POST /api/v1/organizations/:id/catalog/records', () => {
  const post = (libraryId: string, payload: unknown, headers = staff) =>
    env.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${libraryId}/catalog/records`,
      headers,
      payload: payload as object,
    });
  const marc = (title: string, extra: string[] = []) =>
    record(LEADER, [`008 ${F008}`, '100 1_$aNew, Author.', `245 10$a${title}`, ...extra]);

  it('adds a record to the library: clustered into a new work, searchable, audited', async () => {
    const audits = await auditCount('catalog.record.created');
    const res = await post(library.id, { marc: marc('Quillwort and quartz') });
    expect(res.statusCode).toBe(201);
    const created = res.json() as CataloguingRecord;
    expect(res.headers.location).toBe(`/api/v1/catalog/records/${created.id}/cataloguing`);
    expect(created).toMatchObject({ libraryId: library.id, flavour: 'marc21', items: [] });
    expect((await recordRow(created.id)).record_key).toBe(`editor:${created.id}`);
    const work = await env.app.inject({ method: 'GET', url: `/api/v1/catalog/works/${created.workId}` });
    expect(work.json()).toMatchObject({ title: 'Quillwort and quartz', libraryIds: [library.id] });
    const found = await env.app.inject({ method: 'GET', url: '/api/v1/catalog/search?q=quillwort' });
    expect((found.json() as { total: number }).total).toBe(1);
    expect(await auditCount('catalog.record.created')).toBe(audits + 1);
  });

  it('refuses an invalid record (422), a taken control number (409), a branch (422) and other staff (403)', async () => {
    const invalid = await post(library.id, {
      marc: { leader: LEADER, fields: [{ tag: '100', ind1: '1', ind2: ' ', subfields: [] }] },
    });
    expectProblem(invalid, 422, 'CATALOG_RECORD_INVALID');
    expect((invalid.json() as { problems: MarcProblem[] }).problems.map((p) => p.code)).toEqual([
      'SUBFIELDS_MISSING',
      'FIELD_MISSING',
    ]);
    expectProblem(await post(library.id, { marc: marc('Copy', ['001 CAT-W1']) }), 409, 'CATALOG_RECORD_KEY_TAKEN');
    const branch = await buildOrganization(env.ctx, { kind: 'branch', parentId: library.id });
    expectProblem(await post(branch.id, { marc: marc('Branch') }), 422, 'CATALOG_NOT_A_LIBRARY');
    expectProblem(await post(library.id, { marc: marc('Intruder') }, otherStaff), 403, 'FORBIDDEN');
    const count = await catalogDb(env.ctx.db)
      .selectFrom('catalog_records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('fields', 'is not', null)
      .where(sql<boolean>`fields->>'title' in ('Copy', 'Branch', 'Intruder')`)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });
});

describe('saving a record that had problems before the edit', () => {
  // A real record of jazz_1k.mrc (Evergreen's sample): blank indicators where MARC 21 defines values.
  async function jazzRecord(controlNumber: string): Promise<MarcRecord> {
    const file = path.join(SHARED_DATA, 'marc/evergreen/jazz_1k.mrc');
    for await (const item of readRecords(fs.createReadStream(file), { format: 'marc21' })) {
      if (
        'record' in item &&
        item.record.fields.some((f) => f.tag === '001' && 'value' in f && f.value === controlNumber)
      )
        return item.record;
    }
    throw new Error(`no record ${controlNumber}`);
  }
  const keys = (problems: MarcProblem[]) => problems.map((p) => `${p.code} ${p.tag} ${p.indicator} '${p.value}'`);
  const OLD = ["INDICATOR_UNDEFINED 050 2 ' '", "INDICATOR_UNDEFINED 246 1 ' '", "INDICATOR_UNDEFINED 505 1 ' '"];
  const addField = (marc: MarcRecordInput, field: MarcDataFieldInput): MarcRecordInput => {
    const at = marc.fields.findIndex((f) => f.tag > field.tag);
    return { ...marc, fields: at < 0 ? [...marc.fields, field] : marc.fields.toSpliced(at, 0, field) };
  };

  it('saves an added subject though the record has old blank indicators, told as warnings; new faults are refused', async () => {
    const jazz = await jazzRecord('03-0018058');
    await importRecords(env.ctx, [{ record: jazz, position: { index: 0 } }], {
      libraryId: library.id,
      flavour: 'marc21',
      sourceFormat: 'iso2709',
    });
    const id = await idOf('-/03-0018058');
    const opened = (await get(id)).json() as CataloguingRecord;
    expect(keys(opened.warnings!)).toEqual(OLD);

    // A new record with these faults is refused whole: new records keep full validation.
    const created = await env.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${library.id}/catalog/records`,
      headers: staff,
      payload: { marc: { ...opened.marc, fields: opened.marc.fields.filter((f) => f.tag !== '001') } },
    });
    expectProblem(created, 422, 'CATALOG_RECORD_INVALID');
    expect(keys((created.json() as { problems: MarcProblem[] }).problems)).toEqual(OLD);

    // A new bad indicator (on a 700, and a second 246 with a blank first indicator) is refused, and
    // named; the old ones come as warnings; nothing changes.
    const before = await recordRow(id);
    let bad = addField(opened.marc, {
      tag: '700',
      ind1: ' ',
      ind2: ' ',
      subfields: [{ code: 'a', value: 'Davis, Miles.' }],
    });
    bad = addField(bad, { tag: '246', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'Another title' }] });
    const refused = await put(id, { marc: bad, expectedVersion: opened.version });
    expectProblem(refused, 422, 'CATALOG_RECORD_INVALID');
    const body = refused.json() as { detail: string; problems: MarcProblem[]; warnings: MarcProblem[] };
    expect(body.detail).toBe('The record has 2 problems to correct; nothing was saved.');
    expect(body.problems).toEqual([
      {
        code: 'INDICATOR_UNDEFINED',
        field: bad.fields.findLastIndex((f) => f.tag === '246'),
        tag: '246',
        indicator: 1,
        value: ' ',
        expected: '0123',
      },
      {
        code: 'INDICATOR_UNDEFINED',
        field: bad.fields.findLastIndex((f) => f.tag === '700'),
        tag: '700',
        indicator: 1,
        value: ' ',
        expected: '013',
      },
    ]);
    expect(keys(body.warnings)).toEqual(OLD);
    expect(await recordRow(id)).toEqual(before);

    // One subject added: saved, the old faults kept as they were and told as warnings.
    const subjects = opened.fields.subjects.length;
    const marc = addField(opened.marc, {
      tag: '650',
      ind1: ' ',
      ind2: '0',
      subfields: [{ code: 'a', value: 'Jazz musicians.' }],
    });
    const saved = await put(id, { marc, expectedVersion: opened.version });
    expect(saved.statusCode).toBe(200);
    const after = saved.json() as CataloguingRecord;
    expect(after.version).not.toBe(opened.version);
    expect(after.fields.subjects.length).toBe(subjects + 1);
    expect(after.fields.subjects.map((s) => s.heading)).toContain('Jazz musicians');
    expect(keys(after.warnings!)).toEqual(OLD);
  });
});
