import { CatalogSearchQuery } from '@athenaeum/contracts';
import { parseCql } from '@athenaeum/cql';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { buildOrganization } from '../../accounts/accounts.factories.js';
import { importRecords } from '../import/import-records.js';
import { record } from '../normalize/marc-fixtures.js';
import { searchRecordsByCql } from './cql-search.js';
import { searchCatalog } from './search.service.js';

let env: TestEnv;
let libA: string;
let libB: string;
const search = (params: Record<string, unknown>) => searchCatalog(env.ctx, CatalogSearchQuery.parse(params));
const titles = async (params: Record<string, unknown>) => (await search(params)).items.map((i) => i.title);

const rec = (id: string, f008lang: string, lines: string[], leader = '00000cam a2200000 a 4500') =>
  record(leader, [`001 ${id}`, '003 T', `008 850101s${f008lang}`, ...lines]);

beforeAll(async () => {
  env = await createTestEnv();
  libA = (await buildOrganization(env.ctx)).id;
  libB = (await buildOrganization(env.ctx)).id;
  const a = [
    rec('1', '1968    cau           000 1 eng d', [
      '020 __$a0-306-40615-2',
      '100 1_$aLe Guin, Ursula K.',
      '245 14$aThe wizard of Earthsea.',
      '650 _0$aWizards$vFiction.',
    ]),
    rec('2', '1998    ru            000 1 rus d', ['100 1_$aMüller, Herta.', '245 10$aДетство в деревне.']),
    rec('3', '2005    ch            000 1 chi d', ['100 0_$a鲁迅.', '245 10$a中华人民共和国史.']),
    rec('4', '2010    ua            000 1 ara d', ['100 0_$aنجيب محفوظ.', '245 10$aأولاد حارتنا.']),
    rec(
      '5',
      '1990    fr            000 1 fre d',
      ['100 1_$aHugo, Victor.', '245 13$aLes misérables.'],
      '00000cjm a2200000 a 4500',
    ),
    rec('6', '1971    cau           000 1 eng d', ['100 1_$aLe Guin, Ursula K.', '245 14$aThe tombs of Atuan.']),
    rec('7', '2001    xxu           000 1 eng d', [
      '020 __$a080442957X',
      '100 1_$aSmith, John.',
      '245 10$aRunning wizards of the north.',
    ]),
  ];
  await importRecords(
    env.ctx,
    a.map((r, index) => ({ record: r, position: { index } })),
    { libraryId: libA, flavour: 'marc21', sourceFormat: 'iso2709' },
  );
  const b = [
    rec('9', '1969    enk           000 1 eng d', [
      '020 __$a9780306406157',
      '100 1_$aLe Guin, Ursula.',
      '245 12$aA wizard of Earthsea /$cLe Guin.',
    ]),
  ];
  await importRecords(
    env.ctx,
    b.map((r, index) => ({ record: r, position: { index } })),
    { libraryId: libB, flavour: 'marc21', sourceFormat: 'iso2709' },
  );
});

describe('catalogue search', () => {
  it('returns one hit per work with its editions and the libraries holding it', async () => {
    const result = await search({ q: 'wizard earthsea' });
    expect(result.total).toBe(1);
    expect(result.items[0]).toMatchObject({ title: 'The wizard of Earthsea', libraryCount: 2 });
    expect(result.items[0]!.editions.map((e) => e.year)).toEqual([1969, 1968]);
  });

  it('finds a known item first by title words and the author surname', async () => {
    expect((await titles({ q: 'wizard guin' }))[0]).toBe('The wizard of Earthsea');
  });

  it('folds accents (muller finds Müller) and stems English (running → run)', async () => {
    expect(await titles({ q: 'muller' })).toEqual(['Детство в деревне']);
    expect(await titles({ q: 'run' })).toEqual(['Running wizards of the north']);
  });

  it('finds Chinese titles by part of the title, and Arabic with other letter forms', async () => {
    expect(await titles({ q: '人民共和' })).toEqual(['中华人民共和国史']);
    expect(await titles({ q: 'اولاد' })).toEqual(['أولاد حارتنا']);
  });

  it('finds ISBNs in any form', async () => {
    for (const q of [
      '0-306-40615-2',
      '0306406152',
      '978-0-306-40615-7',
      'isbn:9780306406157',
      'ISBN 978-0-306-40615-7',
      'ISBN: 0306406152',
      'isbn-13: 9780306406157',
      'ISBN-10:0-306-40615-2',
      'wizard ISBN 0306406152',
    ]) {
      expect(await titles({ q }), q).toEqual(['The wizard of Earthsea']);
    }
    for (const q of ['080442957X', '080442957x', 'ISBN 080442957X', '978-0-8044-2957-3']) {
      expect(await titles({ q }), q).toEqual(['Running wizards of the north']);
    }
  });

  it('restricts fielded terms to their field', async () => {
    expect(await titles({ q: 'author:wizard' })).toEqual([]);
    expect((await titles({ q: 'title:wizard', sort: 'title' })).sort()).toEqual([
      'Running wizards of the north',
      'The wizard of Earthsea',
    ]);
    expect(await titles({ q: 'subject:wizards' })).toEqual(['The wizard of Earthsea']);
  });

  it('counts facets over the whole result and filters by them', async () => {
    const all = await search({ q: '', pageSize: 2 });
    expect(all.total).toBe(7);
    expect(all.items).toHaveLength(2);
    expect(all.facets.material).toEqual(
      expect.arrayContaining([
        { value: 'book', count: 6 },
        { value: 'music', count: 1 },
      ]),
    );
    expect(all.facets.library).toEqual(
      expect.arrayContaining([
        { value: libA, count: 7 },
        { value: libB, count: 1 },
      ]),
    );
    expect(all.facets.decade.find((d) => d.value === '1960')).toEqual({ value: '1960', count: 1 });
    expect(await titles({ material: 'music' })).toEqual(['Les misérables']);
    expect(await titles({ library: libB })).toEqual(['The wizard of Earthsea']);
    expect((await search({ language: 'rus,chi' })).total).toBe(2);
    expect(await titles({ q: 'guin', yearFrom: 1970 })).toEqual(['The tombs of Atuan']);
    expect(await titles({ q: 'guin year:1960-1969' })).toEqual(['The wizard of Earthsea']);
  });

  it('sorts by title and by date', async () => {
    expect(await titles({ q: 'guin', sort: 'title' })).toEqual(['The tombs of Atuan', 'The wizard of Earthsea']);
    expect(await titles({ q: 'guin', sort: 'date' })).toEqual(['The tombs of Atuan', 'The wizard of Earthsea']);
  });
});

