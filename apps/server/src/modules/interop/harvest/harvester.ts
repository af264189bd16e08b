// The OAI-PMH harvester: pulls a repository's records into a library's catalogue through the
// catalog module's import (so harvested records are matched, clustered and indexed like any
// import), applies deletions, and remembers where it is — incremental from the last datestamp,
// resumable after a crash from the last resumption token.
import type { AppContext } from '../../../platform/context/context.js';
import { AppError } from '../../../platform/errors.js';
import { deleteRecordsByControlNumbers, importRecords, type ReaderItem } from '../../catalog/index.js';
import { InteropErrors } from '../interop.errors.js';
import * as repo from '../interop.repository.js';
import { dublinCoreToMarc, withOaiIdentity } from './dc-to-marc.js';
import { OaiParseError, parseOaiResponse, type OaiPage } from './oai-response.js';

export type HarvestPrefix = 'marc21' | 'oai_dc';

export interface HarvestOptions {
  baseUrl: string;
  metadataPrefix: HarvestPrefix;
  set?: string;
  libraryId: string;
  /** Harvest everything again, ignoring the last datestamp. */
  full?: boolean;
  /** For tests and proxies: the fetch to use. */
  fetch?: typeof fetch;
  /** Attempts per request before giving up (network errors, 5xx); 503 Retry-After is honoured. */
  attempts?: number;
  /** Longest wait for one retry, in milliseconds. */
  maxDelayMs?: number;
  onProgress?: (p: HarvestProgress) => void;
}

export interface HarvestProgress {
  pages: number;
  records: number;
  added: number;
  updated: number;
  unchanged: number;
  deleted: number;
  rejected: number;
  completeListSize: number | null;
}

export interface HarvestResult extends HarvestProgress {
  /** The `from` this harvest asked for (null: a full harvest). */
  from: string | null;
  /** The greatest datestamp harvested; the next harvest starts there. */
  lastDatestamp: string | null;
  resumed: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** GETs one OAI-PMH request, retrying with backoff; a 503 waits for its Retry-After. */
async function request(options: HarvestOptions, params: Record<string, string>): Promise<OaiPage> {
  const url = `${options.baseUrl}${options.baseUrl.includes('?') ? '&' : '?'}${new URLSearchParams(params)}`;
  const attempts = options.attempts ?? 5;
  const maxDelay = options.maxDelayMs ?? 60_000;
  const doFetch = options.fetch ?? fetch;
  let lastError = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let retryAfterMs = Math.min(maxDelay, 500 * 2 ** (attempt - 1));
    try {
      const res = await doFetch(url, { headers: { accept: 'text/xml, application/xml' } });
      if (res.ok) {
        const text = await res.text();
        try {
          return parseOaiResponse(text);
        } catch (error) {
          if (error instanceof OaiParseError)
            throw new AppError(InteropErrors.INTEROP_HARVEST_BAD_RESPONSE, `${url}: ${error.message}`);
          throw error;
        }
      }
      lastError = `HTTP ${res.status}`;
      if (res.status !== 503 && res.status < 500) break;
      const header = res.headers.get('retry-after');
      if (res.status === 503 && header && /^\d+$/.test(header))
        retryAfterMs = Math.min(maxDelay, Number(header) * 1000);
    } catch (error) {
      if (error instanceof AppError) throw error;
      lastError = (error as Error).message;
    }
    if (attempt < attempts) await sleep(retryAfterMs);
  }
  throw new AppError(InteropErrors.INTEROP_HARVEST_FAILED, `${url}: ${lastError}`);
}

/** The day part when the repository only answers to days. */
const fromFor = (datestamp: string, granularity: string | null) =>
  granularity === 'YYYY-MM-DD' ? datestamp.slice(0, 10) : datestamp;

/**
 * Harvests a repository into a library: ListRecords from the last datestamp (or from the start),
 * following resumption tokens; each page is imported (added, updated or unchanged by content) and
 * its deletions applied before the next token is saved, so an interrupted harvest resumes from
 * the page it stopped at and changes nothing twice.
 */
