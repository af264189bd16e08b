import type { MarcRecord } from '@athenaeum/marc';
import { sql } from 'kysely';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { buildOrganization } from '../../accounts/accounts.factories.js';
import { catalogDb, insertPendingCopies, refreshWorks, type ItemValues } from '../catalog.repository.js';
import { record } from '../normalize/marc-fixtures.js';
import { CopyWriter, storeAbandonedCopies } from './copy-writer.js';
import { importRecords, type ReaderItem } from './import-records.js';

let env: TestEnv;
const onServer = Boolean(process.env.ATHENAEUM_TEST_DATABASE_URL);

beforeAll(async () => {
  env = await createTestEnv();
});

const db = () => catalogDb(env.ctx.db);
const input = (records: MarcRecord[]): ReaderItem[] =>
  records.map((r, index) => ({ record: r, position: { index, byteOffset: index * 1000 } }));
/** A record with one copy per barcode, in 952. */
const book = (id: string, barcodes: string[]) =>
  record('00000cam a2200000 a 4500', [
    `001 ${id}`,
    '003 TEST',
    '100 1_$aTolkien, J. R. R.',
    `245 10$aVolume ${id}.`,
    ...barcodes.map((b) => `952 __$bMAIN$p${b}$yBK`),
  ]);
const importInto = (libraryId: string, records: MarcRecord[], batchSize = 1000) =>
  importRecords(env.ctx, input(records), { libraryId, flavour: 'marc21', sourceFormat: 'json', batchSize });

async function copies(libraryId: string) {
  const { rows } = await sql<{ barcode: string; record_key: string }>`
    select i.barcode, r.record_key from catalog_items i join catalog_records r on r.id = i.record_id
    where i.organization_id = ${libraryId} order by i.barcode`.execute(db());
  return rows.map((r) => [r.barcode, r.record_key]);
}
const pendingRows = async () =>
  Number((await sql<{ n: string }>`select count(*) as n from catalog_import_pending_copies`.execute(db())).rows[0]!.n);
const availableAt = async (title: string) =>
  (
    await db()
      .selectFrom('catalog_works')
      .select('available_library_ids')
      .where('title', '=', title)
      .executeTakeFirstOrThrow()
  ).available_library_ids;

/**
 * Leaves a library's copies and its works' refresh marks pending, as a run whose process ended
 * after its records' transaction would (its works refreshed as they were without the copies).
 */
async function leavePending(libraryId: string, runToken: string) {
  const rows = await db().selectFrom('catalog_items').selectAll().where('organization_id', '=', libraryId).execute();
  const items: ItemValues[] = rows.map((i) => ({
    organizationId: i.organization_id,
    recordId: i.record_id,
    branchId: i.branch_id,
    barcode: i.barcode,
    callNumber: i.call_number,
    location: i.location,
    itemType: i.item_type,
    status: null,
  }));
  await db().deleteFrom('catalog_items').where('organization_id', '=', libraryId).execute();
  const works = await db()
    .selectFrom('catalog_records')
    .select('work_id')
    .distinct()
    .where('organization_id', '=', libraryId)
    .execute();
  await refreshWorks(
    db(),
    works.map((w) => w.work_id),
  );
  await insertPendingCopies(db(), runToken, libraryId, {
    items,
    marks: works.map((w) => ({ workId: w.work_id, added: [], rekey: true })),
  });
}

