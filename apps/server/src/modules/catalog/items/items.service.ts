import {
  ITEM_CHANGE_REASONS,
  type CataloguingItem,
  type ItemCreate,
  type ItemExpected,
  type ItemPatch,
  type ItemStatus,
} from '@athenaeum/contracts';
import type { Principal } from '../../../platform/auth/principal.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { AppContext } from '../../../platform/context/context.js';
import { AppError } from '../../../platform/errors.js';
import { branchesOf } from '../../accounts/index.js';
import { CatalogErrors } from '../catalog.errors.js';
import { catalogDb, refreshWorks, type CatalogDb } from '../catalog.repository.js';
import * as recordsRepo from '../cataloguing/cataloguing.repository.js';
import { presentItem } from '../cataloguing/record-editing.service.js';
import { requireCatalogueStaff } from '../cataloguing/staff.js';
import { changeItemStatus, lockItem } from './item-status.js';
import * as repo from './items.repository.js';

// Statuses that mean a patron or a transfer depends on the copy: only circulation sets and clears them.
const CIRCULATING: readonly string[] = ['on_loan', 'in_transit', 'on_hold_shelf'];

async function checkBranch(ctx: AppContext, libraryId: string, branchId: string | null | undefined): Promise<void> {
  if (!branchId) return;
  const branches = await branchesOf(ctx, libraryId);
  if (![...branches.values()].includes(branchId)) {
    throw new AppError(
      CatalogErrors.CATALOG_ITEM_BRANCH_INVALID,
      `The branch ${branchId} is not a branch of the item's library.`,
      { branchId },
    );
  }
}

function checkStatus(status: ItemStatus | undefined): void {
  if (status && CIRCULATING.includes(status)) {
    throw new AppError(
      CatalogErrors.CATALOG_ITEM_STATUS_RESERVED,
      `The status "${status}" is set by circulation (check-out, transfer, hold); it cannot be set here.`,
      { itemStatus: status },
    );
  }
}

/** Runs a write; the database's unique barcode constraint answers a taken barcode, even between two racing requests. */
async function guardBarcode<T>(barcode: string | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const e = error as { code?: string; constraint?: string };
    if (e.code === '23505' && e.constraint === repo.BARCODE_CONSTRAINT) {
      throw new AppError(
        CatalogErrors.CATALOG_ITEM_BARCODE_TAKEN,
        `The barcode ${barcode ?? ''} is already used by another item of this library.`,
        { barcode },
      );
    }
    throw error;
  }
}

async function itemOfLibrary(ctx: AppContext, principal: Principal, id: string) {
  const item = await repo.findItem(catalogDb(ctx.db), id);
  if (!item) throw new AppError(CatalogErrors.CATALOG_ITEM_NOT_FOUND, `There is no item with id ${id}.`);
  await requireCatalogueStaff(ctx, principal, item.organization_id, 'change this item');
  return item;
}

// The details a client may say it read (ItemPatch.expected), with their columns.
const EXPECTABLE = {
  barcode: 'barcode',
  branchId: 'branch_id',
  callNumber: 'call_number',
  location: 'location',
  itemType: 'item_type',
  status: 'status',
  notes: 'notes',
} as const satisfies Record<keyof ItemExpected, keyof repo.ItemRow>;

/**
 * Refuses a change made from details someone has changed since the client read them (409, naming
 * them, with the item as it is now). Call under the item's row lock.
 *
 * Why the details themselves and not the item's updated_at (there is no version column):
 * circulation sets updated_at on every status change (check-out, check-in, transfer), so at a
 * busy desk a version check would refuse a call-number fix whenever the copy went out or came
 * back meanwhile. Only what the client read and would write back is compared; the status is
 * compared only when the client sends it (the dialog does when it changes the status).
 */
function refuseIfChanged(row: repo.ItemRow, expected: ItemExpected): void {
  const changed = (Object.keys(EXPECTABLE) as Array<keyof ItemExpected>).filter(
    (key) => expected[key] !== undefined && expected[key] !== row[EXPECTABLE[key]],
  );
  if (changed.length === 0) return;
  throw new AppError(
    CatalogErrors.CATALOG_ITEM_CHANGED,
    `Someone else changed this item (${changed.join(', ')}) after you read it; reload it to see their changes, then make yours again.`,
    { changed, current: presentItem(row) },
  );
}

async function reread(db: CatalogDb, id: string): Promise<CataloguingItem> {
  return presentItem((await repo.findItem(db, id))!);
}

