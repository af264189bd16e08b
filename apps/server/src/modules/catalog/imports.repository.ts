import { sql, type Kysely } from 'kysely';
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
  };
};

export type ImportsDb = Kysely<CatalogTables & ImportFileTables & PlatformTables>;
export const importsDb = (db: Db | CatalogDb | ImportsDb): ImportsDb =>
  (db as Db).withTables<CatalogTables & ImportFileTables>();

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
] as const;

const withFile = (db: ImportsDb) =>
  db.selectFrom('catalog_imports as i').leftJoin('catalog_import_files as f', 'f.import_id', 'i.id').select(columns);

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

export async function markFileRemoved(db: ImportsDb, importId: string): Promise<void> {
  await db
    .updateTable('catalog_import_files')
    .set({ removed_at: new Date() })
    .where('import_id', '=', importId)
    .execute();
}

/** The rejected records of a run in file order (positions read "record N, byte M"). */
export async function rejectsOf(db: ImportsDb, importId: string): Promise<Array<{ position: string; reason: string }>> {
  return db
    .selectFrom('catalog_import_rejects')
    .select(['position', 'reason'])
    .where('import_id', '=', importId)
    .orderBy(sql`coalesce(substring(position from 'record ([0-9]+)')::bigint, 0)`)
    .orderBy('position')
    .execute();
}
