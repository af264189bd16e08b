import { sql, type Kysely, type Selectable } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type { PlatformTables } from '../../platform/db/tables.js';
import type { InteropTables } from './interop.tables.js';

/** The database as this module sees it. */
export type InteropDb = Kysely<InteropTables & PlatformTables>;
export const interopDb = (db: Db | Kysely<PlatformTables>): InteropDb => db.withTables<InteropTables>();

export type HarvestSourceRow = Selectable<InteropTables['interop_harvest_sources']>;

/** The source for (library, URL, prefix, set), created on first use. */
export async function findOrCreateSource(
  db: InteropDb,
  values: { organizationId: string; baseUrl: string; metadataPrefix: 'marc21' | 'oai_dc'; setSpec: string },
): Promise<HarvestSourceRow> {
  await db
    .insertInto('interop_harvest_sources')
    .values({
      organization_id: values.organizationId,
      base_url: values.baseUrl,
      metadata_prefix: values.metadataPrefix,
      set_spec: values.setSpec,
      last_datestamp: null,
      resumption_token: null,
      harvest_from: null,
      harvest_max_datestamp: null,
      last_error: null,
      last_harvest_at: null,
    })
    .onConflict((oc) => oc.columns(['organization_id', 'base_url', 'metadata_prefix', 'set_spec']).doNothing())
    .execute();
  return db
    .selectFrom('interop_harvest_sources')
    .selectAll()
    .where('organization_id', '=', values.organizationId)
    .where('base_url', '=', values.baseUrl)
    .where('metadata_prefix', '=', values.metadataPrefix)
    .where('set_spec', '=', values.setSpec)
    .executeTakeFirstOrThrow();
}

export async function updateSource(
  db: InteropDb,
  id: string,
  values: Partial<
    Pick<
      HarvestSourceRow,
      | 'last_datestamp'
      | 'resumption_token'
      | 'harvest_from'
      | 'harvest_max_datestamp'
      | 'status'
      | 'last_error'
      | 'last_harvest_at'
    >
  > & { addHarvested?: number; addDeleted?: number },
): Promise<void> {
  const { addHarvested, addDeleted, ...rest } = values;
  await db
    .updateTable('interop_harvest_sources')
    .set({
      ...rest,
      ...(addHarvested ? { harvested: sql<number>`harvested + ${addHarvested}` } : {}),
      ...(addDeleted ? { deleted: sql<number>`deleted + ${addDeleted}` } : {}),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .execute();
}
