import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { SHARED_DATA } from '../../../test/xml-schemas.js';
import { buildOrganization } from '../../accounts/accounts.factories.js';
import { catalogDb } from '../catalog.repository.js';
import { importFile } from './import-file.js';

let env: TestEnv;

beforeAll(async () => {
  env = await createTestEnv();
});

const sourcesOf = async (libraryId: string) =>
  catalogDb(env.ctx.db)
    .selectFrom('catalog_records')
    .select(['source', 'source_format'])
    .where('organization_id', '=', libraryId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

describe('importFile keeps each record’s source as it stands in the file', () => {
  it('MARCXML: the text of its <record> element', async () => {
    const library = (await buildOrganization(env.ctx)).id;
    const file = path.join(SHARED_DATA, 'marcxml/evergreen/concerto_bibs_fre.xml');
    const { counts } = await importFile(env.ctx, { file, libraryId: library, format: 'auto', workers: 1 });
    expect(counts.added).toBeGreaterThan(0);
    const document = fs.readFileSync(file, 'utf8');
    const rows = await sourcesOf(library);
    expect(rows).toHaveLength(counts.added);
    for (const row of rows) {
      expect(row.source_format).toBe('marcxml');
      const text = row.source.toString('utf8');
      expect(text).toMatch(/^<([\w.-]+:)?record[\s>]/);
      expect(document).toContain(text);
    }
  });

  it('ISO 2709: its bytes', async () => {
    const library = (await buildOrganization(env.ctx)).id;
    const file = path.join(SHARED_DATA, 'marc/xbib-marc/chabon.mrc');
    const { counts } = await importFile(env.ctx, { file, libraryId: library, format: 'auto', workers: 1 });
    const bytes = fs.readFileSync(file);
    const rows = await sourcesOf(library);
    expect(rows).toHaveLength(counts.added);
    // Every record's bytes are in the file, and together they are the whole file.
    for (const row of rows) expect(bytes.indexOf(row.source)).toBeGreaterThanOrEqual(0);
    expect(rows.reduce((n, r) => n + r.source.length, 0)).toBe(bytes.length);
    expect(new Set(rows.map((r) => r.source_format))).toEqual(new Set(['iso2709']));
  });
});

describe('importFile with a character set forced', () => {
  it('refuses it for MARCXML before recording a run, rather than ignore it', async () => {
    const library = (await buildOrganization(env.ctx)).id;
    const file = path.join(SHARED_DATA, 'marcxml/evergreen/concerto_bibs_fre.xml');
    await expect(
      importFile(env.ctx, { file, libraryId: library, format: 'auto', encoding: 'marc-8', workers: 1 }),
    ).rejects.toMatchObject({
      code: 'CATALOG_IMPORT_ENCODING_NOT_ISO2709',
      message: `${file} is MARCXML, which says its own character set: a character set is forced for ISO 2709 files (MARC 21, UNIMARC) only.`,
    });
    const runs = await catalogDb(env.ctx.db)
      .selectFrom('catalog_imports')
      .select('id')
      .where('organization_id', '=', library)
      .execute();
    expect(runs).toEqual([]);
  });
});
