import type { Kysely } from 'kysely';
import type { AnyDb } from '../../../platform/db/database.js';
import type { PlatformTables } from '../../../platform/db/tables.js';
import type { CirculationTables } from '../circulation.tables.js';
import type { NetworkTables } from './network.tables.js';

export type NetworkDb = Kysely<CirculationTables & NetworkTables & PlatformTables>;
export const networkDb = (db: AnyDb): NetworkDb =>
  (db as Kysely<PlatformTables>).withTables<CirculationTables & NetworkTables>();

const SETTINGS = ['organization_id', 'lends_to_network_patrons', 'own_patrons_borrow_elsewhere', 'currency'] as const;

/** The saved network settings of these libraries (libraries without a row are left out). */
export async function settingsOf(db: NetworkDb, libraryIds: string[]) {
  if (libraryIds.length === 0) return [];
  return db
    .selectFrom('circulation_library_settings')
    .select(SETTINGS)
    .where('organization_id', 'in', libraryIds)
    .execute();
}

export async function upsertSettings(
  db: NetworkDb,
  libraryId: string,
  values: {
    lends_to_network_patrons?: boolean | undefined;
    own_patrons_borrow_elsewhere?: boolean | undefined;
    currency?: string | undefined;
  },
  now: Date,
) {
  const set = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
  return db
    .insertInto('circulation_library_settings')
    .values({ organization_id: libraryId, ...set, updated_at: now })
    .onConflict((oc) => oc.column('organization_id').doUpdateSet({ ...set, updated_at: now }))
    .returning(SETTINGS)
    .executeTakeFirstOrThrow();
}

/** Patrons with this card number at these libraries (a card is unique per library only). */
export async function patronsByCard(db: NetworkDb, libraryIds: string[], cardNumber: string) {
  if (libraryIds.length === 0) return [];
  return db
    .selectFrom('circulation_patrons')
    .selectAll()
    .where('organization_id', 'in', libraryIds)
    .where('card_number', '=', cardNumber)
    .orderBy('organization_id')
    .execute();
}

/** How many of the patrons have an open block, by patron. */
export async function blockedPatronIds(db: NetworkDb, patronIds: string[]): Promise<Set<string>> {
  if (patronIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('circulation_patron_blocks')
    .select('patron_id')
    .where('patron_id', 'in', patronIds)
    .where('lifted_at', 'is', null)
    .execute();
  return new Set(rows.map((r) => r.patron_id));
}
