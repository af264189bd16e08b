// Holds: placing, cancelling, suspending, moving the pickup; the queue served when a copy comes
// free (trapReturnedItem, called by check-in and by the end of quarantine); the pickup window
// and its expiry; staff lists. A copy fills at most one hold: the partial unique index
// circulation_holds_one_trap, and every trap is taken with the copy's row locked.
import { ITEM_CHANGE_REASONS } from '@athenaeum/contracts';
import { branchesOf, getOrganization } from '../../accounts/index.js';
import { changeItemStatus, lockItem, type LockedItem } from '../../catalog/index.js';
import type { AppContext } from '../../../platform/context/context.js';
import type { AnyDb } from '../../../platform/db/database.js';
import { AppError } from '../../../platform/errors.js';
import { enqueueJob } from '../../../platform/jobs/queue.js';
import { ensureSweep, queueNotice } from '../notifications/notify.js';
import { dayOf } from '../pickup/pickup.repository.js';
import { circulationDb } from '../circulation.repository.js';
import { branchTimeZones, dueAt } from '../rules.service.js';
import * as catalogReads from './copies.js';
import { rankCopies } from './hold-queue.js';
import { HoldsErrors } from './holds.errors.js';
import * as repo from './holds.repository.js';
import { TRAPPED_STATUSES, type HoldStatus } from './holds.tables.js';

export const HOLD_EXPIRE_QUEUE = 'circulation.holds.expire';

/** The inter-library loan steps during which the lent copy is spoken for. */
const ILL_HOLDS_COPY = ['approved', 'shipped', 'received', 'on_loan', 'returned', 'shipped_back'] as const;

