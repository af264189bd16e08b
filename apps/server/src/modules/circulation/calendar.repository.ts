// Branch calendars: weekly hours, closed dates and the time zone they are local to.
import { sql } from 'kysely';
import type { CirculationDb } from './circulation.repository.js';
import { isoDay } from './circulation.repository.js';
import type { DayHours } from './circulation.tables.js';

export async function getCalendar(db: CirculationDb, branchId: string) {
  return db
    .selectFrom('circulation_calendars')
    .select(['weekly_hours', 'time_zone'])
    .where('branch_id', '=', branchId)
    .executeTakeFirst();
}

/** The zones of several branches' calendars (branches without a calendar are left out). */
export async function calendarZones(db: CirculationDb, branchIds: readonly string[]): Promise<Map<string, string>> {
  if (branchIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('circulation_calendars')
    .select(['branch_id', 'time_zone'])
    .where('branch_id', 'in', [...new Set(branchIds)])
    .execute();
  return new Map(rows.map((r) => [r.branch_id, r.time_zone]));
}

/**
 * A branch's calendar with its closed dates on or after a day, in one statement (what a due date
 * needs); undefined when the branch has no calendar.
 */
export async function calendarWithClosedDatesFrom(
  db: CirculationDb,
  branchId: string,
  from: string,
  limit = 400,
): Promise<{ weekly_hours: Array<DayHours | null> | null; time_zone: string; closed: string[] } | undefined> {
  const { rows } = await sql<{ weekly_hours: Array<DayHours | null> | null; time_zone: string; closed: string[] }>`
    select c.weekly_hours, c.time_zone,
      array(select to_char(d.closed_on, 'YYYY-MM-DD') from circulation_closed_dates d
        where d.branch_id = c.branch_id and d.closed_on >= ${from}::date order by d.closed_on limit ${limit}) as closed
    from circulation_calendars c where c.branch_id = ${branchId}`.execute(db);
  return rows[0];
}

export async function closedDatesFrom(db: CirculationDb, branchId: string, from: string, limit = 400) {
  const rows = await db
    .selectFrom('circulation_closed_dates')
    .select(['closed_on', 'reason'])
    .where('branch_id', '=', branchId)
    .where('closed_on', '>=', from)
    .orderBy('closed_on')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ date: isoDay(r.closed_on), reason: r.reason }));
}

export async function putCalendar(
  db: CirculationDb,
  libraryId: string,
  branchId: string,
  calendar: {
    weekly: Array<DayHours | null>;
    /** Undefined: a new calendar is in UTC, an existing one keeps its zone. */
    timeZone: string | undefined;
    closed: Array<{ date: string; reason: string }>;
  },
) {
  const weekly = JSON.stringify(calendar.weekly);
  const zone = calendar.timeZone === undefined ? {} : { time_zone: calendar.timeZone };
  // The upsert locks the calendar row first: concurrent replacements of one calendar run one after the other.
  await db
    .insertInto('circulation_calendars')
    .values({ branch_id: branchId, organization_id: libraryId, weekly_hours: weekly, ...zone })
    .onConflict((oc) => oc.column('branch_id').doUpdateSet({ weekly_hours: weekly, ...zone, updated_at: sql`now()` }))
    .execute();
  await db.deleteFrom('circulation_closed_dates').where('branch_id', '=', branchId).execute();
  if (calendar.closed.length) {
    await db
      .insertInto('circulation_closed_dates')
      .values(
        calendar.closed.map((c) => ({
          branch_id: branchId,
          organization_id: libraryId,
          closed_on: c.date,
          reason: c.reason,
        })),
      )
      .onConflict((oc) => oc.columns(['branch_id', 'closed_on']).doNothing())
      .execute();
  }
}
