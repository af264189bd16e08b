// The pure part of fines: days overdue, the amount for them, and money in minor units.

const DAY_MS = 86_400_000;

/**
 * Whole days a loan is overdue at `at`: every started day after the due time counts (a loan due
 * at the end of Monday and returned on Tuesday is one day late). Closed days count like any other.
 */
export function daysOverdue(dueAt: Date, at: Date): number {
  const late = at.getTime() - dueAt.getTime();
  return late <= 0 ? 0 : Math.ceil(late / DAY_MS);
}

/** A policy's fine terms in minor units; dailyFine null: fines-free. */
export interface FineTerms {
  dailyFine: number | null;
  fineCap: number | null;
  graceDays: number;
}

/** The fine for `days` overdue: the days beyond the grace period × the daily fine, at most the cap. */
export function fineAmount(days: number, terms: FineTerms): number {
  if (!terms.dailyFine) return 0;
  const chargeable = days - terms.graceDays;
  if (chargeable <= 0) return 0;
  const amount = chargeable * terms.dailyFine;
  return terms.fineCap === null ? amount : Math.min(amount, terms.fineCap);
}

/** How many minor units a currency has after the point (2 for EUR, 0 for JPY). */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * A decimal amount (a policy's numeric column: a string like '0.25', or a number) in whole minor
 * units, read digit by digit so that no binary fraction creeps in; rounded half up to the currency.
 */
export function toMinor(value: string | number | null, digits: number): number | null {
  if (value === null) return null;
  const text = typeof value === 'number' ? value.toFixed(6) : value.trim();
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) throw new Error(`not a decimal amount: ${text}`);
  const whole = match[1]!;
  const fraction = (match[2] ?? '').padEnd(digits + 1, '0');
  const units = Number(whole) * 10 ** digits + Number(fraction.slice(0, digits) || '0');
  return Number(fraction[digits]) >= 5 ? units + 1 : units;
}
