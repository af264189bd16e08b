import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CatalogSearchQuery } from '@athenaeum/contracts';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { buildOrganization } from '../../accounts/accounts.factories.js';
import { importRecords } from '../import/import-records.js';
import { record } from '../normalize/marc-fixtures.js';
import { foldText } from './analyze.js';
import { searchCatalog } from './search.service.js';
import { editDistance } from './suggest.js';

let env: TestEnv;
const search = (q: string) => searchCatalog(env.ctx, CatalogSearchQuery.parse({ q }));
const didYouMean = async (q: string) => (await search(q)).didYouMean;

const rec = (id: string, lang: string, lines: string[]) =>
  record('00000cam a2200000 a 4500', [
    `001 ${id}`,
    '003 SUG',
    `008 850101s1990    xx            000 1 ${lang} d`,
    ...lines,
  ]);

beforeAll(async () => {
  env = await createTestEnv();
  const library = (await buildOrganization(env.ctx)).id;
  const records = [
    rec('1', 'eng', ['100 1_$aShakespeare, William.', '245 10$aHamlet, prince of Denmark.']),
    rec('2', 'eng', ['100 1_$aShakespeare, William.', '245 10$aMacbeth.']),
    rec('3', 'rus', ['100 1_$aДостоевский, Фёдор.', '245 10$aПреступление и наказание.']),
    rec('4', 'spa', ['100 1_$aGarcía Márquez, Gabriel.', '245 10$aCien años de soledad.']),
    rec('5', 'fre', ['100 1_$aDurand, Paul.', '245 10$aLe monde d’hier.']),
    rec('6', 'fre', ['100 1_$aMartin, Anne.', '245 10$aLe monde des livres.']),
    rec('7', 'fre', ['100 1_$aLeroy, Jean.', '245 10$aLa ronde.']),
    rec('8', 'chi', ['100 0_$a鲁迅.', '245 10$a中华人民共和国史.']),
    // Arabic written with hamza under or on alef (إحياء, أبو), alef maksura (الفتاوى, الكبرى) and teh marbuta
    // (تيمية); Persian with Farsi yeh (U+06CC) and keheh (U+06A9): تاریخ ادبیات, کودکان.
    rec('9', 'ara', ['100 0_$aالغزالي، أبو حامد.', '245 10$aإحياء علوم الدين.']),
    rec('10', 'ara', ['100 0_$aابن تيمية.', '245 10$aالفتاوى الكبرى.']),
    rec('11', 'per', [
      '245 10$a\u062A\u0627\u0631\u06CC\u062E \u0627\u062F\u0628\u06CC\u0627\u062A.',
      '650 _4$a\u06A9\u0648\u062F\u06A9\u0627\u0646.',
    ]),
  ];
  await importRecords(
    env.ctx,
    records.map((r, index) => ({ record: r, position: { index } })),
    { libraryId: library, flavour: 'marc21', sourceFormat: 'iso2709' },
  );
});

