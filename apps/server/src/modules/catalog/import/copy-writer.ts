import { ITEM_CHANGE_REASONS } from '@athenaeum/contracts';
import type { AppContext } from '../../../platform/context/context.js';
import { inSavepoint, isRefusedValue } from '../../../platform/db/savepoint.js';
import * as repo from '../catalog.repository.js';
import { STATUSES_AN_IMPORT_MAY_CHANGE } from './holdings.js';
import { uuidV7 } from './uuid-v7.js';

// On PostgreSQL an import stores each batch in two halves: its records (clustered, with their works
// and matching keys) in one transaction, and its copies, its records' subject terms and its
// refresh marks in a second one, on a connection of its own, while the next batch's records are
// stored. Both halves then keep the server's two cores busy. The marks wait for the copies, so
// that no refresh (another import's) can take the batch's works before their copies are there. The first transaction also writes
// copies and marks as JSON (catalog_import_pending_copies); the second stores them and deletes
// that row. Should the process end between the two, the row stays, and the next import stores it
// before its own batches (storeAbandonedCopies): a run's rows are taken only once no live process
// holds its lock, a session-level advisory lock the writer holds for as long as it is open.

/** A batch's copies and marks, written beside its records, waiting for their own transaction. */
export interface PendingCopies extends repo.PendingBatch {
  /** The catalog_import_pending_copies row. */
  id: string;
  /** Where a record of the batch was in the input, should its copies be refused. */
  positionOf: (recordId: string) => string;
}

/** A record stored without what the database refused of it (its copies, its subject terms). */
export interface Refusal {
  recordId: string;
  /** What was refused and why: "its copies cannot be: …". */
  reason: string;
}

const RULE = { mayChange: STATUSES_AN_IMPORT_MAY_CHANGE, reason: ITEM_CHANGE_REASONS.imported };

/**
 * Runs `store` on `all` in a savepoint; should the database refuse a value, on each record's own
 * (`byRecord`), each in a savepoint. Returns the records it refused, with `what` and its reason.
 */
async function storeRecordByRecordOnRefusal<T>(
  trx: repo.CatalogDb,
  what: string,
  all: T[],
  byRecord: () => Map<string, T[]>,
  store: (some: T[]) => Promise<void>,
): Promise<Refusal[]> {
  try {
    await inSavepoint(trx, () => store(all));
    return [];
  } catch (error) {
    if (!isRefusedValue(error)) throw error;
  }
  const refused: Refusal[] = [];
  for (const [recordId, own] of byRecord()) {
    try {
      await inSavepoint(trx, () => store(own));
    } catch (refusal) {
      if (!isRefusedValue(refusal)) throw refusal;
      refused.push({ recordId, reason: `${what} cannot be: ${(refusal as Error).message}` });
    }
  }
  return refused;
}

/**
 * Stores an import's copies, in one go; should the database refuse a value, record by record:
 * the records whose copies it refused stay stored without them, and every other record's copies
 * are stored. Returns those records, and the marks for the works a moved copy left (to be rebuilt
 * without it), which the caller writes with its own in one statement (marks lock in work order).
 */
export async function storeImportedCopies(
  trx: repo.CatalogDb,
  items: repo.ItemValues[],
): Promise<{ refused: Refusal[]; marks: repo.WorkMark[] }> {
  const left = new Set<string>();
  const byRecord = () => {
    const groups = new Map<string, repo.ItemValues[]>();
    for (const item of items) {
      const list = groups.get(item.recordId);
      if (list) list.push(item);
      else groups.set(item.recordId, [item]);
    }
    return groups;
  };
  const refused = await storeRecordByRecordOnRefusal(trx, 'its copies', items, byRecord, async (some) => {
    for (const workId of await repo.upsertItems(trx, some, RULE)) left.add(workId);
  });
  return { refused, marks: [...left].map((workId) => ({ workId, added: [], rekey: true })) };
}

/**
 * Stores in `trx` what a batch's records' transaction left pending: the copies, the subject terms
 * of the records it added (its marks list them; a record whose terms the database refuses, such
 * as a text too long for a search vector, stays stored without them), then the refresh marks.
 * Returns the records stored without their copies or terms.
 */
