import { sql, type Kysely, type Selectable } from 'kysely';
import type { AnyDb } from '../../../platform/db/database.js';
import type { PlatformTables } from '../../../platform/db/tables.js';
import type { CirculationTables } from '../circulation.tables.js';
import { OPEN_STATUSES, TRAPPED_STATUSES, type HoldStatus, type HoldsTables } from './holds.tables.js';

/** The database as holds, pickup, ILL and notifications see it (their tables and circulation's). */
export type HoldsDb = Kysely<HoldsTables & CirculationTables & PlatformTables>;
export const holdsDb = (db: AnyDb): HoldsDb =>
  (db as Kysely<PlatformTables>).withTables<HoldsTables & CirculationTables>();

export type HoldRow = Selectable<HoldsTables['circulation_holds']>;
export type PatronRow = Selectable<CirculationTables['circulation_patrons']>;

// Patrons, rules and settings (circulation's tables, read only) -----------------------------

export async function lockPatron(db: HoldsDb, patronId: string): Promise<PatronRow | undefined> {
  return db.selectFrom('circulation_patrons').selectAll().where('id', '=', patronId).forUpdate().executeTakeFirst();
}

export async function patronByCard(db: HoldsDb, libraryId: string, cardNumber: string): Promise<PatronRow | undefined> {
  return db
    .selectFrom('circulation_patrons')
    .selectAll()
    .where('organization_id', '=', libraryId)
    .where('card_number', '=', cardNumber)
    .executeTakeFirst();
}

export async function findPatron(db: HoldsDb, patronId: string): Promise<PatronRow | undefined> {
  return db.selectFrom('circulation_patrons').selectAll().where('id', '=', patronId).executeTakeFirst();
}

export async function patronsOfPerson(db: HoldsDb, personId: string): Promise<PatronRow[]> {
  return db
    .selectFrom('circulation_patrons')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('created_at')
    .execute();
}

