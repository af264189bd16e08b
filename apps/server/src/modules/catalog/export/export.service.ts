import type { AppContext } from '../../../platform/context/context.js';
import { AppError } from '../../../platform/errors.js';
import { getOrganization } from '../../accounts/index.js';
import { CatalogErrors } from '../catalog.errors.js';
import { catalogDb } from '../catalog.repository.js';
import * as repo from '../export.repository.js';
import { FORMAT_WRITERS, type ExportableRecord, type ExportFormat } from './formats.js';
import type { LibraryAvailability } from './json-ld.js';
import { publicMarc } from './public-marc.js';

export interface ExportLinks {
  /** The public address of this deployment (no trailing slash), for record URLs; null when unknown. */
  baseUrl: string | null;
}

const recordUrl = (links: ExportLinks, row: repo.ExportRow) =>
  links.baseUrl ? `${links.baseUrl}/works/${row.work_id}` : null;

async function libraryNames(
  ctx: AppContext,
  ids: Iterable<string>,
  cache = new Map<string, { name: string; code: string }>(),
) {
  for (const id of ids) {
    if (cache.has(id)) continue;
    const org = await getOrganization(ctx, id).catch(() => null);
    cache.set(id, {
      name: org ? (org.names.en ?? Object.values(org.names)[0] ?? org.code) : id,
      code: org?.code ?? id,
    });
  }
  return cache;
}

async function holdingsFor(ctx: AppContext, recordIds: string[], names: Map<string, { name: string; code: string }>) {
  const rows = await repo.availability(catalogDb(ctx.db), recordIds);
  await libraryNames(ctx, new Set(rows.map((r) => r.organization_id)), names);
  const out = new Map<string, LibraryAvailability[]>();
  for (const r of rows) {
    const list = out.get(r.record_id) ?? [];
    list.push({
      libraryId: r.organization_id,
      name: names.get(r.organization_id)!.name,
      available: r.available,
      total: r.total,
    });
    out.set(r.record_id, list);
  }
  return out;
}

/** One record in an export format, with the file name a download should get. */
export async function exportRecord(
  ctx: AppContext,
  id: string,
  format: ExportFormat,
  links: ExportLinks,
): Promise<{ body: string | Uint8Array; contentType: string; filename: string }> {
  const row = await repo.findRecord(catalogDb(ctx.db), id);
  if (!row) throw new AppError(CatalogErrors.CATALOG_RECORD_NOT_FOUND, `There is no record with id ${id}.`);
  if (row.deleted_at) throw new AppError(CatalogErrors.CATALOG_RECORD_DELETED, `The record ${id} was deleted.`);
  const writer = FORMAT_WRITERS[format];
  const holdings = format === 'jsonld' ? ((await holdingsFor(ctx, [id], new Map())).get(id) ?? []) : undefined;
  const record: ExportableRecord = {
    id: row.id,
    // Anyone may export a record: without the library's local and private fields.
    marc: publicMarc(row.marc),
    fields: row.fields,
    url: recordUrl(links, row),
    holdings,
  };
  let body: string | Uint8Array;
  try {
    body = writer.one(record);
  } catch (error) {
    if (error instanceof RangeError)
      throw new AppError(
        CatalogErrors.CATALOG_EXPORT_IMPOSSIBLE,
        `The record cannot be written as ${format}: ${error.message}.`,
      );
    throw error;
  }
  return { body, contentType: writer.contentType, filename: `record-${id}.${writer.extension}` };
}

/** A record an export had to leave out, and why (the format's own words). */
export interface SkippedRecord {
  id: string;
  reason: string;
}

/** At most this many left-out records are named; `skipped` counts them all. */
export const MAX_NAMED_SKIPPED = 1_000;

export interface ExportCounts {
  written: number;
  skipped: number;
  /** The first MAX_NAMED_SKIPPED records left out, in id order. */
  skippedRecords: SkippedRecord[];
}

export interface LibraryExport {
  contentType: string;
  filename: string;
  /** The file, produced page by page as it is read (constant memory). */
  chunks: AsyncGenerator<string | Uint8Array>;
  /** Filled while `chunks` runs: records written, and records that the format cannot hold. */
  counts: ExportCounts;
}

/**
 * A library's live records (or the selection `ids` among them) as one file in an export format,
 * streamed in pages of `pageSize` in id order. A record the format cannot hold (an ISO 2709
 * record over 99,999 bytes) is left out and counted, so one record does not break the file.
 */
export async function exportLibrary(
  ctx: AppContext,
  options: { libraryId: string; format: ExportFormat; ids?: readonly string[]; links: ExportLinks; pageSize?: number },
): Promise<LibraryExport> {
  const org = await getOrganization(ctx, options.libraryId).catch(() => null);
  if (!org)
    throw new AppError(CatalogErrors.CATALOG_LIBRARY_NOT_FOUND, `There is no library with id ${options.libraryId}.`);
  const writer = FORMAT_WRITERS[options.format];
  const counts: ExportCounts = { written: 0, skipped: 0, skippedRecords: [] };
  const db = catalogDb(ctx.db);
  const pageSize = options.pageSize ?? 500;
  const names = new Map<string, { name: string; code: string }>();
  async function* chunks(): AsyncGenerator<string | Uint8Array> {
    const file = writer.collection();
    if (file.start) yield file.start;
    let after: string | null = null;
    for (;;) {
      const page = await repo.libraryRecordsPage(db, options.libraryId, after, pageSize, options.ids);
      if (page.length === 0) break;
      const holdings =
        options.format === 'jsonld'
          ? await holdingsFor(
              ctx,
              page.map((r) => r.id),
              names,
            )
          : null;
      const parts: Array<string | Uint8Array> = [];
      for (const row of page) {
        try {
          parts.push(
            file.member({
              id: row.id,
              marc: row.marc,
              fields: row.fields,
              url: recordUrl(options.links, row),
              holdings: holdings?.get(row.id) ?? [],
            }),
          );
          counts.written++;
        } catch (error) {
          if (!(error instanceof RangeError)) throw error;
          counts.skipped++;
          if (counts.skippedRecords.length < MAX_NAMED_SKIPPED)
            counts.skippedRecords.push({ id: row.id, reason: error.message });
          ctx.logger.warn(
            { recordId: row.id, format: options.format, reason: error.message },
            'record left out of an export',
          );
        }
      }
      yield parts.every((p) => typeof p === 'string')
        ? (parts as string[]).join('')
        : Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
      after = page.at(-1)!.id;
      if (page.length < pageSize) break;
    }
    if (file.end) yield file.end;
  }
  const date = ctx.clock.now().toISOString().slice(0, 10);
  return {
    contentType: writer.contentType,
    filename: `${org.code}-${date}.${writer.extension}`,
    chunks: chunks(),
    counts,
  };
}

/** What an export of the same library, format and selection writes and leaves out. */
export interface ExportReport extends ExportCounts {
  format: ExportFormat;
}

/**
 * Runs a library export without keeping the file and tells what it would write and leave out
 * (records the format cannot hold, such as an ISO 2709 record over 99,999 bytes), so the people
 * who downloaded the streamed file — which cannot carry this once it has started — can see it.
 */
export async function exportReport(
  ctx: AppContext,
  options: { libraryId: string; format: ExportFormat; ids?: readonly string[]; pageSize?: number },
): Promise<ExportReport> {
  const out = await exportLibrary(ctx, { ...options, links: { baseUrl: null } });
  for await (const _chunk of out.chunks) {
    // Drained for the counts only.
  }
  return { format: options.format, ...out.counts };
}