async function storePending(trx: repo.CatalogDb, batch: repo.PendingBatch): Promise<Refusal[]> {
  const { refused, marks } = await storeImportedCopies(trx, batch.items);
  const added = batch.marks.flatMap((m) => m.added);
  const withoutTerms = await storeRecordByRecordOnRefusal(
    trx,
    'its subject terms',
    added,
    () => new Map(added.map((id) => [id, [id]])),
    (ids) => repo.storeSubjectTerms(trx, ids),
  );
  await repo.markWorksForRefresh(trx, [...batch.marks, ...marks]);
  return [...refused, ...withoutTerms];
}

/**
 * Stores the batches' copies one after another, in the order written, each in a transaction of
 * its own on the writer's connection. After a failure nothing more is stored (the rows wait for
 * the next import), and `room` and `drain` throw it.
 */
export class CopyWriter {
  private chain: Promise<void> = Promise.resolve();
  private waiting = 0;
  private failure: { error: unknown } | null = null;
  private spaceMade: (() => void) | null = null;

  private constructor(
    /** Whose lock marks the rows as this live run's. */
    readonly runToken: string,
    private readonly conn: repo.CatalogDb,
    private readonly release: () => Promise<void>,
    private readonly onRefused: (trx: repo.CatalogDb, refused: Refusal[], batch: PendingCopies) => Promise<void>,
  ) {}

  /**
   * Opens a writer on a connection of its own (held until `close`), with the run's lock.
   * `onRefused` is called in the batch's transaction with the records stored without their copies or terms.
   */
  static async open(
    db: repo.CatalogDb,
    onRefused: (trx: repo.CatalogDb, refused: Refusal[], batch: PendingCopies) => Promise<void>,
  ): Promise<CopyWriter> {
    const runToken = uuidV7();
    let closing!: () => void;
    const closed = new Promise<void>((resolve) => (closing = resolve));
    let held!: Promise<void>;
    const conn = await new Promise<repo.CatalogDb>((resolve, reject) => {
      held = db.connection().execute(async (conn) => {
        await repo.holdCopiesLock(conn, runToken);
        resolve(conn);
        await closed;
        // A connection that broke has lost the lock with its session.
        await repo.releaseCopiesLock(conn, runToken).catch(() => {});
      });
      held.catch(reject);
    });
    return new CopyWriter(
      runToken,
      conn,
      async () => {
        closing();
        await held.catch(() => {});
      },
      onRefused,
    );
  }

  /** Queues a batch whose records (and pending row) have committed. */
  write(batch: PendingCopies): void {
    this.waiting++;
    this.chain = this.chain.then(async () => {
      try {
        if (!this.failure) await this.store(batch);
      } catch (error) {
        this.failure = { error };
      } finally {
        this.waiting--;
        this.spaceMade?.();
      }
    });
  }

  /** Resolves once at most one batch waits behind the one being stored: memory stays bounded. */
  async room(): Promise<void> {
    while (this.waiting > 1 && !this.failure) {
      await new Promise<void>((resolve) => (this.spaceMade = resolve));
      this.spaceMade = null;
    }
    this.throwFailure();
  }

  /** Resolves once every batch written is stored. */
  async drain(): Promise<void> {
    await this.chain;
    this.throwFailure();
  }

  /** Waits for the batches written, then gives the connection back (and the lock with it). */
  async close(): Promise<void> {
    await this.chain;
    await this.release();
  }

  private throwFailure(): void {
    if (this.failure) throw this.failure.error;
  }

  private async store(batch: PendingCopies): Promise<void> {
    await this.conn.transaction().execute(async (trx) => {
      await repo.bulkTransaction(trx);
      if (!(await repo.dropPendingCopies(trx, batch.id))) return;
      const refused = await storePending(trx, batch);
      if (refused.length) await this.onRefused(trx, refused, batch);
    });
  }
}

/**
 * Stores the copies that imports whose process ended left pending, run by run in the order they
 * were written. A run whose process is alive (it holds the run's lock) is left to it.
 */
export async function storeAbandonedCopies(ctx: AppContext): Promise<void> {
  const db = repo.catalogDb(ctx.db);
  for (const runToken of await repo.pendingCopyRuns(db)) {
    await db.transaction().execute(async (trx) => {
      const ids = await repo.claimCopyRun(trx, runToken);
      if (!ids) return;
      await repo.bulkTransaction(trx);
      for (const id of ids) {
        const batch = await repo.takePendingCopies(trx, id);
        if (!batch) continue;
        for (const r of await storePending(trx, batch)) {
          ctx.logger.warn(
            { recordId: r.recordId, reason: r.reason },
            'catalog import: a record left pending is stored without what the database refused',
          );
        }
      }
    });
  }
}