export async function hasOpenBlock(db: HoldsDb, patronId: string): Promise<boolean> {
  const row = await db
    .selectFrom('circulation_patron_blocks')
    .select('id')
    .where('patron_id', '=', patronId)
    .where('lifted_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** The most holds a patron category may have open at a library (the most specific rule without an item type). */
export async function holdsAllowed(db: HoldsDb, libraryId: string, category: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('circulation_policies')
    .select('holds_allowed')
    .where('organization_id', '=', libraryId)
    .where('item_type', 'is', null)
    .where((eb) => eb.or([eb('patron_category', '=', category), eb('patron_category', 'is', null)]))
    .orderBy(sql`(patron_category is not null)::int`, 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.holds_allowed;
}

/** The loan period of a library's rule for a category and item type (most specific first). */
export async function loanDaysOf(
  db: HoldsDb,
  libraryId: string,
  category: string,
  itemType: string,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('circulation_policies')
    .select('loan_days')
    .where('organization_id', '=', libraryId)
    .where((eb) => eb.or([eb('patron_category', '=', category), eb('patron_category', 'is', null)]))
    .where((eb) => eb.or([eb('item_type', '=', itemType), eb('item_type', 'is', null)]))
    .orderBy(sql`(patron_category is not null)::int * 2 + (item_type is not null)::int`, 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.loan_days;
}

export async function pickupWindowDays(db: HoldsDb, libraryId: string): Promise<number> {
  const row = await db
    .selectFrom('circulation_library_settings')
    .select('pickup_window_days')
    .where('organization_id', '=', libraryId)
    .executeTakeFirst();
  return row?.pickup_window_days ?? 7;
}

// Holds --------------------------------------------------------------------------------------

export async function countOpenHolds(db: HoldsDb, patronId: string): Promise<number> {
  const row = await db
    .selectFrom('circulation_holds')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('patron_id', '=', patronId)
    .where('status', 'in', OPEN_STATUSES)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Inserts a hold; undefined when the patron already has an open hold on the work. */
export async function insertHold(
  db: HoldsDb,
  values: Omit<
    HoldRow,
    | 'id'
    | 'status'
    | 'suspended_until'
    | 'trapped_item_id'
    | 'trapped_library_id'
    | 'trapped_at'
    | 'ready_at'
    | 'expires_at'
    | 'closed_at'
    | 'cleared_at'
    | 'cancel_reason'
  >,
): Promise<HoldRow | undefined> {
  return db
    .insertInto('circulation_holds')
    .values(values)
    .onConflict((oc) =>
      oc
        .columns(['patron_id', 'work_id'])
        // Literals: the partial unique index must be recognisable from the statement alone (a
        // prepared statement's generic plan has no parameter values).
        .where(
          'status',
          'in',
          OPEN_STATUSES.map((status) => sql.lit(status)),
        )
        .doNothing(),
    )
    .returningAll()
    .executeTakeFirst();
}

export async function findHold(db: HoldsDb, holdId: string): Promise<HoldRow | undefined> {
  return db.selectFrom('circulation_holds').selectAll().where('id', '=', holdId).executeTakeFirst();
}

export async function lockHold(db: HoldsDb, holdId: string): Promise<HoldRow | undefined> {
  return db.selectFrom('circulation_holds').selectAll().where('id', '=', holdId).forUpdate().executeTakeFirst();
}

export async function updateHold(db: HoldsDb, holdId: string, set: Partial<Omit<HoldRow, 'id'>>): Promise<HoldRow> {
  return db.updateTable('circulation_holds').set(set).where('id', '=', holdId).returningAll().executeTakeFirstOrThrow();
}

// Reading history is private by default ------------------------------------------------------

/**
 * Forgets who a hold that is over was for, unless the patron keeps a reading history: its patron
 * and who placed it, and its pickup bookings' patron, become null (the work and copy stay, for
 * statistics). An expired or cancelled hold whose copy still waits on the hold shelf keeps its
 * patron until staff clear it (the expired list shows it). One hold (`holdId`) or all of a
 * patron's (`patronId`, when they stop keeping a history); returns how many holds were unlinked.
 */
export async function forgetClosedHolds(
  db: HoldsDb,
  which: { holdId: string } | { patronId: string },
): Promise<number> {
  const rows = await db
    .updateTable('circulation_holds as h')
    .set({ patron_id: null, placed_by: null })
    .$if('holdId' in which, (q) => q.where('h.id', '=', (which as { holdId: string }).holdId))
    .$if('patronId' in which, (q) => q.where('h.patron_id', '=', (which as { patronId: string }).patronId))
    .where('h.patron_id', 'is not', null)
    .where('h.status', 'not in', OPEN_STATUSES)
    .where((eb) =>
      eb.or([eb('h.status', '=', 'fulfilled'), eb('h.ready_at', 'is', null), eb('h.cleared_at', 'is not', null)]),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('circulation_patrons as p')
            .select('p.id')
            .whereRef('p.id', '=', 'h.patron_id')
            .where('p.keep_history', '=', true),
        ),
      ),
    )
    .returning('h.id')
    .execute();
  if (rows.length) {
    await db
      .updateTable('circulation_pickup_bookings')
      .set({ patron_id: null })
      .where(
        'hold_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
  }
  return rows.length;
}

/** The open hold holding a copy (pull, in transit or ready), locked. */
export async function lockTrapOf(db: HoldsDb, itemId: string): Promise<HoldRow | undefined> {
  return db
    .selectFrom('circulation_holds')
    .selectAll()
    .where('trapped_item_id', '=', itemId)
    .where('status', 'in', TRAPPED_STATUSES)
    .forUpdate()
    .executeTakeFirst();
}

/** A copy as the hold queue sees it: the item, its work and record, and the library holding it. */
type QueuedCopy = { id: string; workId: string; recordId: string; libraryId: string };

/**
 * The waiting holds the copy could fill: holds on the item itself, or on its work (in any edition
 * or in its record's), that the copy's library serves and that are not suspended at `now`; not
 * the holds of `exceptPatronId`.
 */
function holdsTheCopyCouldFill(db: HoldsDb, copy: QueuedCopy, now: Date, exceptPatronId: string | null) {
  return db
    .selectFrom('circulation_holds')
    .where('status', '=', 'waiting')
    .where('work_id', '=', copy.workId)
    .where((eb) =>
      eb.or([
        eb('item_id', '=', copy.id),
        eb.and([
          eb('item_id', 'is', null),
          eb.or([eb('record_ids', 'is', null), sql<boolean>`${copy.recordId}::uuid = any(record_ids)`]),
        ]),
      ]),
    )
    .where(sql<boolean>`${copy.libraryId}::uuid = any(source_library_ids)`)
    .where((eb) => eb.or([eb('suspended_until', 'is', null), eb('suspended_until', '<=', now)]))
    .$if(exceptPatronId !== null, (q) => q.where('patron_id', '<>', exceptPatronId!));
}

/**
 * The first waiting hold a copy can fill: item-level holds on it and title-level holds on its
 * work that accept its edition and its library, not suspended at `now`; patrons of the copy's
 * library first, then first come first served. Locked (skipping holds another transaction holds).
 */
export async function lockNextInQueue(
  db: HoldsDb,
  copy: QueuedCopy,
  now: Date,
  exceptPatronId: string | null = null,
): Promise<HoldRow | undefined> {
  return holdsTheCopyCouldFill(db, copy, now, exceptPatronId)
    .selectAll()
    .orderBy(sql`(organization_id <> ${copy.libraryId}::uuid)`)
    .orderBy('placed_at')
    .orderBy('id')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
}

/** Whether any waiting hold (of another patron) could be filled by the copy. */
export async function someoneWaitsFor(
  db: HoldsDb,
  copy: QueuedCopy,
  patronId: string | null,
  now: Date,
): Promise<boolean> {
  const row = await holdsTheCopyCouldFill(db, copy, now, patronId).select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** The open hold of a patron on a work (to fulfil at check-out), locked. */
/**
 * At a check-out, in one statement: the hold the copy is trapped for, and the patron's open hold
 * on its work, locked (the same row when both).
 */
export async function lockHoldsAtCheckOut(
  db: HoldsDb,
  item: { id: string; workId: string },
  patronId: string,
): Promise<HoldRow[]> {
  return db
    .selectFrom('circulation_holds')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('trapped_item_id', '=', item.id), eb('status', 'in', TRAPPED_STATUSES)]),
        eb.and([eb('patron_id', '=', patronId), eb('work_id', '=', item.workId), eb('status', 'in', OPEN_STATUSES)]),
      ]),
    )
    .forUpdate()
    .execute();
}

