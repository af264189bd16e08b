import type { Selectable } from 'kysely';
import type { HoldsDb } from '../holds/holds.repository.js';
import type { HoldsTables } from '../holds/holds.tables.js';

export type SlotRow = Selectable<HoldsTables['circulation_pickup_slots']>;
export type BookingRow = Selectable<HoldsTables['circulation_pickup_bookings']>;

/** A `date` column as 'YYYY-MM-DD' (pg reads dates as local midnight). */
export function dayOf(value: unknown): string {
  if (value instanceof Date) {
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
  }
  return String(value).slice(0, 10);
}

export async function insertSlot(
  db: HoldsDb,
  values: Pick<SlotRow, 'organization_id' | 'branch_id' | 'weekday' | 'start_time' | 'end_time' | 'capacity'>,
): Promise<SlotRow> {
  return db.insertInto('circulation_pickup_slots').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function slotsOfLibrary(db: HoldsDb, libraryId: string): Promise<SlotRow[]> {
  return db
    .selectFrom('circulation_pickup_slots')
    .selectAll()
    .where('organization_id', '=', libraryId)
    .where('active', '=', true)
    .orderBy('branch_id')
    .orderBy('weekday')
    .orderBy('start_time')
    .execute();
}

export async function slotsOfBranch(db: HoldsDb, branchId: string): Promise<SlotRow[]> {
  return db
    .selectFrom('circulation_pickup_slots')
    .selectAll()
    .where('branch_id', '=', branchId)
    .where('active', '=', true)
    .execute();
}

export async function deactivateSlot(db: HoldsDb, libraryId: string, slotId: string): Promise<boolean> {
  const result = await db
    .updateTable('circulation_pickup_slots')
    .set({ active: false })
    .where('id', '=', slotId)
    .where('organization_id', '=', libraryId)
    .where('active', '=', true)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Locks the slot row: bookings of one slot are taken one at a time, so capacity holds. */
export async function lockSlot(db: HoldsDb, slotId: string): Promise<SlotRow | undefined> {
  return db
    .selectFrom('circulation_pickup_slots')
    .selectAll()
    .where('id', '=', slotId)
    .where('active', '=', true)
    .forUpdate()
    .executeTakeFirst();
}

export async function countBookings(db: HoldsDb, slotId: string, date: string): Promise<number> {
  const row = await db
    .selectFrom('circulation_pickup_bookings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('slot_id', '=', slotId)
    .where('slot_date', '=', date)
    .where('cancelled_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function bookingCounts(db: HoldsDb, slotIds: string[], from: string, to: string) {
  if (!slotIds.length) return new Map<string, number>();
  const rows = await db
    .selectFrom('circulation_pickup_bookings')
    .select(['slot_id', 'slot_date', (eb) => eb.fn.countAll<number>().as('n')])
    .where('slot_id', 'in', slotIds)
    .where('slot_date', '>=', from)
    .where('slot_date', '<=', to)
    .where('cancelled_at', 'is', null)
    .groupBy(['slot_id', 'slot_date'])
    .execute();
  return new Map(rows.map((r) => [`${r.slot_id}@${dayOf(r.slot_date)}`, Number(r.n)]));
}

export async function activeBookingOf(db: HoldsDb, holdId: string): Promise<BookingRow | undefined> {
  return db
    .selectFrom('circulation_pickup_bookings')
    .selectAll()
    .where('hold_id', '=', holdId)
    .where('cancelled_at', 'is', null)
    .executeTakeFirst();
}

export async function insertBooking(
  db: HoldsDb,
  values: Pick<BookingRow, 'organization_id' | 'slot_id' | 'slot_date' | 'hold_id' | 'patron_id' | 'starts_at'>,
): Promise<BookingRow> {
  return db.insertInto('circulation_pickup_bookings').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function cancelBooking(db: HoldsDb, bookingId: string, at: Date): Promise<void> {
  await db.updateTable('circulation_pickup_bookings').set({ cancelled_at: at }).where('id', '=', bookingId).execute();
}
