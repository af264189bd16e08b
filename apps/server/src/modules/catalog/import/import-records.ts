import { ITEM_CHANGE_REASONS, MATCH_REASONS } from '@athenaeum/contracts';
import {
  parseFramedIso2709,
  type FramedIso2709,
  type Iso2709ParseOptions,
  type MarcFlavour,
  type MarcRecord,
} from '@athenaeum/marc';
import os from 'node:os';
import type { AppContext } from '../../../platform/context/context.js';
import { inSavepoint, isRefusedValue } from '../../../platform/db/savepoint.js';
import * as repo from '../catalog.repository.js';
import { scoreMatch, type ClusterKeys } from '../clustering/keys.js';
import { extractHoldings, STATUSES_AN_IMPORT_MAY_CHANGE, type HoldingsMapping } from './holdings.js';
import {
  CopyWriter,
  storeAbandonedCopies,
  storeImportedCopies,
  type PendingCopies,
  type Refusal,
} from './copy-writer.js';
import { acquirePreparePool, releasePreparePool } from './prepare-pool.js';
import { prepareRecord, recordValues, type PrepareSettings, type PreparedRecord } from './prepare-record.js';
import type { PrepareJob, PrepareOutcome } from './prepare-worker.js';
import { latestTransactionOf } from './record-identity.js';
import { uuidV7 } from './uuid-v7.js';

/**
 * What a @athenaeum/marc reader yields: a record with its position, a damaged record's report, or
 * (frameIso2709) an ISO 2709 record not yet parsed, which preparing parses.
 */
export type ReaderItem =
  | { record: MarcRecord; position: RecordPosition; warnings?: string[]; raw?: Uint8Array; flavour?: MarcFlavour }
  | { error: RecordPosition & { reason: string } }
  | FramedIso2709;

export interface RecordPosition {
  index: number;
  byteOffset?: number;
  line?: number;
}

export interface ImportCounts {
  processed: number;
  added: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface ImportOptions {
  libraryId: string;
  flavour: MarcFlavour;
  sourceFormat: 'iso2709' | 'marcxml' | 'json';
  sourceEncoding?: string | null;
  provenance?: Record<string, unknown>;
  /** Records per batch (one transaction each); default 1,000. */
  batchSize?: number;
  /**
   * During a long import, works are refreshed (display fields, facets, search vector) after every
   * this many records, besides at the end; default 250,000.
   */
  refreshEvery?: number;
  /** How ISO 2709 records given unparsed (FramedIso2709) are parsed. */
  iso2709?: Iso2709ParseOptions;
  /** Records the counts and rejects of this run in catalog_imports. */
  importId?: string;
  onProgress?: (counts: ImportCounts) => void;
  /**
   * Each rejected record, in order, once its batch is stored: how a caller sees every reject of
   * a large input (a report file) without keeping them; the run (importId) stores them too.
   */
  onReject?: (reject: Reject) => void;
  /**
   * Stops the import: no record is read, no batch stored and no refresh chunk begun after it is
   * aborted (the batch being stored is finished); importRecords then throws the signal's reason.
   * What was stored stays, and importing the same input again finishes the work.
   */
  signal?: AbortSignal;
  /**
   * Which holdings field to read items from; null for none; default: the first of 952, 852, 949
   * in each record (holdingsMapping turns a person's choice into this).
   */
  holdings?: HoldingsMapping | null;
  /** Branch codes used in holdings fields → branch ids of this library. */
  branches?: ReadonlyMap<string, string>;
  /**
   * Worker threads that normalize records while the main thread reads, clusters and stores;
   * default 0 (all on the calling thread). importFile sets it for files.
   */
  workers?: number;
}

export interface Reject {
  position: string;
  reason: string;
}

export function describePosition(p: RecordPosition): string {
  return [
    `record ${p.index + 1}`,
    p.byteOffset !== undefined ? `byte ${p.byteOffset}` : null,
    p.line !== undefined ? `line ${p.line}` : null,
  ]
    .filter(Boolean)
    .join(', ');
}

/** A record ready for a batch: prepared, with what the main thread keeps of it. */
interface Prepared extends PreparedRecord {
  marcJson: string;
  source: Buffer;
  sourceFormat: repo.RecordValues['sourceFormat'];
  warnings: string[];
}

type Entry = Prepared | { reject: Reject };

const settingsOf = (options: ImportOptions): PrepareSettings => ({
  flavour: options.flavour,
  holdings: options.holdings,
  provenance: options.provenance,
  iso2709: options.iso2709,
});

/** The prepared record with its JSON text, source bytes (else its JSON is its source) and warnings. */
function completed(
  record: PreparedRecord,
  marcJson: string,
  raw: Uint8Array | undefined,
  warnings: string[] | undefined,
  options: ImportOptions,
): Prepared {
  const p = record as Prepared;
  p.marcJson = marcJson;
  p.source = raw ? Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength) : Buffer.from(marcJson);
  p.sourceFormat = raw ? options.sourceFormat : 'json';
  p.warnings = warnings ?? [];
  return p;
}

