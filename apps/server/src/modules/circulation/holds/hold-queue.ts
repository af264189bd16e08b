// The hold queue's rules as pure functions, so they can be read, documented and property-tested:
// which waiting hold a copy serves, and which copy serves a hold.

export interface QueuedHold {
  id: string;
  /** The patron's home library. */
  libraryId: string;
  level: 'title' | 'item';
  workId: string;
  itemId: string | null;
  /** Editions the patron accepts; null means any edition of the work. */
  recordIds: readonly string[] | null;
  placedAt: Date;
  suspendedUntil: Date | null;
}

export interface CopyForHold {
  id: string;
  libraryId: string;
  branchId: string | null;
  workId: string;
  recordId: string;
}

/** Whether `copy` can fill `hold` at `now` (suspended holds wait). */
export function canFill(hold: QueuedHold, copy: CopyForHold, now: Date): boolean {
  if (hold.suspendedUntil && hold.suspendedUntil > now) return false;
  if (hold.level === 'item') return hold.itemId === copy.id;
  if (hold.workId !== copy.workId) return false;
  return hold.recordIds === null || hold.recordIds.includes(copy.recordId);
}

/**
 * The queue for a copy: holds it can fill, patrons of the copy's own library first, then
 * everyone else; within each group first come, first served (placed_at, then id).
 */
export function queueForCopy<H extends QueuedHold>(holds: readonly H[], copy: CopyForHold, now: Date): H[] {
  return holds
    .filter((hold) => canFill(hold, copy, now))
    .sort(
      (a, b) =>
        Number(a.libraryId !== copy.libraryId) - Number(b.libraryId !== copy.libraryId) ||
        a.placedAt.getTime() - b.placedAt.getTime() ||
        a.id.localeCompare(b.id),
    );
}

/** How near a copy is to a pickup branch: 0 same branch, 1 same library, 2 elsewhere in the network. */
export function copyDistance(copy: Pick<CopyForHold, 'libraryId' | 'branchId'>, pickup: PickupPoint): 0 | 1 | 2 {
  if (copy.branchId !== null && copy.branchId === pickup.branchId) return 0;
  if (copy.libraryId === pickup.libraryId) return 1;
  return 2;
}

export interface PickupPoint {
  branchId: string;
  libraryId: string;
}

/** Copies in the order a hold prefers them: same branch, then same library, then the network (then by id). */
export function rankCopies<C extends CopyForHold>(copies: readonly C[], pickup: PickupPoint): C[] {
  return [...copies].sort((a, b) => copyDistance(a, pickup) - copyDistance(b, pickup) || a.id.localeCompare(b.id));
}
