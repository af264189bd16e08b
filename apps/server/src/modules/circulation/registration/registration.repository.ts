import type { Insertable } from 'kysely';
import type { CirculationTables } from '../circulation.tables.js';
import type { CirculationDb, PatronRow } from '../circulation.repository.js';

/** What the library offers online (null when it never saved circulation settings). */
export async function selfRegistrationOf(db: CirculationDb, libraryId: string) {
  return db
    .selectFrom('circulation_library_settings')
    .select(['self_registration', 'self_registration_categories'])
    .where('organization_id', '=', libraryId)
    .executeTakeFirst();
}

/** The person's patron record at a library, if any (staff-registered or self-registered). */
export async function patronOfPerson(db: CirculationDb, libraryId: string, personId: string) {
  return db
    .selectFrom('circulation_patrons')
    .selectAll()
    .where('organization_id', '=', libraryId)
    .where('person_id', '=', personId)
    .orderBy('created_at')
    .executeTakeFirst();
}

/** Every patron record linked to a person, oldest first. */
export async function patronsOfPerson(db: CirculationDb, personId: string): Promise<PatronRow[]> {
  return db
    .selectFrom('circulation_patrons')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/**
 * Inserts a self-registered patron; undefined when a unique constraint refused it (the card
 * number is taken at this library, or the person has just joined it in another request).
 */
export async function insertSelfRegisteredPatron(
  db: CirculationDb,
  values: Omit<Insertable<CirculationTables['circulation_patrons']>, 'id' | 'updated_at'> & {
    created_at: Date;
    self_registered_at: Date;
  },
): Promise<PatronRow | undefined> {
  return db
    .insertInto('circulation_patrons')
    .values({ ...values, updated_at: values.created_at })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Marks a pending patron's identity confirmed; undefined when no pending patron matched. */
export async function confirmIdentity(
  db: CirculationDb,
  libraryId: string,
  patronId: string,
  values: { confirmedBy: string | null; at: Date },
): Promise<PatronRow | undefined> {
  return db
    .updateTable('circulation_patrons')
    .set({
      status: 'active',
      identity_confirmed_by: values.confirmedBy,
      identity_confirmed_at: values.at,
      updated_at: values.at,
    })
    .where('organization_id', '=', libraryId)
    .where('id', '=', patronId)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
}
