// Click-and-collect slots as pure functions: a branch's recurring weekly slots become dated
// occurrences, and a booking is checked against the hold's pickup window. Times are UTC.

export interface RecurringSlot {
  id: string;
  /** 0 = Sunday … 6 = Saturday (as Date.getUTCDay()). */
  weekday: number;
  /** 'HH:MM', 24-hour. */
  startTime: string;
  endTime: string;
  capacity: number;
}

export interface SlotOccurrence {
  slotId: string;
  /** 'YYYY-MM-DD' */
  date: string;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DAY_MS = 86_400_000;

export function isTime(value: string): boolean {
  return TIME.test(value);
}

function minutes(time: string): number {
  const match = TIME.exec(time);
  if (!match) throw new Error(`not a time: ${time}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** A slot definition's problems, as messages (empty when it is valid). */
export function slotProblems(slot: Omit<RecurringSlot, 'id'>): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(slot.weekday) || slot.weekday < 0 || slot.weekday > 6)
    problems.push('weekday must be 0 (Sunday) to 6 (Saturday)');
  if (!isTime(slot.startTime)) problems.push('startTime must be HH:MM');
  if (!isTime(slot.endTime)) problems.push('endTime must be HH:MM');
  if (isTime(slot.startTime) && isTime(slot.endTime) && minutes(slot.endTime) <= minutes(slot.startTime))
    problems.push('endTime must be after startTime');
  if (!Number.isInteger(slot.capacity) || slot.capacity < 1 || slot.capacity > 1000)
    problems.push('capacity must be a whole number from 1 to 1000');
  return problems;
}

export function dayString(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The occurrence of `slot` on `date` ('YYYY-MM-DD'), or null when the slot is not held that weekday. */
export function occurrenceOn(slot: RecurringSlot, date: string): SlotOccurrence | null {
  const day = new Date(`${date}T00:00:00.000Z`);
  if (Number.isNaN(day.getTime()) || dayString(day) !== date || day.getUTCDay() !== slot.weekday) return null;
  return {
    slotId: slot.id,
    date,
    startsAt: new Date(day.getTime() + minutes(slot.startTime) * 60_000),
    endsAt: new Date(day.getTime() + minutes(slot.endTime) * 60_000),
    capacity: slot.capacity,
  };
}

/** Every occurrence that starts in [from, until), in time order. */
export function occurrencesBetween(slots: readonly RecurringSlot[], from: Date, until: Date): SlotOccurrence[] {
  const out: SlotOccurrence[] = [];
  const first = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  for (let t = first; t < until.getTime(); t += DAY_MS) {
    const date = dayString(new Date(t));
    for (const slot of slots) {
      const occurrence = occurrenceOn(slot, date);
      if (occurrence && occurrence.startsAt >= from && occurrence.startsAt < until) out.push(occurrence);
    }
  }
  return out.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.slotId.localeCompare(b.slotId));
}

export type BookingCheck =
  { ok: true; occurrence: SlotOccurrence } | { ok: false; reason: 'not_that_day' | 'past' | 'after_deadline' };

/** Whether a hold whose pickup deadline is `deadline` may book `slot` on `date` at `now`. */
export function checkBooking(slot: RecurringSlot, date: string, now: Date, deadline: Date): BookingCheck {
  const occurrence = occurrenceOn(slot, date);
  if (!occurrence) return { ok: false, reason: 'not_that_day' };
  if (occurrence.startsAt < now) return { ok: false, reason: 'past' };
  if (occurrence.startsAt >= deadline) return { ok: false, reason: 'after_deadline' };
  return { ok: true, occurrence };
}
