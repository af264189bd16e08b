// The pure parts of the loan rules: which rule applies, and which day a loan falls due.

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

const DAY_MS = 86_400_000;
export const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The first day from `day` (a UTC midnight) that the branch is open: not a closed weekday and not
 * a closed date. A branch without weekly hours is open every day; one closed every weekday, or a
 * run of more than a year of closed dates, leaves the day as it was (a year ahead is the most we look).
 */
export function nextOpenDay(day: Date, weekly: WeeklyHours, closed: ReadonlySet<string>): Date {
  if (weekly && weekly.every((d) => d === null)) return day;
  let candidate = day;
  for (let i = 0; i <= 366; i++) {
    const weekdayOpen = !weekly || weekly[candidate.getUTCDay()] !== null;
    if (weekdayOpen && !closed.has(isoDay(candidate))) return candidate;
    candidate = new Date(candidate.getTime() + DAY_MS);
  }
  return day;
}

/** The due time of a loan of `days` days from `from`: the end (UTC) of the next open day on or after that day. */
export function dueTime(from: Date, days: number, weekly: WeeklyHours, closed: ReadonlySet<string>): Date {
  const day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()) + days * DAY_MS);
  return new Date(nextOpenDay(day, weekly, closed).getTime() + DAY_MS - 1000);
}
