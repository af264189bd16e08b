import { CatalogSearchQuery } from '@athenaeum/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { buildOrganization } from '../../accounts/accounts.factories.js';
import { importRecords } from '../import/import-records.js';
import { record } from '../normalize/marc-fixtures.js';
import { searchCatalog } from './search.service.js';

// A title is stemmed in its record's languages (008/35-37, 041 $a), so another inflected form
// of a title word finds it: one record per stemming language beside English (tested with the
// rest of the search), and a control whose language has no such stemmer.
let env: TestEnv;
const titles = async (q: string) =>
  (await searchCatalog(env.ctx, CatalogSearchQuery.parse({ q, sort: 'title' }))).items.map((i) => i.title);

const rec = (id: string, f008lang: string, lines: string[]) =>
  record('00000cam a2200000 a 4500', [`001 ${id}`, '003 S', `008 850101s${f008lang}`, ...lines]);

beforeAll(async () => {
  env = await createTestEnv();
  const libraryId = (await buildOrganization(env.ctx)).id;
  const records = [
    rec('ru', '1998    ru            000 1 rus d', ['245 10$aКнига о море.']),
    rec('es', '2003    sp            000 1 spa d', ['245 10$aCanciones de la tierra.']),
    rec('fr', '1975    fr            000 1 fre d', ['245 10$aChansons populaires de Bretagne.']),
    // Language from 041 alone (008/35-37 blank).
    rec('pt', '1990    bl            000 1     d', ['041 0_$apor', '245 10$aOs livros da cidade.']),
    rec('de', '1961    gw            000 1 ger d', ['245 14$aDie Bücher der Stadt.']),
    // The same German word in a record catalogued as English: no German stems for it.
    rec('en', '2011    xxu           000 1 eng d', ['245 10$aBücher and more.']),
  ];
  await importRecords(
    env.ctx,
    records.map((r, index) => ({ record: r, position: { index } })),
    { libraryId, flavour: 'marc21', sourceFormat: 'iso2709' },
  );
});

describe('catalogue search stems titles in their record’s language', () => {
  it.each([
    ['Russian', 'книги', 'Книга о море'],
    ['Spanish', 'canción', 'Canciones de la tierra'],
    ['French', 'chanson populaire', 'Chansons populaires de Bretagne'],
    ['Portuguese', 'livro', 'Os livros da cidade'],
    ['German', 'buch', 'Die Bücher der Stadt'],
  ])('%s: “%s” finds “%s”', async (_language, q, title) => {
    expect(await titles(q)).toEqual([title]);
  });

  it('finds the title by its own words too, in any record language', async () => {
    expect(await titles('книга')).toEqual(['Книга о море']);
    expect(await titles('bücher')).toEqual(['Bücher and more', 'Die Bücher der Stadt']);
  });
});