describe('did you mean', () => {
  it('corrects a misspelled name from the words of the catalogue', async () => {
    const result = await search('shakespear');
    expect(result.total).toBe(0);
    expect(result.didYouMean).toBe('shakespeare');
    expect((await search(result.didYouMean!)).total).toBe(2);
    expect(await didYouMean('Shakspeare hamlte')).toBe('shakespeare hamlet');
  });

  it('corrects Cyrillic and accented words, accent-folded as the index keeps them', async () => {
    expect(await didYouMean('достоевкий')).toBe('достоевский');
    expect(await didYouMean('преступленее')).toBe('преступление');
    expect(await didYouMean('soledda')).toBe('soledad');
    expect(await didYouMean('garcía marqez')).toBe('garcía marquez');
  });

  it('keeps field prefixes, quoted phrases, years and known words as typed', async () => {
    expect(await didYouMean('title:hamlte "prince of denmark" year:1990')).toBe(
      'title:hamlet "prince of denmark" year:1990',
    );
    expect(await didYouMean('author:shakespere')).toBe('author:shakespeare');
    expect(await didYouMean('"hamlte"')).toBeNull();
  });

  it('prefers the most frequent of the nearest words', async () => {
    // "monde" (two works) and "ronde" (one) are both one edit from "londe".
    expect(await didYouMean('londe')).toBe('monde');
  });

  it('suggests nothing for a good query, an unknown word with no near neighbour, or CJK', async () => {
    expect(await didYouMean('hamlet')).toBeNull();
    expect(await didYouMean('преступление')).toBeNull();
    expect(await didYouMean('xylophonique')).toBeNull();
    expect(await didYouMean('人民共和')).toBeNull();
  });

  it('corrects an Arabic or Persian word typed with other letter forms than the catalogue has', async () => {
    // إحياء (hamza under alef, final hamza) typed with a bare alef and without the final hamza: one
    // edit from the word as folded (احياء), two from the word as written.
    expect(await didYouMean('احيا علوم الدين')).toBe('احياء علوم الدين');
    // کودکان (keheh) typed with Arabic kaf and an alef missing.
    expect(await didYouMean('subject:\u0643\u0648\u062F\u0643\u0646')).toBe(
      'subject:\u0643\u0648\u062F\u0643\u0627\u0646',
    );
    // Corrections are in the folded letter forms, which search finds the catalogue's works by.
    expect((await search('احياء علوم الدين')).total).toBe(1);
  });

  it('does not correct an Arabic or Persian word spelled right in another letter form', async () => {
    const queries = [
      'احياء علوم الدين', // bare alef for إ
      'ابو حامد الغزالي', // bare alef for أ
      'الفتاوي الكبري', // yeh for alef maksura
      'الفتاوی الکبری', // Persian-typed: Farsi yeh, keheh
      'ابن تيميه', // heh for teh marbuta
      '\u062A\u0627\u0631\u064A\u062E \u0627\u062F\u0628\u064A\u0627\u062A', // تاريخ ادبيات, Arabic yeh for Farsi yeh
      'subject:\u0643\u0648\u062F\u0643\u0627\u0646', // كودكان, Arabic kaf for keheh
    ];
    const answers = await Promise.all(queries.map(async (q) => search(q)));
    expect(answers.map((a, i) => ({ q: queries[i], total: a.total, didYouMean: a.didYouMean }))).toEqual(
      queries.map((q) => ({ q, total: 1, didYouMean: null })),
    );
  });

  it('keeps the lexicon in the letter forms queries are folded to (catalog_fold_text is foldText in SQL)', async () => {
    // Every character of the Arabic block and of the Arabic presentation forms, alone and between letters.
    const chars: string[] = [];
    for (const [from, to] of [
      [0x600, 0x6ff],
      [0xfb50, 0xfdff],
      [0xfe70, 0xfeff],
    ] as const)
      for (let c = from; c <= to; c++) chars.push(String.fromCodePoint(c));
    const texts = [
      ...chars,
      ...chars.map((c) => `\u0628${c}\u0628`),
      'Révolution ﻛﺘﺎﺏ أَحْمَد',
      'Hamlet, prince of Denmark',
    ];
    const { rows } = await sql<{ folded: string[] }>`
      select array_agg(catalog_fold_text(t) order by n) as folded from unnest(${texts}::text[]) with ordinality as x(t, n)`.execute(
      env.ctx.db,
    );
    const mismatches = texts
      .map((t, i) => ({ t, sql: rows[0]!.folded[i], ts: foldText(t) }))
      .filter((m) => m.sql?.toLowerCase() !== m.ts);
    expect(mismatches).toEqual([]);
    // The lexicon has the catalogue's Arabic and Persian words only in those forms.
    const { rows: words } = await sql<{ word: string }>`
      select word from catalog_lexicon where works > 0 and word ~ '[\u0600-\u06ff]' order by word`.execute(env.ctx.db);
    expect(words.filter((w) => foldText(w.word) !== w.word)).toEqual([]);
    expect(words.map((w) => w.word)).toEqual(expect.arrayContaining(['احياء', 'الفتاوي', 'تيميه', 'كودكان', 'تاريخ']));
  });

  it('migration 0034 rebuilds a lexicon kept in the old letter forms', async () => {
    const migration = fs.readFileSync(
      fileURLToPath(new URL('../../../../migrations/0034_catalog_lexicon_folded_words.sql', import.meta.url)),
      'utf8',
    );
    const rebuild = migration.slice(migration.indexOf('truncate catalog_lexicon;'));
    const lexicon = async () =>
      (
        await sql<{ word: string; works: number }>`select word, works from catalog_lexicon where works <> 0`.execute(
          env.ctx.db,
        )
      ).rows;
    const expected = await lexicon();
    // The lexicon as migration 0009's catalog_lexicon_words built it: unaccent only.
    await sql`
      truncate catalog_lexicon;
      insert into catalog_lexicon (word, works)
      select w, count(*)::int from catalog_works, unnest(tsvector_to_array(to_tsvector('simple', unaccent(
        coalesce(title, '') || ' ' || coalesce(author, '') || ' ' || coalesce(array_to_string(subjects, ' '), ''))))) w
      where record_count > 0 and char_length(w) between 3 and 40 and w !~ '[0-9]' and w !~ '[\u3040-\u9fff]'
      group by w`.execute(env.ctx.db);
    expect(await didYouMean('احياء علوم الدين')).toBe('إحياء علوم الدين');
    await sql.raw(rebuild).execute(env.ctx.db);
    expect(await didYouMean('احياء علوم الدين')).toBeNull();
    const byWord = (a: { word: string }, b: { word: string }) => (a.word < b.word ? -1 : a.word > b.word ? 1 : 0);
    expect((await lexicon()).sort(byWord)).toEqual(expected.sort(byWord));
    expect(expected.length).toBeGreaterThan(20);
  });

  it('measures edits as a speller does (a swap of two letters is one)', () => {
    expect(editDistance('soledda', 'soledad')).toBe(1);
    expect(editDistance('shakespear', 'shakespeare')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
