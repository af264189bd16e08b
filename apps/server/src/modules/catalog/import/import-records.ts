import { randomUUID } from 'node:crypto';
import type { MarcFlavour, MarcRecord } from '@athenaeum/marc';
import type { AppContext } from '../../../platform/context/context.js';
import * as repo from '../catalog.repository.js';
import { clusterKeys, scoreMatch, type ClusterKeys } from '../clustering/keys.js';
import { normalizeRecord } from '../normalize/unimarc.js';
import { searchDoc, subjectFacets } from '../search/search-doc.js';
import { extractHoldings, type ExtractedItem, type HoldingsMapping } from './holdings.js';
import { contentHash, recordKey } from './record-identity.js';

/** What a @athenaeum/marc reader yields: a record with its position, or a damaged record's report. */
export type ReaderItem =
  | { record: MarcRecord; position: RecordPosition; warnings?: string[]; raw?: Uint8Array; flavour?: MarcFlavour }
  | { error: RecordPosition & { reason: string } };

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
  batchSize?: number;
  /** Records the counts and rejects of this run in catalog_imports. */
  importId?: string;
  onProgress?: (counts: ImportCounts) => void;
  /** Which holdings field to read items from; default: the first of 952, 852, 949 in the record. */
  holdings?: HoldingsMapping;
  /** Branch codes used in holdings fields → branch ids of this library. */
  branches?: ReadonlyMap<string, string>;
}

export interface Reject {
  position: string;
  reason: string;
}

export function describePosition(p: RecordPosition): string {
  return [`record ${p.index + 1}`, p.byteOffset !== undefined ? `byte ${p.byteOffset}` : null, p.line !== undefined ? `line ${p.line}` : null]
    .filter(Boolean)
    .join(', ');
}

interface Prepared {
  key: string;
  hash: string;
  record: MarcRecord;
  raw: Buffer;
  warnings: string[];
  position: RecordPosition;
  values: Omit<repo.RecordValues, 'workId' | 'matchScore' | 'matchReason'>;
  keys: ClusterKeys;
  items: ExtractedItem[];
}

function prepare(item: Extract<ReaderItem, { record: MarcRecord }>, options: ImportOptions): Prepared {
  const hash = contentHash(item.record);
  const key = recordKey(item.record, hash);
  const flavour = item.flavour ?? options.flavour;
  const fields = normalizeRecord(item.record, flavour);
  const keys = clusterKeys(fields);
  const raw = item.raw ? Buffer.from(item.raw) : Buffer.from(JSON.stringify(item.record));
  return {
    key,
    hash,
    record: item.record,
    raw,
    warnings: item.warnings ?? [],
    position: item.position,
    keys,
    items: extractHoldings(item.record, options.holdings),
    values: {
      organizationId: options.libraryId,
      recordKey: key,
      flavour,
      sourceFormat: item.raw ? options.sourceFormat : 'json',
      sourceEncoding: options.sourceEncoding ?? null,
      source: raw,
      marc: item.record,
      contentHash: hash,
      fields,
      clusterKeys: keys.identifiers,
      titleAuthorKey: keys.titleAuthor,
      subjectFacets: subjectFacets(fields),
      searchDoc: searchDoc(fields),
      provenance: { ...options.provenance, position: describePosition(item.position) },
      warnings: item.warnings ?? [],
    },
  };
}

/** Finds the best-matching work among candidates; the reason is kept with the record. */
function bestMatch(keys: ClusterKeys, candidates: repo.CandidateWork[]) {
  let best: { work: repo.CandidateWork; score: number; reason: string } | null = null;
  for (const work of candidates) {
    const match = scoreMatch(keys, { identifiers: work.identifiers, titleAuthor: work.title_author_key, years: work.years });
    if (match && (!best || match.score > best.score)) best = { work, ...match };
  }
  return best;
}

