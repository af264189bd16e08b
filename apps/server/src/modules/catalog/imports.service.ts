import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CATALOG_IMPORT_FORMATS,
  type CatalogImport,
  type CatalogImportEncoding,
  type CatalogImportFormat,
  type CatalogImportHoldings,
  type Page,
} from '@athenaeum/contracts';
import {
  CATALOG_IMPORT_FAILED,
  CATALOG_IMPORT_FILE_MISSING,
  CATALOG_IMPORT_INTERRUPTED,
} from '@athenaeum/contracts/vocabulary';
import { detectFormat, iso2709Start, readRecords } from '@athenaeum/marc';
import type { AppContext } from '../../platform/context/context.js';
import { AppError } from '../../platform/errors.js';
import { enqueueJob } from '../../platform/jobs/queue.js';
import { branchesOf, getOrganization } from '../accounts/index.js';
import { CatalogErrors } from './catalog.errors.js';
import { catalogDb, setImportStatus } from './catalog.repository.js';
import { holdingsMapping } from './import/holdings.js';
import { importRecords } from './import/import-records.js';
import * as repo from './imports.repository.js';

/** The job queue of uploaded imports. */
export const CATALOG_IMPORT_QUEUE = repo.CATALOG_IMPORT_QUEUE;

const HOUR_MS = 3_600_000;
const HEAD_BYTES = 512;

/** A run as people see it: one that nobody runs any more (repo `interrupted`) has failed. */
function present(row: repo.ImportRow): CatalogImport {
  const format = (CATALOG_IMPORT_FORMATS as readonly string[]).includes(row.format)
    ? (row.format as CatalogImportFormat)
    : 'auto';
  const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
  return {
    id: row.id,
    libraryId: row.organization_id,
    // Command-line runs record the path they read; people see the file's name only.
    filename: path.basename(row.filename),
    format,
    status: row.interrupted ? 'failed' : row.status,
    processed: row.processed,
    added: row.added,
    updated: row.updated,
    unchanged: row.unchanged,
    rejected: row.rejected,
    bytesRead: row.status === 'done' && row.size_bytes !== null ? row.size_bytes : (row.bytes_read ?? 0),
    totalBytes: row.size_bytes ?? 0,
    error: row.interrupted ? CATALOG_IMPORT_INTERRUPTED : row.error,
    createdAt: iso(row.created_at)!,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
  };
}

async function requireLibrary(ctx: AppContext, libraryId: string): Promise<void> {
  const org = await getOrganization(ctx, libraryId);
  if (org.kind !== 'library') {
    const where =
      org.kind === 'branch' && org.parent ? ` Import into its library (${org.parent.code}, id ${org.parent.id}).` : '';
    throw new AppError(
      CatalogErrors.CATALOG_IMPORT_NOT_A_LIBRARY,
      `${org.code} is a ${org.kind}; records are imported into a library.${where}`,
    );
  }
}

function tooLarge(maxBytes: number): AppError {
  return new AppError(
    CatalogErrors.CATALOG_IMPORT_TOO_LARGE,
    `The file is larger than ${maxBytes} bytes, the most this server accepts for import (CATALOG_IMPORT_MAX_BYTES). Split it, or import it with the command line: athenaeum import FILE --library CODE.`,
    { maxBytes },
  );
}

async function checkQuota(ctx: AppContext, db: repo.ImportsDb, libraryId: string): Promise<void> {
  const { perHour } = ctx.config.catalogImports;
  const now = ctx.clock.now();
  const recent = await repo.recentImports(db, libraryId, new Date(now.getTime() - HOUR_MS));
  if (recent.count >= perHour) {
    const retryAfterSeconds = Math.max(
      1,
      Math.ceil(((recent.oldest?.getTime() ?? now.getTime()) + HOUR_MS - now.getTime()) / 1000),
    );
    throw new AppError(
      CatalogErrors.CATALOG_IMPORT_LIMIT_REACHED,
      `This library has started ${recent.count} imports in the last hour, the most allowed (${perHour}); try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`,
      { retryAfterSeconds },
    );
  }
}

