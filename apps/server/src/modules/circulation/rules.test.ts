import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dueTime, nextOpenDate, pickRule, specificity, type RuleScope, type WeeklyHours } from './rules.js';
import {
  addDays,
  canonicalTimeZone,
  localDate,
  offsetAt,
  startOfLocalDay,
  weekdayOf,
  zonedInstant,
} from './time-zones.js';

const CATEGORIES = ['adult', 'child', 'senior', 'staff', 'institutional'];
const TYPES = ['book', 'dvd', 'magazine'];
const scope = fc.record({
  patron_category: fc.option(fc.constantFrom(...CATEGORIES), { nil: null }),
  item_type: fc.option(fc.constantFrom(...TYPES), { nil: null }),
});
// A library has at most one rule per scope (a unique index says so).
const rules = fc.uniqueArray(scope, { selector: (r) => `${r.patron_category}|${r.item_type}`, maxLength: 12 });

describe('which rule applies', () => {
  it('is a rule that matches, and none that matches is more specific', () => {
    fc.assert(
      fc.property(rules, fc.constantFrom(...CATEGORIES), fc.constantFrom(...TYPES), (list, category, type) => {
        const chosen = pickRule(list, category, type);
        const matching = list.filter((r) => specificity(r, category, type) >= 0);
        if (matching.length === 0) return chosen === undefined;
        const best = Math.max(...matching.map((r) => specificity(r, category, type)));
        return chosen !== undefined && specificity(chosen, category, type) === best;
      }),
    );
  });

  it('does not depend on the order the rules come in', () => {
    fc.assert(
      fc.property(rules, fc.constantFrom(...CATEGORIES), fc.constantFrom(...TYPES), (list, category, type) => {
        const key = (r: RuleScope | undefined) => (r ? `${r.patron_category}|${r.item_type}` : 'none');
        return key(pickRule(list, category, type)) === key(pickRule([...list].reverse(), category, type));
      }),
    );
  });

  it('prefers category and type, then category, then type, then the catch-all', () => {
    const all: RuleScope[] = [
      { patron_category: null, item_type: null },
      { patron_category: null, item_type: 'dvd' },
      { patron_category: 'child', item_type: null },
      { patron_category: 'child', item_type: 'dvd' },
    ];
    expect(pickRule(all, 'child', 'dvd')).toBe(all[3]);
    expect(pickRule(all.slice(0, 3), 'child', 'dvd')).toBe(all[2]);
    expect(pickRule(all.slice(0, 2), 'child', 'dvd')).toBe(all[1]);
    expect(pickRule(all.slice(0, 1), 'child', 'dvd')).toBe(all[0]);
    expect(pickRule(all, 'adult', 'book')).toBe(all[0]);
  });
});

const ZONES = ['UTC', 'Europe/Moscow', 'Europe/Berlin', 'America/Sao_Paulo', 'Asia/Shanghai', 'Asia/Kolkata'];
const zone = fc.constantFrom(...ZONES);
// Any instant from 2017 (São Paulo still had summer time) to 2030.
const instant = fc
  .integer({ min: Date.UTC(2017, 0, 1), max: Date.UTC(2030, 0, 1) })
  .map((t) => new Date(Math.floor(t / 1000) * 1000));
const isoDate = fc.integer({ min: 0, max: 3650 }).map((n) => addDays('2017-01-01', n));
const hours = { open: '09:00', close: '17:00' };
const weekly = fc.option(
  fc.array(fc.option(fc.constantFrom(hours, { open: '10:00', close: '19:30' }), { nil: null }), {
    minLength: 7,
    maxLength: 7,
  }),
  { nil: null },
);
const closedDates = fc
  .uniqueArray(fc.integer({ min: 0, max: 5200 }), { maxLength: 80 })
  .map((ns) => new Set(ns.map((n) => addDays('2017-01-01', n))));
const isOpen = (d: string, w: WeeklyHours, closed: Set<string>) => (!w || w[weekdayOf(d)] !== null) && !closed.has(d);
const allClosed = (w: WeeklyHours) => !!w && w.every((d) => d === null);