/** Stores one batch in one transaction: add new records, update changed ones, cluster both. */
async function storeBatch(ctx: AppContext, batch: Prepared[], options: ImportOptions): Promise<Omit<ImportCounts, 'processed' | 'rejected'>> {
  return repo.catalogDb(ctx.db).transaction().execute(async (trx) => {
    await repo.lockClustering(trx);
    // The last occurrence of a key in the batch wins, as it would across two imports.
    const byKey = new Map(batch.map((p) => [p.key, p]));
    const existing = new Map((await repo.findRecordsByKeys(trx, options.libraryId, [...byKey.keys()])).map((r) => [r.record_key, r]));
    const changed = [...byKey.values()].filter((p) => existing.get(p.key)?.content_hash !== p.hash);
    const unchanged = batch.length - changed.length;

    const candidates = await repo.findCandidateWorks(
      trx,
      [...new Set(changed.flatMap((p) => p.keys.identifiers))],
      [...new Set(changed.map((p) => p.keys.titleAuthor).filter((k): k is string => k !== null))],
    );
    const touched = new Set<string>();
    const newWorks: repo.NewWork[] = [];
    const inserts: repo.RecordValues[] = [];
    let updated = 0;
    for (const p of changed) {
      const old = existing.get(p.key);
      let workId: string;
      let matchScore: number | null = null;
      let matchReason: string | null = null;
      if (old?.work_pinned) {
        workId = old.work_id;
        matchReason = 'kept in its work by a staff decision';
      } else {
        const match = bestMatch(p.keys, candidates);
        if (match) {
          workId = match.work.id;
          matchScore = match.score;
          matchReason = match.reason;
          // The work now also answers to this record's keys, for the rest of the batch.
          match.work.identifiers = [...new Set([...match.work.identifiers, ...p.keys.identifiers])];
          if (p.keys.year !== null && !match.work.years.includes(p.keys.year)) match.work.years.push(p.keys.year);
        } else {
          // New works are created together after the loop; the id is ours to choose now.
          workId = randomUUID();
          newWorks.push({
            id: workId,
            title: p.values.fields.title,
            sortTitle: p.values.fields.sortTitle,
            author: p.values.fields.authors[0]?.name ?? null,
            identifiers: p.keys.identifiers,
            titleAuthorKey: p.keys.titleAuthor,
            years: p.keys.year === null ? [] : [p.keys.year],
          });
          candidates.push({ id: workId, identifiers: [...p.keys.identifiers], title_author_key: p.keys.titleAuthor, years: p.keys.year === null ? [] : [p.keys.year] });
        }
      }
      touched.add(workId);
      const values = { ...p.values, workId, matchScore, matchReason };
      if (old) {
        touched.add(old.work_id);
        await repo.updateRecord(trx, old.id, values);
        updated++;
      } else {
        inserts.push(values);
      }
    }
    await repo.insertWorks(trx, newWorks);
    const ids = new Map((await repo.insertRecords(trx, inserts)).map((r) => [r.record_key, r.id]));
    for (const [key, old] of existing) ids.set(key, old.id);
    const items = changed.flatMap((p) =>
      p.items.map((i) => ({
        organizationId: options.libraryId,
        recordId: ids.get(p.key)!,
        barcode: i.barcode,
        callNumber: i.callNumber,
        location: i.location,
        itemType: i.itemType,
        branchId: i.branchCode ? (options.branches?.get(i.branchCode) ?? null) : null,
      })),
    );
    await repo.upsertItems(trx, items);
    await repo.refreshWorks(trx, [...touched]);
    return { added: inserts.length, updated, unchanged };
  });
}

/**
 * Imports records into a library's catalogue: damaged records are rejected with their position
 * and reason, the rest are stored, clustered into works and indexed, in batches. Re-importing
 * the same data changes nothing; a newer version of a record (same 001/003 or 035) updates it.
 */
export async function importRecords(ctx: AppContext, items: AsyncIterable<ReaderItem> | Iterable<ReaderItem>, options: ImportOptions): Promise<ImportCounts & { rejects: Reject[] }> {
  const size = options.batchSize ?? 500;
  const totals: ImportCounts = { processed: 0, added: 0, updated: 0, unchanged: 0, rejected: 0 };
  const rejects: Reject[] = [];
  let batch: Prepared[] = [];
  let batchRejects: Reject[] = [];
  const db = repo.catalogDb(ctx.db);

  const flush = async () => {
    const counts = batch.length ? await storeBatch(ctx, batch, options) : { added: 0, updated: 0, unchanged: 0 };
    const delta = { processed: batch.length + batchRejects.length, ...counts, rejected: batchRejects.length };
    if (options.importId) {
      await repo.addImportCounts(db, options.importId, delta);
      await repo.insertRejects(db, options.importId, batchRejects);
    }
    for (const key of ['processed', 'added', 'updated', 'unchanged', 'rejected'] as const) totals[key] += delta[key];
    rejects.push(...batchRejects);
    batch = [];
    batchRejects = [];
    options.onProgress?.({ ...totals });
  };

  for await (const item of items) {
    if ('error' in item) {
      batchRejects.push({ position: describePosition(item.error), reason: item.error.reason });
    } else {
      try {
        batch.push(prepare(item, options));
      } catch (error) {
        batchRejects.push({ position: describePosition(item.position), reason: `cannot be catalogued: ${(error as Error).message}` });
      }
    }
    if (batch.length + batchRejects.length >= size) await flush();
  }
  await flush();
  return { ...totals, rejects };
}
