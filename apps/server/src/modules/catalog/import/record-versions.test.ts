import type { MarcRecord } from '@athenaeum/marc';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { buildOrganization } from '../../accounts/accounts.factories.js';
import { catalogDb } from '../catalog.repository.js';
import { record } from '../normalize/marc-fixtures.js';
import { importRecords } from './import-records.js';
import { latestTransaction } from './record-identity.js';

let env: TestEnv;
let library: string;

/** A version of record VER/1 with its 005 (or none) and title. */
const version = (latest: string | null, title: string, id = 'V1'): MarcRecord =>
  record('00000cam a2200000 a 4500', [
    `001 ${id}`,
    '003 VER',
    ...(latest ? [`005 ${latest}`] : []),
    '008 850101s2001    xxu           000 1 eng d',
    '100 1_$aVersionson, Vera.',
    `245 10$a${title}.`,
  ]);

const load = (...records: MarcRecord[]) =>
  importRecords(
    env.ctx,
    records.map((r, index) => ({ record: r, position: { index } })),
    { libraryId: library, flavour: 'marc21', sourceFormat: 'iso2709' },
  );

const storedTitle = async (id = 'V1') =>
  (
    await catalogDb(env.ctx.db)
      .selectFrom('catalog_records')
      .select('fields')
      .where('organization_id', '=', library)
      .where('record_key', '=', `VER/${id}`)
      .executeTakeFirstOrThrow()
  ).fields.title;

beforeAll(async () => {
  env = await createTestEnv();
  library = (await buildOrganization(env.ctx)).id;
});

describe('latestTransaction (005)', () => {
  it('reads the 005 as digits that compare as text, and nothing of a malformed one', () => {
    expect(latestTransaction(version('20210314093000.0', 'x'))).toBe('202103140930000');
    expect(latestTransaction(version('20210314093000', 'x'))).toBe('202103140930000');
    expect(latestTransaction(version('2021-03-14', 'x'))).toBeNull();
    expect(latestTransaction(version(null, 'x'))).toBeNull();
  });
});

describe('importing an older version of a stored record', () => {
  it('keeps the newer version: a file with an older 005 changes nothing, a newer one updates', async () => {
    expect(await load(version('20210314093000.0', 'Second edition'))).toMatchObject({ added: 1 });
    // An old export loaded by mistake: the record's 005 is older than the stored one's.
    expect(await load(version('20190101000000.0', 'First edition'))).toMatchObject({ updated: 0, unchanged: 1 });
    expect(await storedTitle()).toBe('Second edition');
    expect(await load(version('20230101000000.0', 'Third edition'))).toMatchObject({ updated: 1 });
    expect(await storedTitle()).toBe('Third edition');
  });

  it('compares contents alone when either version has no 005', async () => {
    await load(version(null, 'Undated one', 'V2'));
    expect(await load(version('20190101000000.0', 'Undated two', 'V2'))).toMatchObject({ updated: 1 });
    expect(await load(version(null, 'Undated three', 'V2'))).toMatchObject({ updated: 1 });
    expect(await storedTitle('V2')).toBe('Undated three');
  });
});
