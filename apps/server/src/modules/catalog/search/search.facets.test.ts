import { CatalogSearchQuery } from '@athenaeum/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { buildOrganization } from '../../accounts/accounts.factories.js';
import { catalogDb, refreshWorks } from '../catalog.repository.js';
import { importRecords } from '../import/import-records.js';
import { record } from '../normalize/marc-fixtures.js';
import { searchCatalog } from './search.service.js';

let env: TestEnv;
let north: string;
let south: string;
const search = (params: Record<string, unknown>) => searchCatalog(env.ctx, CatalogSearchQuery.parse(params));

// Two works held by both libraries: a copy of the first is available in the north only, of the
// second in the south only.
const edition = (id: string, title: string, barcode: string) =>
  record('00000cam a2200000 a 4500', [
    `001 ${id}`,
    '003 FCT',
    '008 850101s1999    xxu           000 1 eng d',
    '100 1_$aFacetson, Flora.',
    `245 10$a${title}.`,
    `952 __$p${barcode}`,
  ]);

async function holdings(libraryId: string, copies: Array<[string, string, string]>) {
  await importRecords(
    env.ctx,
    copies.map(([id, title, barcode], index) => ({ record: edition(id, title, barcode), position: { index } })),
    { libraryId, flavour: 'marc21', sourceFormat: 'iso2709' },
  );
}

beforeAll(async () => {
  env = await createTestEnv();
  north = (await buildOrganization(env.ctx)).id;
  south = (await buildOrganization(env.ctx)).id;
  await holdings(north, [
    ['N1', 'Quincunx lanterns', 'N-1'],
    ['N2', 'Quincunx harbours', 'N-2'],
  ]);
  await holdings(south, [
    ['S1', 'Quincunx lanterns', 'S-1'],
    ['S2', 'Quincunx harbours', 'S-2'],
  ]);
  // The north's copy of the second work and the south's of the first are withdrawn.
  const db = catalogDb(env.ctx.db);
  await db.updateTable('catalog_items').set({ status: 'withdrawn' }).where('barcode', 'in', ['N-2', 'S-1']).execute();
  await refreshWorks(
    db,
    (await db.selectFrom('catalog_works').select('id').execute()).map((w) => w.id),
  );
});

describe('the "available now" facet', () => {
  it('counts what ticking it finds: in the chosen library when one is chosen', async () => {
    const everywhere = await search({ q: 'quincunx' });
    expect(everywhere.total).toBe(2);
    expect(everywhere.facets.available).toBe(2);
    const inNorth = await search({ q: 'quincunx', library: [north] });
    expect(inNorth.facets.available).toBe(1);
    const ticked = await search({ q: 'quincunx', library: [north], available: 'true' });
    expect(ticked.total).toBe(inNorth.facets.available);
    expect(ticked.items.map((i) => i.title)).toEqual(['Quincunx lanterns']);
  });
});

describe('the decade facet', () => {
  // One work whose editions are of 1968 and 1995, and one of 1991 only.
  const dated = (id: string, title: string, year: number) =>
    record('00000cam a2200000 a 4500', [
      `001 ${id}`,
      '003 DEC',
      `008 850101s${year}    xxu           000 1 eng d`,
      '100 1_$aDecadson, Dora.',
      `245 10$a${title}.`,
    ]);

  beforeAll(async () => {
    await importRecords(
      env.ctx,
      [
        dated('D1', 'Zephyrine almanac', 1968),
        dated('D2', 'Zephyrine almanac', 1995),
        dated('D3', 'Zephyrine tides', 1991),
      ].map((r, index) => ({ record: r, position: { index } })),
      { libraryId: north, flavour: 'marc21', sourceFormat: 'iso2709' },
    );
  });

  it('counts a work in every decade its editions span, so that ticking a decade finds as many as it says', async () => {
    const result = await search({ q: 'zephyrine' });
    expect(result.total).toBe(2);
    expect(result.facets.decade).toEqual([
      { value: '1990', count: 2 },
      { value: '1980', count: 1 },
      { value: '1970', count: 1 },
      { value: '1960', count: 1 },
    ]);
    for (const { value, count } of result.facets.decade) {
      const ticked = await search({ q: 'zephyrine', yearFrom: value, yearTo: String(Number(value) + 9) });
      expect(ticked.total, value).toBe(count);
    }
  });
});
