import type { Kysely } from 'kysely';
import type { AnyDb } from '../../../platform/db/database.js';
import type { PlatformTables } from '../../../platform/db/tables.js';
import type { CirculationTables } from '../circulation.tables.js';
import type { GuardiansTables } from './guardians.tables.js';

export type GuardiansDb = Kysely<CirculationTables & GuardiansTables & PlatformTables>;
export const guardiansDb = (db: AnyDb): GuardiansDb =>
  (db as Kysely<PlatformTables>).withTables<CirculationTables & GuardiansTables>();

const PATRON = ['p.id', 'p.organization_id', 'p.given_name', 'p.family_name', 'p.card_number'] as const;

export async function findPatron(db: GuardiansDb, libraryId: string, patronId: string) {
  return db
    .selectFrom('circulation_patrons as p')
    .select(PATRON)
    .where('p.organization_id', '=', libraryId)
    .where('p.id', '=', patronId)
    .executeTakeFirst();
}

/** Links a guardian; true when new. */
export async function link(
  db: GuardiansDb,
  values: { organization_id: string; child_patron_id: string; guardian_patron_id: string; created_by: string | null },
): Promise<boolean> {
  const rows = await db
    .insertInto('circulation_guardians')
    .values(values)
    .onConflict((oc) => oc.columns(['child_patron_id', 'guardian_patron_id']).doNothing())
    .returning('child_patron_id')
    .execute();
  return rows.length > 0;
}

export async function unlink(db: GuardiansDb, libraryId: string, childId: string, guardianId: string) {
  const rows = await db
    .deleteFrom('circulation_guardians')
    .where('organization_id', '=', libraryId)
    .where('child_patron_id', '=', childId)
    .where('guardian_patron_id', '=', guardianId)
    .returning('child_patron_id')
    .execute();
  return rows.length > 0;
}

export async function guardiansOf(db: GuardiansDb, libraryId: string, childId: string) {
  return db
    .selectFrom('circulation_guardians as g')
    .innerJoin('circulation_patrons as p', 'p.id', 'g.guardian_patron_id')
    .select(PATRON)
    .where('g.organization_id', '=', libraryId)
    .where('g.child_patron_id', '=', childId)
    .orderBy('g.created_at')
    .execute();
}

/** The child patrons of which one of the person's patron records is a guardian. */
export async function childrenOfPerson(db: GuardiansDb, personId: string) {
  return db
    .selectFrom('circulation_guardians as g')
    .innerJoin('circulation_patrons as guardian', 'guardian.id', 'g.guardian_patron_id')
    .innerJoin('circulation_patrons as p', 'p.id', 'g.child_patron_id')
    .select(PATRON)
    .where('guardian.person_id', '=', personId)
    .orderBy('p.given_name')
    .execute();
}

export async function openLoanOf(db: GuardiansDb, loanId: string, patronId: string) {
  return db
    .selectFrom('circulation_loans')
    .select(['id', 'organization_id'])
    .where('id', '=', loanId)
    .where('patron_id', '=', patronId)
    .where('returned_at', 'is', null)
    .executeTakeFirst();
}
