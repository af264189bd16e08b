import { CatalogSearchQuery } from '@athenaeum/contracts';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { buildOrganization } from '../../accounts/accounts.factories.js';
import { catalogDb, refreshWorks } from '../catalog.repository.js';
import { record } from '../normalize/marc-fixtures.js';
import { searchCatalog } from '../search/search.service.js';
import { importRecords } from './import-records.js';
import { renormalizeRecords } from './renormalize.js';

let env: TestEnv;
let library: string;

const book = (id: string, title: string, subject: string) =>
  record('00000cam a2200000 a 4500', [
    `001 ${id}`,
    '003 REN',
    '008 850101s2004    xxu           000 1 eng d',
    '100 1_$aRenormson, Rena.',
    `245 10$a${title}.`,
    `650 _0$a${subject}.`,
  ]);

const titles = async (q: string) =>
  (await searchCatalog(env.ctx, CatalogSearchQuery.parse({ q }))).items.map((i) => i.title);

const stored = (key: string) =>
  catalogDb(env.ctx.db)
    .selectFrom('catalog_records')
    .select(['id', 'work_id', 'content_hash', 'imported_hash', 'fields', 'subject_facets', 'updated_at'])
    .where('organization_id', '=', library)
    .where('record_key', '=', `REN/${key}`)
    .executeTakeFirstOrThrow();

beforeAll(async () => {
  env = await createTestEnv();
  library = (await buildOrganization(env.ctx)).id;
  await importRecords(
    env.ctx,
    [book('R1', 'Orrery of brass', 'Astronomical instruments'), book('R2', 'Sextant tales', 'Navigation')].map(
      (r, index) => ({ record: r, position: { index } }),
    ),
    { libraryId: library, flavour: 'marc21', sourceFormat: 'iso2709' },
  );
});

describe('renormalizing stored records', () => {
  it('derives the fields of records normalized by older code again from their MARC, and their works follow', async () => {
    const before = await stored('R1');
    const untouched = await stored('R2');
    // As an older normalization might have left it: another title, no subjects, nothing to search.
    const db = catalogDb(env.ctx.db);
    await sql`update catalog_records set fields = jsonb_set(fields, '{title}', '"Orery"'), subject_facets = '{}',
      search_doc = '{"a": "orery", "b": "", "c": "", "d": ""}' where id = ${before.id}`.execute(db);
    await refreshWorks(db, [before.work_id]);
    expect(await titles('orrery brass')).toEqual([]);

    const seen: number[] = [];
    const result = await renormalizeRecords(env.ctx, { libraryId: library, onProgress: (p) => seen.push(p.processed) });
    expect(result).toEqual({ processed: 2, changed: 1, failed: 0 });
    expect(seen.at(-1)).toBe(2);

    expect(await titles('orrery brass')).toEqual(['Orrery of brass']);
    expect(await titles('subject:astronomical')).toEqual(['Orrery of brass']);
    const after = await stored('R1');
    expect(after.fields.title).toBe('Orrery of brass');
    expect(after.subject_facets).toEqual(['Astronomical instruments']);
    // What the record is and where it belongs stays; harvesters see that it changed.
    expect([after.id, after.work_id, after.content_hash, after.imported_hash]).toEqual([
      before.id,
      before.work_id,
      before.content_hash,
      before.imported_hash,
    ]);
    expect(after.updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
    expect((await stored('R2')).updated_at).toEqual(untouched.updated_at);
  });

  it('changes nothing when run again', async () => {
    expect(await renormalizeRecords(env.ctx, { libraryId: library })).toEqual({ processed: 2, changed: 0, failed: 0 });
  });
});
