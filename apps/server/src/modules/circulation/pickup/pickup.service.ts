// Click-and-collect: branches publish weekly pickup slots with a capacity; a patron whose hold
// is ready books one occurrence before the pickup deadline. Capacity is kept under a row lock on
// the slot (select … for update), so concurrent bookings of the last place cannot both succeed.
import type { AppContext } from '../../../platform/context/context.js';
import { AppError } from '../../../platform/errors.js';
import { HoldsErrors } from '../holds/holds.errors.js';
import * as holdsRepo from '../holds/holds.repository.js';
import { pickupPointsOf, type HoldScope } from '../holds/holds.service.js';
import { branchTimeZone } from '../rules.service.js';
import { localDate } from '../time-zones.js';
import { checkBooking, occurrencesBetween, slotProblems, type RecurringSlot } from './pickup-slots.js';
import * as repo from './pickup.repository.js';

const hhmm = (time: string) => time.slice(0, 5);

export function presentSlot(row: repo.SlotRow) {
  return {
    id: row.id,
    libraryId: row.organization_id,
    branchId: row.branch_id,
    weekday: row.weekday,
    startTime: hhmm(row.start_time),
    endTime: hhmm(row.end_time),
    capacity: row.capacity,
  };
}

const recurring = (row: repo.SlotRow): RecurringSlot => ({
  id: row.id,
  weekday: row.weekday,
  startTime: hhmm(row.start_time),
  endTime: hhmm(row.end_time),
  capacity: row.capacity,
});

const presentBooking = (row: repo.BookingRow) => ({
  id: row.id,
  holdId: row.hold_id,
  slotId: row.slot_id,
  date: repo.dayOf(row.slot_date),
  startsAt: new Date(row.starts_at).toISOString(),
});

export async function createSlot(
  ctx: AppContext,
  libraryId: string,
  input: { branchId: string; weekday: number; startTime: string; endTime: string; capacity: number },
) {
  const problems = slotProblems(input);
  if (problems.length)
    throw new AppError(HoldsErrors.CIRCULATION_PICKUP_SLOT_INVALID, problems.join('; '), { problems });
  if (!(await pickupPointsOf(ctx, libraryId)).includes(input.branchId)) {
    throw new AppError(HoldsErrors.CIRCULATION_HOLD_BAD_PICKUP, 'The branch is not one of this library.');
  }
  const row = await repo.insertSlot(holdsRepo.holdsDb(ctx.db), {
    organization_id: libraryId,
    branch_id: input.branchId,
    weekday: input.weekday,
    start_time: input.startTime,
    end_time: input.endTime,
    capacity: input.capacity,
  });
  return presentSlot(row);
}

export async function listSlots(ctx: AppContext, libraryId: string) {
  return (await repo.slotsOfLibrary(holdsRepo.holdsDb(ctx.db), libraryId)).map(presentSlot);
}

export async function removeSlot(ctx: AppContext, libraryId: string, slotId: string): Promise<void> {
  if (!(await repo.deactivateSlot(holdsRepo.holdsDb(ctx.db), libraryId, slotId))) {
    throw new AppError(HoldsErrors.CIRCULATION_PICKUP_SLOT_NOT_FOUND, 'There is no such pickup slot at this library.');
  }
}

async function readyHold(db: holdsRepo.HoldsDb, holdId: string, scope: HoldScope, lock: boolean) {
  const hold = lock ? await holdsRepo.lockHold(db, holdId) : await holdsRepo.findHold(db, holdId);
  const mine =
    hold &&
    ('libraryId' in scope
      ? hold.organization_id === scope.libraryId
      : hold.patron_id !== null && scope.patronIds.includes(hold.patron_id));
  if (!hold || !mine) throw new AppError(HoldsErrors.CIRCULATION_HOLD_NOT_FOUND, 'There is no such hold.');
  if (hold.status !== 'ready' || !hold.expires_at) {
    throw new AppError(
      HoldsErrors.CIRCULATION_PICKUP_NOT_BOOKABLE,
      'A pickup time can be booked once the hold is ready.',
    );
  }
  return hold;
}

