import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { AnyDb } from '../../../platform/db/database.js';
import type { PlatformTables } from '../../../platform/db/tables.js';
import type { CirculationTables } from '../circulation.tables.js';
import type { FinesTables } from './fines.tables.js';

export type FinesDb = Kysely<CirculationTables & FinesTables & PlatformTables>;
export const finesDb = (db: AnyDb): FinesDb =>
  (db as Kysely<PlatformTables>).withTables<CirculationTables & FinesTables>();

export type FineRow = Selectable<FinesTables['circulation_fines']>;
export type FineWithItem = FineRow & { item_id: string | null };

/** Records a fine; nothing when the loan already has one. */
export async function insertFine(
  db: FinesDb,
  values: Omit<Insertable<FinesTables['circulation_fines']>, 'id' | 'paid' | 'waived' | 'status'>,
): Promise<FineRow | undefined> {
  return db
    .insertInto('circulation_fines')
    .values(values)
    .onConflict((oc) => oc.column('loan_id').doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Fines of the patrons (at one library, or at all), newest first, with the item of the loan. */
export async function finesOf(db: FinesDb, patronIds: string[], libraryId?: string): Promise<FineWithItem[]> {
  if (patronIds.length === 0) return [];
  let q = db
    .selectFrom('circulation_fines as f')
    .leftJoin('circulation_loans as l', 'l.id', 'f.loan_id')
    .selectAll('f')
    .select('l.item_id')
    .where('f.patron_id', 'in', patronIds);
  if (libraryId) q = q.where('f.organization_id', '=', libraryId);
  return q.orderBy('f.created_at', 'desc').orderBy('f.id').execute();
}

/** One fine of the library, locked for the rest of the transaction (payments and waivers queue here). */
export async function lockFine(db: FinesDb, libraryId: string, fineId: string): Promise<FineRow | undefined> {
  return db
    .selectFrom('circulation_fines')
    .selectAll()
    .where('id', '=', fineId)
    .where('organization_id', '=', libraryId)
    .forUpdate()
    .executeTakeFirst();
}

export async function updateFine(
  db: FinesDb,
  fineId: string,
  values: Partial<Pick<FineRow, 'paid' | 'waived' | 'status' | 'waived_by' | 'waived_at' | 'waive_reason'>>,
): Promise<FineRow> {
  return db
    .updateTable('circulation_fines')
    .set(values)
    .where('id', '=', fineId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Adds a row to the payments ledger (a payment, or a reversal of one); its id. */
export async function insertPayment(
  db: FinesDb,
  values: Insertable<FinesTables['circulation_fine_payments']>,
): Promise<string> {
  const row = await db.insertInto('circulation_fine_payments').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export type PaymentRow = Selectable<FinesTables['circulation_fine_payments']> & { reversal_id: string | null };

/**
 * A payment of the fine (not a reversal), with the reversal that undid it if any; undefined when the
 * fine has no such payment. Read under the fine's lock, which reversals take too.
 */
export async function paymentOf(db: FinesDb, fineId: string, paymentId: string): Promise<PaymentRow | undefined> {
  return db
    .selectFrom('circulation_fine_payments as p')
    .leftJoin('circulation_fine_payments as r', 'r.reverses_payment_id', 'p.id')
    .selectAll('p')
    .select('r.id as reversal_id')
    .where('p.id', '=', paymentId)
    .where('p.fine_id', '=', fineId)
    .where('p.reverses_payment_id', 'is', null)
    .executeTakeFirst();
}

/** How many open fines the patron has, and the total still owed (minor units, any currency). */
export async function openFines(db: FinesDb, patronId: string): Promise<{ count: number; owed: number }> {
  const row = await db
    .selectFrom('circulation_fines')
    .select([
      sql<number>`count(*)::int`.as('count'),
      sql<number>`coalesce(sum(amount - paid - waived), 0)::int`.as('owed'),
    ])
    .where('patron_id', '=', patronId)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return { count: row.count, owed: row.owed };
}

/** The open loans of the patrons that were due before `now` (at one library, or at all). */
export async function overdueLoans(db: FinesDb, patronIds: string[], now: Date, libraryId?: string) {
  if (patronIds.length === 0) return [];
  let q = db
    .selectFrom('circulation_loans')
    .select(['id', 'organization_id', 'item_id', 'due_at', 'policy_id'])
    .where('patron_id', 'in', patronIds)
    .where('returned_at', 'is', null)
    .where('due_at', '<', now);
  if (libraryId) q = q.where('organization_id', '=', libraryId);
  return q.orderBy('due_at').execute();
}

/** The fine terms of loan rules, by id (the numeric columns as the driver gives them). */
export async function fineTerms(db: FinesDb, policyIds: string[]) {
  if (policyIds.length === 0) return new Map<string, { daily_fine: unknown; fine_cap: unknown; grace_days: number }>();
  const rows = await db
    .selectFrom('circulation_policies')
    .select(['id', 'daily_fine', 'fine_cap', 'grace_days'])
    .where('id', 'in', [...new Set(policyIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, r as { daily_fine: unknown; fine_cap: unknown; grace_days: number }]));
}

/** The library a patron record belongs to. */
export async function patronHome(db: FinesDb, patronId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('circulation_patrons')
    .select('organization_id')
    .where('id', '=', patronId)
    .executeTakeFirst();
  return row?.organization_id;
}

/** Whether the patron has had a loan at the library (kept while the loan keeps its patron). */
export async function hasLoansAt(db: FinesDb, libraryId: string, patronId: string): Promise<boolean> {
  const row = await db
    .selectFrom('circulation_loans')
    .select('id')
    .where('organization_id', '=', libraryId)
    .where('patron_id', '=', patronId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function patronIdsOfPerson(db: FinesDb, personId: string): Promise<string[]> {
  const rows = await db.selectFrom('circulation_patrons').select('id').where('person_id', '=', personId).execute();
  return rows.map((r) => r.id);
}

/** The currency each library charges fines in (libraries without saved settings are left out). */
export async function currencies(db: FinesDb, libraryIds: string[]): Promise<Map<string, string>> {
  if (libraryIds.length === 0) return new Map();
  const { rows } = await sql<{ organization_id: string; currency: string }>`
    select organization_id, currency from circulation_library_settings
    where organization_id in (${sql.join([...new Set(libraryIds)])})`.execute(db);
  return new Map(rows.map((r) => [r.organization_id, r.currency]));
}

export async function fineById(db: FinesDb, fineId: string): Promise<FineWithItem> {
  return db
    .selectFrom('circulation_fines as f')
    .leftJoin('circulation_loans as l', 'l.id', 'f.loan_id')
    .selectAll('f')
    .select('l.item_id')
    .where('f.id', '=', fineId)
    .executeTakeFirstOrThrow();
}
