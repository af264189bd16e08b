import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/context.js';
import { buildOrganization } from '../accounts/accounts.factories.js';
import { importRecords } from './import/import-records.js';
import { record } from './normalize/marc-fixtures.js';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
  const lib = (await buildOrganization(env.ctx)).id;
  const r = record('00000cam a2200000 a 4500', [
    '001 X1',
    '008 850101s1968    cau           000 1 eng d',
    '100 1_$aLe Guin, Ursula K.',
    '245 14$aThe wizard of Earthsea.',
  ]);
  await importRecords(env.ctx, [{ record: r, position: { index: 0 } }], {
    libraryId: lib,
    flavour: 'marc21',
    sourceFormat: 'iso2709',
  });
});

describe('catalogue routes', () => {
  it('searches without signing in and validates parameters', async () => {
    const ok = await env.app.inject({ method: 'GET', url: '/api/v1/catalog/search?q=wizard&material=book&pageSize=5' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().items[0].title).toBe('The wizard of Earthsea');
    const bad = await env.app.inject({ method: 'GET', url: '/api/v1/catalog/search?material=spaceship' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toContain('material');
  });

  it('serves a work with its editions, and 404 for an unknown one', async () => {
    const hit = (await env.app.inject({ method: 'GET', url: '/api/v1/catalog/search?q=wizard' })).json().items[0];
    const work = await env.app.inject({ method: 'GET', url: `/api/v1/catalog/works/${hit.id}` });
    expect(work.statusCode).toBe(200);
    expect(work.json().records[0].fields.authors[0].name).toBe('Le Guin, Ursula K.');
    const missing = await env.app.inject({
      method: 'GET',
      url: '/api/v1/catalog/works/00000000-0000-4000-8000-000000000000',
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('CATALOG_WORK_NOT_FOUND');
  });
});