const rejected = (position: RecordPosition, reason: string): Entry => ({
  reject: { position: describePosition(position), reason },
});

/** A framed record parsed here: what a reader would have yielded for it, its bytes kept. */
const parsedHere = (framed: FramedIso2709, options: ImportOptions) =>
  parseFramedIso2709(framed, { ...options.iso2709, keepRaw: true });

const cannotCatalogue = (position: RecordPosition, message: string): Entry =>
  rejected(position, `cannot be catalogued: ${message}`);

/** Records prepared on the calling thread, in order. */
async function* preparedHere(
  items: AsyncIterable<ReaderItem> | Iterable<ReaderItem>,
  options: ImportOptions,
): AsyncGenerator<Entry> {
  const settings = settingsOf(options);
  for await (const given of items) {
    const item = 'bytes' in given ? parsedHere(given, options) : given;
    if ('error' in item) {
      yield rejected(item.error, item.error.reason);
      continue;
    }
    let entry: Entry;
    try {
      // The record's JSON is both what is stored and what the content hash is taken of.
      const marcJson = JSON.stringify(item.record);
      entry = completed(
        prepareRecord(item.record, marcJson, item.flavour, describePosition(item.position), settings),
        marcJson,
        item.raw,
        item.warnings,
        options,
      );
    } catch (error) {
      entry = cannotCatalogue(item.position, (error as Error).message);
    }
    yield entry;
  }
}

const CHUNK = 125;

/**
 * Records prepared by worker threads, in order: chunks go out as they are read, and up to
 * `workers × 4` chunks are in preparation ahead of the one being consumed. ISO 2709 records given
 * framed go as their bytes and are parsed there; records read here go as their JSON text.
 */
