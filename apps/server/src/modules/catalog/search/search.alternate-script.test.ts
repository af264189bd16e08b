import fs from 'node:fs';
import path from 'node:path';
import { CatalogSearchQuery } from '@athenaeum/contracts';
import { parseCql } from '@athenaeum/cql';
import { readRecords } from '@athenaeum/marc';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { SHARED_DATA } from '../../../test/xml-schemas.js';
import { buildOrganization } from '../../accounts/accounts.factories.js';
import { importRecords } from '../import/import-records.js';
import { searchRecordsByCql } from './cql-search.js';
import { searchCatalog } from './search.service.js';

// Real records whose 880 fields give the original script of subjects, series, edition and
// publisher (../shared/data): each is found by those forms, at the weight of the romanized field;
// and by the series they give in a 440 (and its 880) or in a 490 statement that an 830 traces in
// another form: what is on the item is searchable.
let env: TestEnv;
const search = (q: string) => searchCatalog(env.ctx, CatalogSearchQuery.parse({ q, sort: 'title' }));
const titles = async (q: string) => (await search(q)).items.map((i) => i.title);

const MATSUMOTO = 'Matsumoto Shigeharu';
const BUIDA = 'Vor, shpion i ubiĭt͡sa';
const RUBINA = 'Sindrom Petrushki';
const INTIQAL = 'Intiqāl al-afkār wa-al-taqnīyāt fī al-Maghārib wa-al-ʻālam al-mutawassiṭī';
const LAOZI = 'Laozi shuo I : Zhi zhe de di yu';
const CAPITAL = 'Capital versus labour under high growth';

beforeAll(async () => {
  env = await createTestEnv();
  const libraryId = (await buildOrganization(env.ctx)).id;
  for (const [file, sourceFormat] of [
    ['marcxml/evergreen/concerto_bibs_graphic_880.xml', 'marcxml'],
    ['marcxml/xbib-marc/cyrillic_capital_e.mrc.xml', 'marcxml'],
    ['marc/openlibrary/880_arabic_french_many_linkages.mrc', 'iso2709'],
    ['marc/openlibrary/830_series.mrc', 'iso2709'],
  ] as const) {
    const result = await importRecords(env.ctx, readRecords(fs.readFileSync(path.join(SHARED_DATA, file))), {
      libraryId,
      flavour: 'marc21',
      sourceFormat,
    });
    expect(result.rejected, file).toBe(0);
  }
});

describe('catalogue search in the original script of 880 fields', () => {
  it('finds a record by the original script of its subjects, with subject: and without', async () => {
    // 610 "Dōmei Tsūshinsha" ↔ 880 "同盟通信社"; 600 "Matsumoto, Shigeharu" ↔ 880 "松本重治".
    expect(await titles('subject:同盟通信社')).toEqual([MATSUMOTO]);
    expect(await titles('同盟通信社')).toEqual([MATSUMOTO]);
    expect(await titles('subject:松本重治')).toEqual([MATSUMOTO]);
    // The romanized heading as before.
    expect(await titles('subject:"Domei Tsushinsha"')).toEqual([MATSUMOTO]);
  });

  it('finds a record by the original script of its series (Cyrillic, Arabic)', async () => {
    // 490/830 "Bolʹshai͡a literatura…" ↔ 880 "Большая литература…"; the Russian stemmer reaches it too.
    expect(await titles('Большая литература')).toEqual([BUIDA]);
    expect(await titles('subject:литературы')).toEqual([BUIDA]);
    // 830 ↔ 880 "منشورات كلية الآداب و العلوم الإنسانية بالرباط", found with other alef forms.
    expect(await titles('منشورات بالرباط')).toEqual([INTIQAL]);
  });

  it('finds records by the original script of their publisher and edition (weight D)', async () => {
    expect(await titles('Эксмо')).toEqual([RUBINA, BUIDA]);
    expect(await titles('الطبعة')).toEqual([INTIQAL]);
    // A field prefix for subjects does not reach the publisher.
    expect(await titles('subject:Эксмо')).toEqual([]);
  });

  it('finds them through SRU too: dc.subject, exactly and through the subject index', async () => {
    for (const exactUpTo of [1000, 0]) {
      const page = await searchRecordsByCql(
        env.ctx,
        parseCql('dc.subject=同盟通信社'),
        { offset: 0, limit: 10 },
        { exactUpTo },
      );
      const f245 = page.records.map((r) => r.marc.fields.find((f) => f.tag === '245'));
      expect(f245.map((f) => (f && 'subfields' in f ? f.subfields[0]?.value : null))).toEqual([
        'Matsumoto Shigeharu :',
      ]);
    }
  });

  it('keeps the subject facet to the romanized headings', async () => {
    const result = await search('同盟通信社');
    const subjects = result.facets.subject.map((f) => f.value);
    expect(subjects).toContain('Dōmei Tsūshinsha');
    expect(subjects).not.toContain('同盟通信社');
    expect(subjects).not.toContain('松本重治');
  });
});

describe('catalogue search by series', () => {
  it('finds a record by its 440 and by the original script of the 440 (880)', async () => {
    expect(await titles('man hua zhong ying wen ban')).toEqual([LAOZI]);
    expect(await titles('subject:"zhong ying wen ban"')).toEqual([LAOZI]);
    expect(await titles('漫画中英文版')).toEqual([LAOZI]);
  });

  it('finds a record by its 490 statement as well as by the 830 that traces it differently', async () => {
    // 490 1_ "The Science Council of Japan. Division of Economics, Commerce & Business
    // Administration. Economic series no. 46"; 830 "Economic series (Nihon Gakujutsu Kaigi. Dai 3-bu)".
    expect(await titles('"Division of Economics, Commerce"')).toEqual([CAPITAL]);
    // The & takes no place in the indexed text, so not in the phrase either.
    expect(await titles('"Commerce & Business Administration"')).toEqual([CAPITAL]);
    // The 260 names the Council as publisher (weight D): subject: reaches the series (C) only.
    expect(await titles('subject:"Science Council of Japan"')).toEqual([CAPITAL]);
    expect(await titles('subject:"Nihon Gakujutsu Kaigi"')).toEqual([CAPITAL]);
  });

  it('finds a record by the ISSN of its series, with the hyphen and without', async () => {
    // 490 "Lecture notes in mathematics, $x 0075-8434 ; $v 727" (Evergreen's Concerto records).
    const spectral = 'Spectral representations for Schrödinger operators with long-range potentials';
    expect(await titles('0075-8434')).toEqual([spectral]);
    expect(await titles('00758434')).toEqual([spectral]);
  });
});
