import { CATALOG_IMPORT_FILE_MISSING, CATALOG_IMPORT_INTERRUPTED } from '@athenaeum/contracts/vocabulary';
import { writeIso2709 } from '@athenaeum/marc';
import { sql } from 'kysely';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/context.js';
import { expectProblem } from '../../test/helpers.js';
import { tempDir } from '../../test/processes.js';
import { windows1251Record } from './charsets.factories.js';
import { SHARED_DATA } from '../../test/xml-schemas.js';
import { buildOrganization, buildPerson, signInAs } from '../accounts/accounts.factories.js';
import { catalogDb, insertImport, insertRejects, setImportStatus } from './catalog.repository.js';
import { importsDb, whileRunning } from './imports.repository.js';
import { record } from './normalize/marc-fixtures.js';
import { importReport, runUploadedImport } from './imports.service.js';

const TEST_DAT = path.join(SHARED_DATA, 'marc/pymarc/test.dat');
const BAD_RECORDS = path.join(SHARED_DATA, 'marc/pymarc/bad_records.mrc');
const MARCXML = path.join(SHARED_DATA, 'marcxml');

let env: TestEnv;
let dir: string;
let library: { id: string };
let branch: { id: string };
let other: { id: string };
let staff: Record<string, string>;
let admin: Record<string, string>;
let patron: Record<string, string>;
let otherStaff: Record<string, string>;