async function* preparedByWorkers(
  items: AsyncIterable<ReaderItem> | Iterable<ReaderItem>,
  options: ImportOptions,
  workers: number,
): AsyncGenerator<Entry> {
  /** An item with what goes to the worker: a job, or (read here) the record's JSON text or null when it has none. */
  type Pending =
    | { framed: Omit<FramedIso2709, 'bytes'>; bytes: Uint8Array }
    | { item: Exclude<ReaderItem, FramedIso2709>; marcJson: string | null };
  const settings = settingsOf(options);
  const pool = acquirePreparePool(workers);
  const ahead: Array<{ chunk: Pending[]; outcomes: Promise<PrepareOutcome[]> }> = [];
  const send = (chunk: Pending[]) => {
    const jobs: PrepareJob[] = [];
    for (const p of chunk) {
      if ('framed' in p)
        jobs.push({ iso2709: p.bytes, terminated: p.framed.terminated, position: describePosition(p.framed.position) });
      else if (p.marcJson !== null && 'record' in p.item)
        jobs.push({ marcJson: p.marcJson, flavour: p.item.flavour, position: describePosition(p.item.position) });
    }
    const outcomes = pool.run(jobs, settings);
    outcomes.catch(() => {}); // awaited in order below
    ahead.push({ chunk, outcomes });
  };
  function entryOf(p: Pending, outcome: () => PrepareOutcome): Entry {
    if (!('framed' in p)) {
      const { item, marcJson } = p;
      if ('error' in item) return rejected(item.error, item.error.reason);
      if (marcJson === null) return cannotCatalogue(item.position, 'the record cannot be written as JSON');
      const o = outcome();
      if ('ok' in o) return completed(o.ok, marcJson, item.raw, item.warnings, options);
      return cannotCatalogue(item.position, 'error' in o ? o.error : o.unreadable);
    }
    const o = outcome();
    if ('unreadable' in o) return rejected(p.framed.position, o.unreadable);
    if ('error' in o) return cannotCatalogue(p.framed.position, o.error);
    return completed(o.ok, o.marcJson!, p.bytes, o.warnings, options);
  }
  async function* receive(): AsyncGenerator<Entry> {
    const { chunk, outcomes } = ahead.shift()!;
    const results = await outcomes;
    let next = 0;
    for (const p of chunk) yield entryOf(p, () => results[next++]!);
  }
  try {
    let chunk: Pending[] = [];
    for await (const item of items) {
      if ('bytes' in item) {
        // The framed bytes are the reader's until the next record: a copy of its own goes.
        chunk.push({ framed: { position: item.position, terminated: item.terminated }, bytes: item.bytes.slice() });
      } else {
        let marcJson: string | null = null;
        if ('record' in item) {
          try {
            marcJson = JSON.stringify(item.record);
          } catch {
            marcJson = null;
          }
        }
        chunk.push({ item, marcJson });
      }
      if (chunk.length >= CHUNK) {
        send(chunk);
        chunk = [];
      }
      if (ahead.length >= workers * 4) yield* receive();
    }
    if (chunk.length) send(chunk);
    while (ahead.length) yield* receive();
  } finally {
    releasePreparePool(pool);
  }
}

/** Finds the best-matching work among candidates; the reason is kept with the record. */
function bestMatch(keys: ClusterKeys, candidates: repo.CandidateWork[]) {
  let best: { work: repo.CandidateWork; score: number; reason: string } | null = null;
  for (const work of candidates) {
    const match = scoreMatch(keys, {
      identifiers: work.identifiers,
      titleAuthor: work.title_author_key,
      years: work.years,
    });
    if (match && (!best || match.score > best.score)) best = { work, ...match };
  }
  return best;
}

/** Candidate works by each of their keys, so a record is scored against the works it can match only. */
class CandidateIndex {
  private readonly byKey = new Map<string, repo.CandidateWork[]>();

  constructor(works: repo.CandidateWork[]) {
    for (const work of works) this.add(work);
  }

  add(
    work: repo.CandidateWork,
    keys: string[] = [
      ...work.identifiers,
      ...(work.title_author_key ? [repo.titleAuthorKey(work.title_author_key)] : []),
    ],
  ): void {
    for (const key of keys) {
      const list = this.byKey.get(key);
      if (!list) this.byKey.set(key, [work]);
      else if (!list.includes(work)) list.push(work);
    }
  }

  /** The works sharing a key with the record, in the order they were added. */
  for(keys: ClusterKeys): repo.CandidateWork[] {
    const found = new Set<repo.CandidateWork>();
    for (const key of [...keys.identifiers, ...(keys.titleAuthor ? [repo.titleAuthorKey(keys.titleAuthor)] : [])]) {
      for (const work of this.byKey.get(key) ?? []) found.add(work);
    }
    return [...found];
  }
}

const ZERO = { added: 0, updated: 0, unchanged: 0 };

