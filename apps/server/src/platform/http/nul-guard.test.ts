import fs from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganization, buildPerson, signInAs } from '../../modules/accounts/accounts.factories.js';
import { marcRecord } from '../../modules/catalog/catalog.factories.js';
import { importRecords } from '../../modules/catalog/index.js';
import { createTestEnv, type TestEnv } from '../../test/context.js';
import { expectProblem, rowCounts } from '../../test/helpers.js';
import { tempDir } from '../../test/processes.js';
import { SHARED_DATA } from '../../test/xml-schemas.js';

let env: TestEnv;
let dir: string;
let library: { id: string };
let staff: Record<string, string>;
let recordId: string;

const LEADER = '00000cam a2200000 i 4500';
const F008 = '850101s1968    cau           000 1 eng d';

/** Everything a refused request could have touched: the platform's tables and the catalogue's. */
async function snapshot() {
  const { rows } = await sql<{ t: string; n: number; h: string | null }>`
    select 'records' as t, count(*)::int as n, string_agg(content_hash || updated_at::text, ',' order by id) as h
      from catalog_records
    union all select 'items', count(*)::int, null from catalog_items
    union all select 'imports', count(*)::int, null from catalog_imports`.execute(env.ctx.db);
  return { platform: await rowCounts(env.ctx.db), catalog: rows, files: fs.readdirSync(dir).sort() };
}

/** Runs a request that must be refused and proves that nothing changed. */
async function refusedWithoutChanges(run: () => Promise<LightMyRequestResponse>) {
  const before = await snapshot();
  const res = await run();
  expect(await snapshot()).toEqual(before);
  return res;
}

beforeAll(async () => {
  dir = tempDir('nul-guard');
  env = await createTestEnv({ CATALOG_IMPORT_DIR: dir });
  library = await buildOrganization(env.ctx, { code: 'NUL-LIB' });
  await importRecords(
    env.ctx,
    [
      {
        record: marcRecord(LEADER, ['001 NUL-1', `008 ${F008}`, '245 10$aThe nul test /$cA. Author.']),
        position: { index: 0 },
      },
    ],
    { libraryId: library.id, flavour: 'marc21', sourceFormat: 'iso2709' },
  );
  recordId = (
    await sql<{ id: string }>`select id from catalog_records where record_key = '-/NUL-1'`.execute(env.ctx.db)
  ).rows[0]!.id;
  staff = (await signInAs(env.app, (await buildPerson(env.ctx, { roles: [[library.id, 'staff']] })).email)).headers;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('U+0000 in a request', () => {
  it('refuses a record whose subfield value holds NUL with 400 NUL_CHARACTER naming the subfield', async () => {
    const current = await env.app.inject({
      method: 'GET',
      url: `/api/v1/catalog/records/${recordId}/cataloguing`,
      headers: staff,
    });
    expect(current.statusCode).toBe(200);
    const { marc, version } = current.json() as {
      marc: { leader: string; fields: Array<{ tag: string; subfields?: Array<{ code: string; value: string }> }> };
      version: string;
    };
    const index = marc.fields.findIndex((f) => f.tag === '245');
    const fields = marc.fields.map((f, i) =>
      i === index ? { ...f, subfields: [{ code: 'a', value: 'a\u0000b' }, ...f.subfields!.slice(1)] } : f,
    );
    const res = await refusedWithoutChanges(() =>
      env.app.inject({
        method: 'PUT',
        url: `/api/v1/catalog/records/${recordId}`,
        headers: staff,
        payload: { marc: { ...marc, fields }, expectedVersion: version },
      }),
    );
    const body = expectProblem(res, 400, 'NUL_CHARACTER');
    const where = `body.marc.fields.${index}.subfields.0.value`;
    expect(body.errors).toEqual([{ path: where, message: expect.stringContaining('U+0000') }]);
    expect(body.detail).toBe(`${where}: ${body.errors![0]!.message}`);
  });

  it('refuses an item whose barcode holds NUL, and a NUL in a field name', async () => {
    const res = await refusedWithoutChanges(() =>
      env.app.inject({
        method: 'POST',
        url: `/api/v1/catalog/records/${recordId}/items`,
        headers: staff,
        payload: { barcode: 'A\u0000', ['no\u0000te']: 'x' },
      }),
    );
    const body = expectProblem(res, 400, 'NUL_CHARACTER');
    expect(body.errors?.map((e) => e.path)).toEqual(['body.barcode', 'body.no\\u0000te']);
  });

  it('refuses NUL in the query string of a streamed upload and leaves its bytes unread', async () => {
    const res = await refusedWithoutChanges(() =>
      env.app.inject({
        method: 'POST',
        url: `/api/v1/organizations/${library.id}/catalog-imports?filename=a%00b.mrc`,
        headers: { ...staff, 'content-type': 'application/octet-stream' },
        payload: Buffer.from('not read\u0000'),
      }),
    );
    const body = expectProblem(res, 400, 'NUL_CHARACTER');
    expect(body.errors?.map((e) => e.path)).toEqual(['querystring.filename']);
  });

  it('refuses NUL in a route parameter', async () => {
    const res = await refusedWithoutChanges(() =>
      env.app.inject({ method: 'GET', url: '/api/v1/catalog/records/ab%00cd/cataloguing', headers: staff }),
    );
    expect(expectProblem(res, 400, 'NUL_CHARACTER').errors?.map((e) => e.path)).toEqual(['params.id']);
  });

  it('still checks who is asking first: no session, 401', async () => {
    const res = await env.app.inject({
      method: 'POST',
      url: `/api/v1/catalog/records/${recordId}/items`,
      payload: { barcode: 'A\u0000' },
    });
    expectProblem(res, 401, 'AUTHENTICATION_REQUIRED');
  });

  it('leaves the bytes of a streamed upload alone: NUL bytes in the file are accepted', async () => {
    const res = await env.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${library.id}/catalog-imports?filename=nul.mrc`,
      headers: { ...staff, 'content-type': 'application/octet-stream' },
      // A MARC file followed by a NUL byte: the file is the import's business, not the guard's.
      payload: Buffer.concat([fs.readFileSync(path.join(SHARED_DATA, 'marc/pymarc/test.dat')), Buffer.from([0])]),
    });
    expect(res.statusCode).toBe(202);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.upload'))).toHaveLength(1);
  });

  it('lists the error code in the catalogue of errors', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/v1/errors' });
    expect(res.statusCode).toBe(200);
    expect(JSON.stringify(res.json())).toContain('NUL_CHARACTER');
  });
});