export interface HoldView {
  id: string;
  patronId: string;
  libraryId: string;
  level: 'title' | 'item';
  workId: string;
  itemId: string | null;
  recordIds: string[] | null;
  title: string | null;
  author: string | null;
  pickupBranchId: string;
  status: HoldStatus;
  suspendedUntil: string | null;
  trappedItemId: string | null;
  trappedLibraryId: string | null;
  readyAt: string | null;
  expiresAt: string | null;
  pickupTimeZone: string;
  placedAt: string;
  closedAt: string | null;
  cancelReason: string | null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export async function presentHolds(db: AnyDb, rows: repo.HoldRow[]): Promise<HoldView[]> {
  const [titles, zones] = await Promise.all([
    catalogReads.workTitles(
      db,
      rows.map((r) => r.work_id),
    ),
    branchTimeZones(
      db,
      rows.map((r) => r.pickup_branch_id),
    ),
  ]);
  return rows.map((r) => ({
    id: r.id,
    // Presented holds are open, awaiting clearing, kept in a reading history, or the row as it was
    // just before it was closed (cancel, clear): all still have their patron.
    patronId: r.patron_id!,
    libraryId: r.organization_id,
    level: r.level,
    workId: r.work_id,
    itemId: r.item_id,
    recordIds: r.record_ids,
    title: titles.get(r.work_id)?.title ?? null,
    author: titles.get(r.work_id)?.author ?? null,
    pickupBranchId: r.pickup_branch_id,
    status: r.status,
    suspendedUntil: iso(r.suspended_until),
    trappedItemId: r.trapped_item_id,
    trappedLibraryId: r.trapped_library_id,
    readyAt: iso(r.ready_at),
    expiresAt: iso(r.expires_at),
    pickupTimeZone: zones.get(r.pickup_branch_id)!,
    placedAt: iso(r.placed_at)!,
    closedAt: iso(r.closed_at),
    cancelReason: r.cancel_reason,
  }));
}

/** The pickup points of a library: its branches, or the library itself when it has none. */
export async function pickupPointsOf(ctx: AppContext, libraryId: string): Promise<string[]> {
  const branches = [...(await branchesOf(ctx, libraryId)).values()];
  return branches.length ? branches : [libraryId];
}

/** A library and the other libraries of the associations it belongs to: where its patrons' holds may be filled. */
export async function networkOf(ctx: AppContext, libraryId: string): Promise<string[]> {
  const library = await getOrganization(ctx, libraryId);
  const ids = new Set([libraryId]);
  const groups = await Promise.all(library.memberOf.map((g) => getOrganization(ctx, g.id)));
  for (const group of groups) for (const m of group.members) if (m.kind === 'library') ids.add(m.id);
  return [...ids];
}

export interface PlaceHold {
  patronId: string;
  workId?: string | undefined;
  itemId?: string | undefined;
  recordIds?: string[] | undefined;
  pickupBranchId: string;
  actorId: string | null;
}

/**
 * Places a hold for a patron. When a free copy exists in the patron's network, the best one
 * (pickup branch, then library, then network) is set aside at once (status `pull`); otherwise
 * the hold waits in the queue.
 */
export async function placeHold(ctx: AppContext, input: PlaceHold): Promise<HoldView> {
  const now = ctx.clock.now();
  const db = repo.holdsDb(ctx.db);
  const patron = await repo.findPatron(db, input.patronId);
  if (!patron) throw new AppError(HoldsErrors.CIRCULATION_HOLD_NOT_ALLOWED, 'There is no such patron.');
  const pickups = await pickupPointsOf(ctx, patron.organization_id);
  if (!pickups.includes(input.pickupBranchId)) {
    throw new AppError(HoldsErrors.CIRCULATION_HOLD_BAD_PICKUP, "Choose a pickup branch of the patron's own library.", {
      pickupBranchIds: pickups,
    });
  }
  if (!input.workId === !input.itemId) {
    throw new AppError(
      HoldsErrors.CIRCULATION_HOLD_TARGET_NOT_FOUND,
      'Name either a work (workId) or a copy (itemId).',
    );
  }
  const network = await networkOf(ctx, patron.organization_id);
  let workId = input.workId ?? null;
  if (input.itemId) {
    const copy = await catalogReads.copyById(db, input.itemId);
    if (!copy || !network.includes(copy.library_id)) {
      throw new AppError(HoldsErrors.CIRCULATION_HOLD_TARGET_NOT_FOUND, 'There is no such copy in your network.');
    }
    workId = copy.work_id;
  } else if (!(await catalogReads.workTitles(db, [workId!])).has(workId!)) {
    throw new AppError(HoldsErrors.CIRCULATION_HOLD_TARGET_NOT_FOUND, 'There is no such work.');
  }

  const row = await withRetry(() =>
    ctx.db.transaction().execute(async (trx) => {
      const tx = repo.holdsDb(trx);
      // The patron row lock serializes one patron's placements, so the limit below holds.
      const locked = await repo.lockPatron(tx, patron.id);
      if (!locked || locked.status !== 'active') {
        throw new AppError(HoldsErrors.CIRCULATION_HOLD_NOT_ALLOWED, "The patron's membership is not active.");
      }
      if (dayOf(locked.expires_on) < now.toISOString().slice(0, 10)) {
        throw new AppError(HoldsErrors.CIRCULATION_HOLD_NOT_ALLOWED, "The patron's membership has expired.");
      }
      if (await repo.hasOpenBlock(tx, patron.id)) {
        throw new AppError(HoldsErrors.CIRCULATION_HOLD_NOT_ALLOWED, 'The patron is blocked.');
      }
      const allowed = (await repo.holdsAllowed(tx, patron.organization_id, patron.category)) ?? 20;
      const open = await repo.countOpenHolds(tx, patron.id);
      if (open >= allowed) {
        throw new AppError(
          HoldsErrors.CIRCULATION_HOLD_LIMIT_REACHED,
          `The patron has ${open} open holds; the rule allows ${allowed}.`,
          { open, allowed },
        );
      }
      const hold = await repo.insertHold(tx, {
        organization_id: patron.organization_id,
        patron_id: patron.id,
        level: input.itemId ? 'item' : 'title',
        work_id: workId!,
        item_id: input.itemId ?? null,
        record_ids: input.itemId ? null : input.recordIds?.length ? input.recordIds : null,
        source_library_ids: network,
        pickup_branch_id: input.pickupBranchId,
        placed_at: now,
        placed_by: input.actorId,
      });
      if (!hold) {
        throw new AppError(HoldsErrors.CIRCULATION_HOLD_EXISTS, 'The patron already has an open hold on this work.');
      }
      await ensureSweep(tx, now);
      return (await assignFreeCopy(tx, hold, now)) ?? hold;
    }),
  );
  return (await presentHolds(ctx.db, [row]))[0]!;
}

/** Runs a transaction again when PostgreSQL chose it as a deadlock victim or a serialization loser. */
async function withRetry<T>(run: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= attempts || (code !== '40P01' && code !== '40001')) throw error;
    }
  }
}

