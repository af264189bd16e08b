// A library's harvest sources as staff manage them: settings with a schedule, "harvest now",
// and each source's status (the current or last run, errors, the next run).
import { type HarvestSourceInput, type HarvestSource } from '@athenaeum/contracts';
import type { z } from 'zod';
import type { AppContext } from '../../../platform/context/context.js';
import { AppError } from '../../../platform/errors.js';
import { getOrganization } from '../../accounts/index.js';
import { InteropErrors } from '../interop.errors.js';
import * as repo from '../interop.repository.js';
import { checkRemoteBaseUrl } from '../remote-fetch.js';
import { firstRun, scheduleColumns, scheduleOf } from './schedule.js';
import { queueHarvestScheduler } from './scheduler.js';

type Input = z.output<typeof HarvestSourceInput>;

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** A source as the API shows it; `status` says whether a run holds it, it waits to run, or its last run failed. */
export function presentSource(row: repo.HarvestSourceRow, now: Date): HarvestSource {
  const claimed = row.claimed_until !== null && new Date(row.claimed_until) > now;
  const due = row.next_run_at !== null && new Date(row.next_run_at) <= now;
  const status = claimed ? 'running' : due ? 'queued' : row.status === 'failed' ? 'failed' : row.status;
  return {
    id: row.id,
    libraryId: row.organization_id,
    name: row.name || row.base_url,
    baseUrl: row.base_url,
    metadataPrefix: row.metadata_prefix,
    set: row.set_spec,
    schedule: scheduleOf(row),
    enabled: row.enabled,
    status,
    nextRunAt: iso(row.next_run_at),
    lastRunStartedAt: iso(row.last_run_started_at),
    lastRunFinishedAt: iso(row.last_run_finished_at),
    lastHarvestAt: iso(row.last_harvest_at),
    lastDatestamp: row.last_datestamp,
    lastRun: { records: row.last_records, added: row.last_added, updated: row.last_updated, deleted: row.last_deleted },
    totals: { harvested: row.harvested, deleted: row.deleted },
    lastError: row.last_error,
    lastErrorCode: row.last_error_code,
    lastErrorAt: iso(row.last_error_at),
    consecutiveFailures: row.consecutive_failures,
    createdAt: iso(row.created_at)!,
  };
}

/** Harvest sources and copy targets belong to a library, not to a branch or another kind of organization. */
export async function requireLibrary(ctx: AppContext, libraryId: string): Promise<void> {
  const org = await getOrganization(ctx, libraryId);
  if (org.kind !== 'library') {
    const where =
      org.kind === 'branch' && org.parent ? ` Use its library (${org.parent.code}, id ${org.parent.id}).` : '';
    throw new AppError(InteropErrors.INTEROP_NOT_A_LIBRARY, `${org.code} is a ${org.kind}, not a library.${where}`);
  }
}

const notFound = (id: string) =>
  new AppError(InteropErrors.INTEROP_SOURCE_NOT_FOUND, `This library has no harvest source with id ${id}.`);
const duplicate = (input: Input) =>
  new AppError(
    InteropErrors.INTEROP_SOURCE_EXISTS,
    `This library already harvests ${input.baseUrl} as ${input.metadataPrefix}${input.set ? ` (set ${input.set})` : ''}.`,
  );

function configOf(input: Input, nextRunAt: Date | null): repo.SourceConfig {
  return {
    name: input.name,
    baseUrl: input.baseUrl,
    metadataPrefix: input.metadataPrefix,
    setSpec: input.set,
    ...scheduleColumns(input.schedule),
    enabled: input.enabled,
    nextRunAt,
  };
}

async function wakeScheduler(ctx: AppContext, row: repo.HarvestSourceRow): Promise<void> {
  if (row.next_run_at) await queueHarvestScheduler(ctx, { at: new Date(row.next_run_at) });
}

export async function listHarvestSources(ctx: AppContext, libraryId: string): Promise<HarvestSource[]> {
  await requireLibrary(ctx, libraryId);
  const now = ctx.clock.now();
  return (await repo.listSources(repo.interopDb(ctx.db), libraryId)).map((row) => presentSource(row, now));
}

export async function getHarvestSource(ctx: AppContext, libraryId: string, id: string): Promise<HarvestSource> {
  const row = await repo.findSource(repo.interopDb(ctx.db), libraryId, id);
  if (!row) throw notFound(id);
  return presentSource(row, ctx.clock.now());
}

export async function createHarvestSource(ctx: AppContext, libraryId: string, input: Input): Promise<HarvestSource> {
  await requireLibrary(ctx, libraryId);
  checkRemoteBaseUrl(input.baseUrl, ctx.config.interop.allowPrivateRemotes);
  const now = ctx.clock.now();
  const row = await repo.insertSource(
    repo.interopDb(ctx.db),
    libraryId,
    configOf(input, input.enabled ? firstRun(input.schedule, now) : null),
  );
  if (!row) throw duplicate(input);
  await wakeScheduler(ctx, row);
  return presentSource(row, now);
}

/** New settings; the next run follows the new schedule (a changed repository, format or set harvests from the start). */
export async function updateHarvestSource(
  ctx: AppContext,
  libraryId: string,
  id: string,
  input: Input,
): Promise<HarvestSource> {
  const db = repo.interopDb(ctx.db);
  const before = await repo.findSource(db, libraryId, id);
  if (!before) throw notFound(id);
  checkRemoteBaseUrl(input.baseUrl, ctx.config.interop.allowPrivateRemotes);
  const now = ctx.clock.now();
  const startOver =
    before.base_url !== input.baseUrl ||
    before.metadata_prefix !== input.metadataPrefix ||
    before.set_spec !== input.set;
  const sameSchedule = JSON.stringify(scheduleOf(before)) === JSON.stringify(input.schedule) && before.enabled;
  // An unchanged schedule keeps its next run (and a pending "harvest now"); otherwise the new one starts.
  const nextRunAt = !input.enabled
    ? before.next_run_at && new Date(before.next_run_at) <= now
      ? new Date(before.next_run_at)
      : null
    : sameSchedule && before.next_run_at
      ? new Date(before.next_run_at)
      : firstRun(input.schedule, now);
  const row = await repo.updateSourceConfig(db, libraryId, id, configOf(input, nextRunAt), startOver);
  if (row === 'missing') throw notFound(id);
  if (row === 'duplicate') throw duplicate(input);
  await wakeScheduler(ctx, row);
  return presentSource(row, now);
}

export async function deleteHarvestSource(ctx: AppContext, libraryId: string, id: string): Promise<void> {
  if (!(await repo.deleteSource(repo.interopDb(ctx.db), libraryId, id))) throw notFound(id);
}

/** Makes the source due now and wakes the scheduler; refused while a run holds it. */
export async function harvestSourceNow(ctx: AppContext, libraryId: string, id: string): Promise<HarvestSource> {
  const now = ctx.clock.now();
  const row = await repo.markDue(repo.interopDb(ctx.db), libraryId, id, now);
  if (row === 'missing') throw notFound(id);
  if (row === 'running')
    throw new AppError(
      InteropErrors.INTEROP_SOURCE_RUNNING,
      'This source is being harvested now; wait for the run to end.',
    );
  await queueHarvestScheduler(ctx, { sourceId: row.id });
  return presentSource(row, now);
}
