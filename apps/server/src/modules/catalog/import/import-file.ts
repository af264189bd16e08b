import fs from 'node:fs';
import { CATALOG_IMPORT_FAILED, CATALOG_IMPORT_INTERRUPTED } from '@athenaeum/contracts/vocabulary';
import { detectFormat, frameIso2709, readRecords, type MarcEncoding, type MarcFormat } from '@athenaeum/marc';
import type { AppContext } from '../../../platform/context/context.js';
import { AppError } from '../../../platform/errors.js';
import { CatalogErrors } from '../catalog.errors.js';
import * as repo from '../catalog.repository.js';
import { importsDb, whileRunning } from '../imports.repository.js';
import { holdingsMapping, type HoldingsChoice } from './holdings.js';
import { importRecords, type ImportCounts, type Reject } from './import-records.js';
import { defaultPrepareWorkers } from './prepare-pool.js';

export type ImportFormat = 'auto' | 'marc21' | 'unimarc' | 'marcxml' | 'json';

export interface FileImportProgress extends ImportCounts {
  bytes: number;
  totalBytes: number;
}

/** The format of a file: the one given, else what its first bytes look like. */
export function fileFormat(file: string, format: ImportFormat): MarcFormat {
  if (format === 'marc21' || format === 'unimarc') return 'iso2709';
  if (format !== 'auto') return format;
  const head = Buffer.alloc(512);
  const fd = fs.openSync(file, 'r');
  try {
    return detectFormat(head.subarray(0, fs.readSync(fd, head, 0, head.length, 0)));
  } finally {
    fs.closeSync(fd);
  }
}

/** Why a character set cannot be forced on a file of this format, or null when it can. */
export function encodingRefusal(file: string, format: MarcFormat): string | null {
  if (format === 'iso2709') return null;
  const name = format === 'marcxml' ? 'MARCXML' : 'MARC-in-JSON';
  return `${file} is ${name}, which says its own character set: a character set is forced for ISO 2709 files (MARC 21, UNIMARC) only.`;
}

/**
 * Imports one file into a library's catalogue as a recorded import run: streamed (constant
 * memory), with progress by bytes, and every rejected record kept with its position and reason
 * in the run (catalog_import_rejects) and given to `onReject` as its batch is stored.
 */
export async function importFile(
  ctx: AppContext,
  options: {
    file: string;
    libraryId: string;
    branches?: ReadonlyMap<string, string>;
    format: ImportFormat;
    /** Which holdings field copies are read from; default auto (the first of 952, 852, 949 present). */
    holdings?: HoldingsChoice;
    /**
     * ISO 2709 only: decode every record from this character set, whatever its leader/09 or
     * UNIMARC field 100 say; by default each record's own. Refused (before any run is recorded)
     * for MARCXML and MARC-in-JSON.
     */
    encoding?: MarcEncoding;
    createdBy?: string | null;
    onProgress?: (p: FileImportProgress) => void;
    /** Each rejected record, in the order batches are stored; nothing of them is kept in memory. */
    onReject?: (reject: Reject) => void;
    /** Worker threads for normalization; default: one per core beyond the first (1–4). */
    workers?: number;
    /**
     * Stops the import at the next record or refresh chunk (a batch being stored is finished):
     * the run fails as interrupted, and importing the file again finishes it.
     */
    signal?: AbortSignal;
  },
): Promise<{ importId: string; counts: ImportCounts }> {
  const db = repo.catalogDb(ctx.db);
  const totalBytes = fs.statSync(options.file).size;
  const detected = fileFormat(options.file, options.format);
  const refusal = options.encoding ? encodingRefusal(options.file, detected) : null;
  if (refusal) throw new AppError(CatalogErrors.CATALOG_IMPORT_ENCODING_NOT_ISO2709, refusal);
  const run = await repo.insertImport(db, {
    organizationId: options.libraryId,
    filename: options.file,
    format: options.format,
    createdBy: options.createdBy ?? null,
  });
  let bytes = 0;
  async function* counted() {
    for await (const chunk of fs.createReadStream(options.file, { highWaterMark: 1 << 20 })) {
      bytes += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  }
  // ISO 2709 records are only cut out here; the preparation workers parse them.
  const iso2709 = detected !== 'marcxml' && detected !== 'json';
  const flavour = options.format === 'marc21' || options.format === 'unimarc' ? options.format : undefined;
  // The run's lock is held while it runs: should this process die, the run shows as interrupted.
  const ran = await whileRunning(importsDb(db), run.id, async () => {
    await repo.setImportStatus(db, run.id, 'running');
    try {
      const records = iso2709
        ? frameIso2709(counted())
        : readRecords(counted(), { format: options.format, keepRaw: true });
      const { rejects: _first, ...counts } = await importRecords(ctx, records, {
        libraryId: options.libraryId,
        flavour: options.format === 'unimarc' ? 'unimarc' : 'marc21',
        sourceFormat: iso2709 ? 'iso2709' : detected,
        sourceEncoding: options.encoding ?? null,
        iso2709: { flavour, encoding: options.encoding },
        provenance: { file: options.file, importId: run.id },
        importId: run.id,
        branches: options.branches,
        holdings: holdingsMapping(options.holdings),
        workers: options.workers ?? defaultPrepareWorkers(),
        onProgress: (c) => options.onProgress?.({ ...c, bytes, totalBytes }),
        onReject: options.onReject,
        signal: options.signal,
      });
      await repo.setImportStatus(db, run.id, 'done');
      return counts;
    } catch (error) {
      // The command line prints the error itself; the run keeps a reason screens can translate.
      const reason = options.signal?.aborted ? CATALOG_IMPORT_INTERRUPTED : CATALOG_IMPORT_FAILED;
      await repo.setImportStatus(db, run.id, 'failed', reason);
      throw error;
    }
  });
  // A new run's lock is free: nobody else knows its id yet.
  if (!ran) throw new Error(`import run ${run.id} is locked by another process`);
  return { importId: run.id, counts: ran.result };
}