/**
 * Stores one batch in one transaction: add new records, update changed ones, cluster both, write
 * the works' new matching keys and mark the works for a refresh; the run's counts and rejects too.
 * Should the database refuse a value of the batch (preparing catches what is known, storable.ts),
 * the batch is stored again record by record, and the records it refuses become rejects with
 * their position and the database's reason: one bad record never stops an import.
 */
async function storeBatch(
  ctx: AppContext,
  batch: Prepared[],
  rejects: Reject[],
  options: ImportOptions,
  copies: CopyWriter | null,
): Promise<{ counts: typeof ZERO; rejects: Reject[] }> {
  const db = repo.catalogDb(ctx.db);
  try {
    const stored = await db.transaction().execute(async (trx) => {
      const { counts, pending, refused } = batch.length
        ? await clusterAndStore(trx, batch, options, copies)
        : { counts: ZERO, pending: null, refused: [] };
      const all = [...rejects, ...refused];
      await recordRun(trx, options, batch.length + rejects.length, counts, all);
      return { counts, rejects: all, pending };
    });
    if (stored.pending) copies!.write(stored.pending);
    return stored;
  } catch (error) {
    if (batch.length === 0 || !isRefusedValue(error)) throw error;
    // Record by record, each with its copies: those before it are stored first.
    await copies?.drain();
    return db.transaction().execute(async (trx) => {
      const counts = { ...ZERO };
      const all = [...rejects];
      for (const p of batch) {
        try {
          const one = await inSavepoint(trx, () => clusterAndStore(trx, [p], options, null));
          for (const key of ['added', 'updated', 'unchanged'] as const) counts[key] += one.counts[key];
          all.push(...one.refused);
        } catch (refused) {
          if (!isRefusedValue(refused)) throw refused;
          all.push({ position: positionOf(p), reason: `cannot be stored: ${(refused as Error).message}` });
        }
      }
      await recordRun(trx, options, batch.length + rejects.length, counts, all);
      return { counts, rejects: all };
    });
  }
}

/** Adds a batch's counts and rejects to the run's row, when the run has one. */
async function recordRun(
  trx: repo.CatalogDb,
  options: ImportOptions,
  processed: number,
  counts: typeof ZERO,
  rejects: Reject[],
): Promise<void> {
  if (!options.importId) return;
  await repo.addImportCounts(trx, options.importId, {
    processed,
    ...counts,
    rejected: rejects.length,
  });
  await repo.insertRejects(trx, options.importId, rejects);
}

/** A prepared record's position in its input, as preparing described it. */
const positionOf = (p: Prepared): string => (JSON.parse(p.provenanceJson) as { position: string }).position;

/**
 * The copies a record's previous version listed in its holdings field (read as this import reads
 * them) and its newer version no longer does. Copies staff added by hand were never listed, so
 * they are not among them.
 */
function droppedCopies(
  previous: Array<{ id: string; marc: MarcRecord }>,
  listed: ReadonlyMap<string, ReadonlySet<string>>,
  options: ImportOptions,
): Array<{ recordId: string; barcode: string }> {
  const dropped: Array<{ recordId: string; barcode: string }> = [];
  for (const { id, marc } of previous) {
    const now = listed.get(id);
    for (const { barcode } of extractHoldings(marc, options.holdings)) {
      if (!now?.has(barcode)) dropped.push({ recordId: id, barcode });
    }
  }
  return dropped;
}

/**
 * The records that are not older versions of stored ones: a record whose 005 is earlier than the
 * stored version's (as imported; a version staff edited since is compared by content alone)
 * changes nothing, so that loading an old export by mistake does not undo newer records.
 */
