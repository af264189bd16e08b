import { parseCql } from '@athenaeum/cql';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { principalOf } from '../../../test/helpers.js';
import { buildOrganization, buildPerson } from '../../accounts/accounts.factories.js';
import { marcRecord } from '../catalog.factories.js';
import { importRecords, splitWork } from '../index.js';
import { searchRecordsByCql, type CqlHit } from './cql-search.js';

let env: TestEnv;

// Three works with "winter" in the title, held 6, 3 and 2 times, and one without it.
const editions = (id: string, title: string, author: string, count: number) =>
  Array.from({ length: count }, (_, i) =>
    marcRecord('00000cam a2200000 a 4500', [
      `001 ${id}-${i}`,
      `008 850101s${1990 + i}    nyu           000 1 eng d`,
      `100 1_$a${author}`,
      `245 10$a${title}`,
    ]),
  );

beforeAll(async () => {
  env = await createTestEnv();
  const lib = await buildOrganization(env.ctx, { code: 'CQL-A' });
  const records = [
    ...editions('TALES', 'Winter tales', 'Frost, Anna', 6),
    ...editions('GARDEN', 'The winter garden', 'Birch, Tom', 3),
    ...editions('ROAD', 'Winter road', 'Lake, Ida', 2),
    ...editions('SUMMER', 'Summer light', 'Frost, Anna', 2),
  ];
  await importRecords(
    env.ctx,
    records.map((record, index) => ({ record, position: { index } })),
    { libraryId: lib.id, flavour: 'marc21', sourceFormat: 'iso2709' },
  );
});