/** Counts the bytes going through and keeps the first ones; fails once there are more than `max`. */
class Measure extends Transform {
  bytes = 0;
  head = Buffer.alloc(0);
  exceeded = false;

  constructor(private readonly max: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.head.length < HEAD_BYTES)
      this.head = Buffer.concat([this.head, chunk.subarray(0, HEAD_BYTES - this.head.length)]);
    if (this.bytes > this.max) {
      this.exceeded = true;
      callback(new Error('too large'));
      return;
    }
    callback(null, chunk);
  }
}

function encodingNotIso2709(format: 'marcxml' | 'json'): AppError {
  const name = format === 'marcxml' ? 'MARCXML' : 'MARC-in-JSON';
  return new AppError(
    CatalogErrors.CATALOG_IMPORT_ENCODING_NOT_ISO2709,
    `The file is ${name}, which says its own character set: a character set (encoding) is forced for ISO 2709 files (MARC 21, UNIMARC) only. Choose encoding=auto.`,
  );
}

/** Why the first bytes cannot be the format asked for, or null when they can. */
function notMarc(head: Buffer, format: CatalogImportFormat): string | null {
  const detected = detectFormat(head);
  const expected =
    format === 'marcxml' ? 'marcxml' : format === 'json' ? 'json' : format === 'auto' ? detected : 'iso2709';
  if (expected !== detected) {
    const names = {
      marcxml: 'MARCXML (it begins with "<")',
      json: 'MARC-in-JSON (it begins with "{" or "[")',
      iso2709: 'ISO 2709 (MARC 21 or UNIMARC)',
    };
    return `The format chosen is ${format}, but the file looks like ${names[detected]}. Choose "auto" or the file's own format.`;
  }
  // Past the line breaks, padding and stray terminators the reader skips before the first record.
  const start = iso2709Start(head);
  if (detected === 'iso2709' && !/^\d{5}$/.test(head.subarray(start, start + 5).toString('latin1'))) {
    return 'The file does not begin like a MARC record: ISO 2709 (MARC 21, UNIMARC) starts with the five-digit record length, MARCXML with "<", MARC-in-JSON with "{" or "[".';
  }
  return null;
}

/**
 * Takes a file uploaded by staff into a library's catalogue: checks the library and its hourly
 * quota, writes the file to the import directory (refusing more than the configured size), looks
 * at its first bytes, then records the run and queues its job in one transaction.
 */
