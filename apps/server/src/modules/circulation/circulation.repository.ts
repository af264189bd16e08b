import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { AnyDb } from '../../platform/db/database.js';
import type { PlatformTables } from '../../platform/db/tables.js';
import type { CirculationTables } from './circulation.tables.js';

/** The database as this module sees it. */
export type CirculationDb = Kysely<CirculationTables & PlatformTables>;
export const circulationDb = (db: AnyDb): CirculationDb =>
  (db as Kysely<PlatformTables>).withTables<CirculationTables>();

export type PatronRow = Selectable<CirculationTables['circulation_patrons']>;
export type PolicyRow = Selectable<CirculationTables['circulation_policies']>;
export type LoanRow = Selectable<CirculationTables['circulation_loans']>;
export type BlockRow = Selectable<CirculationTables['circulation_patron_blocks']>;

// Settings ---------------------------------------------------------------------------------

export async function getSettings(db: CirculationDb, libraryId: string) {
  return db
    .selectFrom('circulation_library_settings')
    .select(['quarantine_hours', 'pickup_window_days', 'self_registration', 'self_registration_categories'])
    .where('organization_id', '=', libraryId)
    .executeTakeFirst();
}

export async function upsertSettings(
  db: CirculationDb,
  libraryId: string,
  values: {
    quarantine_hours?: number | undefined;
    pickup_window_days?: number | undefined;
    self_registration?: 'off' | 'borrow_at_once' | 'confirm_at_desk' | undefined;
    self_registration_categories?: string[] | undefined;
  },
) {
  const set = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
  return db
    .insertInto('circulation_library_settings')
    .values({ organization_id: libraryId, ...set })
    .onConflict((oc) => oc.column('organization_id').doUpdateSet({ ...set, updated_at: new Date() }))
    .returning(['quarantine_hours', 'pickup_window_days', 'self_registration', 'self_registration_categories'])
    .executeTakeFirstOrThrow();
}

// Patrons ----------------------------------------------------------------------------------

