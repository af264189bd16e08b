import { parseCql } from '@athenaeum/cql';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { buildOrganization } from '../../accounts/accounts.factories.js';
import { marcRecord } from '../catalog.factories.js';
import { importRecords } from '../index.js';
import { searchRecordsByCql } from './cql-search.js';

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