export async function uploadImport(
  ctx: AppContext,
  input: {
    libraryId: string;
    personId: string | null;
    filename: string;
    format: CatalogImportFormat;
    /** Which holdings field copies are read from; default auto (the first of 952, 852, 949 present). */
    holdings?: CatalogImportHoldings;
    /** ISO 2709 only: the character set every record is decoded from; default auto (what each record says). */
    encoding?: CatalogImportEncoding;
    body: Readable;
    declaredBytes: number | null;
  },
): Promise<CatalogImport> {
  const { dir, maxBytes } = ctx.config.catalogImports;
  const db = repo.importsDb(ctx.db);
  const encoding = !input.encoding || input.encoding === 'auto' ? null : input.encoding;
  if (encoding && (input.format === 'marcxml' || input.format === 'json')) throw encodingNotIso2709(input.format);
  if (input.declaredBytes !== null && input.declaredBytes > maxBytes) throw tooLarge(maxBytes);
  await requireLibrary(ctx, input.libraryId);
  // Checked before the upload too, so a refused client does not send the whole file for nothing.
  await checkQuota(ctx, db, input.libraryId);

  await fsp.mkdir(dir, { recursive: true });
  const storedName = `${randomUUID()}.upload`;
  const file = path.join(dir, storedName);
  const measure = new Measure(maxBytes);
  let keep = false;
  try {
    try {
      await pipeline(input.body, measure, fs.createWriteStream(file, { flags: 'wx' }));
    } catch (error) {
      if (measure.exceeded) throw tooLarge(maxBytes);
      throw error;
    }
    if (measure.bytes === 0) {
      throw new AppError(
        CatalogErrors.CATALOG_IMPORT_EMPTY,
        'The uploaded file is empty: send the file as the request body.',
      );
    }
    const wrong = notMarc(measure.head, input.format);
    if (wrong) throw new AppError(CatalogErrors.CATALOG_IMPORT_NOT_MARC, wrong);
    const detected = detectFormat(measure.head);
    if (encoding && detected !== 'iso2709') throw encodingNotIso2709(detected);

    const filename = path.basename(input.filename.replace(/\\/g, '/')).slice(0, 255) || 'upload';
    const importId = await db.transaction().execute(async (trx) => {
      await repo.lockLibraryUploads(trx, input.libraryId);
      await checkQuota(ctx, trx, input.libraryId);
      const id = await repo.insertQueuedImport(trx, {
        organizationId: input.libraryId,
        filename,
        format: input.format,
        createdBy: input.personId,
        createdAt: ctx.clock.now(),
      });
      await repo.insertImportFile(trx, {
        importId: id,
        organizationId: input.libraryId,
        storedName,
        sizeBytes: measure.bytes,
        holdings: !input.holdings || input.holdings === 'auto' ? null : input.holdings,
        encoding,
      });
      await enqueueJob(trx, CATALOG_IMPORT_QUEUE, { importId: id }, { maxAttempts: 3 });
      return id;
    });
    keep = true;
    return present((await repo.findImportById(db, importId))!);
  } finally {
    if (!keep) await fsp.rm(file, { force: true });
  }
}

/** A library's imports, newest first. */
export async function listImports(
  ctx: AppContext,
  libraryId: string,
  page: number,
  pageSize: number,
): Promise<Page<CatalogImport>> {
  const { rows, total } = await repo.listImports(repo.importsDb(ctx.db), libraryId, page, pageSize);
  return { items: rows.map(present), page, pageSize, total };
}

async function findImport(ctx: AppContext, libraryId: string, importId: string): Promise<repo.ImportRow> {
  const row = await repo.findImport(repo.importsDb(ctx.db), libraryId, importId);
  if (!row)
    throw new AppError(CatalogErrors.CATALOG_IMPORT_NOT_FOUND, `This library has no import with id ${importId}.`);
  return row;
}

/** One import with its live counts. */
export async function getImport(ctx: AppContext, libraryId: string, importId: string): Promise<CatalogImport> {
  return present(await findImport(ctx, libraryId, importId));
}

const cell = (text: string) => text.replace(/[\t\r\n]+/g, ' ');

/**
 * The rejected records of an import as tab-separated values (position, reason), as a stream of
 * chunks read from the database page by page: a run with millions of rejects is never held whole.
 * The run is looked up (and access refused) before anything is streamed.
 */