/**
 * Sets aside the best free copy for a waiting hold (status `pull`), or returns undefined. The copy
 * is locked and checked again under the lock: a concurrent placement or check-out that took it
 * first wins, and this hold keeps waiting.
 */
async function assignFreeCopy(tx: repo.HoldsDb, hold: repo.HoldRow, now: Date): Promise<repo.HoldRow | undefined> {
  if (hold.suspended_until && hold.suspended_until > now) return undefined;
  const copies = await catalogReads.freeCopies(tx, {
    workId: hold.work_id,
    itemId: hold.item_id,
    recordIds: hold.record_ids,
    libraryIds: hold.source_library_ids,
  });
  if (!copies.length) return undefined;
  const [best] = rankCopies(
    copies.map((c) => ({
      id: c.id,
      libraryId: c.library_id,
      branchId: c.branch_id,
      workId: c.work_id,
      recordId: c.record_id,
    })),
    { branchId: hold.pickup_branch_id, libraryId: hold.organization_id },
  );
  const item = await lockItem(tx, best!.id);
  if (!item || item.status !== 'available') return undefined;
  if (await repo.lockTrapOf(tx, item.id)) return undefined;
  return repo.updateHold(tx, hold.id, {
    status: 'pull',
    trapped_item_id: item.id,
    trapped_library_id: item.libraryId,
    trapped_at: now,
  });
}

/** A copy that has become free (check-in, end of quarantine) and the hold it now fills. */
export interface Trap {
  holdId: string;
  pickupBranchId: string;
}

/**
 * Called with the copy locked when it becomes available at `atBranchId`: a hold that already
 * holds it (set aside, or in transit to this branch) or else the first hold in the queue takes
 * it. At its pickup branch the hold becomes ready (pickup window starts, the patron is told);
 * elsewhere it is in transit. Returns the hold and its pickup branch, or null when nobody waits.
 * The caller sets the copy's status: on the hold shelf when the pickup branch is `atBranchId`,
 * otherwise in transit to it.
 */
export async function trapReturnedItem(
  anyTx: AnyDb,
  item: Pick<LockedItem, 'id' | 'workId' | 'recordId' | 'libraryId'>,
  atBranchId: string,
  now: Date,
): Promise<Trap | null> {
  const tx = repo.holdsDb(anyTx);
  let hold = await repo.lockTrapOf(tx, item.id);
  if (!hold) {
    hold = await repo.lockNextInQueue(tx, item, now);
    if (!hold) return null;
    hold = await repo.updateHold(tx, hold.id, {
      status: 'in_transit',
      trapped_item_id: item.id,
      trapped_library_id: item.libraryId,
      trapped_at: now,
    });
  }
  if (hold.status === 'ready') return { holdId: hold.id, pickupBranchId: hold.pickup_branch_id };
  if (hold.pickup_branch_id === atBranchId) await makeReady(tx, hold, now);
  else if (hold.status !== 'in_transit') await repo.updateHold(tx, hold.id, { status: 'in_transit' });
  return { holdId: hold.id, pickupBranchId: hold.pickup_branch_id };
}

