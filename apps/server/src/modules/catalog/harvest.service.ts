import type { NormalizedRecord } from '@athenaeum/contracts';
import type { MarcRecord } from '@athenaeum/marc';
import type { AppContext } from '../../platform/context/context.js';
import { catalogDb } from './catalog.repository.js';
import * as repo from './export.repository.js';

/** Which records a harvest asks for: a library, a material type, a datestamp range. */
export interface HarvestSelection {
  libraryId?: string;
  materialType?: string;
  /** Inclusive lower bound (ISO 8601 UTC). */
  from?: string;
  /** Exclusive upper bound (ISO 8601 UTC). */
  before?: string;
}

/** Where the previous page ended: the last (datestamp with microseconds, id) delivered. */
export interface HarvestCursor {
  stamp: string;
  id: string;
}

/** A record as a harvester sees it: live with its MARC and fields, or deleted with its datestamp only. */
export interface HarvestRecord {
  id: string;
  libraryId: string;
  /** The work the record belongs to (its public page is /works/:workId). */
  workId: string;
  materialType: string;
  deleted: boolean;
  /** updated_at in UTC with microseconds ("2024-05-01T10:00:00.123456Z"); the OAI datestamp is its first 19 characters + Z. */
  stamp: string;
  marc: MarcRecord | null;
  fields: NormalizedRecord | null;
}

const toRecord = (r: repo.HarvestRow): HarvestRecord => ({
  id: r.id,
  libraryId: r.organization_id,
  workId: r.work_id,
  materialType: r.material_type,
  deleted: r.deleted,
  stamp: r.stamp,
  marc: r.marc ?? null,
  fields: r.fields ?? null,
});

/**
 * One page of records for a harvest, in (updated_at, id) order after `after`, deleted ones
 * included. `hasMore` tells whether another page follows. A record changed during a harvest
 * moves past the cursor and comes again at its new datestamp; none is skipped.
 */
export async function listRecordsForHarvest(
  ctx: AppContext,
  selection: HarvestSelection,
  options: { after: HarvestCursor | null; limit: number; withMetadata: boolean },
): Promise<{ records: HarvestRecord[]; hasMore: boolean }> {
  const rows = await repo.harvestPage(
    catalogDb(ctx.db),
    selection,
    options.after,
    options.limit + 1,
    options.withMetadata,
  );
  return { records: rows.slice(0, options.limit).map(toRecord), hasMore: rows.length > options.limit };
}

/** How many records (live and deleted) a harvest selects right now. */
export async function countRecordsForHarvest(ctx: AppContext, selection: HarvestSelection): Promise<number> {
  return repo.harvestCount(catalogDb(ctx.db), selection);
}

/** One record by id for harvesting (deleted ones too); null when there is none. */
export async function getRecordForHarvest(ctx: AppContext, id: string): Promise<HarvestRecord | null> {
  const row = await repo.harvestRecord(catalogDb(ctx.db), id);
  return row ? toRecord(row) : null;
}

/** The earliest datestamp (seconds, UTC) and the libraries and material types that have records. */
export async function harvestOverview(
  ctx: AppContext,
): Promise<{ earliest: string | null; libraryIds: string[]; materialTypes: string[] }> {
  return repo.harvestOverview(catalogDb(ctx.db));
}
