// The pure parts of the loan rules: which rule applies, and which day a loan falls due.
import { addDays, localDate, weekdayOf, zonedInstant } from './time-zones.js';

/** A rule's scope: null matches any patron category or item type. */
export interface RuleScope {
  patron_category: string | null;
  item_type: string | null;
}

/**
 * How specific a rule is for a loan: category and item type (3) > category only (2) > item type
 * only (1) > the catch-all (0); -1 when it does not apply. A rule's library decides the tie order:
 * a category rule beats an item-type rule, because a library states its rules per category first.
 */
export function specificity(rule: RuleScope, category: string, itemType: string): number {
  if (rule.patron_category !== null && rule.patron_category !== category) return -1;
  if (rule.item_type !== null && rule.item_type !== itemType) return -1;
  return (rule.patron_category !== null ? 2 : 0) + (rule.item_type !== null ? 1 : 0);
}

/** The rule that applies to a loan among a library's rules, or undefined (the built-in default). */
export function pickRule<R extends RuleScope>(rules: readonly R[], category: string, itemType: string): R | undefined {
  let best: R | undefined;
  let bestScore = -1;
  for (const rule of rules) {
    const score = specificity(rule, category, itemType);
    if (score > bestScore) {
      best = rule;
      bestScore = score;
    }
  }
  return best;
}

/** Opening hours of a weekday (index 0 = Sunday); null: closed. */
export type WeeklyHours = ReadonlyArray<{ open: string; close: string } | null> | null;

/** A branch's calendar as the due-date arithmetic needs it: hours and closed dates are local to `timeZone`. */
export interface BranchHours {
  weekly: WeeklyHours;
  /** Local dates ('YYYY-MM-DD') the branch is closed. */
  closed: ReadonlySet<string>;
  timeZone: string;
}

/**
 * The first local date from `date` on which the branch is open: a weekday with opening hours and
 * not a closed date. A branch without weekly hours is open every day; one closed every weekday, or
 * a run of more than a year of closed dates, leaves the date as it was (a year ahead is the most we look).
 */
export function nextOpenDate(date: string, weekly: WeeklyHours, closed: ReadonlySet<string>): string {
  if (weekly && weekly.every((d) => d === null)) return date;
  let candidate = date;
  for (let i = 0; i <= 366; i++) {
    if ((!weekly || weekly[weekdayOf(candidate)]) && !closed.has(candidate)) return candidate;
    candidate = addDays(candidate, 1);
  }
  return date;
}

/** The local date a loan of `days` days from `from` falls due before closed days move it. */
export function firstDueDate(from: Date, days: number, timeZone: string): string {
  return addDays(localDate(from, timeZone), days);
}

/**
 * The due time of a loan of `days` days from `from`: counted in the branch's local days, moved
 * forward past closed dates and days without opening hours, at that day's closing time (local), or
 * 23:59:59 local when the weekly hours give none.
 */
export function dueTime(from: Date, days: number, hours: BranchHours): Date {
  const date = nextOpenDate(firstDueDate(from, days, hours.timeZone), hours.weekly, hours.closed);
  const day = hours.weekly?.[weekdayOf(date)];
  // A closing time past midnight ('24:00', or before opening) is the end of the day.
  const time =
    day && /^([01]\d|2[0-3]):[0-5]\d$/.test(day.close) && day.close > day.open ? `${day.close}:00` : '23:59:59';
  return zonedInstant(date, time, hours.timeZone);
}