beforeAll(async () => {
  dir = tempDir('imports');
  env = await createTestEnv({
    CATALOG_IMPORT_DIR: dir,
    CATALOG_IMPORT_MAX_BYTES: '100000',
    CATALOG_IMPORTS_PER_HOUR: '12',
  });
  library = await buildOrganization(env.ctx, { code: 'UP-LIB' });
  branch = await buildOrganization(env.ctx, { kind: 'branch', parentId: library.id, code: 'UP-LIB-EAST' });
  other = await buildOrganization(env.ctx, { code: 'UP-OTHER' });
  staff = (await signInAs(env.app, (await buildPerson(env.ctx, { roles: [[library.id, 'staff']] })).email)).headers;
  admin = (await signInAs(env.app, (await buildPerson(env.ctx, { roles: [[library.id, 'admin']] })).email)).headers;
  patron = (await signInAs(env.app, (await buildPerson(env.ctx, { roles: [[library.id, 'patron']] })).email)).headers;
  otherStaff = (await signInAs(env.app, (await buildPerson(env.ctx, { roles: [[other.id, 'staff']] })).email)).headers;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const base = (libraryId: string) => `/api/v1/organizations/${libraryId}/catalog-imports`;

function upload(
  headers: Record<string, string>,
  body: Buffer | string,
  query = 'filename=test.dat',
  libraryId = library.id,
  type = 'application/octet-stream',
) {
  return env.app.inject({
    method: 'POST',
    url: `${base(libraryId)}?${query}`,
    headers: { ...headers, 'content-type': type },
    payload: body,
  });
}
const get = (url: string, headers: Record<string, string> = staff) => env.app.inject({ method: 'GET', url, headers });
const filesInDir = () => fs.readdirSync(dir).filter((f) => f.endsWith('.upload'));

describe('uploading a MARC file for import', () => {
  it('queues the upload, and its job imports every record with live counts', async () => {
    const bytes = fs.readFileSync(TEST_DAT);
    const res = await upload(staff, bytes, 'filename=test.dat&format=marc21');
    expect(res.statusCode, res.body).toBe(202);
    const created = res.json();
    expect(created).toMatchObject({
      libraryId: library.id,
      filename: 'test.dat',
      format: 'marc21',
      status: 'queued',
      processed: 0,
      totalBytes: bytes.length,
      bytesRead: 0,
    });
    expect(res.headers.location).toBe(`${base(library.id)}/${created.id}`);
    expect(filesInDir()).toHaveLength(1);

    await env.drainJobs();
    const done = await get(res.headers.location as string);
    expect(done.statusCode).toBe(200);
    expect(done.headers['cache-control']).toBe('no-store');
    expect(done.json()).toMatchObject({
      status: 'done',
      processed: 10,
      added: 10,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      bytesRead: bytes.length,
      error: null,
    });
    expect(done.json().startedAt).not.toBeNull();
    expect(done.json().finishedAt).not.toBeNull();
    // The file is no longer needed once its records are in the catalogue.
    expect(filesInDir()).toHaveLength(0);

    const report = await get(`${res.headers.location}/report`);
    expect(report.statusCode).toBe(200);
    expect(report.body).toBe('position\treason\n');
  });

  it('finds the same file unchanged the second time, and lists imports newest first', async () => {
    env.clock.advance(1000);
    const res = await upload(
      admin,
      fs.readFileSync(TEST_DAT),
      'filename=' + encodeURIComponent('C:\\Users\\me\\test again.dat'),
    );
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().filename).toBe('test again.dat');
    await env.drainJobs();
    const list = await get(`${base(library.id)}?pageSize=10`);
    expect(list.statusCode).toBe(200);
    const { items, total } = list.json();
    expect(total).toBe(2);
    expect(items.map((i: { filename: string }) => i.filename)).toEqual(['test again.dat', 'test.dat']);
    expect(items[0]).toMatchObject({ status: 'done', format: 'auto', processed: 10, added: 0, unchanged: 10 });
  });

  it('takes a file that begins with line breaks or padding before its first record, as the reader does', async () => {
    const padded = Buffer.concat([Buffer.from('\r\n\0\x1a\x1d \t'), fs.readFileSync(TEST_DAT)]);
    const res = await upload(staff, padded, 'filename=padded.mrc');
    expect(res.statusCode, res.body).toBe(202);
    await env.drainJobs();
    const done = await get(res.headers.location as string);
    expect(done.json()).toMatchObject({ status: 'done', processed: 10, unchanged: 10, rejected: 0 });
  });

  it('reports damaged records with their position and reason as tab-separated values', async () => {
    const res = await upload(staff, fs.readFileSync(BAD_RECORDS), 'filename=bad_records.mrc');
    expect(res.statusCode, res.body).toBe(202);
    await env.drainJobs();
    const run = (await get(`${base(library.id)}/${res.json().id}`)).json();
    expect(run.status).toBe('done');
    expect(run.rejected).toBeGreaterThan(0);
    expect(run.processed).toBe(run.added + run.updated + run.unchanged + run.rejected);

    const report = await get(`${base(library.id)}/${run.id}/report`);
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toBe('text/tab-separated-values; charset=utf-8');
    expect(report.headers['content-disposition']).toBe('attachment; filename="bad_records-rejected.tsv"');
    const lines = report.body.trimEnd().split('\n');
    expect(lines[0]).toBe('position\treason');
    expect(lines).toHaveLength(run.rejected + 1);
    for (const line of lines.slice(1)) {
      const [position, reason, extra] = line.split('\t');
      expect(position).toMatch(/^record \d+, byte \d+/);
      expect(reason!.length).toBeGreaterThan(3);
      expect(extra).toBeUndefined();
    }
    const positions = lines.slice(1).map((l) => Number(/^record (\d+)/.exec(l)![1]));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('streams a long report page by page, in file order, every reject once', async () => {
    const db = catalogDb(env.ctx.db);
    const run = await insertImport(db, {
      organizationId: library.id,
      filename: '/srv/long.mrc',
      format: 'auto',
      createdBy: null,
    });
    // Stored out of file order, as a batch stores what preparing refused before what the database refused.
    const stored = [
      ...Array.from({ length: 23 }, (_, i) => ({
        position: `record ${23 - i}, byte ${(23 - i) * 100}`,
        reason: `bad ${23 - i}`,
      })),
      { position: 'record 7, byte 700', reason: 'refused again' },
      { position: 'the end of the file', reason: 'truncated' },
    ];
    await insertRejects(db, run.id, stored);
    const report = await importReport(env.ctx, library.id, run.id, { pageSize: 4 });
    let body = '';
    for await (const chunk of report.chunks) body += chunk;
    const lines = body.trimEnd().split('\n');
    expect(lines[0]).toBe('position\treason');
    expect(lines).toHaveLength(stored.length + 1);
    expect(lines[1]).toBe('the end of the file\ttruncated');
    expect(lines.slice(7, 10)).toEqual([
      'record 6, byte 600\tbad 6',
      'record 7, byte 700\tbad 7',
      'record 7, byte 700\trefused again',
    ]);
    expect(lines.at(-1)).toBe('record 23, byte 2300\tbad 23');
  });

  it('reads MARCXML with the format detected', async () => {
    const file = fs
      .readdirSync(MARCXML, { recursive: true, encoding: 'utf8' })
      .find(
        (f) =>
          f.endsWith('.xml') &&
          fs.statSync(path.join(MARCXML, f)).size < 50_000 &&
          /<(marc:)?record/.test(fs.readFileSync(path.join(MARCXML, f), 'utf8')),
      );
    expect(file).toBeTruthy();
    const res = await upload(
      staff,
      fs.readFileSync(path.join(MARCXML, file!)),
      `filename=${encodeURIComponent(path.basename(file!))}`,
      library.id,
      'application/xml',
    );
    expect(res.statusCode, res.body).toBe(202);
    await env.drainJobs();
    const run = (await get(`${base(library.id)}/${res.json().id}`)).json();
    expect(run.status).toBe('done');
    expect(run.processed).toBeGreaterThan(0);
  });
});

describe('the holdings field copies come from', () => {
  const both = Buffer.from(
    writeIso2709(
      record('00000cam a2200000 a 4500', [
        '001 UP-H1',
        '003 TEST',
        '245 10$aA record with two holdings fields.',
        '852 0_$pUP-852$hPZ7',
        '949 __$iUP-949$aPZ7 .L4',
      ]),
    ),
  );

  it('is the one chosen at upload, kept for the job: 949 of a record that also has 852', async () => {
    const lib = await buildOrganization(env.ctx, { code: 'UP-HOLD' });
    const headers = (await signInAs(env.app, (await buildPerson(env.ctx, { roles: [[lib.id, 'staff']] })).email))
      .headers;
    const res = await upload(headers, both, 'filename=both.mrc&holdings=949', lib.id);
    expect(res.statusCode, res.body).toBe(202);
    await env.drainJobs();
    const run = (await get(`${base(lib.id)}/${res.json().id}`, headers)).json();
    expect(run, JSON.stringify(run)).toMatchObject({ status: 'done', added: 1 });
    const copies = await catalogDb(env.ctx.db)
      .selectFrom('catalog_items')
      .select('barcode')
      .where('organization_id', '=', lib.id)
      .execute();
    expect(copies).toEqual([{ barcode: 'UP-949' }]);
  });

  it('is refused, naming the fields allowed, when it is not one of them', async () => {
    const problem = expectProblem(
      await upload(staff, both, 'filename=both.mrc&holdings=990'),
      400,
      'VALIDATION_FAILED',
    );
    expect(problem.detail).toContain('holdings');
    expect(problem.detail).toContain('auto, 952, 852, 949, none');
    expect(filesInDir()).toHaveLength(0);
  });
});

describe('the character set records are decoded from', () => {
  // Leader/09 says UTF-8; the title is in Windows-1251.
  const legacy = windows1251Record('UP-E1', 'Война и мир');
  const staffOf = async (libraryId: string) =>
    (await signInAs(env.app, (await buildPerson(env.ctx, { roles: [[libraryId, 'staff']] })).email)).headers;

  it('is the one chosen at upload, kept for the job, whatever the leader says', async () => {
    const lib = await buildOrganization(env.ctx, { code: 'UP-ENC' });
    const headers = await staffOf(lib.id);
    const titles = () =>
      catalogDb(env.ctx.db)
        .selectFrom('catalog_records')
        .select(['fields', 'source_encoding'])
        .where('organization_id', '=', lib.id)
        .execute();

    // By default the leader is believed: the bytes are not UTF-8, and the record is rejected.
    const auto = await upload(headers, legacy, 'filename=legacy.mrc', lib.id);
    expect(auto.statusCode, auto.body).toBe(202);
    await env.drainJobs();
    const plain = (await get(`${base(lib.id)}/${auto.json().id}`, headers)).json();
    expect(plain, JSON.stringify(plain)).toMatchObject({ status: 'done', added: 0, rejected: 1 });
    expect(await titles()).toEqual([]);

    const res = await upload(headers, legacy, 'filename=legacy.mrc&encoding=windows-1251', lib.id);
    expect(res.statusCode, res.body).toBe(202);
    await env.drainJobs();
    const run = (await get(`${base(lib.id)}/${res.json().id}`, headers)).json();
    expect(run, JSON.stringify(run)).toMatchObject({ status: 'done', added: 1, rejected: 0 });
    const rows = await titles();
    expect(rows.map((r) => [r.fields.title, r.source_encoding])).toEqual([['Война и мир', 'windows-1251']]);
    expect(filesInDir()).toHaveLength(0);
  });

  it('is refused, naming the character sets allowed, when it is not one of them', async () => {
    const problem = expectProblem(
      await upload(staff, legacy, 'filename=legacy.mrc&encoding=koi8-r'),
      400,
      'VALIDATION_FAILED',
    );
    expect(problem.detail).toContain('encoding');
    expect(problem.detail).toContain('auto, utf-8, marc-8, iso-5426, windows-1251, iso-8859-1');
    expect(filesInDir()).toHaveLength(0);
  });

  it('is refused for MARCXML, chosen or detected, rather than ignored: no file, no run', async () => {
    const lib = await buildOrganization(env.ctx, { code: 'UP-ENC-X' });
    const headers = await staffOf(lib.id);
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><collection xmlns="http://www.loc.gov/MARC21/slim"><record>' +
      '<leader>00000cam a2200000 a 4500</leader><controlfield tag="001">UP-EX1</controlfield>' +
      '<datafield tag="245" ind1="1" ind2="0"><subfield code="a">Anna Karenina</subfield></datafield></record></collection>';
    for (const query of ['filename=r.xml&encoding=marc-8', 'filename=r.xml&format=marcxml&encoding=marc-8']) {
      const problem = expectProblem(
        await upload(headers, xml, query, lib.id, 'application/xml'),
        400,
        'CATALOG_IMPORT_ENCODING_NOT_ISO2709',
      );
      expect(problem.detail).toContain('The file is MARCXML');
      expect(problem.detail).toContain('ISO 2709 files (MARC 21, UNIMARC) only');
    }
    expect(filesInDir()).toHaveLength(0);
    expect((await get(base(lib.id), headers)).json().total).toBe(0);
  });
});

describe('refusals', () => {
  it('lets only staff and admins of the library upload or read its imports', async () => {
    const bytes = fs.readFileSync(TEST_DAT);
    expectProblem(await upload({}, bytes), 401, 'AUTHENTICATION_REQUIRED');
    expectProblem(await upload(patron, bytes), 403, 'FORBIDDEN');
    expectProblem(await upload(otherStaff, bytes), 403, 'FORBIDDEN');
    expectProblem(await get(base(library.id), otherStaff), 403, 'FORBIDDEN');
    expectProblem(await get(base(library.id), patron), 403, 'FORBIDDEN');
    const mine = (await get(`${base(library.id)}?pageSize=1`)).json().items[0];
    expectProblem(await get(`${base(library.id)}/${mine.id}`, otherStaff), 403, 'FORBIDDEN');
    expectProblem(await get(`${base(library.id)}/${mine.id}/report`, otherStaff), 403, 'FORBIDDEN');
    // Under their own library the other library's import does not exist.
    expectProblem(await get(`${base(other.id)}/${mine.id}`, otherStaff), 404, 'CATALOG_IMPORT_NOT_FOUND');
    expect((await get(base(other.id), otherStaff)).json().total).toBe(0);
  });

  it('refuses a cookie-authenticated upload without the CSRF token', async () => {
    const { 'x-csrf-token': _, ...cookieOnly } = staff;
    expectProblem(await upload(cookieOnly, fs.readFileSync(TEST_DAT)), 403, 'CSRF_TOKEN_INVALID');
  });

  it('imports into a library, not into one of its branches', async () => {
    const problem = expectProblem(
      await upload(staff, fs.readFileSync(TEST_DAT), 'filename=x.mrc', branch.id),
      422,
      'CATALOG_IMPORT_NOT_A_LIBRARY',
    );
    expect(problem.detail).toContain('UP-LIB');
  });

  it('explains bad files and leaves nothing behind', async () => {
    const before = (await get(base(library.id))).json().total;
    expectProblem(await upload(staff, ''), 422, 'CATALOG_IMPORT_EMPTY');
    const notMarc = expectProblem(
      await upload(staff, 'Dear librarian, here are my books.\n'),
      422,
      'CATALOG_IMPORT_NOT_MARC',
    );
    expect(notMarc.detail).toContain('five-digit record length');
    const mismatch = expectProblem(
      await upload(staff, fs.readFileSync(TEST_DAT), 'filename=a.xml&format=marcxml'),
      422,
      'CATALOG_IMPORT_NOT_MARC',
    );
    expect(mismatch.detail).toContain('ISO 2709');
    expectProblem(
      await upload(staff, fs.readFileSync(TEST_DAT), 'filename=a.mrc&format=dbase'),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(await upload(staff, fs.readFileSync(TEST_DAT), 'format=auto'), 400, 'VALIDATION_FAILED');
    const form = expectProblem(
      await upload(staff, '--x\r\n\r\n--x--', 'filename=a.mrc', library.id, 'multipart/form-data; boundary=x'),
      415,
      'CATALOG_IMPORT_MEDIA_TYPE',
    );
    expect(form.detail).toContain('application/octet-stream');
    expect((await get(base(library.id))).json().total).toBe(before);
    expect(filesInDir()).toHaveLength(0);
  });

  it('refuses a file over the size cap, while streaming it, and keeps no part of it', async () => {
    const big = Buffer.concat(Array.from({ length: 20 }, () => fs.readFileSync(TEST_DAT)));
    expect(big.length).toBeGreaterThan(100_000);
    const problem = expectProblem(await upload(staff, big), 413, 'CATALOG_IMPORT_TOO_LARGE');
    expect(problem.detail).toContain('100000 bytes');
    expect(filesInDir()).toHaveLength(0);
    // A declared length over the cap is refused before the body is read.
    const declared = await env.app.inject({
      method: 'POST',
      url: `${base(library.id)}?filename=big.mrc`,
      headers: { ...staff, 'content-type': 'application/octet-stream', 'content-length': '200000' },
      payload: Buffer.alloc(0),
    });
    expectProblem(declared, 413, 'CATALOG_IMPORT_TOO_LARGE');
  });

  it('answers 404 for an unknown import', async () => {
    expectProblem(
      await get(`${base(library.id)}/00000000-0000-4000-8000-000000000000`),
      404,
      'CATALOG_IMPORT_NOT_FOUND',
    );
    expectProblem(
      await get(`${base(library.id)}/00000000-0000-4000-8000-000000000000/report`),
      404,
      'CATALOG_IMPORT_NOT_FOUND',
    );
  });
});

describe('limits and failures', () => {
  it('allows a library so many uploads an hour, then says when to try again', async () => {
    const quiet = await buildOrganization(env.ctx, { code: 'UP-QUOTA' });
    const headers = (await signInAs(env.app, (await buildPerson(env.ctx, { roles: [[quiet.id, 'staff']] })).email))
      .headers;
    const bytes = fs.readFileSync(path.join(SHARED_DATA, 'marc/pymarc/one.dat'));
    for (let i = 0; i < 12; i++)
      expect((await upload(headers, bytes, `filename=one-${i}.dat`, quiet.id)).statusCode).toBe(202);
    const refused = await upload(headers, bytes, 'filename=one-13.dat', quiet.id);
    const problem = expectProblem(refused, 429, 'CATALOG_IMPORT_LIMIT_REACHED');
    expect(problem.retryAfterSeconds).toBeGreaterThan(3000);
    expect(refused.headers['retry-after']).toBe(String(problem.retryAfterSeconds));
    // Other libraries are not held back by this one's uploads.
    expect((await upload(staff, fs.readFileSync(TEST_DAT))).statusCode).toBe(202);
    env.clock.advance(3_601_000);
    expect((await upload(headers, bytes, 'filename=later.dat', quiet.id)).statusCode).toBe(202);
    env.clock.advance(-3_601_000);
    await env.drainJobs();
  });

  it('fails an import whose file is gone, with a reason, instead of retrying forever', async () => {
    const res = await upload(staff, fs.readFileSync(TEST_DAT), 'filename=lost.dat');
    expect(res.statusCode).toBe(202);
    const row = await importsDb(env.ctx.db)
      .selectFrom('catalog_import_files')
      .select('stored_name')
      .where('import_id', '=', res.json().id)
      .executeTakeFirstOrThrow();
    fs.rmSync(path.join(dir, row.stored_name));
    await env.drainJobs();
    const run = (await get(`${base(library.id)}/${res.json().id}`)).json();
    expect(run.status).toBe('failed');
    expect(run.error).toBe(CATALOG_IMPORT_FILE_MISSING);
  });

  it('shows a run nobody runs any more as interrupted, and one a process or a job still has as it stands', async () => {
    const db = catalogDb(env.ctx.db);
    // A command-line run whose process died: 'running' in the table, but no process holds it.
    const cli = await insertImport(db, {
      organizationId: library.id,
      filename: '/srv/big.mrc',
      format: 'auto',
      createdBy: null,
    });
    await setImportStatus(db, cli.id, 'running');
    const shown = (await get(`${base(library.id)}/${cli.id}`)).json();
    expect(shown).toMatchObject({ status: 'failed', error: CATALOG_IMPORT_INTERRUPTED, filename: 'big.mrc' });
    const listed = (await get(`${base(library.id)}?pageSize=100`))
      .json()
      .items.find((i: { id: string }) => i.id === cli.id);
    expect(listed).toMatchObject({ status: 'failed', error: CATALOG_IMPORT_INTERRUPTED });
    // While a process holds the run, it is running.
    const held = await whileRunning(importsDb(env.ctx.db), cli.id, async () =>
      (await get(`${base(library.id)}/${cli.id}`)).json(),
    );
    expect(held?.result).toMatchObject({ status: 'running', error: null });

    // An upload whose job is queued (or will be retried) is as the table says, even 'running'.
    const res = await upload(staff, fs.readFileSync(TEST_DAT), 'filename=orphan.dat');
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json().id as string;
    await setImportStatus(db, id, 'running');
    expect((await get(`${base(library.id)}/${id}`)).json()).toMatchObject({ status: 'running', error: null });
    // Its job died during its last attempt (the queue failed it): nobody will run it again.
    await sql`update jobs set status = 'failed' where payload->>'importId' = ${id}`.execute(env.ctx.db);
    expect((await get(`${base(library.id)}/${id}`)).json()).toMatchObject({
      status: 'failed',
      error: CATALOG_IMPORT_INTERRUPTED,
    });
    // A run that ended keeps its own status and reason.
    await setImportStatus(db, cli.id, 'failed', 'disk full');
    expect((await get(`${base(library.id)}/${cli.id}`)).json()).toMatchObject({ status: 'failed', error: 'disk full' });
  });

  it('starts a retried run over, so its counts are those of one pass', async () => {
    const res = await upload(staff, fs.readFileSync(TEST_DAT), 'filename=retry.dat');
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json().id as string;
    // As if an earlier attempt had died half-way: counts and a reject already recorded.
    await importsDb(env.ctx.db)
      .updateTable('catalog_imports')
      .set({ status: 'running', processed: 7, added: 7 })
      .where('id', '=', id)
      .execute();
    await importsDb(env.ctx.db)
      .insertInto('catalog_import_rejects')
      .values({ import_id: id, position: 'record 1', reason: 'stale' })
      .execute();
    await runUploadedImport(env.ctx, id, { attempts: 2, maxAttempts: 3 });
    const run = (await get(`${base(library.id)}/${id}`)).json();
    expect(run).toMatchObject({ status: 'done', processed: 10, rejected: 0 });
    expect(run.added + run.updated + run.unchanged).toBe(10);
    expect((await get(`${base(library.id)}/${id}/report`)).body).toBe('position\treason\n');
    await env.drainJobs();
  });
});
