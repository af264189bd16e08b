import { CatalogSearchQuery } from '@athenaeum/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { buildOrganization } from '../../accounts/accounts.factories.js';
import { importRecords } from '../import/import-records.js';
import { record } from '../normalize/marc-fixtures.js';
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

  it('measures edits as a speller does (a swap of two letters is one)', () => {
    expect(editDistance('soledda', 'soledad')).toBe(1);
    expect(editDistance('shakespear', 'shakespeare')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
