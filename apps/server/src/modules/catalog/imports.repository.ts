import { sql, type Kysely } from 'kysely';
import type { MarcEncoding } from '@athenaeum/marc';
import type { Db } from '../../platform/db/database.js';
import type { PlatformTables } from '../../platform/db/tables.js';
import type { CatalogDb } from './catalog.repository.js';
import type { CatalogTables } from './catalog.tables.js';

/** Files uploaded for import (migration 0005); the run itself is a catalog_imports row. */
export type ImportFileTables = {
  catalog_import_files: {
    import_id: string;
    organization_id: string;
    stored_name: string;
    size_bytes: number;
    bytes_read: number;
    removed_at: Date | null;
    /** The holdings field chosen at upload (0030); null for the automatic choice. */
    holdings: '952' | '852' | '949' | 'none' | null;
    /** The character set forced at upload (0033); null for what each record says. */
    encoding: MarcEncoding | null;
  };
};

export type ImportsDb = Kysely<CatalogTables & ImportFileTables & PlatformTables>;
export const importsDb = (db: Db | CatalogDb | ImportsDb): ImportsDb =>
  (db as Db).withTables<CatalogTables & ImportFileTables>();

/** The job queue of uploaded imports. */
export const CATALOG_IMPORT_QUEUE = 'catalog.import-upload';

// Any constant: with the library's hash it serializes the quota check and insert of its uploads.
const UPLOAD_LOCK = 740_127_540;