describe('copies a run left pending', () => {
  it('are stored by the next import before its own records, once, and their works are available again', async () => {
    const lib = (await buildOrganization(env.ctx, { kind: 'library' })).id;
    const records = [book('P1', ['P-1', 'P-2']), book('P2', ['P-3'])];
    await importInto(lib, records);
    await leavePending(lib, '00000000-0000-7000-8000-00000000a001');
    expect(await availableAt('Volume P1')).toEqual([]);
    await importInto(lib, [book('P9', [])]);
    expect(await copies(lib)).toEqual([
      ['P-1', 'TEST/P1'],
      ['P-2', 'TEST/P1'],
      ['P-3', 'TEST/P2'],
    ]);
    expect(await pendingRows()).toBe(0);
    expect(await availableAt('Volume P1')).toEqual([lib]);

    const again = await importInto(lib, records);
    expect(again).toMatchObject({ added: 0, unchanged: 2 });
    expect(await copies(lib)).toHaveLength(3);
  });

  it('bring the subject terms of the records they belong to, which wait with them', async () => {
    const lib = (await buildOrganization(env.ctx, { kind: 'library' })).id;
    const subjects = record('00000cam a2200000 a 4500', [
      '001 S1',
      '003 TEST',
      '008 850101s1990    nyu           000 1 eng d',
      '245 10$aGardens.',
      '650 _0$aGardening.',
      '650 _0$aBotany.',
    ]);
    await importInto(lib, [subjects]);
    const { id, work_id: workId } = await db()
      .selectFrom('catalog_records')
      .select(['id', 'work_id'])
      .where('organization_id', '=', lib)
      .executeTakeFirstOrThrow();
    const terms = async () =>
      (
        await sql<{ term: string }>`select term from catalog_search.record_subject_terms
          where record_id = ${id} order by term`.execute(db())
      ).rows.map((r) => r.term);
    const stored = await terms();
    expect(stored).toEqual(expect.arrayContaining(['botani', 'botany', 'garden', 'gardening']));
    // As a run whose process ended after the records' transaction leaves them (their terms deferred).
    await sql`delete from catalog_search.record_subject_terms where record_id = ${id}`.execute(db());
    await insertPendingCopies(db(), '00000000-0000-7000-8000-00000000a002', lib, {
      items: [],
      marks: [{ workId, added: [id], rekey: false }],
    });
    await storeAbandonedCopies(env.ctx);
    expect(await terms()).toEqual(stored);
    expect(await pendingRows()).toBe(0);
  });

  it.runIf(onServer)('are left alone while the run’s process holds its lock, and stored once it lets go', async () => {
    const lib = (await buildOrganization(env.ctx, { kind: 'library' })).id;
    await importInto(lib, [book('L1', ['L-1'])]);
    const writer = await CopyWriter.open(db(), async () => {});
    try {
      await leavePending(lib, writer.runToken);
      await storeAbandonedCopies(env.ctx);
      expect(await pendingRows()).toBe(1);
      expect(await copies(lib)).toEqual([]);
    } finally {
      await writer.close();
    }
    await storeAbandonedCopies(env.ctx);
    expect(await pendingRows()).toBe(0);
    expect(await copies(lib)).toEqual([['L-1', 'TEST/L1']]);
  });
});