async function makeReady(tx: repo.HoldsDb, hold: repo.HoldRow, now: Date): Promise<repo.HoldRow> {
  const days = await repo.pickupWindowDays(tx, hold.organization_id);
  // Ready until closing time (the pickup branch's, local) on the window's last open day.
  const { at: expiresAt } = await dueAt(circulationDb(tx), hold.pickup_branch_id, now, days);
  const ready = await repo.updateHold(tx, hold.id, { status: 'ready', ready_at: now, expires_at: expiresAt });
  await enqueueJob(tx, HOLD_EXPIRE_QUEUE, { holdId: hold.id }, { runAt: expiresAt });
  await queueNotice(tx, 'hold_ready', hold.id);
  return ready;
}

/** Whether a copy is held for someone other than `patronId` (set aside, in transit or on the hold shelf, or lent between libraries). */
export async function holdBlocksCheckout(anyTx: AnyDb, itemId: string, patronId: string): Promise<boolean> {
  const claimant = await repo.claimantOfCopy(repo.holdsDb(anyTx), itemId, ILL_HOLDS_COPY);
  return claimant !== undefined && claimant.patron_id !== patronId;
}

/** Whether another patron's waiting hold could be filled by the loan's copy (renewal is then refused where the rule says so). */
export async function holdBlocksRenewal(
  anyTx: AnyDb,
  loan: { itemId: string; patronId: string | null },
  now: Date,
): Promise<boolean> {
  const tx = repo.holdsDb(anyTx);
  const copy = await catalogReads.copyById(tx, loan.itemId);
  if (!copy) return false;
  return repo.someoneWaitsFor(
    tx,
    { id: copy.id, workId: copy.work_id, recordId: copy.record_id, libraryId: copy.library_id },
    loan.patronId,
    now,
  );
}

/**
 * At check-out of a copy to a patron: the patron's open hold on its work (the one this copy was
 * trapped for, or a waiting one satisfied from the shelf) is fulfilled. Returns its id, or null.
 */
export async function fulfilHoldOnCheckout(
  anyTx: AnyDb,
  item: { id: string; workId: string },
  patronId: string,
  now: Date,
): Promise<string | null> {
  const tx = repo.holdsDb(anyTx);
  // Every loan needs its due-soon and overdue notices: keep the sweep queued.
  await ensureSweep(tx, now);
  const holds = await repo.lockHoldsAtCheckOut(tx, item, patronId);
  const trap = holds.find((h) => h.trapped_item_id === item.id && TRAPPED_STATUSES.includes(h.status));
  let hold = trap?.patron_id === patronId ? trap : undefined;
  if (!hold) {
    const own = holds.find((h) => h.patron_id === patronId && h.work_id === item.workId);
    // A hold holding another copy stays: that copy goes back to the queue when it is cleared.
    if (!own || (own.status !== 'waiting' && own.trapped_item_id !== item.id)) return null;
    hold = own;
  }
  await repo.updateHold(tx, hold.id, {
    status: 'fulfilled',
    closed_at: now,
    trapped_item_id: hold.trapped_item_id ?? item.id,
  });
  await tx
    .updateTable('circulation_pickup_bookings')
    .set({ cancelled_at: now })
    .where('hold_id', '=', hold.id)
    .where('cancelled_at', 'is', null)
    .where('starts_at', '>', now)
    .execute();
  // Like a loan that ends: the fulfilled hold forgets its patron unless they keep a reading history.
  await repo.forgetClosedHolds(tx, { holdId: hold.id });
  return hold.id;
}

// Patron and staff changes -------------------------------------------------------------------

async function lockOwnHold(tx: repo.HoldsDb, holdId: string, scope: HoldScope): Promise<repo.HoldRow> {
  const hold = await repo.lockHold(tx, holdId);
  if (!hold || !inScope(hold, scope))
    throw new AppError(HoldsErrors.CIRCULATION_HOLD_NOT_FOUND, 'There is no such hold.');
  return hold;
}

