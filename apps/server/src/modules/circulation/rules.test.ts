import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dueTime, isoDay, nextOpenDay, pickRule, specificity, type RuleScope } from './rules.js';

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

const day = fc.integer({ min: 0, max: 3650 }).map((n) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000));
const hours = { open: '09:00', close: '17:00' };
const weekly = fc.option(fc.array(fc.option(fc.constant(hours), { nil: null }), { minLength: 7, maxLength: 7 }), {
  nil: null,
});
const closedDates = fc
  .uniqueArray(fc.integer({ min: 0, max: 3700 }), { maxLength: 60 })
  .map((ns) => new Set(ns.map((n) => isoDay(new Date(Date.UTC(2026, 0, 1) + n * 86_400_000)))));
const isOpen = (d: Date, w: ReadonlyArray<unknown> | null, closed: Set<string>) =>
  (!w || w[d.getUTCDay()] !== null) && !closed.has(isoDay(d));

describe('due dates', () => {
  it('fall on the first open day on or after the loan period, never on a closed one', () => {
    fc.assert(
      fc.property(day, weekly, closedDates, (start, w, closed) => {
        const open = nextOpenDay(start, w, closed);
        if (w && w.every((d) => d === null)) return open.getTime() === start.getTime();
        if (open.getTime() < start.getTime() || !isOpen(open, w, closed)) return false;
        for (let d = start.getTime(); d < open.getTime(); d += 86_400_000) {
          if (isOpen(new Date(d), w, closed)) return false;
        }
        return true;
      }),
    );
  });

  it('are the end of that day, the loan period after the loan day', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 86_399_999 }), (start, days, ms) => {
        const due = dueTime(new Date(start.getTime() + ms), days, null, new Set());
        return due.toISOString() === `${isoDay(new Date(start.getTime() + days * 86_400_000))}T23:59:59.000Z`;
      }),
    );
  });
});