async function withoutOlderVersions(
  trx: repo.CatalogDb,
  records: Prepared[],
  existing: ReadonlyMap<string, repo.ExistingRecord>,
): Promise<Prepared[]> {
  const dated = records.filter((p) => p.latest !== null && existing.has(p.key));
  if (dated.length === 0) return records;
  const stored = await repo.importedLatestTransactions(
    trx,
    dated.map((p) => existing.get(p.key)!.id),
  );
  return records.filter((p) => {
    const value = p.latest === null ? undefined : stored.get(existing.get(p.key)?.id ?? '');
    const latest = value === undefined ? null : latestTransactionOf(value);
    return latest === null || p.latest! >= latest;
  });
}

// On PostgreSQL with a copy writer, a full batch's records in one statement (each statement is a
// round trip on the serial path of batches), a smaller batch's in statements of 250 and a last
// shorter one, so that all but that one are prepared statements. Measured there (full batches in
// one statement, before the smaller ones were split), whole imports' record inserts took 6.9–7.6 s
// of the batches' time against 8.9–9.1 s in statements of 250.
const RECORD_STATEMENTS_ON_POSTGRES = [1000, 250];

/** What storing a batch's records gives: its counts, and its copies and marks when they are left to a writer. */
interface Stored {
  counts: typeof ZERO;
  pending: PendingCopies | null;
  /** The records stored without the copies the database refused. */
  refused: Reject[];
}

/** Records stored without what the database refused of them (copies, subject terms), as rejects of the run. */
const storedWithout = (refused: Refusal[], positionOf: (recordId: string) => string): Reject[] =>
  refused.map((r) => ({ position: positionOf(r.recordId), reason: `stored, but ${r.reason}` }));

/**
 * Clusters and stores a batch in the transaction `trx`. With a copy writer, a batch that only adds
 * records writes its copies and refresh marks as pending, for the writer to store once `trx`
 * commits; a batch that updates records first waits for the copies before it (it reads them, to
 * find those its newer versions dropped) and stores its own here.
 */