/** Whose holds a caller may touch: a patron's own (their patron ids) or a library's staff (its holds). */
export type HoldScope = { patronIds: string[] } | { libraryId: string };

function inScope(hold: repo.HoldRow, scope: HoldScope): boolean {
  return 'libraryId' in scope
    ? hold.organization_id === scope.libraryId
    : hold.patron_id !== null && scope.patronIds.includes(hold.patron_id);
}

/** Cancels an open hold. A copy set aside returns to the shelf; one on the hold shelf waits to be cleared by staff. */
export async function cancelHold(
  ctx: AppContext,
  holdId: string,
  scope: HoldScope,
  reason: string | null,
): Promise<HoldView> {
  const now = ctx.clock.now();
  const row = await ctx.db.transaction().execute(async (trx) => {
    const tx = repo.holdsDb(trx);
    const hold = await lockOwnHold(tx, holdId, scope);
    if (!['waiting', 'pull', 'in_transit', 'ready'].includes(hold.status)) {
      throw new AppError(HoldsErrors.CIRCULATION_HOLD_WRONG_STATUS, `The hold is already ${hold.status}.`);
    }
    await tx
      .updateTable('circulation_pickup_bookings')
      .set({ cancelled_at: now })
      .where('hold_id', '=', hold.id)
      .where('cancelled_at', 'is', null)
      .execute();
    const cancelled = await repo.updateHold(tx, hold.id, {
      status: 'cancelled',
      closed_at: now,
      cancel_reason: reason,
    });
    // Forgotten at once unless its copy waits on the hold shelf (then when staff clear it).
    await repo.forgetClosedHolds(tx, { holdId: hold.id });
    return cancelled;
  });
  return (await presentHolds(ctx.db, [row]))[0]!;
}

export interface ChangeHold {
  suspendedUntil?: Date | null | undefined;
  pickupBranchId?: string | undefined;
}

/**
 * Suspends a hold until a date (it keeps its place but is passed over meanwhile; a copy set aside
 * is released) or resumes it (null); moves the pickup branch while no copy is on its way.
 */
export async function changeHold(
  ctx: AppContext,
  holdId: string,
  scope: HoldScope,
  change: ChangeHold,
): Promise<HoldView> {
  const now = ctx.clock.now();
  // Read outside the transaction: the embedded database serves one connection at a time.
  const before = await repo.findHold(repo.holdsDb(ctx.db), holdId);
  const pickups =
    before && change.pickupBranchId !== undefined ? await pickupPointsOf(ctx, before.organization_id) : [];
  const row = await ctx.db.transaction().execute(async (trx) => {
    const tx = repo.holdsDb(trx);
    let hold = await lockOwnHold(tx, holdId, scope);
    if (hold.status !== 'waiting' && hold.status !== 'pull') {
      throw new AppError(
        HoldsErrors.CIRCULATION_HOLD_WRONG_STATUS,
        hold.status === 'ready' || hold.status === 'in_transit'
          ? 'A copy is already on its way or waiting for this hold; it can only be collected or cancelled.'
          : `The hold is ${hold.status}.`,
      );
    }
    const set: Partial<repo.HoldRow> = {};
    if (change.pickupBranchId !== undefined && change.pickupBranchId !== hold.pickup_branch_id) {
      if (!pickups.includes(change.pickupBranchId)) {
        throw new AppError(
          HoldsErrors.CIRCULATION_HOLD_BAD_PICKUP,
          "Choose a pickup branch of the patron's own library.",
          {
            pickupBranchIds: pickups,
          },
        );
      }
      set.pickup_branch_id = change.pickupBranchId;
    }
    if (change.suspendedUntil !== undefined) {
      if (change.suspendedUntil !== null && change.suspendedUntil <= now) {
        throw new AppError(HoldsErrors.CIRCULATION_HOLD_BAD_DATE, 'Suspend until a date in the future.');
      }
      set.suspended_until = change.suspendedUntil;
      if (change.suspendedUntil !== null && hold.status === 'pull') {
        Object.assign(set, { status: 'waiting', trapped_item_id: null, trapped_library_id: null, trapped_at: null });
      }
    }
    hold = Object.keys(set).length ? await repo.updateHold(tx, hold.id, set) : hold;
    if (hold.status === 'waiting') hold = (await assignFreeCopy(tx, hold, now)) ?? hold;
    return hold;
  });
  return (await presentHolds(ctx.db, [row]))[0]!;
}

