// The OAI-PMH harvester: pulls a repository's records into a library's catalogue through the
// catalog module's import (so harvested records are matched, clustered and indexed like any
// import), applies deletions, and remembers where it is — incremental from the last datestamp,
// resumable after a crash from the last resumption token. Each request is limited in time and
// size (HARVEST_LIMITS), so a huge or stalled page fails its harvest instead of holding the rest.
import type { AppContext } from '../../../platform/context/context.js';
import { AppError } from '../../../platform/errors.js';
import {
  defaultPrepareWorkers,
  deleteRecordsByControlNumbers,
  importRecords,
  type ReaderItem,
} from '../../catalog/index.js';
import { InteropErrors } from '../interop.errors.js';
import * as repo from '../interop.repository.js';
import { fetchRemote, type RemoteFailureDetails, type RemoteLimits } from '../remote-fetch.js';
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
  /** Records per import batch (one transaction each); default 1,000. */
  batchSize?: number;
  /** Worker threads normalizing records while pages are fetched and stored; default: one per core beyond the first (1–4). */
  workers?: number;
  /** Limits on each request to the repository; defaults in HARVEST_LIMITS. */
  limits?: Partial<RemoteLimits>;
  /** Whether the repository may be at an internal address; default: INTEROP_ALLOW_PRIVATE_REMOTES. */
  allowPrivateAddresses?: boolean;
}

/**
 * Each request's limits: an answer must begin within a minute (else it is retried like a network
 * error), arrive whole within five (a trickling server is cut off, not retried), and be at most
 * 50 MiB (a bigger page is refused, not downloaded again).
 */
export const HARVEST_LIMITS = { timeoutMs: 60_000, deadlineMs: 5 * 60_000, maxBytes: 50 * 1024 * 1024 } as const;

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
  const limits = { ...HARVEST_LIMITS, ...options.limits };
  let lastError = '';
  let lastCode: string = InteropErrors.INTEROP_HARVEST_FAILED;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let retryAfterMs = Math.min(maxDelay, 500 * 2 ** (attempt - 1));
    try {
      const res = await fetchRemote(
        url,
        {
          accept: 'text/xml, application/xml',
          tooLargeHint: 'A repository sends its records in pages; this page is too big to take.',
          allowPrivateAddresses: options.allowPrivateAddresses ?? false,
          ...(options.fetch ? { fetch: options.fetch } : {}),
        },
        limits,
      );
      if (res.body) {
        try {
          return parseOaiResponse(new TextDecoder('utf-8', { fatal: false }).decode(res.body));
        } catch (error) {
          if (error instanceof OaiParseError)
            throw new AppError(InteropErrors.INTEROP_HARVEST_BAD_RESPONSE, `${url}: ${error.message}`);
          throw error;
        }
      }
      lastError = `HTTP ${res.status}`;
      lastCode = InteropErrors.INTEROP_HARVEST_FAILED;
      if (res.status !== 503 && res.status < 500) break;
      const header = res.headers.get('retry-after');
      if (res.status === 503 && header && /^\d+$/.test(header))
        retryAfterMs = Math.min(maxDelay, Number(header) * 1000);
    } catch (error) {
      // No answer, or none in time, is tried again; an answer too big or too slow to arrive is not.
      if (!(error instanceof AppError) || !retryable(error)) throw error;
      lastError = (error.details as RemoteFailureDetails).reason;
      lastCode = error.code;
    }
    if (attempt < attempts) await sleep(retryAfterMs);
  }
  throw new AppError(lastCode, `${url}: ${lastError}`);
}

/** The code recorded beside a failed harvest's message: the AppError's own, or INTEROP_HARVEST_FAILED. */
const harvestErrorCode = (error: unknown): string =>
  error instanceof AppError ? error.code : InteropErrors.INTEROP_HARVEST_FAILED;

const retryable = (error: AppError) =>
  error.code === InteropErrors.INTEROP_REMOTE_UNREACHABLE ||
  (error.code === InteropErrors.INTEROP_REMOTE_TIMEOUT && (error.details as RemoteFailureDetails).phase === 'start');

/** The day part when the repository only answers to days. */
const fromFor = (datestamp: string, granularity: string | null) =>
  granularity === 'YYYY-MM-DD' ? datestamp.slice(0, 10) : datestamp;

/** ListRecords pages from `token` (or from the start), each next page requested while the previous one is imported. */
async function* listRecords(
  ctx: AppContext,
  options: HarvestOptions,
  start: { token: string | null; from: string | null },
): AsyncGenerator<OaiPage> {
  const first = {
    verb: 'ListRecords',
    metadataPrefix: options.metadataPrefix,
    ...(options.set ? { set: options.set } : {}),
    ...(start.from ? { from: start.from } : {}),
  };
  const fetchPage = (token: string | null) => {
    const next = request(options, token ? { verb: 'ListRecords', resumptionToken: token } : first);
    next.catch(() => {}); // awaited below, in order
    return next;
  };
  let token = start.token;
  let next = fetchPage(token);
  for (;;) {
    const page = await next;
    // An expired or unknown token: start this harvest again from its `from` (imports are idempotent).
    if (token && page.errors.some((e) => e.code === 'badResumptionToken')) {
      ctx.logger.warn({ baseUrl: options.baseUrl }, 'resumption token refused; restarting the harvest from its start');
      token = null;
      next = fetchPage(null);
      continue;
    }
    if (page.errors.length) {
      if (page.errors.every((e) => e.code === 'noRecordsMatch')) return;
      throw new AppError(
        InteropErrors.INTEROP_HARVEST_FAILED,
        page.errors.map((e) => `${e.code}: ${e.message}`).join('; '),
      );
    }
    token = page.resumptionToken;
    if (token) next = fetchPage(token);
    yield page;
    if (!token) return;
  }
}

