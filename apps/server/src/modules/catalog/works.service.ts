import type { CatalogRecordView, Holding, MaterialType, WorkView } from '@athenaeum/contracts';
import type { AppContext } from '../../platform/context/context.js';
import { AppError } from '../../platform/errors.js';
import { CatalogErrors } from './catalog.errors.js';
import { catalogDb, type CatalogDb } from './catalog.repository.js';
import { redirectTarget } from './works/work-redirects.js';

async function holdingsOf(db: CatalogDb, recordIds: string[]): Promise<Map<string, Holding[]>> {
  const out = new Map<string, Holding[]>();
  if (recordIds.length === 0) return out;
  const items = await db
    .selectFrom('catalog_items')
    .selectAll()
    .where('record_id', 'in', recordIds)
    .orderBy('barcode')
    .execute();
  for (const i of items) {
    const list = out.get(i.record_id) ?? [];
    list.push({
      itemId: i.id,
      libraryId: i.organization_id,
      branchId: i.branch_id,
      barcode: i.barcode,
      callNumber: i.call_number,
      location: i.location,
      itemType: i.item_type,
      status: i.status,
    });
    out.set(i.record_id, list);
  }
  return out;
}

/** A work with every edition held in the network and each library's copies. */
export async function getWork(ctx: AppContext, id: string): Promise<WorkView> {
  const db = catalogDb(ctx.db);
  const work = await db.selectFrom('catalog_works').selectAll().where('id', '=', id).executeTakeFirst();
  if (!work || work.record_count === 0)
    throw new AppError(CatalogErrors.CATALOG_WORK_NOT_FOUND, `There is no work with id ${id}.`);
  const records = await db
    .selectFrom('catalog_records')
    .select(['id', 'organization_id', 'work_id', 'fields', 'match_score', 'match_reason', 'updated_at'])
    .where('work_id', '=', id)
    .where('deleted_at', 'is', null)
    .orderBy('year', (ob) => ob.desc().nullsLast())
    .execute();
  const holdings = await holdingsOf(
    db,
    records.map((r) => r.id),
  );
  return {
    id: work.id,
    title: work.title,
    author: work.author,
    yearMin: work.year_min,
    yearMax: work.year_max,
    materialTypes: work.material_types as MaterialType[],
    languages: work.languages,
    subjects: work.subjects,
    libraryIds: work.library_ids,
    availableLibraryIds: work.available_library_ids,
    records: records.map((r): CatalogRecordView => ({
      id: r.id,
      libraryId: r.organization_id,
      workId: r.work_id,
      fields: r.fields,
      matchScore: r.match_score,
      matchReason: r.match_reason,
      holdings: holdings.get(r.id) ?? [],
      updatedAt: new Date(r.updated_at).toISOString(),
    })),
  };
}

/**
 * A work, or where the address of one that is no more leads: the work its records joined (a
 * merge, a re-clustering). Throws CATALOG_WORK_NOT_FOUND when it is neither.
 */
export async function lookUpWork(ctx: AppContext, id: string): Promise<{ work: WorkView } | { movedTo: string }> {
  try {
    return { work: await getWork(ctx, id) };
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== CatalogErrors.CATALOG_WORK_NOT_FOUND) throw error;
    const movedTo = await redirectTarget(catalogDb(ctx.db), id);
    if (movedTo === null) throw error;
    return { movedTo };
  }
}
