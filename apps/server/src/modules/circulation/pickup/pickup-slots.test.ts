import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localDate, weekdayOf, zonedInstant } from '../time-zones.js';
import { checkBooking, occurrenceOn, occurrencesBetween, slotProblems, type RecurringSlot } from './pickup-slots.js';

const time = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const slot = fc
  .record({
    weekday: fc.integer({ min: 0, max: 6 }),
    startTime: time,
    endTime: time,
    capacity: fc.integer({ min: 1, max: 20 }),
  })
  .filter((s) => s.endTime > s.startTime)
  .map((s, i = 0) => ({ id: `s${i}-${s.weekday}${s.startTime}`, ...s }) as RecurringSlot);
const instant = fc.date({
  min: new Date('2020-01-01T00:00:00Z'),
  max: new Date('2030-12-31T00:00:00Z'),
  noInvalidDate: true,
});

describe('pickup slots in a branch time zone', () => {
  it('are held on the local weekday at the local time, each once, inside the range', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(slot, { maxLength: 4, selector: (s) => s.id }),
        instant,
        fc.integer({ min: 0, max: 20 }),
        fc.constantFrom('Europe/Moscow', 'America/Sao_Paulo', 'Europe/Berlin', 'Asia/Kolkata'),
        (slots, from, days, zone) => {
          const until = new Date(from.getTime() + days * 86_400_000);
          const list = occurrencesBetween(slots, from, until, zone);
          const keys = list.map((o) => `${o.slotId}@${o.date}`);
          expect(new Set(keys).size).toBe(keys.length);
          for (const o of list) {
            const s = slots.find((x) => x.id === o.slotId)!;
            expect(o.startsAt >= from && o.startsAt < until).toBe(true);
            expect(localDate(o.startsAt, zone)).toBe(o.date);
            expect(weekdayOf(o.date)).toBe(s.weekday);
            expect(o.startsAt.getTime()).toBe(zonedInstant(o.date, s.startTime, zone).getTime());
          }
          if (days >= 8) for (const s of slots) expect(list.some((o) => o.slotId === s.id)).toBe(true);
        },
      ),
    );
  });

  it('a Saturday 10:00 slot in Moscow starts at 07:00 UTC; one late on Sunday in São Paulo is Monday in UTC', () => {
    const sat: RecurringSlot = { id: 'sat', weekday: 6, startTime: '10:00', endTime: '11:00', capacity: 1 };
    expect(occurrenceOn(sat, '2026-04-04', 'Europe/Moscow')?.startsAt.toISOString()).toBe('2026-04-04T07:00:00.000Z');
    const sun: RecurringSlot = { id: 'sun', weekday: 0, startTime: '22:00', endTime: '23:00', capacity: 1 };
    expect(occurrenceOn(sun, '2026-04-05', 'America/Sao_Paulo')?.startsAt.toISOString()).toBe(
      '2026-04-06T01:00:00.000Z',
    );
    // Booked against a deadline: 01:00 UTC Monday is before a deadline of Monday 02:00 UTC.
    expect(
      checkBooking(
        sun,
        '2026-04-05',
        new Date('2026-04-05T12:00:00Z'),
        new Date('2026-04-06T02:00:00Z'),
        'America/Sao_Paulo',
      ).ok,
    ).toBe(true);
  });
});

describe('pickup slots', () => {
  it('refuses slots that end before they start, bad times, weekdays and capacities', () => {
    expect(slotProblems({ weekday: 7, startTime: '10:00', endTime: '09:00', capacity: 0 })).toHaveLength(3);
    expect(slotProblems({ weekday: 1, startTime: '25:00', endTime: '9:00', capacity: 2 })).toHaveLength(2);
    expect(slotProblems({ weekday: 1, startTime: '09:00', endTime: '09:30', capacity: 2 })).toEqual([]);
  });

  it('puts a Monday slot on Mondays only', () => {
    const monday: RecurringSlot = { id: 'm', weekday: 1, startTime: '10:00', endTime: '10:30', capacity: 3 };
    expect(occurrenceOn(monday, '2026-11-23')?.startsAt.toISOString()).toBe('2026-11-23T10:00:00.000Z');
    expect(occurrenceOn(monday, '2026-11-24')).toBeNull();
    expect(occurrenceOn(monday, '2026-02-30')).toBeNull();
  });

  it('lists each occurrence once, in order, on its weekday, inside the range', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(slot, { maxLength: 6, selector: (s) => s.id }),
        instant,
        fc.integer({ min: 0, max: 30 }),
        (slots, from, days) => {
          const until = new Date(from.getTime() + days * 86_400_000);
          const list = occurrencesBetween(slots, from, until);
          const keys = list.map((o) => `${o.slotId}@${o.date}`);
          expect(new Set(keys).size).toBe(keys.length);
          for (let i = 1; i < list.length; i++) expect(list[i]!.startsAt >= list[i - 1]!.startsAt).toBe(true);
          for (const o of list) {
            expect(o.startsAt >= from && o.startsAt < until).toBe(true);
            expect(o.startsAt.getUTCDay()).toBe(slots.find((s) => s.id === o.slotId)!.weekday);
            expect(o.endsAt > o.startsAt).toBe(true);
          }
          // A full week of range holds each distinct slot at least once.
          if (days >= 8) for (const s of slots) expect(list.some((o) => o.slotId === s.id)).toBe(true);
        },
      ),
    );
  });

  it('books only a future occurrence that starts before the pickup deadline', () => {
    fc.assert(
      fc.property(
        slot,
        instant,
        fc.integer({ min: 0, max: 14 }),
        fc.integer({ min: 1, max: 14 }),
        (s, now, offset, windowDays) => {
          const deadline = new Date(now.getTime() + windowDays * 86_400_000);
          const date = new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
          const result = checkBooking(s, date, now, deadline);
          if (result.ok) {
            expect(result.occurrence.startsAt >= now).toBe(true);
            expect(result.occurrence.startsAt < deadline).toBe(true);
          } else if (result.reason === 'not_that_day') {
            expect(new Date(`${date}T00:00:00Z`).getUTCDay()).not.toBe(s.weekday);
          }
        },
      ),
    );
  });
});
