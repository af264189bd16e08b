import fs from 'node:fs';
import path from 'node:path';
import { CatalogSearchQuery } from '@athenaeum/contracts';
import { readRecords } from '@athenaeum/marc';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { SHARED_DATA } from '../../../test/xml-schemas.js';
import { buildOrganization } from '../../accounts/accounts.factories.js';
import { importRecords } from '../import/import-records.js';
import { searchCatalog } from './search.service.js';

// Real records (../shared/data) found by the series they give in a 440 (and its 880) or in a
// 490 statement that an 830 traces in another form: what is on the item is searchable.
let env: TestEnv;
const titles = async (q: string) =>
  (await searchCatalog(env.ctx, CatalogSearchQuery.parse({ q, sort: 'title' }))).items.map((i) => i.title);

const LAOZI = 'Laozi shuo I : Zhi zhe de di yu';
const CAPITAL = 'Capital versus labour under high growth';

beforeAll(async () => {
  env = await createTestEnv();
  const libraryId = (await buildOrganization(env.ctx)).id;
  for (const [file, sourceFormat] of [
    ['marcxml/evergreen/concerto_bibs_graphic_880.xml', 'marcxml'],
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
    // The 260 names the Council as publisher (weight D): subject: reaches the series (C) only.
    expect(await titles('subject:"Science Council of Japan"')).toEqual([CAPITAL]);
    expect(await titles('subject:"Nihon Gakujutsu Kaigi"')).toEqual([CAPITAL]);
  });
});
