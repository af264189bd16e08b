import { sql, type Kysely } from 'kysely';
import type { AnyDb } from '../../../platform/db/database.js';
import type { PlatformTables } from '../../../platform/db/tables.js';
import type { CirculationTables } from '../circulation.tables.js';
import type { GuardiansTables } from '../guardians/guardians.tables.js';
import type { HoldsTables } from '../holds/holds.tables.js';

/** The tables a patron's data lives in: circulation's own and the holds part's (read only here). */
export type PrivacyDb = Kysely<CirculationTables & HoldsTables & GuardiansTables & PlatformTables>;
export const privacyDb = (db: AnyDb): PrivacyDb =>
  (db as Kysely<PlatformTables>).withTables<CirculationTables & HoldsTables & GuardiansTables>();

const OPEN_HOLD = ['waiting', 'pull', 'in_transit', 'ready'] as const;
const FINISHED_ILL = ['declined', 'completed', 'cancelled'] as const;

export async function patronsOfPerson(db: PrivacyDb, personId: string, libraryId?: string) {
  let q = db.selectFrom('circulation_patrons').selectAll().where('person_id', '=', personId);
  if (libraryId) q = q.where('organization_id', '=', libraryId);
  return q.orderBy('created_at').execute();
}

export async function findPatron(db: PrivacyDb, libraryId: string, patronId: string) {
  return db
    .selectFrom('circulation_patrons')
    .selectAll()
    .where('organization_id', '=', libraryId)
    .where('id', '=', patronId)
    .executeTakeFirst();
}

export async function lockPatron(db: PrivacyDb, patronId: string) {
  return db.selectFrom('circulation_patrons').selectAll().where('id', '=', patronId).forUpdate().executeTakeFirst();
}

export async function allBlocks(db: PrivacyDb, patronId: string) {
  return db
    .selectFrom('circulation_patron_blocks')
    .selectAll()
    .where('patron_id', '=', patronId)
    .orderBy('blocked_at')
    .execute();
}

export async function loansOf(db: PrivacyDb, patronId: string) {
  return db
    .selectFrom('circulation_loans')
    .selectAll()
    .where('patron_id', '=', patronId)
    .orderBy('checked_out_at')
    .execute();
}

// The holds part has no export that lists one patron's holds or notice choices yet; these two
// reads are the only place privacy touches its tables. Closed holds are still linked only while the
// patron keeps a reading history (holds' forgetClosedHolds).
export async function holdsOf(db: PrivacyDb, patronId: string) {
  return db
    .selectFrom('circulation_holds')
    .select(['id', 'status', 'level', 'work_id', 'item_id', 'pickup_branch_id', 'placed_at', 'closed_at'])
    .where('patron_id', '=', patronId)
    .orderBy('placed_at')
    .execute();
}

export async function notificationPrefsOf(db: PrivacyDb, patronId: string) {
  return db
    .selectFrom('circulation_notification_prefs')
    .select(['hold_ready', 'pickup_reminder', 'due_soon', 'overdue', 'ill_status', 'due_soon_days'])
    .where('patron_id', '=', patronId)
    .executeTakeFirst();
}

export async function openHoldIds(db: PrivacyDb, patronId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('circulation_holds')
    .select('id')
    .where('patron_id', '=', patronId)
    .where('status', 'in', [...OPEN_HOLD])
    .execute();
  return rows.map((r) => r.id);
}

export async function openLoanCount(db: PrivacyDb, patronId: string): Promise<number> {
  const row = await db
    .selectFrom('circulation_loans')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('patron_id', '=', patronId)
    .where('returned_at', 'is', null)
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function activeIllCount(db: PrivacyDb, patronId: string): Promise<number> {
  const row = await db
    .selectFrom('circulation_ill_requests')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('patron_id', '=', patronId)
    .where('status', 'not in', [...FINISHED_ILL])
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Ended loans lose their patron (loans stay for statistics); returns how many. */
export async function unlinkEndedLoans(db: PrivacyDb, patronId: string): Promise<number> {
  const rows = await db
    .updateTable('circulation_loans')
    .set({ patron_id: null })
    .where('patron_id', '=', patronId)
    .where('returned_at', 'is not', null)
    .returning('id')
    .execute();
  return rows.length;
}

/**
 * Strips the record of everything personal: names, e-mail, notes, account link; the card number
 * becomes `deleted-<id>`; the category and library stay (aggregates), the row stays so that the
 * holds and ILL rows that point at it keep their integrity.
 */
export async function anonymizePatron(db: PrivacyDb, patronId: string, now: Date) {
  await db.deleteFrom('circulation_patron_blocks').where('patron_id', '=', patronId).execute();
  await db
    .deleteFrom('circulation_guardians')
    .where((eb) => eb.or([eb('child_patron_id', '=', patronId), eb('guardian_patron_id', '=', patronId)]))
    .execute();
  await db
    .updateTable('circulation_patrons')
    .set({
      person_id: null,
      card_number: `deleted-${patronId}`,
      given_name: '',
      family_name: '',
      email: null,
      staff_notes: '',
      keep_history: false,
      status: 'closed',
      updated_at: now,
    })
    .where('id', '=', patronId)
    .execute();
}

export async function setKeepHistory(db: PrivacyDb, patronId: string, keep: boolean, now: Date) {
  await db
    .updateTable('circulation_patrons')
    .set({ keep_history: keep, updated_at: now })
    .where('id', '=', patronId)
    .execute();
}