describe.runIf(onServer)('an import whose copies’ connection dies', () => {
  it('fails; its records stay, and the next import stores their copies without duplicates', async () => {
    const lib = (await buildOrganization(env.ctx, { kind: 'library' })).id;
    const records = Array.from({ length: 8 }, (_, n) => book(`K${n}`, [`K-${n}`]));
    // Another session keeps the copies' transactions waiting, as a slow disk would.
    const blocker = new pg.Client({ connectionString: env.database.url });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('lock table catalog_items in exclusive mode');
      const run = importInto(lib, records, 2);
      run.catch(() => {});
      // The first batch's copies wait for the lock: the process "ends" there.
      let victim: number | undefined;
      for (let tries = 0; victim === undefined && tries < 200; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        const { rows } = await blocker.query<{ pid: number }>(
          `select pid from pg_stat_activity
           where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
        );
        victim = rows[0]?.pid;
      }
      expect(victim).toBeDefined();
      // The first batches' records are stored; their works are marked for a refresh only with
      // their copies, so that no refresh (another import's) takes them before the copies are there.
      const count = async (query: string) => (await blocker.query<{ n: number }>(query, [lib])).rows[0]!.n;
      expect(await count('select count(*)::int as n from catalog_records where organization_id = $1')).toBeGreaterThan(
        0,
      );
      expect(
        await count(`select count(*)::int as n from catalog_work_refresh m
          where exists (select 1 from catalog_records r where r.work_id = m.work_id and r.organization_id = $1)`),
      ).toBe(0);
      await blocker.query('select pg_terminate_backend($1)', [victim]);
      await expect(run).rejects.toThrow();
      await blocker.query('rollback');
    } finally {
      await blocker.end();
    }
    expect(await pendingRows()).toBeGreaterThan(0);
    const storedBefore = (
      await db().selectFrom('catalog_records').select('id').where('organization_id', '=', lib).execute()
    ).length;
    expect(storedBefore).toBeGreaterThan(0);

    const again = await importInto(lib, records, 2);
    expect(again).toMatchObject({ added: 8 - storedBefore, unchanged: storedBefore, rejected: 0 });
    expect(await copies(lib)).toEqual(records.map((_, n) => [`K-${n}`, `TEST/K${n}`]));
    expect(await pendingRows()).toBe(0);
    expect(await availableAt('Volume K0')).toEqual([lib]);
  });
});

/**
 * Runs `run` while the database refuses to insert into `table` a row whose `column` is `value`
 * (a trigger raising SQLSTATE `code`, as a value too large or invalid would), with `message`.
 */
async function whileRefusing(
  refusal: { table: string; column: string; value: string; code: string; message: string },
  run: () => Promise<void>,
) {
  await sql`create function test_refuse() returns trigger language plpgsql as $$
    begin
      if to_jsonb(new)->>${sql.lit(refusal.column)} = ${sql.lit(refusal.value)} then
        raise exception ${sql.lit(refusal.message)} using errcode = ${sql.lit(refusal.code)};
      end if;
      return new;
    end $$`.execute(db());
  await sql`create trigger test_refuse before insert on ${sql.raw(refusal.table)}
    for each row execute function test_refuse()`.execute(db());
  try {
    await run();
  } finally {
    await sql`drop trigger test_refuse on ${sql.raw(refusal.table)}`.execute(db());
    await sql`drop function test_refuse()`.execute(db());
  }
}

describe('copies the database refuses', () => {
  it('leave their record stored without them, reported with its position; every other copy is stored', async () => {
    const lib = (await buildOrganization(env.ctx, { kind: 'library' })).id;
    const refusal = {
      table: 'catalog_items',
      column: 'barcode',
      value: 'POISON',
      code: '22023',
      message: 'the test refuses this copy',
    };
    await whileRefusing(refusal, async () => {
      const result = await importInto(lib, [book('R1', ['R-1']), book('R2', ['R-2', 'POISON']), book('R3', ['R-3'])]);
      expect(result).toMatchObject({ processed: 3, added: 3, rejected: 1 });
      expect(result.rejects).toEqual([
        { position: 'record 2, byte 1000', reason: 'stored, but its copies cannot be: the test refuses this copy' },
      ]);
      expect(await copies(lib)).toEqual([
        ['R-1', 'TEST/R1'],
        ['R-3', 'TEST/R3'],
      ]);
      expect(await pendingRows()).toBe(0);
    });
  });
});

describe('subject terms of a batch that both adds and updates records', () => {
  it('are stored for the records it adds, though such a batch stores its copies itself', async () => {
    const lib = (await buildOrganization(env.ctx, { kind: 'library' })).id;
    const garden = (id: string, title: string) =>
      record('00000cam a2200000 a 4500', [
        `001 ${id}`,
        '003 TEST',
        '008 850101s1990    nyu           000 1 eng d',
        `245 10$a${title}.`,
        '650 _0$aGardening.',
      ]);
    await importInto(lib, [garden('G1', 'Gardens')]);
    const result = await importInto(lib, [garden('G1', 'Gardens, revised'), garden('G2', 'Orchards')]);
    expect(result).toMatchObject({ added: 1, updated: 1 });
    const { rows } = await sql<{ record_key: string; term: string }>`
      select r.record_key, t.term from catalog_search.record_subject_terms t
      join catalog_records r on r.id = t.record_id
      where r.organization_id = ${lib} and t.term = 'gardening' order by r.record_key`.execute(db());
    expect(rows.map((r) => r.record_key)).toEqual(['TEST/G1', 'TEST/G2']);
  });
});

describe.runIf(onServer)('subject terms the database refuses in the copies’ transaction', () => {
  it('leave their record stored without them, reported with its position; the import goes on', async () => {
    const lib = (await buildOrganization(env.ctx, { kind: 'library' })).id;
    const withSubject = (id: string, subject: string) =>
      record('00000cam a2200000 a 4500', ['001 ' + id, '003 TEST', `245 10$aTerms ${id}.`, `650 _0$a${subject}`]);
    const refusal = {
      table: 'catalog_search.record_subject_terms',
      column: 'term',
      value: 'poison',
      code: '54000',
      message: 'the test refuses this term',
    };
    await whileRefusing(refusal, async () => {
      const result = await importInto(lib, [
        withSubject('T1', 'Orchards'),
        withSubject('T2', 'Poison'),
        withSubject('T3', 'Meadows'),
      ]);
      expect(result).toMatchObject({ processed: 3, added: 3, rejected: 1 });
      expect(result.rejects).toEqual([
        {
          position: 'record 2, byte 1000',
          reason: 'stored, but its subject terms cannot be: the test refuses this term',
        },
      ]);
      const { rows } = await sql<{ record_key: string; terms: string[] }>`
        select r.record_key, array(select t.term from catalog_search.record_subject_terms t
          where t.record_id = r.id order by t.term) as terms
        from catalog_records r where r.organization_id = ${lib} order by r.record_key`.execute(db());
      expect(rows).toEqual([
        { record_key: 'TEST/T1', terms: ['orchards'] },
        { record_key: 'TEST/T2', terms: [] },
        { record_key: 'TEST/T3', terms: ['meadows'] },
      ]);
      expect(await pendingRows()).toBe(0);
    });
  });
});

describe.runIf(onServer)('deferred subject terms and an edit of their record at the same moment', () => {
  it('the edit waits for the terms, then replaces them: none of the old version stays', async () => {
    const lib = (await buildOrganization(env.ctx, { kind: 'library' })).id;
    await importInto(lib, [
      record('00000cam a2200000 a 4500', ['001 E1', '003 TEST', '245 10$aEdited.', '650 _0$aOrchards']),
    ]);
    const { id } = await db()
      .selectFrom('catalog_records')
      .select('id')
      .where('organization_id', '=', lib)
      .executeTakeFirstOrThrow();
    await sql`delete from catalog_search.record_subject_terms where record_id = ${id}`.execute(db());
    const writer = new pg.Client({ connectionString: env.database.url });
    const editor = new pg.Client({ connectionString: env.database.url });
    await writer.connect();
    await editor.connect();
    try {
      // The copies' transaction stores the terms and has not committed yet.
      await writer.query('begin');
      await writer.query('select catalog_store_subject_terms($1::uuid[])', [[id]]);
      const edit = editor.query(
        `update catalog_records set search_doc = jsonb_set(search_doc, '{c}', '"Meadows"') where id = $1`,
        [id],
      );
      let waiting = false;
      for (let tries = 0; !waiting && tries < 200; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        const { rows } = await writer.query<{ n: number }>(
          `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like 'update catalog_records%'`,
        );
        waiting = rows[0]!.n > 0;
      }
      expect(waiting).toBe(true);
      await writer.query('commit');
      await edit;
    } finally {
      await writer.end();
      await editor.end();
    }
    const { rows } = await sql<{ term: string }>`
      select term from catalog_search.record_subject_terms where record_id = ${id} order by term`.execute(db());
    expect(rows.map((r) => r.term)).toEqual(['meadows']);
  });
});
