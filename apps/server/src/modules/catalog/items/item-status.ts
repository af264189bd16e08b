import { ITEM_STATUSES, type ItemStatus } from '@athenaeum/contracts';
import type { AnyDb } from '../../../platform/db/database.js';
import * as repo from './item-status.repository.js';

/** The statuses a copy can be in (catalog_items.status), as the contracts list them. */
export { ITEM_STATUSES, type ItemStatus };

/** A copy read under a row lock (select … for update) for the rest of the transaction. */
export interface LockedItem {
  id: string;
  libraryId: string;
  /** The branch that owns the copy (where it goes home to); null for a library without branches. */
  homeBranchId: string | null;
  status: ItemStatus;
  itemType: string;
  barcode: string;
  recordId: string;
  workId: string;
  /** The edition's title and first author, for the desk's answer. */
  title: string | null;
  author: string | null;
}

const present = (row: repo.ItemRow): LockedItem => ({
  id: row.id,
  libraryId: row.library_id,
  homeBranchId: row.home_branch_id,
  status: row.status as ItemStatus,
  itemType: row.item_type,
  barcode: row.barcode,
  recordId: row.record_id,
  workId: row.work_id,
  title: row.title,
  author: row.author,
});

/** Locks a library's copy by barcode for the transaction; undefined when the library has no such barcode. */
export async function lockItemByBarcode(
  tx: AnyDb,
  libraryId: string,
  barcode: string,
): Promise<LockedItem | undefined> {
  const row = await repo.lockItemByBarcode(tx, libraryId, barcode);
  return row && present(row);
}

/** Locks a copy by id for the transaction. */
export async function lockItem(tx: AnyDb, itemId: string): Promise<LockedItem | undefined> {
  const row = await repo.lockItem(tx, itemId);
  return row && present(row);
}

/** Which copies of a barcode: of one library, of some libraries, with some statuses. */
export interface BarcodeFilter {
  libraryId?: string;
  libraryIds?: readonly string[];
  statuses?: readonly ItemStatus[];
}

/**
 * The copies with a barcode (a barcode is unique only within one library), in the libraries and
 * statuses asked for; at most 50 when no library, libraries or statuses are given (a status
 * filter is for rare statuses: copies in transit have an index of their own, migration 0025).
 */
export async function findItemsByBarcode(
  db: AnyDb,
  barcode: string,
  where: BarcodeFilter = {},
): Promise<Array<{ id: string; libraryId: string }>> {
  return (await repo.itemIdsByBarcode(db, barcode, where)).map((r) => ({ id: r.id, libraryId: r.library_id }));
}

export interface StatusChange {
  actorId: string | null;
  /** Why, in a word or a sentence: 'check-out', 'check-in', 'quarantine ended', a staff note … */
  reason: string;
  /** The branch concerned: where it was checked in, or where it is going. */
  branchId?: string | null;
  /** Until when the status holds (quarantine, hold shelf). */
  until?: Date | null;
  at?: Date;
}

/**
 * Sets a copy's status and records the change (who, when, from, to, why) in the same
 * transaction. Lock the item first (lockItem/lockItemByBarcode). The works' "available at"
 * libraries follow.
 */
export async function changeItemStatus(
  tx: AnyDb,
  item: LockedItem,
  status: ItemStatus,
  change: StatusChange,
): Promise<LockedItem> {
  if (!ITEM_STATUSES.includes(status)) {
    // A programming error, not a request's: callers pass a status from this list.
    throw new Error(`"${status}" is not an item status`);
  }
  await repo.setStatus(
    tx,
    { id: item.id, library_id: item.libraryId, work_id: item.workId, from: item.status, to: status },
    {
      actorId: change.actorId,
      reason: change.reason,
      branchId: change.branchId ?? null,
      until: change.until ?? null,
      at: change.at ?? new Date(),
    },
  );
  return { ...item, status };
}

/** One recorded status change of a copy. */
export interface ItemStatusEvent {
  from: string;
  to: string;
  reason: string;
  branchId: string | null;
  until: string | null;
  actorId: string | null;
  at: string;
}

/** A copy's status changes, newest first. */
export async function itemStatusHistory(db: AnyDb, itemId: string, limit = 200): Promise<ItemStatusEvent[]> {
  return (await repo.statusHistory(db, itemId, limit)).map((r) => ({
    from: r.from_status,
    to: r.to_status,
    reason: r.reason,
    branchId: r.branch_id,
    until: r.until ? new Date(r.until).toISOString() : null,
    actorId: r.actor_id,
    at: new Date(r.changed_at).toISOString(),
  }));
}

/** What a desk or a patron's list shows of a copy: barcode, title, first author, home branch, status. */
export interface ItemSummary {
  id: string;
  libraryId: string;
  barcode: string;
  title: string | null;
  author: string | null;
  homeBranchId: string | null;
  status: ItemStatus;
  itemType: string;
  workId: string;
}

/** Summaries of copies by id (missing ids are left out). */
export async function describeItems(db: AnyDb, ids: string[]): Promise<Map<string, ItemSummary>> {
  const rows = await repo.itemSummaries(db, [...new Set(ids)]);
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        libraryId: r.library_id,
        barcode: r.barcode,
        title: r.title,
        author: r.author,
        homeBranchId: r.home_branch_id,
        status: r.status as ItemStatus,
        itemType: r.item_type,
        workId: r.work_id,
      },
    ]),
  );
}