describe('a CQL search with many candidates (checked only until the page is full)', () => {
  it('finds the same records as the exact search, most widely held work first, page after page without repeats', async () => {
    const query = parseCql('dc.title=winter');
    const exact = await searchRecordsByCql(env.ctx, query, { offset: 0, limit: 100 });
    expect(exact.total).toBe(11);
    expect(exact.approximate).toBeUndefined();

    const seen: string[] = [];
    const works: string[] = [];
    for (let offset = 0; offset < 12; offset += 4) {
      const page = await searchRecordsByCql(env.ctx, query, { offset, limit: 4 }, { exactUpTo: 0 });
      expect(page.approximate).toBe(true);
      expect(page.total).toBeGreaterThanOrEqual(offset + page.records.length);
      seen.push(...page.records.map((r) => r.id));
      works.push(...page.records.map((r) => r.workId));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(exact.records.map((r) => r.id).sort());
    // The work held 6 times comes first, then the one held 3 times, then the one held twice.
    expect(works.slice(0, 6).every((w) => w === works[0])).toBe(true);
    expect(works.slice(6, 9).every((w) => w === works[6])).toBe(true);
    expect(new Set(works).size).toBe(3);
  });

  it('checks each record, not only its work: of two editions of one work, only the one with the subject is found', async () => {
    const lib = await buildOrganization(env.ctx, { code: 'CQL-B' });
    const edition = (id: string, subject: string) =>
      marcRecord('00000cam a2200000 a 4500', [
        `001 ${id}`,
        '008 850101s1990    nyu           000 1 eng d',
        '100 1_$aMoss, Ria',
        '245 10$aAnimals at home',
        `650 _0$a${subject}`,
      ]);
    await importRecords(
      env.ctx,
      [edition('PETS-1', 'Cats'), edition('PETS-2', 'Dogs')].map((record, index) => ({ record, position: { index } })),
      { libraryId: lib.id, flavour: 'marc21', sourceFormat: 'iso2709' },
    );
    const works = await sql<{
      n: number;
    }>`select count(distinct work_id)::int as n from catalog_records where organization_id = ${lib.id}`.execute(
      env.ctx.db,
    );
    expect(works.rows[0]!.n).toBe(1);
    const page = await searchRecordsByCql(
      env.ctx,
      parseCql('dc.subject=cats'),
      { offset: 0, limit: 10 },
      { exactUpTo: 0 },
    );
    expect(page.records.map((r) => r.marc.fields.find((f) => f.tag === '001'))).toMatchObject([{ value: 'PETS-1' }]);
  });
});

describe("subject searches read a work's records from their subject terms (catalog_search.record_subject_terms)", () => {
  // One work (same title and author) in seven editions with different subjects and languages:
  // "Cooks" stems to "cook" in English, as "cooking" does; the French edition keeps "cooking".
  let lib: { id: string };
  const edition = (id: string, subjects: string[], lang = 'eng', year = 1990) =>
    marcRecord('00000cam a2200000 a 4500', [
      `001 ${id}`,
      `008 850101s${year}    nyu           000 1 ${lang} d`,
      '100 1_$aHale, Nora',
      '245 10$aKitchen notes',
      ...subjects.map((s) => `650 _0$a${s}`),
    ]);
  const load = (records: ReturnType<typeof edition>[]) =>
    importRecords(
      env.ctx,
      records.map((record, index) => ({ record, position: { index } })),
      { libraryId: lib.id, flavour: 'marc21', sourceFormat: 'iso2709' },
    );
  const controlNumber = (r: CqlHit) => {
    const field = r.marc.fields.find((f) => f.tag === '001');
    return field && 'value' in field ? field.value : '';
  };
  const idsOf = (records: CqlHit[]) => records.map(controlNumber).sort();
  const paged = async (cql: string) => {
    const out: string[] = [];
    for (let offset = 0; offset < 10; offset += 2) {
      const page = await searchRecordsByCql(env.ctx, parseCql(cql), { offset, limit: 2 }, { exactUpTo: 0 });
      expect(page.approximate).toBe(true);
      out.push(...idsOf(page.records));
    }
    return out.sort();
  };
  const exact = async (cql: string) =>
    idsOf((await searchRecordsByCql(env.ctx, parseCql(cql), { offset: 0, limit: 100 })).records);

  beforeAll(async () => {
    lib = await buildOrganization(env.ctx, { code: 'CQL-C' });
    await load([
      edition('KN-1', ['Cooking', 'History'], 'eng', 1991),
      edition('KN-2', ['Cooks'], 'eng', 1992),
      edition('KN-3', ['Gardens'], 'eng', 1993),
      edition('KN-4', ['Cooking'], 'fre', 1994),
      edition('KN-5', ['History'], 'eng', 1995),
      edition('KN-6', ['Cooking', 'Gardens'], 'eng', 1996),
      edition('KN-7', ['Travel'], 'eng', 1997),
    ]);
    const works = await sql<{
      n: number;
    }>`select count(distinct work_id)::int as n from catalog_records where organization_id = ${lib.id}`.execute(
      env.ctx.db,
    );
    expect(works.rows[0]!.n).toBe(1);
  });

  it('finds, page after page, the records the exact search finds, for words, stems, phrases and booleans', async () => {
    expect(await paged('dc.subject=cooking')).toEqual(['KN-1', 'KN-2', 'KN-4', 'KN-6']);
    for (const cql of [
      'dc.subject=cooking',
      'dc.subject="cooking history"',
      'dc.subject all "cooking gardens"',
      'dc.subject any "history gardens"',
      'dc.subject=history or dc.subject=travel',
      'dc.title=kitchen and dc.subject=gardens',
      'dc.subject=cooking not dc.subject=gardens',
    ])
      expect({ cql, found: await paged(cql) }).toEqual({ cql, found: await exact(cql) });
  });

  it('lists a work’s records newest first', async () => {
    const page = await searchRecordsByCql(
      env.ctx,
      parseCql('dc.subject=cooking'),
      { offset: 0, limit: 4 },
      { exactUpTo: 0 },
    );
    expect(idsOf(page.records.slice(0, 1))).toEqual(['KN-6']);
    expect(page.records.map(controlNumber)).toEqual(['KN-6', 'KN-4', 'KN-2', 'KN-1']);
  });

  it('follows a record whose subjects, year or work change, and leaves out deleted records', async () => {
    // Re-imported with another subject: found by the new one only.
    await load([edition('KN-7', ['Cooking'], 'eng', 1997)]);
    expect(await paged('dc.subject=cooking')).toEqual(['KN-1', 'KN-2', 'KN-4', 'KN-6', 'KN-7']);
    expect(await exact('dc.subject=travel')).toEqual([]);
    const kn7 = await sql<{ term: string }>`
      select t.term from catalog_search.record_subject_terms t join catalog_records r on r.id = t.record_id
      where r.organization_id = ${lib.id} and r.record_key like '%KN-7' order by t.term`.execute(env.ctx.db);
    expect(kn7.rows.map((r) => r.term)).toEqual(['cook', 'cooking']);

    // A new year reorders the work's records.
    await sql`update catalog_records set year = 2001 where organization_id = ${lib.id} and record_key like '%KN-1'`.execute(
      env.ctx.db,
    );
    const first = await searchRecordsByCql(
      env.ctx,
      parseCql('dc.subject=cooking'),
      { offset: 0, limit: 1 },
      { exactUpTo: 0 },
    );
    expect(idsOf(first.records)).toEqual(['KN-1']);

    // Split off to a work of its own by staff: found there.
    const staff = await buildPerson(env.ctx, { roles: [[lib.id, 'staff']] });
    const kn4 = await sql<{ id: string; work_id: string }>`
      select id, work_id from catalog_records where organization_id = ${lib.id} and record_key like '%KN-4'`.execute(
      env.ctx.db,
    );
    const split = await splitWork(env.ctx, principalOf(staff.id), kn4.rows[0]!.work_id, [kn4.rows[0]!.id]);
    expect(split.moved).toBe(1);
    expect(await paged('dc.subject=cooking')).toEqual(['KN-1', 'KN-2', 'KN-4', 'KN-6', 'KN-7']);
    const terms = await sql<{ work_id: string }>`
      select distinct t.work_id from catalog_search.record_subject_terms t where t.record_id = ${kn4.rows[0]!.id}`.execute(
      env.ctx.db,
    );
    expect(terms.rows).toEqual([{ work_id: split.toWorkId }]);

    // Deleted: not found.
    await sql`update catalog_records set deleted_at = now() where organization_id = ${lib.id} and record_key like '%KN-6'`.execute(
      env.ctx.db,
    );
    expect(await paged('dc.subject=cooking')).toEqual(['KN-1', 'KN-2', 'KN-4', 'KN-7']);
  });
});