/** A received page not yet wholly stored: its resumption token is saved once it is. */
interface PendingPage {
  /** Items handed to the import up to and including this page's. */
  end: number;
  token: string | null;
  maxDatestamp: string | null;
  deletions: string[];
}

/**
 * Harvests a repository into a library: ListRecords from the last datestamp (or from the start),
 * following resumption tokens, the next page fetched while the previous one is imported. All
 * pages stream into one import (batches, worker threads, works refreshed at the end); a page's
 * deletions are applied and its resumption token saved once every record of it is stored, so an
 * interrupted harvest resumes from there and changes nothing twice. Its outcome is recorded on the
 * source however it was started: a failure (even of the first request) with its message, code and
 * time; a good run clears them.
 */
export async function harvest(ctx: AppContext, given: HarvestOptions): Promise<HarvestResult> {
  const options: HarvestOptions = {
    ...given,
    allowPrivateAddresses: given.allowPrivateAddresses ?? ctx.config.interop.allowPrivateRemotes,
  };
  const db = repo.interopDb(ctx.db);
  const source = await repo.findOrCreateSource(db, {
    organizationId: options.libraryId,
    baseUrl: options.baseUrl,
    metadataPrefix: options.metadataPrefix,
    setSpec: options.set ?? '',
  });
  // Whoever started it (the scheduler, the command line), its outcome is recorded here, once.
  try {
    const result = await harvestSource(ctx, options, db, source);
    await repo.recordHarvestOutcome(db, source.id, { at: ctx.clock.now(), failure: null });
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await repo.recordHarvestOutcome(db, source.id, {
      at: ctx.clock.now(),
      failure: { message: message.slice(0, 2000), code: harvestErrorCode(error) },
    });
    throw error;
  }
}

async function harvestSource(
  ctx: AppContext,
  options: HarvestOptions,
  db: repo.InteropDb,
  source: repo.HarvestSourceRow,
): Promise<HarvestResult> {
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
  const token = options.full ? null : source.resumption_token;
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
  await repo.updateSource(db, source.id, {
    status: 'running',
    last_error: null,
    last_error_code: null,
    harvest_from: from,
  });

  const pending: PendingPage[] = [];
  let handed = 0;
  let received: unknown = null;
  async function* items(): AsyncGenerator<ReaderItem> {
    try {
      for await (const page of listRecords(ctx, options, { token, from })) {
        progress.pages++;
        progress.completeListSize = page.completeListSize ?? progress.completeListSize;
        const { items, deletions, maxDatestamp } = readPage(options, page, progress);
        for (const item of items) yield item;
        handed += items.length;
        pending.push({ end: handed, token: page.resumptionToken, maxDatestamp, deletions });
      }
    } catch (error) {
      // What was received is still stored (and its token saved) before the harvest fails.
      received = error;
    }
  }
  // Saves the pages whose records are all stored, in order.
  const checkpoint = async (stored: number) => {
    const done: PendingPage[] = [];
    while (pending.length && pending[0]!.end <= stored) done.push(pending.shift()!);
    if (!done.length) return;
    progress.deleted += await deleteRecordsByControlNumbers(
      ctx,
      options.libraryId,
      done.flatMap((p) => p.deletions),
    );
    for (const p of done)
      if (p.maxDatestamp && (!maxDatestamp || p.maxDatestamp > maxDatestamp)) maxDatestamp = p.maxDatestamp;
    await repo.updateSource(db, source.id, {
      resumption_token: done.at(-1)!.token,
      harvest_max_datestamp: maxDatestamp,
    });
    options.onProgress?.({ ...progress });
  };
  let saving: Promise<void> = Promise.resolve();
  try {
    const counts = await importRecords(ctx, items(), {
      libraryId: options.libraryId,
      flavour: 'marc21',
      sourceFormat: 'marcxml',
      provenance: {
        oai: { baseUrl: options.baseUrl, metadataPrefix: options.metadataPrefix, set: options.set ?? null },
      },
      batchSize: options.batchSize ?? 1000,
      workers: options.workers ?? defaultPrepareWorkers(),
      onProgress: (c) => {
        progress.added = c.added;
        progress.updated = c.updated;
        progress.unchanged = c.unchanged;
        progress.rejected = c.rejected;
        saving = saving.then(() => checkpoint(c.processed));
        saving.catch(() => {}); // awaited below
      },
    });
    await saving;
    await checkpoint(counts.processed);
    if (received) throw received;
    await repo.updateSource(db, source.id, {
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
    // The pages already stored keep their token before the failure is recorded.
    await saving.catch(() => {});
    throw error;
  }
}

/** A page's records as import items, its deletions, and its greatest datestamp. */
function readPage(
  options: HarvestOptions,
  page: OaiPage,
  progress: HarvestProgress,
): { items: ReaderItem[]; deletions: string[]; maxDatestamp: string | null } {
  const items: ReaderItem[] = [];
  const deletions: string[] = [];
  let maxDatestamp: string | null = null;
  for (const r of page.records) {
    progress.records++;
    if (r.datestamp && (!maxDatestamp || r.datestamp > maxDatestamp)) maxDatestamp = r.datestamp;
    if (!r.identifier) {
      if (!r.deleted) items.push({ error: { index: progress.records - 1, reason: 'a record without an identifier' } });
      continue;
    }
    if (r.deleted) {
      deletions.push(r.identifier);
      continue;
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
      continue;
    }
    items.push({ record, position });
  }
  return { items, deletions, maxDatestamp };
}
