import { sql, type Selectable } from 'kysely';
import type { CatalogDb } from '../catalog.repository.js';
import type { CatalogTables } from '../catalog.tables.js';

export type ItemRow = Selectable<CatalogTables['catalog_items']>;

/** The unique constraint on (organization_id, barcode): a barcode names one copy in a library. */
export const BARCODE_CONSTRAINT = 'catalog_items_organization_id_barcode_key';

export async function listItems(db: CatalogDb, recordId: string): Promise<ItemRow[]> {
  return db.selectFrom('catalog_items').selectAll().where('record_id', '=', recordId).orderBy('barcode').execute();
}

export async function findItem(db: CatalogDb, id: string): Promise<ItemRow | undefined> {
  return db.selectFrom('catalog_items').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface ItemFields {
  branchId?: string | null;
  barcode?: string;
  callNumber?: string | null;
  location?: string | null;
  itemType?: string;
  notes?: string | null;
}

export async function insertItem(
  db: CatalogDb,
  values: ItemFields & { organizationId: string; recordId: string; barcode: string; status: string },
): Promise<ItemRow> {
  return db
    .insertInto('catalog_items')
    .values({
      organization_id: values.organizationId,
      record_id: values.recordId,
      barcode: values.barcode,
      branch_id: values.branchId ?? null,
      call_number: values.callNumber ?? null,
      location: values.location ?? null,
      item_type: values.itemType ?? 'book',
      status: values.status,
      notes: values.notes ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Changes an item's descriptive fields (not its status, which has its own history). */
export async function updateItem(db: CatalogDb, id: string, fields: ItemFields): Promise<void> {
  const set = {
    ...(fields.barcode !== undefined && { barcode: fields.barcode }),
    ...(fields.branchId !== undefined && { branch_id: fields.branchId }),
    ...(fields.callNumber !== undefined && { call_number: fields.callNumber }),
    ...(fields.location !== undefined && { location: fields.location }),
    ...(fields.itemType !== undefined && { item_type: fields.itemType }),
    ...(fields.notes !== undefined && { notes: fields.notes }),
  };
  if (Object.keys(set).length === 0) return;
  await db
    .updateTable('catalog_items')
    .set({ ...set, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Removes an item and its status history. */
export async function deleteItem(db: CatalogDb, id: string): Promise<void> {
  await sql`delete from catalog_item_status_history where item_id = ${id}`.execute(db);
  await db.deleteFrom('catalog_items').where('id', '=', id).execute();
}