describe('due dates', () => {
  it('fall on the first open local day on or after the loan period, never on a closed one', () => {
    fc.assert(
      fc.property(isoDate, weekly, closedDates, (start, w, closed) => {
        const open = nextOpenDate(start, w, closed);
        if (allClosed(w)) return open === start;
        if (open < start || !isOpen(open, w, closed)) return false;
        for (let d = start; d < open; d = addDays(d, 1)) if (isOpen(d, w, closed)) return false;
        return true;
      }),
    );
  });

  it('are never on a closed local day, never before the loan period in local days, and at closing time', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 120 }), weekly, closedDates, zone, (from, days, w, closed, tz) => {
        fc.pre(!allClosed(w));
        const due = dueTime(from, days, { weekly: w, closed, timeZone: tz });
        const dueDay = localDate(due, tz);
        if (!isOpen(dueDay, w, closed)) return false;
        if (dueDay < addDays(localDate(from, tz), days)) return false;
        const wall = new Intl.DateTimeFormat('en-GB', {
          timeZone: tz,
          hour: '2-digit',
          minute: '2-digit',
          second: '2-digit',
          hourCycle: 'h23',
        }).format(due);
        return wall === (w ? `${w[weekdayOf(dueDay)]!.close}:00` : '23:59:59');
      }),
    );
  });

  it('are the end of the day in UTC for a branch without hours, as before zones', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 120 }), (from, days) => {
        const due = dueTime(from, days, { weekly: null, closed: new Set(), timeZone: 'UTC' });
        return due.toISOString() === `${addDays(from.toISOString().slice(0, 10), days)}T23:59:59.000Z`;
      }),
    );
  });

  it('count local days: a check-out at 23:30 in Moscow is already the next UTC day, or not', () => {
    const moscow = { weekly: null, closed: new Set<string>(), timeZone: 'Europe/Moscow' };
    // 2026-03-02 23:30 in Moscow (UTC+3) is 20:30 UTC the same day.
    expect(dueTime(new Date('2026-03-02T20:30:00Z'), 14, moscow).toISOString()).toBe('2026-03-16T20:59:59.000Z');
    // 2026-03-03 00:30 in Moscow is still 2026-03-02 (21:30) in UTC: the loan counts from the 3rd.
    expect(dueTime(new Date('2026-03-02T21:30:00Z'), 14, moscow).toISOString()).toBe('2026-03-17T20:59:59.000Z');
    // In São Paulo (UTC-3), 22:30 local on the 2nd is 01:30 UTC on the 3rd: the loan still counts from the 2nd.
    const saoPaulo = { weekly: null, closed: new Set<string>(), timeZone: 'America/Sao_Paulo' };
    expect(dueTime(new Date('2026-03-03T01:30:00Z'), 14, saoPaulo).toISOString()).toBe('2026-03-17T02:59:59.000Z');
  });

  it('closed dates are local dates', () => {
    const week = [null, hours, hours, hours, hours, hours, hours];
    const closed = new Set(['2026-03-16']); // a Monday
    const moscow = { weekly: week, closed, timeZone: 'Europe/Moscow' };
    // Due Monday the 16th (closed), moved to Tuesday, at 17:00 Moscow = 14:00 UTC.
    expect(dueTime(new Date('2026-03-02T08:00:00Z'), 14, moscow).toISOString()).toBe('2026-03-17T14:00:00.000Z');
    // Sunday has no hours: a loan due Sunday the 15th goes to Tuesday too.
    expect(dueTime(new Date('2026-03-01T08:00:00Z'), 14, moscow).toISOString()).toBe('2026-03-17T14:00:00.000Z');
  });

  it('keep the local closing time across a change of summer time', () => {
    const week = Array(7).fill(hours);
    const berlin = { weekly: week, closed: new Set<string>(), timeZone: 'Europe/Berlin' };
    // Berlin moves to summer time on 2026-03-29: 17:00 is 16:00 UTC before and 15:00 UTC after.
    expect(dueTime(new Date('2026-03-20T10:00:00Z'), 7, berlin).toISOString()).toBe('2026-03-27T16:00:00.000Z');
    expect(dueTime(new Date('2026-03-20T10:00:00Z'), 14, berlin).toISOString()).toBe('2026-04-03T15:00:00.000Z');
    // And back on 2026-10-25.
    expect(dueTime(new Date('2026-10-20T10:00:00Z'), 7, berlin).toISOString()).toBe('2026-10-27T16:00:00.000Z');
    // São Paulo's summer time began at midnight on 2018-11-04 (that day had no 00:00) and ended
    // on 2019-02-17 (23:00–23:59 of the 16th happened twice: the end of the day is the later one).
    const sp = { weekly: null, closed: new Set<string>(), timeZone: 'America/Sao_Paulo' };
    expect(dueTime(new Date('2018-10-28T15:00:00Z'), 7, sp).toISOString()).toBe('2018-11-05T01:59:59.000Z');
    expect(dueTime(new Date('2019-02-09T15:00:00Z'), 7, sp).toISOString()).toBe('2019-02-17T02:59:59.000Z');
    expect(startOfLocalDay('2018-11-04', 'America/Sao_Paulo').toISOString()).toBe('2018-11-04T03:00:00.000Z');
  });
});

describe('time zones', () => {
  it('are IANA names Intl knows, in their canonical spelling', () => {
    expect(canonicalTimeZone('europe/moscow')).toBe('Europe/Moscow');
    expect(canonicalTimeZone('America/Sao_Paulo')).toBe('America/Sao_Paulo');
    expect(canonicalTimeZone('Mars/Olympus_Mons')).toBeNull();
    expect(canonicalTimeZone('+03:00')).toBeNull();
    expect(canonicalTimeZone('')).toBeNull();
  });

  it('turn a local wall time back into the instant showing it', () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), zone, (d, h, m, tz) => {
        const time = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
        const at = zonedInstant(d, time, tz);
        // Either the clocks show exactly that, or the time was skipped (clocks went forward by an hour).
        const shown = at.getTime() + offsetAt(at.getTime(), tz);
        const wanted = Date.parse(`${d}T${time}:00Z`);
        return shown === wanted || shown === wanted + 3_600_000;
      }),
    );
  });
});