export async function harvest(ctx: AppContext, options: HarvestOptions): Promise<HarvestResult> {
  const db = repo.interopDb(ctx.db);
  const source = await repo.findOrCreateSource(db, {
    organizationId: options.libraryId,
    baseUrl: options.baseUrl,
    metadataPrefix: options.metadataPrefix,
    setSpec: options.set ?? '',
  });
  const progress: HarvestProgress = {
    pages: 0,
    records: 0,
    added: 0,
    updated: 0,
    unchanged: 0,
    deleted: 0,
    rejected: 0,
    completeListSize: null,
  };
  let token = options.full ? null : source.resumption_token;
  const resumed = token !== null;
  let from: string | null;
  let maxDatestamp: string | null;
  if (resumed) {
    from = source.harvest_from;
    maxDatestamp = source.harvest_max_datestamp;
  } else {
    const identify = await request(options, { verb: 'Identify' });
    from = options.full || !source.last_datestamp ? null : fromFor(source.last_datestamp, identify.granularity);
    maxDatestamp = options.full ? null : source.last_datestamp;
  }
  await repo.updateSource(db, source.id, { status: 'running', last_error: null, harvest_from: from });
  try {
    for (;;) {
      let page: OaiPage;
      if (token) {
        page = await request(options, { verb: 'ListRecords', resumptionToken: token });
        // An expired or unknown token: start this harvest again from its `from` (imports are idempotent).
        if (page.errors.some((e) => e.code === 'badResumptionToken')) {
          ctx.logger.warn({ source: source.id }, 'resumption token refused; restarting the harvest from its start');
          token = null;
          continue;
        }
      } else {
        page = await request(options, {
          verb: 'ListRecords',
          metadataPrefix: options.metadataPrefix,
          ...(options.set ? { set: options.set } : {}),
          ...(from ? { from } : {}),
        });
      }
      if (page.errors.length) {
        if (page.errors.every((e) => e.code === 'noRecordsMatch')) break;
        throw new AppError(
          InteropErrors.INTEROP_HARVEST_FAILED,
          page.errors.map((e) => `${e.code}: ${e.message}`).join('; '),
        );
      }
      progress.pages++;
      progress.completeListSize = page.completeListSize ?? progress.completeListSize;
      await applyPage(ctx, options, page, progress);
      for (const r of page.records)
        if (r.datestamp && (!maxDatestamp || r.datestamp > maxDatestamp)) maxDatestamp = r.datestamp;
      token = page.resumptionToken;
      await repo.updateSource(db, source.id, { resumption_token: token, harvest_max_datestamp: maxDatestamp });
      options.onProgress?.({ ...progress });
      if (!token) break;
    }
    await repo.updateSource(db, source.id, {
      status: 'idle',
      resumption_token: null,
      harvest_from: null,
      harvest_max_datestamp: null,
      last_datestamp: maxDatestamp,
      last_harvest_at: new Date(),
      addHarvested: progress.records,
      addDeleted: progress.deleted,
    });
    return { ...progress, from, lastDatestamp: maxDatestamp, resumed };
  } catch (error) {
    await repo.updateSource(db, source.id, { status: 'failed', last_error: (error as Error).message.slice(0, 2000) });
    throw error;
  }
}

async function applyPage(
  ctx: AppContext,
  options: HarvestOptions,
  page: OaiPage,
  progress: HarvestProgress,
): Promise<void> {
  const items: ReaderItem[] = [];
  const deletions: string[] = [];
  page.records.forEach((r) => {
    progress.records++;
    if (!r.identifier) {
      if (!r.deleted) items.push({ error: { index: progress.records - 1, reason: 'a record without an identifier' } });
      return;
    }
    if (r.deleted) {
      deletions.push(r.identifier);
      return;
    }
    const position = { index: progress.records - 1 };
    const record =
      options.metadataPrefix === 'marc21'
        ? r.marc
          ? withOaiIdentity(r.marc, r.identifier)
          : null
        : r.dc
          ? dublinCoreToMarc(r.dc, r.identifier)
          : null;
    if (!record) {
      items.push({
        error: { ...position, reason: `${r.identifier}: no ${options.metadataPrefix} metadata in the response` },
      });
      return;
    }
    items.push({ record, position });
  });
  if (items.length) {
    const counts = await importRecords(ctx, items, {
      libraryId: options.libraryId,
      flavour: 'marc21',
      sourceFormat: 'marcxml',
      provenance: {
        oai: { baseUrl: options.baseUrl, metadataPrefix: options.metadataPrefix, set: options.set ?? null },
      },
    });
    progress.added += counts.added;
    progress.updated += counts.updated;
    progress.unchanged += counts.unchanged;
    progress.rejected += counts.rejected;
  }
  progress.deleted += await deleteRecordsByControlNumbers(ctx, options.libraryId, deletions);
}
