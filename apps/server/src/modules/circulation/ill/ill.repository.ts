import type { Selectable } from 'kysely';
import type { HoldsDb } from '../holds/holds.repository.js';
import { ILL_PATRON_DONE, type HoldsTables } from '../holds/holds.tables.js';

export type IllRow = Selectable<HoldsTables['circulation_ill_requests']>;
export type IllEventRow = Selectable<HoldsTables['circulation_ill_events']>;

export async function insertRequest(
  db: HoldsDb,
  values: Pick<
    IllRow,
    | 'borrower_library_id'
    | 'lender_library_id'
    | 'patron_id'
    | 'work_id'
    | 'note'
    | 'requested_by'
    | 'created_at'
    | 'updated_at'
  >,
): Promise<IllRow> {
  return db.insertInto('circulation_ill_requests').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findRequest(db: HoldsDb, id: string): Promise<IllRow | undefined> {
  return db.selectFrom('circulation_ill_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function lockRequest(db: HoldsDb, id: string): Promise<IllRow | undefined> {
  return db.selectFrom('circulation_ill_requests').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateRequest(db: HoldsDb, id: string, set: Partial<Omit<IllRow, 'id'>>): Promise<IllRow> {
  return db
    .updateTable('circulation_ill_requests')
    .set(set)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertEvent(db: HoldsDb, values: Omit<IllEventRow, 'id'>): Promise<void> {
  await db.insertInto('circulation_ill_events').values(values).execute();
}

export async function eventsOf(db: HoldsDb, ids: string[]): Promise<IllEventRow[]> {
  if (!ids.length) return [];
  return db.selectFrom('circulation_ill_events').selectAll().where('request_id', 'in', ids).orderBy('id').execute();
}

export async function requestsOfLibrary(
  db: HoldsDb,
  libraryId: string,
  role: 'borrower' | 'lender',
  page: { limit: number; offset: number },
): Promise<{ rows: IllRow[]; total: number }> {
  const q = db
    .selectFrom('circulation_ill_requests')
    .where(role === 'borrower' ? 'borrower_library_id' : 'lender_library_id', '=', libraryId);
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('updated_at', 'desc').orderBy('id').limit(page.limit).offset(page.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function requestsOfPatrons(db: HoldsDb, patronIds: string[]): Promise<IllRow[]> {
  if (!patronIds.length) return [];
  return db
    .selectFrom('circulation_ill_requests')
    .selectAll()
    .where('patron_id', 'in', patronIds)
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
}

/**
 * Forgets who a request whose patron's part is over (ILL_PATRON_DONE) was for, unless the patron
 * keeps a reading history: its patron and requester, and the person behind the patron's own steps,
 * become null (the libraries, work and copy stay). One request, or all of a patron's (when they
 * stop keeping a history); returns how many requests were unlinked.
 */
export async function forgetFinishedRequests(
  db: HoldsDb,
  which: { requestId: string } | { patronId: string },
): Promise<number> {
  const rows = await db
    .updateTable('circulation_ill_requests as r')
    .set({ patron_id: null, requested_by: null })
    .$if('requestId' in which, (q) => q.where('r.id', '=', (which as { requestId: string }).requestId))
    .$if('patronId' in which, (q) => q.where('r.patron_id', '=', (which as { patronId: string }).patronId))
    .where('r.patron_id', 'is not', null)
    .where('r.status', 'in', ILL_PATRON_DONE)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('circulation_patrons as p')
            .select('p.id')
            .whereRef('p.id', '=', 'r.patron_id')
            .where('p.keep_history', '=', true),
        ),
      ),
    )
    .returning('r.id')
    .execute();
  if (rows.length) {
    await db
      .updateTable('circulation_ill_events')
      .set({ actor_id: null })
      .where(
        'request_id',
        'in',
        rows.map((r) => r.id),
      )
      .where('party', '=', 'patron')
      .execute();
  }
  return rows.length;
}