async function clusterAndStore(
  trx: repo.CatalogDb,
  batch: Prepared[],
  options: ImportOptions,
  copies: CopyWriter | null,
): Promise<Stored> {
  // With a copy writer, the records' subject terms wait for their copies (or, when the batch
  // stores its copies itself, for the end of its inserts).
  await repo.lockClustering(trx, { bulk: true, deferSubjectTerms: copies !== null });
  // The last occurrence of a key in the batch wins, as it would across two imports.
  const byKey = new Map(batch.map((p) => [p.key, p]));
  const existing = new Map(
    (await repo.findRecordsByKeys(trx, options.libraryId, [...byKey.keys()])).map((r) => [r.record_key, r]),
  );
  const changed = await withoutOlderVersions(
    trx,
    [...byKey.values()].filter((p) => existing.get(p.key)?.content_hash !== p.hash),
    existing,
  );
  const unchanged = batch.length - changed.length;
  if (changed.length === 0) return { counts: { ...ZERO, unchanged }, pending: null, refused: [] };
  const updating = changed.some((p) => existing.has(p.key));
  if (updating) await copies?.drain();

  const candidates = new CandidateIndex(
    await repo.findCandidateWorks(
      trx,
      [...new Set(changed.flatMap((p) => p.keys.identifiers))],
      [...new Set(changed.map((p) => p.keys.titleAuthor).filter((k): k is string => k !== null))],
    ),
  );
  const newWorks: repo.NewWork[] = [];
  const inserts: repo.RecordValues[] = [];
  const updates: repo.RecordValues[] = [];
  const workKeys: Array<{ workId: string; key: string }> = [];
  const added = new Map<string, string[]>();
  const rekey = new Set<string>();
  const items: repo.ItemValues[] = [];
  const byId = new Map<string, Prepared>();
  // The barcodes each updated record now lists, to find the copies its newer version dropped.
  const listed = new Map<string, Set<string>>();
  for (const p of changed) {
    const old = existing.get(p.key);
    let workId: string;
    let matchScore: number | null = null;
    let matchReason: string | null = null;
    // The matching keys the work lacks: all of the record's, unless the work is known to have some.
    let keysToAdd = p.keys.identifiers;
    let yearToAdd = p.keys.year;
    if (old?.work_pinned) {
      workId = old.work_id;
      matchReason = MATCH_REASONS.staffKept;
    } else {
      const match = bestMatch(p.keys, candidates.for(p.keys));
      if (match) {
        workId = match.work.id;
        matchScore = match.score;
        matchReason = match.reason;
        // The work now also answers to this record's keys, for the rest of the batch.
        // (A candidate work comes with all its years, and with each looked-up key it has.)
        const fresh = p.keys.identifiers.filter((k) => !match.work.identifiers.includes(k));
        match.work.identifiers.push(...fresh);
        candidates.add(match.work, fresh);
        keysToAdd = fresh;
        if (p.keys.year !== null && match.work.years.includes(p.keys.year)) yearToAdd = null;
        if (yearToAdd !== null) match.work.years.push(yearToAdd);
      } else {
        // New works are created together after the loop; the id is ours to choose now.
        workId = uuidV7();
        const years = p.keys.year === null ? [] : [p.keys.year];
        newWorks.push({
          id: workId,
          title: p.title,
          sortTitle: p.sortTitle,
          author: p.author,
          identifiers: p.keys.identifiers,
          titleAuthorKey: p.keys.titleAuthor,
          years,
        });
        candidates.add({
          id: workId,
          identifiers: [...p.keys.identifiers],
          title_author_key: p.keys.titleAuthor,
          years: [...years],
        });
        if (p.keys.titleAuthor) workKeys.push({ workId, key: repo.titleAuthorKey(p.keys.titleAuthor) });
      }
    }
    for (const key of keysToAdd) workKeys.push({ workId, key });
    if (yearToAdd !== null) workKeys.push({ workId, key: `year:${yearToAdd}` });
    const values = recordValues(
      p,
      { id: old?.id ?? uuidV7(), organizationId: options.libraryId, recordKey: p.key, workId, matchScore, matchReason },
      {
        format: p.sourceFormat,
        encoding: options.sourceEncoding ?? null,
        bytes: p.source,
        marcJson: p.marcJson,
        warnings: p.warnings,
      },
    );
    byId.set(values.id, p);
    if (old) {
      // The old version may have brought keys, items or a place in another work: rebuild both works.
      rekey.add(old.work_id);
      rekey.add(workId);
      updates.push(values);
      listed.set(values.id, new Set(p.items.map((i) => i.barcode)));
    } else {
      const list = added.get(workId);
      if (list) list.push(values.id);
      else added.set(workId, [values.id]);
      inserts.push(values);
    }
    for (const i of p.items) {
      items.push({
        organizationId: options.libraryId,
        recordId: values.id,
        barcode: i.barcode,
        callNumber: i.callNumber,
        location: i.location,
        itemType: i.itemType,
        branchId: i.branchCode ? (options.branches?.get(i.branchCode) ?? null) : null,
        status: i.status,
      });
    }
  }
  // What the versions being replaced listed, read before they are.
  const dropped = droppedCopies(await repo.holdingsOfRecordsWithItems(trx, [...listed.keys()]), listed, options);
  // A batch that only adds records leaves its copies, and its records' subject terms, to the writer.
  const leftToWriter = copies !== null && !updating;
  await repo.insertWorks(trx, newWorks);
  await repo.insertRecords(trx, inserts, copies ? RECORD_STATEMENTS_ON_POSTGRES : undefined);
  if (copies && !leftToWriter)
    await repo.storeSubjectTerms(
      trx,
      inserts.map((v) => v.id),
    );
  await repo.updateRecords(trx, updates);
  await repo.addWorkKeys(trx, workKeys);
  const positionOfRecord = (recordId: string) => positionOf(byId.get(recordId)!);
  const marks: repo.WorkMark[] = [
    ...[...added].map(([workId, ids]) => ({ workId, added: ids, rekey: false })),
    ...[...rekey].map((workId) => ({ workId, added: [], rekey: true })),
  ];
  if (leftToWriter) {
    const pending = { items, marks };
    const id = await repo.insertPendingCopies(trx, copies.runToken, options.libraryId, pending);
    return {
      counts: { added: inserts.length, updated: 0, unchanged },
      pending: { id, ...pending, positionOf: positionOfRecord },
      refused: [],
    };
  }
  const stored = await storeImportedCopies(trx, items);
  // After the upsert, so that a copy the batch moved to another record is that record's now.
  await repo.withdrawDroppedItems(trx, options.libraryId, dropped, {
    mayChange: STATUSES_AN_IMPORT_MAY_CHANGE,
    reason: ITEM_CHANGE_REASONS.droppedByImport,
  });
  await repo.markWorksForRefresh(trx, [...marks, ...stored.marks]);
  const refused = storedWithout(stored.refused, positionOfRecord);
  return { counts: { added: inserts.length, updated: updates.length, unchanged }, pending: null, refused };
}