/**
 * Who a copy is set aside or lent between libraries for, in one statement: the patron of the
 * hold it is trapped for, else of an inter-library loan in progress with it; undefined when neither.
 */
export async function claimantOfCopy(
  db: HoldsDb,
  itemId: string,
  illStatuses: readonly string[],
): Promise<{ patron_id: string | null } | undefined> {
  const { rows } = await sql<{ patron_id: string | null }>`
    (select patron_id, 1 as rank from circulation_holds
      where trapped_item_id = ${itemId} and status in (${sql.join(TRAPPED_STATUSES)}) limit 1)
    union all
    (select patron_id, 2 from circulation_ill_requests
      where item_id = ${itemId} and status in (${sql.join([...illStatuses])}) limit 1)
    order by rank limit 1`.execute(db);
  return rows[0];
}

export async function lockOpenHoldOfPatronOnWork(db: HoldsDb, patronId: string, workId: string) {
  return db
    .selectFrom('circulation_holds')
    .selectAll()
    .where('patron_id', '=', patronId)
    .where('work_id', '=', workId)
    .where('status', 'in', OPEN_STATUSES)
    .forUpdate()
    .executeTakeFirst();
}

export async function holdsOfPatrons(db: HoldsDb, patronIds: string[], open: boolean): Promise<HoldRow[]> {
  if (!patronIds.length) return [];
  return db
    .selectFrom('circulation_holds')
    .selectAll()
    .where('patron_id', 'in', patronIds)
    .$if(open, (q) => q.where('status', 'in', OPEN_STATUSES))
    .$if(!open, (q) => q.where('status', 'not in', OPEN_STATUSES))
    .orderBy('placed_at', 'desc')
    .limit(200)
    .execute();
}

export type StaffList = 'pull' | 'shelf' | 'expired' | 'transit';

/** A library's staff lists: copies to pull from its shelves, holds waiting on its hold shelves, expired holds to clear, holds on their way. */
export async function staffList(
  db: HoldsDb,
  libraryId: string,
  list: StaffList,
  page: { limit: number; offset: number },
): Promise<{ rows: HoldRow[]; total: number }> {
  let q = db.selectFrom('circulation_holds');
  if (list === 'pull') q = q.where('trapped_library_id', '=', libraryId).where('status', '=', 'pull');
  else if (list === 'shelf') q = q.where('organization_id', '=', libraryId).where('status', '=', 'ready');
  else if (list === 'transit') q = q.where('organization_id', '=', libraryId).where('status', '=', 'in_transit');
  else
    q = q
      .where('organization_id', '=', libraryId)
      .where('status', 'in', ['expired', 'cancelled'])
      .where('ready_at', 'is not', null)
      .where('cleared_at', 'is', null);
  const [rows, count] = await Promise.all([
    q
      .selectAll()
      .orderBy(list === 'shelf' ? 'expires_at' : list === 'expired' ? 'closed_at' : 'trapped_at')
      .orderBy('id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Waiting holds, oldest first, for the sweep that gives them copies that became free without a check-in. */
export async function waitingHolds(db: HoldsDb, now: Date, limit: number): Promise<HoldRow[]> {
  return db
    .selectFrom('circulation_holds')
    .selectAll()
    .where('status', '=', 'waiting')
    .where((eb) => eb.or([eb('suspended_until', 'is', null), eb('suspended_until', '<=', now)]))
    .orderBy('placed_at')
    .limit(limit)
    .execute();
}

/** Ready holds whose pickup window ended by `now`. */
export async function dueExpiries(db: HoldsDb, now: Date, limit: number): Promise<Array<{ id: string }>> {
  return db
    .selectFrom('circulation_holds')
    .select('id')
    .where('status', '=', 'ready')
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .execute();
}

export type { HoldStatus };

/** Which of these copies an open hold has set aside or an inter-library loan under way has taken. */
export async function takenCopyIds(db: HoldsDb, itemIds: string[]): Promise<Set<string>> {
  const { rows } = await sql<{ id: string }>`
    select h.trapped_item_id as id from circulation_holds h
    where h.trapped_item_id = any(${itemIds}::uuid[]) and h.status = any(${[...TRAPPED_STATUSES]}::text[])
    union
    select l.item_id from circulation_ill_requests l
    where l.item_id = any(${itemIds}::uuid[])
      and l.status in ('approved', 'shipped', 'received', 'on_loan', 'returned', 'shipped_back')`.execute(db);
  return new Set(rows.map((r) => r.id));
}
