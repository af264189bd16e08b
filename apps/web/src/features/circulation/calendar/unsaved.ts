// The calendar form's unsaved changes: whether there are any, and asking before a branch change
// throws them away.
import type { BranchCalendar } from '@athenaeum/contracts';

/** A day as the form holds it: its times are kept while it is closed, so they come back when it opens again. */
export type Day = { open: boolean; opens: string; closes: string };

/** The form's days and closed dates as the calendar they would save. */
export function calendarOfForm(zone: string, days: Day[], closed: BranchCalendar['closedDates']): BranchCalendar {
  return {
    weeklyHours: days.map((d) => (d.open ? { open: d.opens, close: d.closes } : null)),
    closedDates: closed,
    timeZone: zone.trim(),
  };
}

/**
 * What a calendar says, as a string to compare: the times of closed days, a missing zone (UTC, as
 * the form shows it) and the order of the closed dates make no difference.
 */
export function calendarKey(calendar: BranchCalendar): string {
  return JSON.stringify([
    calendar.timeZone?.trim() || 'UTC',
    calendar.weeklyHours.map((d) => (d ? [d.open, d.close] : null)),
    calendar.closedDates.map((c) => [c.date, c.reason ?? '']).sort(([a], [b]) => a!.localeCompare(b!)),
  ]);
}

/** The branch shown, and the one the librarian chose while the form had unsaved changes (asked about). */
export interface BranchChoice {
  branch: string;
  asking: string | null;
}

export type BranchEvent =
  | { type: 'choose'; branch: string; dirty: boolean }
  /** Cancel: stay on the branch, changes kept. */
  | { type: 'keep' }
  /** Confirm: go to the chosen branch, changes thrown away. */
  | { type: 'discard' };

/** Choosing a branch: at once when nothing is unsaved, otherwise only once the librarian agrees to discard. */
export function chooseBranch(state: BranchChoice, event: BranchEvent): BranchChoice {
  switch (event.type) {
    case 'choose':
      if (event.branch === state.branch) return { ...state, asking: null };
      return event.dirty ? { ...state, asking: event.branch } : { branch: event.branch, asking: null };
    case 'keep':
      return { ...state, asking: null };
    case 'discard':
      return state.asking === null ? state : { branch: state.asking, asking: null };
  }
}