// Works per refresh transaction. Smaller chunks cost the embedded database more per work (1,000
// made a 100,000-record import 10–15 % slower there); 4,000 gained nothing over 2,000.
const REFRESH_CHUNK = 2000;

/** Refreshes marked works chunk by chunk until none (of that kind) is left. */
async function refreshAll(
  db: repo.CatalogDb,
  options: { kind?: repo.RefreshKind; parallel?: boolean; signal?: AbortSignal } = {},
) {
  while ((await repo.refreshPendingWorks(db, REFRESH_CHUNK, options)) > 0) {
    // What is left stays marked; the next import refreshes it.
    options.signal?.throwIfAborted();
  }
}

/**
 * Refreshes every work marked for it (this run's, and any a killed run left behind). On a
 * PostgreSQL server, one connection per core (at most two) refreshes side by side, the works
 * rebuilt whole first, then those that gained records (a transaction of one kind updates the
 * lexicon in one statement, locking its words in order, so two can wait for a word but never for
 * each other); whatever is left, one by one.
 */
async function refreshMarkedWorks(ctx: AppContext, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  const db = repo.catalogDb(ctx.db);
  const connections = ctx.databaseKind === 'postgres' ? Math.min(2, os.availableParallelism()) : 1;
  if (connections > 1) {
    const side = async () => {
      await refreshAll(db, { kind: 'whole', parallel: true, signal });
      await refreshAll(db, { kind: 'added', parallel: true, signal });
    };
    // Each side runs to its end before a failure of the other is thrown.
    const ended = await Promise.allSettled(Array.from({ length: connections }, side));
    for (const e of ended) if (e.status === 'rejected') throw e.reason;
  }
  await refreshAll(db, { signal });
}

// Batches read and prepared ahead of the one being stored.
const AHEAD = 3;

/** How many rejects the result keeps: enough to name what went wrong, bounded whatever the input. */
export const REJECTS_KEPT = 100;

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Imports records into a library's catalogue: damaged records are rejected with their position
 * and reason, the rest are stored, clustered into works and indexed, in batches. Re-importing
 * the same data changes nothing; a newer version of a record (same 001/003 or 035) updates it.
 * The result's `rejects` are the first REJECTS_KEPT only (`rejected` counts them all): memory
 * stays constant however many records are rejected; `onReject` and the run's rejects have all.
 */
