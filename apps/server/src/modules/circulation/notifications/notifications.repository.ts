import { sql, type Selectable } from 'kysely';
import type { HoldsDb } from '../holds/holds.repository.js';
import type { HoldsTables } from '../holds/holds.tables.js';

export type PrefsRow = Selectable<HoldsTables['circulation_notification_prefs']>;

export async function prefsOf(db: HoldsDb, patronId: string): Promise<PrefsRow | undefined> {
  return db
    .selectFrom('circulation_notification_prefs')
    .selectAll()
    .where('patron_id', '=', patronId)
    .executeTakeFirst();
}

export async function upsertPrefs(
  db: HoldsDb,
  patronId: string,
  set: Partial<Omit<PrefsRow, 'patron_id' | 'updated_at'>>,
): Promise<PrefsRow> {
  return db
    .insertInto('circulation_notification_prefs')
    .values({ patron_id: patronId, ...set })
    .onConflict((oc) => oc.column('patron_id').doUpdateSet({ ...set, updated_at: sql`now()` }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Records that a notice went out; false when it already had (so it is sent once). */
export async function markSent(db: HoldsDb, kind: string, subjectId: string, occasion: string): Promise<boolean> {
  const row = await db
    .insertInto('circulation_notices_sent')
    .values({ kind, subject_id: subjectId, occasion })
    .onConflict((oc) => oc.columns(['kind', 'subject_id', 'occasion']).doNothing())
    .returning('kind')
    .executeTakeFirst();
  return row !== undefined;
}

/** Ready holds whose pickup deadline is within `withinMs` of `now` and that have not had a reminder. */
export async function holdsToRemind(db: HoldsDb, now: Date, withinMs: number, limit: number) {
  return db
    .selectFrom('circulation_holds as h')
    .select(['h.id'])
    .where('h.status', '=', 'ready')
    .where('h.expires_at', '>', now)
    .where('h.expires_at', '<=', new Date(now.getTime() + withinMs))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('circulation_notices_sent as s')
            .select('s.kind')
            .where('s.kind', '=', 'pickup_reminder')
            .whereRef('s.subject_id', '=', 'h.id'),
        ),
      ),
    )
    .limit(limit)
    .execute();
}

/** Open loans due within each patron's chosen number of days (default 3), or already overdue. */
export async function loansToNotify(db: HoldsDb, now: Date, kind: 'due_soon' | 'overdue', limit: number) {
  const q = db
    .selectFrom('circulation_loans as l')
    .leftJoin('circulation_notification_prefs as p', 'p.patron_id', 'l.patron_id')
    .select(['l.id', 'l.due_at'])
    .where('l.returned_at', 'is', null)
    .where('l.patron_id', 'is not', null);
  const due =
    kind === 'overdue'
      ? q.where('l.due_at', '<', now)
      : q
          .where('l.due_at', '>=', now)
          .where(sql<boolean>`l.due_at <= ${now}::timestamptz + make_interval(days => coalesce(p.due_soon_days, 3))`);
  return due
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('circulation_notices_sent as s')
            .select('s.kind')
            .where('s.kind', '=', kind)
            .whereRef('s.subject_id', '=', 'l.id')
            .where(sql<boolean>`s.occasion = to_char(l.due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI')`),
        ),
      ),
    )
    .limit(limit)
    .execute();
}

export async function loanForNotice(db: HoldsDb, loanId: string) {
  return db
    .selectFrom('circulation_loans')
    .select(['id', 'item_id', 'patron_id', 'branch_id', 'due_at', 'returned_at'])
    .where('id', '=', loanId)
    .executeTakeFirst();
}
