// When a harvest source is next due: its schedule (every N hours, or daily at HH:MM UTC) after
// a run, and an exponential backoff after a failure.
import type { HarvestSchedule } from '@athenaeum/contracts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The first time after `after` that the schedule names; null for a manual source. */
export function nextScheduledRun(schedule: HarvestSchedule, after: Date): Date | null {
  switch (schedule.kind) {
    case 'manual':
      return null;
    case 'interval':
      return new Date(after.getTime() + schedule.hours * HOUR);
    case 'daily': {
      const [hh, mm] = schedule.at.split(':').map(Number) as [number, number];
      const today = Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate(), hh, mm);
      return new Date(today > after.getTime() ? today : today + DAY);
    }
  }
}

/** When a newly configured (or re-enabled) source first runs: at once for an interval, else at its time of day. */
export function firstRun(schedule: HarvestSchedule, now: Date): Date | null {
  return schedule.kind === 'interval' ? now : nextScheduledRun(schedule, now);
}

/** After the n-th failure in a row: 5 minutes, doubling, at most a day. */
export function failureBackoffMs(failures: number): number {
  return Math.min(5 * 60_000 * 2 ** Math.max(0, failures - 1), DAY);
}

/** The schedule as stored (kind, hours, time of day) and back. */
export function scheduleColumns(schedule: HarvestSchedule): {
  scheduleKind: HarvestSchedule['kind'];
  intervalHours: number | null;
  dailyAt: string | null;
} {
  return {
    scheduleKind: schedule.kind,
    intervalHours: schedule.kind === 'interval' ? schedule.hours : null,
    dailyAt: schedule.kind === 'daily' ? schedule.at : null,
  };
}

export function scheduleOf(row: {
  schedule_kind: HarvestSchedule['kind'];
  interval_hours: number | null;
  daily_at: string | null;
}): HarvestSchedule {
  if (row.schedule_kind === 'interval') return { kind: 'interval', hours: row.interval_hours ?? 24 };
  if (row.schedule_kind === 'daily') return { kind: 'daily', at: row.daily_at ?? '00:00' };
  return { kind: 'manual' };
}