/**
 * Staff mark a copy set aside for a hold as taken off the shelf (or an arrived copy as on the
 * hold shelf): at the pickup branch the hold becomes ready; elsewhere the copy goes in transit.
 */
export async function pullHold(
  ctx: AppContext,
  holdId: string,
  libraryId: string,
  atBranchId: string,
  actorId: string | null,
) {
  const now = ctx.clock.now();
  const row = await ctx.db.transaction().execute(async (trx) => {
    const tx = repo.holdsDb(trx);
    const found = await repo.findHold(tx, holdId);
    if (
      !found ||
      !found.trapped_item_id ||
      (found.trapped_library_id !== libraryId && found.organization_id !== libraryId)
    ) {
      throw new AppError(HoldsErrors.CIRCULATION_HOLD_NOT_FOUND, 'There is no such hold with a copy at this library.');
    }
    const item = await lockItem(tx, found.trapped_item_id);
    const hold = await repo.lockHold(tx, holdId);
    if (!item || !hold || (hold.status !== 'pull' && hold.status !== 'in_transit')) {
      throw new AppError(HoldsErrors.CIRCULATION_HOLD_WRONG_STATUS, 'The hold has no copy to pull or to receive.');
    }
    const trap = await trapReturnedItem(tx, item, atBranchId, now);
    const toShelf = trap?.pickupBranchId === atBranchId;
    await changeItemStatus(tx, item, toShelf ? 'on_hold_shelf' : 'in_transit', {
      actorId,
      reason: toShelf ? ITEM_CHANGE_REASONS.holdReady : ITEM_CHANGE_REASONS.holdInTransit,
      branchId: trap?.pickupBranchId ?? null,
      at: now,
    });
    return repo.findHold(tx, holdId);
  });
  return (await presentHolds(ctx.db, [row!]))[0]!;
}

/**
 * Ends a ready hold whose pickup window has passed (by the app clock). Its copy serves the next
 * hold at once when that hold's pickup is the same branch; otherwise it waits for staff to clear.
 * Returns whether the hold expired.
 */
export async function expireHold(ctx: AppContext, holdId: string): Promise<'expired' | 'not_yet' | 'gone'> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const tx = repo.holdsDb(trx);
    const found = await repo.findHold(tx, holdId);
    if (!found || found.status !== 'ready' || !found.trapped_item_id) return 'gone';
    if (found.expires_at! > now) return 'not_yet';
    const item = await lockItem(tx, found.trapped_item_id);
    const hold = await repo.lockHold(tx, holdId);
    if (!hold || hold.status !== 'ready') return 'gone';
    await repo.updateHold(tx, hold.id, { status: 'expired', closed_at: now });
    if (item) {
      const next = await repo.lockNextInQueue(tx, item, now, hold.patron_id);
      if (next && next.pickup_branch_id === hold.pickup_branch_id) {
        await repo.updateHold(tx, hold.id, { cleared_at: now });
        const trapped = await repo.updateHold(tx, next.id, {
          trapped_item_id: item.id,
          trapped_library_id: item.libraryId,
          trapped_at: now,
        });
        await makeReady(tx, trapped, now);
      }
    }
    await repo.forgetClosedHolds(tx, { holdId: hold.id });
    return 'expired';
  });
}

/**
 * Staff take a copy of an expired or cancelled hold off the hold shelf: it serves the next hold
 * (ready here, or in transit to its pickup branch), else it is available again.
 */
