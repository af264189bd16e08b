import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CatalogSearchQuery } from '@athenaeum/contracts';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { buildOrganization } from '../../accounts/accounts.factories.js';
import { importRecords } from '../import/import-records.js';
import { record } from '../normalize/marc-fixtures.js';
import { searchCatalog } from './search.service.js';

// Persian and Urdu are typed with their own yeh (U+06CC) and kaf (keheh, U+06A9), Arabic with
// U+064A and U+0643: a union catalogue holds both, and a query typed either way finds both.
let env: TestEnv;
let libraryId: string;
const titles = async (q: string) =>
  (await searchCatalog(env.ctx, CatalogSearchQuery.parse({ q, sort: 'title' }))).items.map((i) => i.title);

const rec = (id: string, lines: string[]) =>
  record('00000cam a2200000 a 4500', [`001 ${id}`, '003 P', '008 850101s1990    ir            000 1 per d', ...lines]);

// Arabic-typed: كتاب (kaf U+0643), الكيمياء (kaf, yeh U+064A).
const ARABIC_TITLE = '\u0643\u062A\u0627\u0628 \u0627\u0644\u0643\u064A\u0645\u064A\u0627\u0621';
// Persian-typed: تاریخ ادبیات (Farsi yeh U+06CC); subject کودکان (keheh U+06A9).
const PERSIAN_TITLE = '\u062A\u0627\u0631\u06CC\u062E \u0627\u062F\u0628\u06CC\u0627\u062A';
const PERSIAN_SUBJECT = '\u06A9\u0648\u062F\u06A9\u0627\u0646';

beforeAll(async () => {
  env = await createTestEnv();
  libraryId = (await buildOrganization(env.ctx)).id;
  const records = [
    rec('ar', ['100 0_$aجابر بن حيان.', `245 10$a${ARABIC_TITLE}.`]),
    rec('fa', [`245 10$a${PERSIAN_TITLE}.`, `650 _4$a${PERSIAN_SUBJECT}.`]),
  ];
  await importRecords(
    env.ctx,
    records.map((r, index) => ({ record: r, position: { index } })),
    { libraryId, flavour: 'marc21', sourceFormat: 'iso2709' },
  );
});

describe('catalogue search folds Persian letter forms with the Arabic ones', () => {
  it('finds an Arabic-typed title (kaf, yeh) by a Persian-typed query', async () => {
    // کتاب الکیمیاء: keheh and Farsi yeh.
    expect(await titles('\u06A9\u062A\u0627\u0628 \u0627\u0644\u06A9\u06CC\u0645\u06CC\u0627\u0621')).toEqual([
      ARABIC_TITLE,
    ]);
    expect(await titles(`title:\u0627\u0644\u06A9\u06CC\u0645\u06CC\u0627\u0621`)).toEqual([ARABIC_TITLE]);
  });

  it('finds a Persian-typed title and subject by an Arabic-typed query', async () => {
    expect(await titles('\u062A\u0627\u0631\u064A\u062E \u0627\u062F\u0628\u064A\u0627\u062A')).toEqual([
      PERSIAN_TITLE,
    ]);
    expect(await titles('subject:\u0643\u0648\u062F\u0643\u0627\u0646')).toEqual([PERSIAN_TITLE]);
    // And as typed, of course.
    expect(await titles(PERSIAN_TITLE)).toEqual([PERSIAN_TITLE]);
  });

  it('migration 0031 folds text stored the old way, so queries folded the new way find it', async () => {
    const migration = fs.readFileSync(
      fileURLToPath(new URL('../../../../migrations/0031_catalog_persian_letter_folding.sql', import.meta.url)),
      'utf8',
    );
    const old = (text: string) => text.replaceAll('\u064A', '\u06CC').replaceAll('\u0643', '\u06A9');
    const fold = `translate(%s, '\u064A\u0643', '\u06CC\u06A9')`;
    // The Persian record as the old folding stored it: Farsi yeh and keheh kept.
    await sql
      .raw(
        `update catalog_records set search_doc = ${fold.replace('%s', 'search_doc::text')}::jsonb,
          title_author_key = ${fold.replace('%s', 'title_author_key')}
        where record_key = 'P/fa' and organization_id = '${libraryId}';
        update catalog_works set search_vector = ${fold.replace('%s', 'search_vector::text')}::tsvector,
          rank_vector = ${fold.replace('%s', 'rank_vector::text')}::tsvector,
          title_author_key = ${fold.replace('%s', 'title_author_key')}
        where id = (select work_id from catalog_records where record_key = 'P/fa' and organization_id = '${libraryId}');
        update catalog_work_keys set key = ${fold.replace('%s', 'key')}
        where key like 'ta:%' and work_id = (select work_id from catalog_records where record_key = 'P/fa' and organization_id = '${libraryId}')`,
      )
      .execute(env.ctx.db);
    const stored = async () =>
      (
        await sql<{ doc: string; key: string; work_key: string; ta: string }>`
          select r.search_doc->>'a' as doc, r.title_author_key as key, w.title_author_key as work_key, k.key as ta
          from catalog_records r join catalog_works w on w.id = r.work_id
            join catalog_work_keys k on k.work_id = w.id and k.key like 'ta:%'
          where r.record_key = 'P/fa' and r.organization_id = ${libraryId}`.execute(env.ctx.db)
      ).rows;
    expect(await stored()).toEqual([
      {
        doc: old('تاريخ ادبيات'),
        key: old('تاريخ ادبيات|'),
        work_key: old('تاريخ ادبيات|'),
        ta: old('ta:تاريخ ادبيات|'),
      },
    ]);
    expect(await titles('\u062A\u0627\u0631\u064A\u062E')).toEqual([]);
    expect(await titles('subject:\u0643\u0648\u062F\u0643\u0627\u0646')).toEqual([]);

    await sql.raw(migration).execute(env.ctx.db);

    expect(await stored()).toEqual([
      { doc: 'تاريخ ادبيات', key: 'تاريخ ادبيات|', work_key: 'تاريخ ادبيات|', ta: 'ta:تاريخ ادبيات|' },
    ]);
    expect(await titles('\u062A\u0627\u0631\u06CC\u062E')).toEqual([PERSIAN_TITLE]);
    expect(await titles('subject:\u06A9\u0648\u062F\u06A9\u0627\u0646')).toEqual([PERSIAN_TITLE]);
    // The subject index of SRU (0020) follows the record's subject text.
    const terms = await sql<{ term: string }>`
      select t.term from catalog_search.record_subject_terms t join catalog_records r on r.id = t.record_id
      where r.record_key = 'P/fa' and r.organization_id = ${libraryId}`.execute(env.ctx.db);
    expect(terms.rows.map((r) => r.term)).toEqual(['\u0643\u0648\u062F\u0643\u0627\u0646']);
  });
});