describe('catalogue search over a very large result', () => {
  it('counts the total exactly, estimates facets from a sample (here all of it) and puts the most widely held works first', async () => {
    const exact = await search({ q: '' });
    const large = await searchCatalog(env.ctx, CatalogSearchQuery.parse({ q: '' }), { exactUpTo: -1 });
    expect(large.total).toBe(exact.total);
    expect(large.facets).toEqual({ ...exact.facets, approximate: true });
    expect(large.items[0]).toMatchObject({ title: 'The wizard of Earthsea', libraryCount: 2 });
    const few = await searchCatalog(env.ctx, CatalogSearchQuery.parse({ q: 'guin' }), { exactUpTo: -1 });
    expect(few.items.map((i) => i.title).sort()).toEqual(['The tombs of Atuan', 'The wizard of Earthsea']);
    expect(few.total).toBe(2);
  });
});

describe('phrases with punctuation between their words', () => {
  it('finds "commerce & business" (the & takes no place in the indexed title), in the catalogue and by SRU', async () => {
    const lib = (await buildOrganization(env.ctx)).id;
    await importRecords(
      env.ctx,
      [
        rec('AMP-1', '1931    dcu           000 0 eng d', [
          '245 00$aCommerce & business administration :$bannual report / Bureau of Trade.',
        ]),
      ].map((r, index) => ({ record: r, position: { index } })),
      { libraryId: lib, flavour: 'marc21', sourceFormat: 'iso2709' },
    );
    const expected = ['Commerce & business administration'];
    for (const q of [
      '"commerce & business"',
      'title:"commerce & business administration"',
      '"annual report / bureau"',
    ]) {
      expect(await titles({ q, library: lib }), q).toEqual(expected);
    }
    expect(await titles({ q: '"commerce & administration"', library: lib })).toEqual([]);
    for (const cql of ['dc.title = "commerce & business"', 'dc.title adj "commerce & business administration"']) {
      const { records } = await searchRecordsByCql(env.ctx, parseCql(cql), { offset: 0, limit: 10 });
      expect(
        records.map((r) => r.marc.fields.find((f) => f.tag === '001')),
        cql,
      ).toEqual([{ tag: '001', value: 'AMP-1' }]);
    }
  });
});

describe('catalogue search: relevance', () => {
  // A catalogue of its own: the counts of the tests above stay theirs.
  let own: TestEnv;
  beforeAll(async () => {
    own = await createTestEnv();
    const library = (await buildOrganization(own.ctx)).id;
    const works = [
      ['k1', 'Smith, William.', 'The science, the science empire.'],
      ['k2', 'Smith, Mary.', 'The science.'],
      ['k3', 'Иванов, Пётр.', 'Мир мир мир, любовь и мир.'],
      ['k4', 'Иванов, Александр.', 'И мир.'],
    ].map(([id, author, title]) =>
      rec(id!, '2001    xxu           000 1 eng d', [`100 1_$a${author}`, `245 10$a${title}`]),
    );
    await importRecords(
      own.ctx,
      works.map((r, index) => ({ record: r, position: { index } })),
      { libraryId: library, flavour: 'marc21', sourceFormat: 'iso2709' },
    );
  });
  const found = async (q: string) =>
    (await searchCatalog(own.ctx, CatalogSearchQuery.parse({ q }))).items.map((i) => i.title);

  it('puts a title made of the words searched for before longer titles that repeat them', async () => {
    expect(await found('the science smith')).toEqual(['The science', 'The science, the science empire']);
    expect(await found('science smith the')).toEqual(['The science', 'The science, the science empire']);
    expect(await found('и мир иванов')).toEqual(['И мир', 'Мир мир мир, любовь и мир']);
    expect((await found('the science'))[0]).toBe('The science');
    // With a word only the longer title has, that one is made of the words searched for.
    expect(await found('science empire the')).toEqual(['The science, the science empire']);
  });
});
