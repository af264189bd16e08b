import type { CatalogDb } from './catalog.repository.js';

/** How many works have a page (a work whose last record left has none). */
export async function countWorkPages(db: CatalogDb): Promise<number> {
  const row = await db
    .selectFrom('catalog_works')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('record_count', '>', 0)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One slice of the works with a page, in id order (stable between requests), with their last change. */
export async function workPages(
  db: CatalogDb,
  offset: number,
  limit: number,
): Promise<Array<{ id: string; updated_at: Date }>> {
  return db
    .selectFrom('catalog_works')
    .select(['id', 'updated_at'])
    .where('record_count', '>', 0)
    .orderBy('id')
    .offset(offset)
    .limit(limit)
    .execute();
}