/** Adds a copy of a record to the record's library (its staff only). */
export async function addItem(
  ctx: AppContext,
  principal: Principal,
  recordId: string,
  input: ItemCreate,
): Promise<CataloguingItem> {
  const db = catalogDb(ctx.db);
  const record = await recordsRepo.findRecord(db, recordId);
  if (!record) throw new AppError(CatalogErrors.CATALOG_RECORD_NOT_FOUND, `There is no record with id ${recordId}.`);
  if (record.deleted_at)
    throw new AppError(CatalogErrors.CATALOG_RECORD_DELETED, `The record ${recordId} was deleted.`);
  await requireCatalogueStaff(ctx, principal, record.organization_id, 'add items to this record');
  await checkBranch(ctx, record.organization_id, input.branchId);
  checkStatus(input.status);
  const row = await guardBarcode(input.barcode, () =>
    db.transaction().execute(async (trx) => {
      const inserted = await repo.insertItem(trx, {
        ...input,
        organizationId: record.organization_id,
        recordId,
        status: input.status ?? 'available',
      });
      // The work's "available at" libraries count this copy.
      await refreshWorks(trx, [record.work_id], { rekey: [] });
      await recordAudit(trx, {
        organizationId: record.organization_id,
        actorId: principal.personId,
        action: 'catalog.item.created',
        subject: { itemId: inserted.id, recordId, barcode: inserted.barcode },
      });
      return inserted;
    }),
  );
  return presentItem(row);
}

/**
 * Changes a copy's details; a new status goes through changeItemStatus (recorded in the item's
 * status history with who and when). Statuses circulation owns are refused, and so is any status
 * change of a copy circulation holds (on loan, in transit, on the hold shelf); its other details
 * may still change. With `expected`, the details the client read, it is refused (409
 * CATALOG_ITEM_CHANGED, nothing changed) when someone changed one of them meanwhile.
 */
export async function updateItem(
  ctx: AppContext,
  principal: Principal,
  id: string,
  patch: ItemPatch,
): Promise<CataloguingItem> {
  const db = catalogDb(ctx.db);
  const item = await itemOfLibrary(ctx, principal, id);
  await checkBranch(ctx, item.organization_id, patch.branchId);
  await guardBarcode(patch.barcode, () =>
    db.transaction().execute(async (trx) => {
      const locked = await lockItem(trx, id);
      if (!locked) throw new AppError(CatalogErrors.CATALOG_ITEM_NOT_FOUND, `There is no item with id ${id}.`);
      const { status, expected, ...fields } = patch;
      // Under the lock: of two saves made from the same details, the second sees the first's changes.
      // (Optional for API clients that set a field blindly; the item dialog always sends it.)
      if (expected) refuseIfChanged((await repo.findItem(trx, id))!, expected);
      // The status a copy has may be sent back unchanged (a dialog saving its other details).
      if (status !== locked.status) checkStatus(status);
      // A patron's loan or hold, or a transfer, depends on the copy: circulation ends it (check-in,
      // receipt, pick-up), not cataloguing; checked under the row lock circulation takes too.
      if (status && status !== locked.status && CIRCULATING.includes(locked.status)) {
        throw new AppError(
          CatalogErrors.CATALOG_ITEM_IN_CIRCULATION,
          `The item ${locked.barcode} is ${locked.status.replace(/_/g, ' ')}; its status changes when circulation is done with it.`,
          { barcode: locked.barcode, itemStatus: locked.status },
        );
      }
      await repo.updateItem(trx, id, fields);
      if (status && status !== locked.status) {
        await changeItemStatus(trx, locked, status, {
          actorId: principal.personId,
          reason: ITEM_CHANGE_REASONS.catalogued,
        });
      }
      await recordAudit(trx, {
        organizationId: item.organization_id,
        actorId: principal.personId,
        action: 'catalog.item.updated',
        subject: { itemId: id, recordId: item.record_id, changes: { ...fields, ...(status && { status }) } },
      });
    }),
  );
  return reread(db, id);
}

/** Removes a copy (and its status history); refused while it is on loan, in transit or on the hold shelf. */
export async function removeItem(ctx: AppContext, principal: Principal, id: string): Promise<void> {
  const db = catalogDb(ctx.db);
  const item = await itemOfLibrary(ctx, principal, id);
  await db.transaction().execute(async (trx) => {
    // Locked as circulation locks it, so a check-out cannot slip in between the check and the delete.
    const locked = await lockItem(trx, id);
    if (!locked) throw new AppError(CatalogErrors.CATALOG_ITEM_NOT_FOUND, `There is no item with id ${id}.`);
    if (CIRCULATING.includes(locked.status)) {
      throw new AppError(
        CatalogErrors.CATALOG_ITEM_IN_CIRCULATION,
        `The item ${locked.barcode} is ${locked.status.replace(/_/g, ' ')}; it can be deleted once it is back.`,
        { barcode: locked.barcode, itemStatus: locked.status },
      );
    }
    await repo.deleteItem(trx, id);
    await refreshWorks(trx, [locked.workId], { rekey: [] });
    await recordAudit(trx, {
      organizationId: item.organization_id,
      actorId: principal.personId,
      action: 'catalog.item.deleted',
      subject: { itemId: id, recordId: item.record_id, barcode: item.barcode },
    });
  });
}
