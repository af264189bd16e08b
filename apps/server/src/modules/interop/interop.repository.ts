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
      | 'last_error_code'
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

// ── harvest sources configured by staff ─────────────────────────────────────

export interface SourceConfig {
  name: string;
  baseUrl: string;
  metadataPrefix: 'marc21' | 'oai_dc';
  setSpec: string;
  scheduleKind: 'manual' | 'interval' | 'daily';
  intervalHours: number | null;
  dailyAt: string | null;
  enabled: boolean;
  nextRunAt: Date | null;
}

const configColumns = (c: SourceConfig) => ({
  name: c.name,
  base_url: c.baseUrl,
  metadata_prefix: c.metadataPrefix,
  set_spec: c.setSpec,
  schedule_kind: c.scheduleKind,
  interval_hours: c.intervalHours,
  daily_at: c.dailyAt,
  enabled: c.enabled,
  next_run_at: c.nextRunAt,
});

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

export async function listSources(db: InteropDb, organizationId: string): Promise<HarvestSourceRow[]> {
  return db
    .selectFrom('interop_harvest_sources')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findSource(
  db: InteropDb,
  organizationId: string,
  id: string,
): Promise<HarvestSourceRow | undefined> {
  return db
    .selectFrom('interop_harvest_sources')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Inserts a source; null when the library already has one for that URL, prefix and set. */
export async function insertSource(
  db: InteropDb,
  organizationId: string,
  config: SourceConfig,
): Promise<HarvestSourceRow | null> {
  try {
    return await db
      .insertInto('interop_harvest_sources')
      .values({
        organization_id: organizationId,
        ...configColumns(config),
        last_datestamp: null,
        resumption_token: null,
        harvest_from: null,
        harvest_max_datestamp: null,
        last_error: null,
        last_harvest_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

/**
 * Changes a source's settings; a different repository, format or set starts its harvests over
 * (its datestamp and token belong to the old one). 'missing' or 'duplicate' when it cannot.
 */
export async function updateSourceConfig(
  db: InteropDb,
  organizationId: string,
  id: string,
  config: SourceConfig,
  startOver: boolean,
): Promise<HarvestSourceRow | 'missing' | 'duplicate'> {
  try {
    const row = await db
      .updateTable('interop_harvest_sources')
      .set({
        ...configColumns(config),
        ...(startOver
          ? {
              last_datestamp: null,
              resumption_token: null,
              harvest_from: null,
              harvest_max_datestamp: null,
              consecutive_failures: 0,
            }
          : {}),
        updated_at: sql<Date>`now()`,
      })
      .where('organization_id', '=', organizationId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row ?? 'missing';
  } catch (error) {
    if (isUniqueViolation(error)) return 'duplicate';
    throw error;
  }
}

export async function deleteSource(db: InteropDb, organizationId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('interop_harvest_sources')
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Makes a source due at `now` unless a run holds it; 'missing' or 'running' when it cannot. */
export async function markDue(
  db: InteropDb,
  organizationId: string,
  id: string,
  now: Date,
): Promise<HarvestSourceRow | 'missing' | 'running'> {
  const row = await db
    .updateTable('interop_harvest_sources')
    .set({ next_run_at: now, updated_at: sql<Date>`now()` })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
    .returningAll()
    .executeTakeFirst();
  if (row) return row;
  return (await findSource(db, organizationId, id)) ? 'running' : 'missing';
}

/**
 * Claims the longest-overdue source that no live run holds, in one statement: the row is locked
 * FOR UPDATE SKIP LOCKED while the claim (a lease until `leaseUntil`) is written, so two servers
 * never take the same source; a claim whose server died runs out and the source is taken again.
 */
export async function claimDueSource(
  db: InteropDb,
  now: Date,
  leaseUntil: Date,
  claimer: string,
): Promise<HarvestSourceRow | undefined> {
  const { rows } = await sql<HarvestSourceRow>`
    update interop_harvest_sources set
      claimed_until = ${leaseUntil}, claimed_by = ${claimer}, last_run_started_at = ${now},
      last_records = 0, last_added = 0, last_updated = 0, last_deleted = 0, updated_at = now()
    where id = (
      select id from interop_harvest_sources
      where next_run_at <= ${now} and (claimed_until is null or claimed_until < ${now})
      order by next_run_at, id
      limit 1
      for update skip locked
    )
    returning *`.execute(db);
  return rows[0];
}

/** The running counts of a claimed source's run; the lease is extended while pages arrive. */
export async function recordRunProgress(
  db: InteropDb,
  id: string,
  claimer: string,
  counts: { records: number; added: number; updated: number; deleted: number },
  leaseUntil: Date,
): Promise<void> {
  await db
    .updateTable('interop_harvest_sources')
    .set({
      last_records: counts.records,
      last_added: counts.added,
      last_updated: counts.updated,
      last_deleted: counts.deleted,
      claimed_until: leaseUntil,
    })
    .where('id', '=', id)
    .where('claimed_by', '=', claimer)
    .execute();
}

/**
 * A harvest's outcome on its source, however the harvest was started: a failure's message, code
 * and time, one more failure in a row; or, after a good run, no error and no failures.
 */
export async function recordHarvestOutcome(
  db: InteropDb,
  id: string,
  outcome: { at: Date; failure: { message: string; code: string } | null },
): Promise<void> {
  const { at, failure } = outcome;
  await db
    .updateTable('interop_harvest_sources')
    .set({
      ...(failure
        ? {
            status: 'failed' as const,
            last_error: failure.message,
            last_error_code: failure.code,
            last_error_at: at,
            consecutive_failures: sql<number>`consecutive_failures + 1`,
          }
        : {
            status: 'idle' as const,
            last_error: null,
            last_error_code: null,
            last_error_at: null,
            consecutive_failures: 0,
          }),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/** Ends a claimed run: releases the claim and sets the next run and the run's counts (the harvest recorded its outcome). */
export async function finishRun(
  db: InteropDb,
  id: string,
  claimer: string,
  values: {
    finishedAt: Date;
    nextRunAt: Date | null;
    counts: { records: number; added: number; updated: number; deleted: number };
  },
): Promise<void> {
  await db
    .updateTable('interop_harvest_sources')
    .set({
      claimed_until: null,
      claimed_by: null,
      last_run_finished_at: values.finishedAt,
      next_run_at: values.nextRunAt,
      last_records: values.counts.records,
      last_added: values.counts.added,
      last_updated: values.counts.updated,
      last_deleted: values.counts.deleted,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .where('claimed_by', '=', claimer)
    .execute();
}

/** When the next source falls due (null: none is scheduled). */
export async function earliestDue(db: InteropDb): Promise<Date | null> {
  const row = await db
    .selectFrom('interop_harvest_sources')
    .select((eb) => eb.fn.min('next_run_at').as('next'))
    .where('next_run_at', 'is not', null)
    .executeTakeFirst();
  return row?.next ? new Date(row.next) : null;
}

// ── copy-cataloguing targets ─────────────────────────────────────────────────

export type CopyTargetRow = Selectable<InteropTables['interop_copy_targets']>;

export interface TargetConfig {
  name: string;
  baseUrl: string;
  version: '1.2' | '2.0';
}

export async function listTargets(db: InteropDb, organizationId: string): Promise<CopyTargetRow[]> {
  return db
    .selectFrom('interop_copy_targets')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('name')
    .execute();
}

export async function findTarget(
  db: InteropDb,
  organizationId: string,
  id: string,
): Promise<CopyTargetRow | undefined> {
  return db
    .selectFrom('interop_copy_targets')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertTarget(
  db: InteropDb,
  organizationId: string,
  config: TargetConfig,
): Promise<CopyTargetRow | null> {
  try {
    return await db
      .insertInto('interop_copy_targets')
      .values({
        organization_id: organizationId,
        name: config.name,
        base_url: config.baseUrl,
        sru_version: config.version,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

export async function updateTarget(
  db: InteropDb,
  organizationId: string,
  id: string,
  config: TargetConfig,
): Promise<CopyTargetRow | 'missing' | 'duplicate'> {
  try {
    const row = await db
      .updateTable('interop_copy_targets')
      .set({ name: config.name, base_url: config.baseUrl, sru_version: config.version, updated_at: sql<Date>`now()` })
      .where('organization_id', '=', organizationId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row ?? 'missing';
  } catch (error) {
    if (isUniqueViolation(error)) return 'duplicate';
    throw error;
  }
}

export async function deleteTarget(db: InteropDb, organizationId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('interop_copy_targets')
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
