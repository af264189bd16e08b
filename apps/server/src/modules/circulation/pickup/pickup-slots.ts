// Click-and-collect slots as pure functions: a branch's recurring weekly slots become dated
// occurrences, and a booking is checked against the hold's pickup window. Dates, weekdays and
// times are local to the branch's time zone (its calendar's); instants are absolute.
import { addDays, localDate, weekdayOf, zonedInstant } from '../time-zones.js';

export interface RecurringSlot {
  id: string;
  /** 0 = Sunday … 6 = Saturday, of the local date. */
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

/** The occurrence of `slot` on the local date `date` ('YYYY-MM-DD'), or null when the slot is not held that weekday. */
export function occurrenceOn(slot: RecurringSlot, date: string, timeZone = 'UTC'): SlotOccurrence | null {
  const day = new Date(`${date}T00:00:00.000Z`);
  if (Number.isNaN(day.getTime()) || dayString(day) !== date || weekdayOf(date) !== slot.weekday) return null;
  if (!isTime(slot.startTime) || !isTime(slot.endTime))
    throw new Error(`not a slot time: ${slot.startTime}-${slot.endTime}`);
  return {
    slotId: slot.id,
    date,
    startsAt: zonedInstant(date, slot.startTime, timeZone),
    endsAt: zonedInstant(date, slot.endTime, timeZone),
    capacity: slot.capacity,
  };
}

/** Every occurrence that starts in [from, until), in time order; the slots are held in `timeZone`. */
export function occurrencesBetween(
  slots: readonly RecurringSlot[],
  from: Date,
  until: Date,
  timeZone = 'UTC',
): SlotOccurrence[] {
  const out: SlotOccurrence[] = [];
  const last = localDate(until, timeZone);
  for (let date = localDate(from, timeZone); date <= last; date = addDays(date, 1)) {
    for (const slot of slots) {
      const occurrence = occurrenceOn(slot, date, timeZone);
      if (occurrence && occurrence.startsAt >= from && occurrence.startsAt < until) out.push(occurrence);
    }
  }
  return out.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.slotId.localeCompare(b.slotId));
}

export type BookingCheck =
  { ok: true; occurrence: SlotOccurrence } | { ok: false; reason: 'not_that_day' | 'past' | 'after_deadline' };

/** Whether a hold whose pickup deadline is `deadline` may book `slot` on `date` at `now`. */
export function checkBooking(
  slot: RecurringSlot,
  date: string,
  now: Date,
  deadline: Date,
  timeZone = 'UTC',
): BookingCheck {
  const occurrence = occurrenceOn(slot, date, timeZone);
  if (!occurrence) return { ok: false, reason: 'not_that_day' };
  if (occurrence.startsAt < now) return { ok: false, reason: 'past' };
  if (occurrence.startsAt >= deadline) return { ok: false, reason: 'after_deadline' };
  return { ok: true, occurrence };
}