export async function importReport(
  ctx: AppContext,
  libraryId: string,
  importId: string,
  options: { pageSize?: number } = {},
): Promise<{ filename: string; chunks: AsyncIterable<string> }> {
  const run = await findImport(ctx, libraryId, importId);
  const base = path.basename(run.filename).replace(/\.[^.]*$/, '') || 'import';
  async function* chunks(): AsyncGenerator<string> {
    yield 'position\treason\n';
    let chunk = '';
    for await (const r of repo.rejectsOfRun(repo.importsDb(ctx.db), importId, options.pageSize)) {
      chunk += `${cell(r.position)}\t${cell(r.reason)}\n`;
      if (chunk.length >= 64 * 1024) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  return { filename: `${base}-rejected.tsv`, chunks: chunks() };
}

/**
 * The job of an upload: reads the stored file into the library's catalogue, keeping counts,
 * rejects and bytes read on the run as it goes. A retried attempt starts the run over (records are
 * keyed, so nothing doubles); the file is removed once the run is done or has finally failed.
 */
export async function runUploadedImport(
  ctx: AppContext,
  importId: string,
  attempt: { attempts: number; maxAttempts: number },
): Promise<void> {
  const db = repo.importsDb(ctx.db);
  const run = await repo.findImportById(db, importId);
  if (!run || run.status === 'done' || run.status === 'failed') return;
  const stored = run.stored_name ? path.join(ctx.config.catalogImports.dir, run.stored_name) : null;
  if (!stored || run.removed_at || !fs.existsSync(stored)) {
    // Several servers must share the import directory; without it the file is on another machine.
    await setImportStatus(catalogDb(ctx.db), importId, 'failed', CATALOG_IMPORT_FILE_MISSING);
    return;
  }

  // Held while the file is read, so that the run is known to be running (and not interrupted).
  const ran = await repo.whileRunning(db, importId, () => importUpload(ctx, run, stored, attempt));
  if (!ran) ctx.logger.warn({ importId }, 'catalogue upload left alone: another process is importing it');
}

async function importUpload(
  ctx: AppContext,
  run: repo.ImportRow,
  stored: string,
  attempt: { attempts: number; maxAttempts: number },
): Promise<void> {
  const db = repo.importsDb(ctx.db);
  const importId = run.id;
  // Read again under the lock: a process that held it may have finished the run meanwhile.
  const status = (await repo.findImportById(db, importId))?.status;
  if (status === 'done' || status === 'failed') return;
  await repo.restartImport(db, importId);
  const fd = await fsp.open(stored, 'r');
  const head = Buffer.alloc(HEAD_BYTES);
  const { bytesRead: headLength } = await fd.read(head, 0, HEAD_BYTES, 0);
  await fd.close();
  const format = run.format as CatalogImportFormat;
  const detected = format === 'auto' ? detectFormat(head.subarray(0, headLength)) : format;

  let bytes = 0;
  let saved = 0;
  let saving: Promise<void> = Promise.resolve();
  async function* counted() {
    for await (const chunk of fs.createReadStream(stored, { highWaterMark: 1 << 20 })) {
      bytes += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  }
  const saveProgress = () => {
    if (bytes === saved) return;
    saved = bytes;
    const at = bytes;
    saving = saving
      .then(() => repo.setBytesRead(db, importId, at))
      .catch((error: unknown) => ctx.logger.warn({ err: error, importId }, 'could not record import progress'));
  };

  let finished = false;
  try {
    const encoding = run.encoding ?? undefined;
    await importRecords(ctx, readRecords(counted(), { format, encoding, keepRaw: true }), {
      libraryId: run.organization_id,
      flavour: format === 'unimarc' ? 'unimarc' : 'marc21',
      sourceFormat: detected === 'marcxml' || detected === 'json' ? detected : 'iso2709',
      sourceEncoding: run.encoding,
      provenance: { file: path.basename(run.filename), importId },
      importId,
      branches: await branchesOf(ctx, run.organization_id),
      holdings: holdingsMapping(run.holdings ?? 'auto'),
      batchSize: 500,
      onProgress: saveProgress,
    });
    await saving;
    await repo.setBytesRead(db, importId, run.size_bytes ?? bytes);
    await setImportStatus(catalogDb(ctx.db), importId, 'done');
    finished = true;
    ctx.logger.info({ importId, libraryId: run.organization_id }, 'catalogue upload imported');
  } catch (error) {
    await saving;
    // What went wrong goes to the log; staff see the run failed, in their own language.
    ctx.logger.error({ err: error, importId, attempt: attempt.attempts }, 'catalogue upload failed');
    if (attempt.attempts < attempt.maxAttempts) {
      await repo.requeueImport(db, importId, CATALOG_IMPORT_FAILED);
      throw error;
    }
    await setImportStatus(catalogDb(ctx.db), importId, 'failed', CATALOG_IMPORT_FAILED);
    finished = true;
  } finally {
    if (finished) {
      await fsp.rm(stored, { force: true });
      await repo.markFileRemoved(db, importId);
    }
  }
}