export async function importRecords(
  ctx: AppContext,
  items: AsyncIterable<ReaderItem> | Iterable<ReaderItem>,
  options: ImportOptions,
): Promise<ImportCounts & { rejects: Reject[] }> {
  const size = options.batchSize ?? 1000;
  const refreshEvery = options.refreshEvery ?? 250_000;
  const totals: ImportCounts = { processed: 0, added: 0, updated: 0, unchanged: 0, rejected: 0 };
  const rejects: Reject[] = [];
  let batch: Prepared[] = [];
  let batchRejects: Reject[] = [];
  let sinceRefresh = 0;

  const noteRejects = (found: Reject[]) => {
    for (const r of found) {
      if (rejects.length < REJECTS_KEPT) rejects.push(r);
      options.onReject?.(r);
    }
  };
  // What a killed run left for its copies' transaction first; then, on a PostgreSQL server, this
  // run's copies go to a writer of their own (copy-writer.ts). It needs a connection besides the
  // batches', the refreshes' two and the caller's run lock.
  await storeAbandonedCopies(ctx);
  const copies =
    ctx.databaseKind === 'postgres' && ctx.config.poolSize >= 5
      ? await CopyWriter.open(repo.catalogDb(ctx.db), async (trx, refused, batch) => {
          const found = storedWithout(refused, batch.positionOf);
          await recordRun(trx, options, 0, ZERO, found);
          totals.rejected += found.length;
          noteRejects(found);
        })
      : null;
  try {
    // Batches are stored strictly in order, since each clusters against the works the previous
    // ones made; meanwhile the next ones are read and prepared here, up to AHEAD batches queued
    // (so memory stays bounded). Refreshes of marked works run in the same queue, so that reading
    // and preparing go on while the database refreshes.
    let queue: Promise<void> = Promise.resolve();
    let queued = 0;
    let drained: (() => void) | null = null;
    const store = async (records: Prepared[], failed: Reject[]) => {
      options.signal?.throwIfAborted();
      if (sinceRefresh >= refreshEvery) {
        await copies?.drain();
        await refreshMarkedWorks(ctx, options.signal);
        sinceRefresh = 0;
      }
      await copies?.room();
      const stored =
        records.length || failed.length
          ? await storeBatch(ctx, records, failed, options, copies)
          : { counts: ZERO, rejects: failed };
      const { counts } = stored;
      const delta = { processed: records.length + failed.length, ...counts, rejected: stored.rejects.length };
      for (const key of ['processed', 'added', 'updated', 'unchanged', 'rejected'] as const) totals[key] += delta[key];
      noteRejects(stored.rejects);
      sinceRefresh += counts.added + counts.updated;
      options.onProgress?.({ ...totals });
    };
    const flush = async () => {
      const records = batch;
      const failed = batchRejects;
      batch = [];
      batchRejects = [];
      queued++;
      // A failed batch fails the queue: later batches are not stored, and the next flush (or the
      // end) throws its error.
      queue = queue
        .then(() => store(records, failed))
        .finally(() => {
          queued--;
          drained?.();
        });
      // Awaited when the queue is full or at the end; until then a failure must not count as unhandled.
      queue.catch(() => {});
      while (queued >= AHEAD) {
        await new Promise<void>((resolve) => (drained = resolve));
        drained = null;
      }
      // Throws a stored batch's failure now (the queue settled first), rather than after the whole input is read.
      await Promise.race([queue, Promise.resolve()]);
    };

    const workers = options.workers ?? 0;
    const entries = workers > 0 ? preparedByWorkers(items, options, workers) : preparedHere(items, options);
    let sinceYield = 0;
    try {
      for await (const entry of entries) {
        options.signal?.throwIfAborted();
        if ('reject' in entry) batchRejects.push(entry.reject);
        else batch.push(entry);
        if (batch.length + batchRejects.length >= size) await flush();
        // Preparing is synchronous work; let the batch in flight receive its replies now and then.
        else if (++sinceYield >= 50) {
          sinceYield = 0;
          await nextTick();
        }
      }
      await flush();
    } catch (error) {
      // The batch being stored ends (committed or not) before the import's error is thrown.
      await queue.catch(() => {});
      throw error;
    }
    await queue;
    await copies?.drain();
    await refreshMarkedWorks(ctx, options.signal);
    return { ...totals, rejects };
  } finally {
    await copies?.close();
  }
}