export async function clearHold(
  ctx: AppContext,
  holdId: string,
  libraryId: string,
  actorId: string | null,
): Promise<HoldView> {
  const now = ctx.clock.now();
  const row = await ctx.db.transaction().execute(async (trx) => {
    const tx = repo.holdsDb(trx);
    const found = await repo.findHold(tx, holdId);
    if (!found || found.organization_id !== libraryId) {
      throw new AppError(HoldsErrors.CIRCULATION_HOLD_NOT_FOUND, 'There is no such hold at this library.');
    }
    if (
      !['expired', 'cancelled'].includes(found.status) ||
      !found.ready_at ||
      found.cleared_at ||
      !found.trapped_item_id
    ) {
      throw new AppError(
        HoldsErrors.CIRCULATION_HOLD_WRONG_STATUS,
        'Only an expired or cancelled hold with a copy on the hold shelf is cleared.',
      );
    }
    const item = await lockItem(tx, found.trapped_item_id);
    const hold = await repo.updateHold(tx, holdId, { cleared_at: now });
    if (item && item.status === 'on_hold_shelf' && !(await repo.lockTrapOf(tx, item.id))) {
      const trap = await trapReturnedItem(tx, item, hold.pickup_branch_id, now);
      const status = trap
        ? trap.pickupBranchId === hold.pickup_branch_id
          ? 'on_hold_shelf'
          : 'in_transit'
        : 'available';
      if (status !== item.status || trap) {
        await changeItemStatus(tx, item, status, {
          actorId,
          reason: trap ? ITEM_CHANGE_REASONS.nextHold : ITEM_CHANGE_REASONS.holdShelfCleared,
          branchId: trap?.pickupBranchId ?? hold.pickup_branch_id,
          at: now,
        });
      }
    }
    await repo.forgetClosedHolds(tx, { holdId });
    return hold;
  });
  return (await presentHolds(ctx.db, [row]))[0]!;
}

/** Finds copies for waiting holds that came free without a check-in (new copies, a cancelled hold's copy). */
export async function assignWaitingHolds(ctx: AppContext, limit = 200): Promise<number> {
  const now = ctx.clock.now();
  const waiting = await repo.waitingHolds(repo.holdsDb(ctx.db), now, limit);
  let assigned = 0;
  for (const candidate of waiting) {
    const done = await withRetry(() =>
      ctx.db.transaction().execute(async (trx) => {
        const tx = repo.holdsDb(trx);
        const hold = await repo.lockHold(tx, candidate.id);
        if (!hold || hold.status !== 'waiting') return false;
        return (await assignFreeCopy(tx, hold, now)) !== undefined;
      }),
    );
    if (done) assigned++;
  }
  return assigned;
}

/** Expires every ready hold whose window has passed by the app clock (the sweep's part). */
export async function expireDueHolds(ctx: AppContext, limit = 500): Promise<number> {
  const due = await repo.dueExpiries(repo.holdsDb(ctx.db), ctx.clock.now(), limit);
  let expired = 0;
  for (const { id } of due) if ((await expireHold(ctx, id)) === 'expired') expired++;
  return expired;
}

export async function holdsOfPerson(ctx: AppContext, personId: string, open: boolean) {
  const db = repo.holdsDb(ctx.db);
  const patrons = await repo.patronsOfPerson(db, personId);
  return presentHolds(
    ctx.db,
    await repo.holdsOfPatrons(
      db,
      patrons.map((p) => p.id),
      open,
    ),
  );
}

export async function staffHoldList(
  ctx: AppContext,
  libraryId: string,
  list: repo.StaffList,
  page: { page: number; pageSize: number },
) {
  const { rows, total } = await repo.staffList(repo.holdsDb(ctx.db), libraryId, list, {
    limit: page.pageSize,
    offset: (page.page - 1) * page.pageSize,
  });
  return { items: await presentHolds(ctx.db, rows), page: page.page, pageSize: page.pageSize, total };
}