/** Holds, until the transaction ends, the right to start an import for this library. */
export async function lockLibraryUploads(db: ImportsDb, libraryId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(${UPLOAD_LOCK}::int, hashtext(${libraryId}))`.execute(db);
}

/** How many imports the library started since `since`, and when the oldest of them started. */
export async function recentImports(
  db: ImportsDb,
  libraryId: string,
  since: Date,
): Promise<{ count: number; oldest: Date | null }> {
  const row = await db
    .selectFrom('catalog_imports')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('created_at').as('oldest')])
    .where('organization_id', '=', libraryId)
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), oldest: row.oldest ? new Date(row.oldest) : null };
}

/** A run waiting for its job; `created_at` from the use case's clock, which the hourly quota counts by. */
export async function insertQueuedImport(
  db: ImportsDb,
  values: { organizationId: string; filename: string; format: string; createdBy: string | null; createdAt: Date },
): Promise<string> {
  const row = await db
    .insertInto('catalog_imports')
    .values({
      organization_id: values.organizationId,
      filename: values.filename,
      format: values.format,
      status: 'queued',
      created_by: values.createdBy,
      created_at: values.createdAt,
      error: null,
      started_at: null,
      finished_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertImportFile(
  db: ImportsDb,
  values: {
    importId: string;
    organizationId: string;
    storedName: string;
    sizeBytes: number;
    holdings: '952' | '852' | '949' | 'none' | null;
    encoding: MarcEncoding | null;
  },
): Promise<void> {
  await db
    .insertInto('catalog_import_files')
    .values({
      import_id: values.importId,
      organization_id: values.organizationId,
      stored_name: values.storedName,
      size_bytes: values.sizeBytes,
      bytes_read: 0,
      removed_at: null,
      holdings: values.holdings,
      encoding: values.encoding,
    })
    .execute();
}

const columns = [
  'i.id',
  'i.organization_id',
  'i.filename',
  'i.format',
  'i.status',
  'i.processed',
  'i.added',
  'i.updated',
  'i.unchanged',
  'i.rejected',
  'i.error',
  'i.created_at',
  'i.started_at',
  'i.finished_at',
  'f.stored_name',
  'f.size_bytes',
  'f.bytes_read',
  'f.removed_at',
  'f.holdings',
  'f.encoding',
] as const;

// Any constant: with the run's hash, the session lock held by the process running an import.
const RUN_LOCK = 740_127_541;

/**
 * Runs `work` while this process holds the run's lock, a session-level advisory lock on a
 * connection kept for the purpose: it goes when the process does (killed, crashed, its machine
 * gone), which is how a run left 'running' is known to be interrupted (`interrupted` below).
 * Returns undefined, without running `work`, when another process holds it (a PostgreSQL server;
 * the embedded database has one session, and one process).
 */
export async function whileRunning<T>(
  db: ImportsDb,
  importId: string,
  work: () => Promise<T>,
): Promise<{ result: T } | undefined> {
  return db.connection().execute(async (conn) => {
    const { rows } = await sql<{ held: boolean }>`
      select pg_try_advisory_lock(${RUN_LOCK}::int, hashtext(${importId})) as held`.execute(conn);
    if (!rows[0]?.held) return undefined;
    try {
      return { result: await work() };
    } finally {
      await sql`select pg_advisory_unlock(${RUN_LOCK}::int, hashtext(${importId}))`.execute(conn);
    }
  });
}

/**
 * A run queued or running that nobody runs: no process holds its lock, and no job of its upload
 * is waiting, running under a live lease, or left to retry it (the job queue's table is read for
 * that, by the queue name and the run's id in the payload, only for such runs).
 */
const interrupted = sql<boolean>`case when i.status in ('queued', 'running') then
    not exists (
      select 1 from pg_locks l
      where l.locktype = 'advisory' and l.classid = ${RUN_LOCK}::int::oid
        and l.objid = hashtext(i.id::text)::oid and l.objsubid = 2
        and l.database = (select oid from pg_database where datname = current_database()))
    and not exists (
      select 1 from jobs j
      where j.queue = ${CATALOG_IMPORT_QUEUE} and j.payload->>'importId' = i.id::text
        and (j.status = 'queued' or (j.status = 'running' and (j.locked_until > now() or j.attempts < j.max_attempts))))
  else false end`;

const withFile = (db: ImportsDb) =>
  db
    .selectFrom('catalog_imports as i')
    .leftJoin('catalog_import_files as f', 'f.import_id', 'i.id')
    .select(columns)
    .select(interrupted.as('interrupted'));

export type ImportRow = Awaited<ReturnType<ReturnType<typeof withFile>['executeTakeFirstOrThrow']>>;

/** A library's imports, newest first (uploads and command-line runs alike). */
export async function listImports(
  db: ImportsDb,
  libraryId: string,
  page: number,
  pageSize: number,
): Promise<{ rows: ImportRow[]; total: number }> {
  const [rows, total] = await Promise.all([
    withFile(db)
      .where('i.organization_id', '=', libraryId)
      .orderBy('i.created_at', 'desc')
      .orderBy('i.id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    db
      .selectFrom('catalog_imports')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('organization_id', '=', libraryId)
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** One import of a library (undefined when the id is another library's). */
export async function findImport(db: ImportsDb, libraryId: string, importId: string): Promise<ImportRow | undefined> {
  return withFile(db).where('i.organization_id', '=', libraryId).where('i.id', '=', importId).executeTakeFirst();
}

/** One import by id alone, for its job. */
export async function findImportById(db: ImportsDb, importId: string): Promise<ImportRow | undefined> {
  return withFile(db).where('i.id', '=', importId).executeTakeFirst();
}

/**
 * Starts (or restarts, after a crash) a run from nothing: counts, rejects and bytes read are set
 * back, so a second attempt reports the file once, not twice.
 */
export async function restartImport(db: ImportsDb, importId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('catalog_import_rejects').where('import_id', '=', importId).execute();
    await trx
      .updateTable('catalog_imports')
      .set({
        status: 'running',
        processed: 0,
        added: 0,
        updated: 0,
        unchanged: 0,
        rejected: 0,
        error: null,
        started_at: new Date(),
        finished_at: null,
      })
      .where('id', '=', importId)
      .execute();
    await trx.updateTable('catalog_import_files').set({ bytes_read: 0 }).where('import_id', '=', importId).execute();
  });
}

export async function setBytesRead(db: ImportsDb, importId: string, bytes: number): Promise<void> {
  await db.updateTable('catalog_import_files').set({ bytes_read: bytes }).where('import_id', '=', importId).execute();
}

/** A failed attempt that the queue will try again: queued once more, with the reason kept. */
export async function requeueImport(db: ImportsDb, importId: string, error: string): Promise<void> {
  await db.updateTable('catalog_imports').set({ status: 'queued', error }).where('id', '=', importId).execute();
}

/**
 * Of these stored files, the runs they belong to, and whether each still needs its file (queued or
 * running, and not interrupted). A name without a run is not listed.
 */
export async function runsOfFiles(
  db: ImportsDb,
  storedNames: string[],
): Promise<Array<{ stored_name: string; import_id: string; needed: boolean }>> {
  if (storedNames.length === 0) return [];
  const { rows } = await sql<{ stored_name: string; import_id: string; needed: boolean }>`
    select f.stored_name, f.import_id, (i.status in ('queued', 'running') and not ${interrupted}) as needed
    from catalog_import_files f join catalog_imports i on i.id = f.import_id
    where f.stored_name = any(${storedNames}::text[])`.execute(db);
  return rows;
}

export async function markFileRemoved(db: ImportsDb, importId: string): Promise<void> {
  await db
    .updateTable('catalog_import_files')
    .set({ removed_at: new Date() })
    .where('import_id', '=', importId)
    .execute();
}

/** Where a page of a run's rejects ends: the next page starts after it. */
export interface RejectCursor {
  n: string;
  position: string;
  seq: string;
}

// A reject's record number, read from its position ("record N, byte M"); the index of 0032 holds it.
const RECORD_NUMBER = sql`coalesce(substring(position from 'record ([0-9]+)')::bigint, 0)`;

/**
 * Up to `limit` rejected records of a run in file order (record number, position, the order they
 * were stored), after `after`; each with the cursor of the next page.
 */
export async function rejectsPage(
  db: ImportsDb,
  importId: string,
  after: RejectCursor | null,
  limit: number,
): Promise<Array<{ position: string; reason: string; cursor: RejectCursor }>> {
  const { rows } = await sql<{ position: string; reason: string; n: string; seq: string }>`
    select position, reason, ${RECORD_NUMBER}::text as n, seq::text as seq
    from catalog_import_rejects
    where import_id = ${importId}
      ${after ? sql`and (${RECORD_NUMBER}, position, seq) > (${after.n}::bigint, ${after.position}, ${after.seq}::bigint)` : sql``}
    order by ${RECORD_NUMBER}, position, seq
    limit ${limit}`.execute(db);
  return rows.map((r) => ({
    position: r.position,
    reason: r.reason,
    cursor: { n: r.n, position: r.position, seq: r.seq },
  }));
}

/** Every rejected record of a run, in file order, read page by page. */
export async function* rejectsOfRun(
  db: ImportsDb,
  importId: string,
  pageSize = 1000,
): AsyncGenerator<{ position: string; reason: string }> {
  let after: RejectCursor | null = null;
  for (;;) {
    const page = await rejectsPage(db, importId, after, pageSize);
    for (const r of page) yield { position: r.position, reason: r.reason };
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.cursor;
  }
}

/** The rejected records of a run in file order, all at once: for runs known to be small (tests, checks). */
export async function rejectsOf(db: ImportsDb, importId: string): Promise<Array<{ position: string; reason: string }>> {
  const all: Array<{ position: string; reason: string }> = [];
  for await (const r of rejectsOfRun(db, importId)) all.push(r);
  return all;
}