export async function insertPatron(
  db: CirculationDb,
  values: Omit<Insertable<CirculationTables['circulation_patrons']>, 'id' | 'updated_at' | 'status'> & {
    created_at: Date;
  },
): Promise<PatronRow | undefined> {
  return db
    .insertInto('circulation_patrons')
    .values({ ...values, updated_at: values.created_at })
    .onConflict((oc) => oc.columns(['organization_id', 'card_number']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findPatron(db: CirculationDb, libraryId: string, patronId: string) {
  return db
    .selectFrom('circulation_patrons')
    .selectAll()
    .where('organization_id', '=', libraryId)
    .where('id', '=', patronId)
    .executeTakeFirst();
}

/**
 * A patron locked for a check-out, with what the desk checks next read in the same statement:
 * the reasons of their open blocks and how many loans they have open (at every library).
 */
export async function lockPatronForCheckOut(
  db: CirculationDb,
  where: { libraryId: string; cardNumber: string } | { id: string },
) {
  const found =
    'id' in where
      ? sql`p.id = ${where.id}`
      : sql`p.organization_id = ${where.libraryId} and p.card_number = ${where.cardNumber}`;
  const { rows } = await sql<PatronRow & { block_reasons: string[]; open_loans: number }>`
    select p.*,
      array(select b.reason from circulation_patron_blocks b where b.patron_id = p.id and b.lifted_at is null
        order by b.blocked_at) as block_reasons,
      (select count(*)::int from circulation_loans l where l.patron_id = p.id and l.returned_at is null) as open_loans
    from circulation_patrons p where ${found}
    for update of p`.execute(db);
  return rows[0];
}

export async function lockPatron(db: CirculationDb, patronId: string) {
  return db.selectFrom('circulation_patrons').selectAll().where('id', '=', patronId).forUpdate().executeTakeFirst();
}

export async function searchPatrons(
  db: CirculationDb,
  libraryId: string,
  query: { q?: string | undefined; page: number; pageSize: number },
) {
  let base = db.selectFrom('circulation_patrons').where('organization_id', '=', libraryId);
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`).toLowerCase()}%`;
    base = base.where((eb) =>
      eb.or([
        eb('card_number', '=', query.q!),
        eb(sql`lower(family_name)`, 'like', like),
        eb(sql`lower(given_name)`, 'like', like),
        eb(sql`lower(coalesce(email, ''))`, 'like', like),
      ]),
    );
  }
  const [rows, total] = await Promise.all([
    base
      .selectAll()
      .orderBy(sql`lower(family_name)`)
      .orderBy(sql`lower(given_name)`)
      .orderBy('id')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: total.n };
}

export async function updatePatron(
  db: CirculationDb,
  libraryId: string,
  patronId: string,
  values: Partial<Pick<PatronRow, 'expires_on' | 'status' | 'keep_history' | 'staff_notes'>> & { updated_at: Date },
) {
  return db
    .updateTable('circulation_patrons')
    .set(values)
    .where('organization_id', '=', libraryId)
    .where('id', '=', patronId)
    .returningAll()
    .executeTakeFirst();
}

export async function patronsOfPerson(db: CirculationDb, personId: string) {
  return db.selectFrom('circulation_patrons').selectAll().where('person_id', '=', personId).execute();
}

export async function openBlocks(db: CirculationDb, patronIds: string[]): Promise<BlockRow[]> {
  if (patronIds.length === 0) return [];
  return db
    .selectFrom('circulation_patron_blocks')
    .selectAll()
    .where('patron_id', 'in', patronIds)
    .where('lifted_at', 'is', null)
    .orderBy('blocked_at')
    .execute();
}

export async function insertBlock(
  db: CirculationDb,
  values: { organization_id: string; patron_id: string; reason: string; blocked_by: string | null; blocked_at: Date },
) {
  return db.insertInto('circulation_patron_blocks').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function liftBlock(
  db: CirculationDb,
  libraryId: string,
  patronId: string,
  blockId: string,
  by: { lifted_by: string | null; lifted_at: Date },
) {
  return db
    .updateTable('circulation_patron_blocks')
    .set(by)
    .where('organization_id', '=', libraryId)
    .where('patron_id', '=', patronId)
    .where('id', '=', blockId)
    .where('lifted_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
}

export async function openLoanCounts(db: CirculationDb, patronIds: string[]): Promise<Map<string, number>> {
  if (patronIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('circulation_loans')
    .select(['patron_id', sql<number>`count(*)::int`.as('n')])
    .where('patron_id', 'in', patronIds)
    .where('returned_at', 'is', null)
    .groupBy('patron_id')
    .execute();
  return new Map(rows.map((r) => [r.patron_id!, r.n]));
}

// Policies ---------------------------------------------------------------------------------

export async function listPolicies(db: CirculationDb, libraryId: string) {
  return db
    .selectFrom('circulation_policies')
    .selectAll()
    .where('organization_id', '=', libraryId)
    .orderBy(sql`patron_category nulls last`)
    .orderBy(sql`item_type nulls last`)
    .execute();
}

export async function insertPolicy(
  db: CirculationDb,
  values: Omit<PolicyRow, 'id' | 'created_at' | 'updated_at'>,
): Promise<PolicyRow | undefined> {
  const { rows } = await sql<PolicyRow>`
    insert into circulation_policies (organization_id, patron_category, item_type, loan_days, renewals, hold_blocks_renewal,
      max_loans, holds_allowed, daily_fine, fine_cap, grace_days)
    values (${values.organization_id}, ${values.patron_category}, ${values.item_type}, ${values.loan_days}, ${values.renewals},
      ${values.hold_blocks_renewal}, ${values.max_loans}, ${values.holds_allowed}, ${values.daily_fine}, ${values.fine_cap},
      ${values.grace_days})
    on conflict (organization_id, coalesce(patron_category, ''), coalesce(item_type, '')) do nothing
    returning *`.execute(db);
  return rows[0];
}

export async function deletePolicy(db: CirculationDb, libraryId: string, policyId: string) {
  return db
    .deleteFrom('circulation_policies')
    .where('organization_id', '=', libraryId)
    .where('id', '=', policyId)
    .returning('id')
    .executeTakeFirst();
}

export async function findPolicy(db: CirculationDb, policyId: string) {
  return db.selectFrom('circulation_policies').selectAll().where('id', '=', policyId).executeTakeFirst();
}

/** The library's rules that could apply to a patron category and item type (at most four). */
export async function candidatePolicies(db: CirculationDb, libraryId: string, category: string, itemType: string) {
  return db
    .selectFrom('circulation_policies')
    .selectAll()
    .where('organization_id', '=', libraryId)
    .where((eb) => eb.or([eb('patron_category', '=', category), eb('patron_category', 'is', null)]))
    .where((eb) => eb.or([eb('item_type', '=', itemType), eb('item_type', 'is', null)]))
    .execute();
}

// Calendars live in calendar.repository.ts.

// A date column comes back as a Date at local midnight or as a string, depending on the driver's parser.
export function isoDay(value: unknown): string {
  if (value instanceof Date) {
    const y = value.getFullYear();
    const m = String(value.getMonth() + 1).padStart(2, '0');
    const d = String(value.getDate()).padStart(2, '0');
    return `${y}-${m}-${d}`;
  }
  return String(value).slice(0, 10);
}

// Loans ------------------------------------------------------------------------------------

/**
 * Records a loan and, in the same statement, the lent copy's state (at no branch, no quarantine,
 * no transit). Fails with a unique violation when the copy is already on loan.
 */
export async function insertLoan(
  db: CirculationDb,
  values: Omit<LoanRow, 'id' | 'renewals' | 'returned_at' | 'returned_branch_id' | 'returned_by'>,
  copy: { libraryId: string },
) {
  const state = {
    at_branch_id: null,
    quarantine_until: null,
    transit_to_branch_id: null,
    updated_at: values.checked_out_at,
  };
  return db
    .with('state', (cte) =>
      cte
        .insertInto('circulation_item_states')
        .values({ item_id: values.item_id, organization_id: copy.libraryId, ...state })
        .onConflict((oc) => oc.column('item_id').doUpdateSet(state)),
    )
    .insertInto('circulation_loans')
    .values(values)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function lockOpenLoanOfItem(db: CirculationDb, itemId: string) {
  return db
    .selectFrom('circulation_loans')
    .selectAll()
    .where('item_id', '=', itemId)
    .where('returned_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * The open loan of a copy, locked for its check-in, with what the answer and the end of the loan
 * need: whether the patron keeps a reading history, the renewals its rule allowed (null when the
 * rule is gone), and the lending library's quarantine hours (null when it has no settings).
 */
export async function lockOpenLoanForCheckIn(db: CirculationDb, itemId: string) {
  const { rows } = await sql<
    LoanRow & { keep_history: boolean; renewals_allowed: number | null; quarantine_hours: number | null }
  >`
    select l.*, coalesce(p.keep_history, false) as keep_history, pol.renewals as renewals_allowed,
      s.quarantine_hours
    from circulation_loans l
      left join circulation_patrons p on p.id = l.patron_id
      left join circulation_policies pol on pol.id = l.policy_id
      left join circulation_library_settings s on s.organization_id = l.organization_id
    where l.item_id = ${itemId} and l.returned_at is null
    for update of l`.execute(db);
  return rows[0];
}

export async function lockLoan(db: CirculationDb, loanId: string) {
  return db.selectFrom('circulation_loans').selectAll().where('id', '=', loanId).forUpdate().executeTakeFirst();
}

export async function endLoan(
  db: CirculationDb,
  loanId: string,
  values: { returned_at: Date; returned_branch_id: string; returned_by: string | null; keepPatron: boolean },
) {
  return db
    .updateTable('circulation_loans')
    .set({
      returned_at: values.returned_at,
      returned_branch_id: values.returned_branch_id,
      returned_by: values.returned_by,
      ...(values.keepPatron ? {} : { patron_id: null }),
    })
    .where('id', '=', loanId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function renewLoan(db: CirculationDb, loanId: string, dueAt: Date) {
  return db
    .updateTable('circulation_loans')
    .set((eb) => ({ due_at: dueAt, renewals: eb('renewals', '+', 1) }))
    .where('id', '=', loanId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listLoans(
  db: CirculationDb,
  libraryId: string,
  filter: { patronId?: string | undefined; open?: boolean | undefined; page: number; pageSize: number },
) {
  let base = db.selectFrom('circulation_loans').where('organization_id', '=', libraryId);
  if (filter.patronId) base = base.where('patron_id', '=', filter.patronId);
  if (filter.open !== undefined) base = base.where('returned_at', filter.open ? 'is' : 'is not', null);
  const [rows, total] = await Promise.all([
    base
      .selectAll()
      .orderBy('checked_out_at', 'desc')
      .orderBy('id')
      .limit(filter.pageSize)
      .offset((filter.page - 1) * filter.pageSize)
      .execute(),
    base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: total.n };
}

export async function loansOfItem(db: CirculationDb, itemId: string, limit = 100) {
  return db
    .selectFrom('circulation_loans')
    .selectAll()
    .where('item_id', '=', itemId)
    .orderBy('checked_out_at', 'desc')
    .limit(limit)
    .execute();
}

export async function openLoansOfPatrons(db: CirculationDb, patronIds: string[]) {
  if (patronIds.length === 0) return [];
  return db
    .selectFrom('circulation_loans')
    .selectAll()
    .where('patron_id', 'in', patronIds)
    .where('returned_at', 'is', null)
    .orderBy('due_at')
    .execute();
}

export async function policiesByIds(db: CirculationDb, ids: string[]): Promise<Map<string, PolicyRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('circulation_policies').selectAll().where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

// Item states (quarantine, transit) ----------------------------------------------------------

export async function setItemState(
  db: CirculationDb,
  values: {
    item_id: string;
    organization_id: string;
    at_branch_id: string | null;
    quarantine_until: Date | null;
    transit_to_branch_id: string | null;
    updated_at: Date;
  },
) {
  await db
    .insertInto('circulation_item_states')
    .values(values)
    .onConflict((oc) =>
      oc.column('item_id').doUpdateSet({
        at_branch_id: values.at_branch_id,
        quarantine_until: values.quarantine_until,
        transit_to_branch_id: values.transit_to_branch_id,
        updated_at: values.updated_at,
      }),
    )
    .execute();
}

export async function getItemState(db: CirculationDb, itemId: string) {
  return db.selectFrom('circulation_item_states').selectAll().where('item_id', '=', itemId).executeTakeFirst();
}

/** Items whose quarantine has ended by `now`, oldest first. */
export async function dueQuarantines(db: CirculationDb, now: Date, limit: number) {
  return db
    .selectFrom('circulation_item_states')
    .select(['item_id', 'at_branch_id'])
    .where('quarantine_until', '<=', now)
    .orderBy('quarantine_until')
    .limit(limit)
    .execute();
}