/** The pickup branch's slot occurrences from now to the hold's pickup deadline, with places taken. */
export async function slotsForHold(ctx: AppContext, holdId: string, scope: HoldScope) {
  const db = holdsRepo.holdsDb(ctx.db);
  const hold = await readyHold(db, holdId, scope, false);
  const now = ctx.clock.now();
  const [slots, timeZone] = await Promise.all([
    repo.slotsOfBranch(db, hold.pickup_branch_id),
    branchTimeZone(db, hold.pickup_branch_id),
  ]);
  const occurrences = occurrencesBetween(slots.map(recurring), now, hold.expires_at!, timeZone);
  const counts = await repo.bookingCounts(
    db,
    slots.map((s) => s.id),
    localDate(now, timeZone),
    localDate(hold.expires_at!, timeZone),
  );
  const booking = await repo.activeBookingOf(db, hold.id);
  return {
    occurrences: occurrences.map((o) => ({
      slotId: o.slotId,
      date: o.date,
      startsAt: o.startsAt.toISOString(),
      endsAt: o.endsAt.toISOString(),
      capacity: o.capacity,
      booked: counts.get(`${o.slotId}@${o.date}`) ?? 0,
    })),
    booking: booking ? presentBooking(booking) : null,
  };
}

/** Books (or moves) the hold's pickup to a slot occurrence; refused when the slot is full. */
export async function bookPickup(
  ctx: AppContext,
  holdId: string,
  scope: HoldScope,
  input: { slotId: string; date: string },
) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const db = holdsRepo.holdsDb(trx);
    const hold = await readyHold(db, holdId, scope, true);
    const slot = await repo.lockSlot(db, input.slotId);
    if (!slot || slot.branch_id !== hold.pickup_branch_id) {
      throw new AppError(
        HoldsErrors.CIRCULATION_PICKUP_SLOT_NOT_FOUND,
        "There is no such slot at the hold's pickup branch.",
      );
    }
    const timeZone = await branchTimeZone(db, hold.pickup_branch_id);
    const check = checkBooking(recurring(slot), input.date, now, hold.expires_at!, timeZone);
    if (!check.ok) {
      const why = {
        not_that_day: 'This slot is not held on that day.',
        past: 'This time has passed.',
        after_deadline: 'This time is after the end of the pickup window.',
      }[check.reason];
      throw new AppError(HoldsErrors.CIRCULATION_PICKUP_NOT_BOOKABLE, why, { reason: check.reason });
    }
    const existing = await repo.activeBookingOf(db, hold.id);
    if (existing && existing.slot_id === slot.id && repo.dayOf(existing.slot_date) === input.date) {
      return presentBooking(existing);
    }
    const taken = await repo.countBookings(db, slot.id, input.date);
    if (taken >= slot.capacity) {
      throw new AppError(
        HoldsErrors.CIRCULATION_PICKUP_SLOT_FULL,
        'This pickup time is fully booked; choose another.',
        {
          capacity: slot.capacity,
        },
      );
    }
    if (existing) await repo.cancelBooking(db, existing.id, now);
    const booking = await repo.insertBooking(db, {
      organization_id: hold.organization_id,
      slot_id: slot.id,
      slot_date: input.date,
      hold_id: hold.id,
      patron_id: hold.patron_id,
      starts_at: check.occurrence.startsAt,
    });
    return presentBooking(booking);
  });
}

export async function cancelPickup(ctx: AppContext, holdId: string, scope: HoldScope): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const db = holdsRepo.holdsDb(trx);
    const hold = await holdsRepo.lockHold(db, holdId);
    const mine =
      hold &&
      ('libraryId' in scope
        ? hold.organization_id === scope.libraryId
        : hold.patron_id !== null && scope.patronIds.includes(hold.patron_id));
    if (!hold || !mine) throw new AppError(HoldsErrors.CIRCULATION_HOLD_NOT_FOUND, 'There is no such hold.');
    const booking = await repo.activeBookingOf(db, hold.id);
    if (booking) await repo.cancelBooking(db, booking.id, now);
  });
}
