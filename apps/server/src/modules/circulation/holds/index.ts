// replaced by the holds implementation
// The holds part of the circulation module, as the desk (check-out, check-in, renewal,
// quarantine release) calls it. Until holds exist, no hold ever blocks or claims an item.
import type { AnyDb } from '../../../platform/db/database.js';
import type { LockedItem } from '../../catalog/index.js';

/** The loan fields a renewal check needs. */
export interface RenewableLoan {
  id: string;
  itemId: string;
  patronId: string | null;
  libraryId: string;
}

/** True when the item is trapped or reserved for a patron other than `patronId`. */
export async function holdBlocksCheckout(_tx: AnyDb, _itemId: string, _patronId: string): Promise<boolean> {
  return false;
}

/** True when a hold waits that this loan's item could fill (renewal then refused where the rule says so). */
export async function holdBlocksRenewal(_tx: AnyDb, _loan: RenewableLoan): Promise<boolean> {
  return false;
}

/**
 * Called when a returned item becomes available (check-in, or the end of its quarantine): a hold it
 * fills, with the pickup branch, or null. The caller then puts it on the hold shelf or in transit.
 */
export async function trapReturnedItem(
  _tx: AnyDb,
  _item: LockedItem,
  _atBranchId: string,
  _now: Date,
): Promise<{ holdId: string; pickupBranchId: string } | null> {
  return null;
}

/** Called by check-out: the patron borrows an item trapped for them, so their hold is fulfilled. */
export async function fulfilHoldOnCheckout(_tx: AnyDb, _itemId: string, _patronId: string): Promise<void> {}
