// Scheduled harvests on the platform's job queue. One queue, `interop.harvest-due`: its job
// claims every source that is due (FOR UPDATE SKIP LOCKED plus a lease, so two servers never
// harvest one source at once), harvests them one after another, records each run's outcome on
// its source (failures back off), and queues itself again for when the next source falls due.
import os from 'node:os';
import type { AppContext } from '../../../platform/context/context.js';
import { enqueueJob } from '../../../platform/jobs/queue.js';
import * as repo from '../interop.repository.js';
import type { RemoteLimits } from '../remote-fetch.js';
import { harvest, type HarvestProgress } from './harvester.js';
import { failureBackoffMs, nextScheduledRun, scheduleOf } from './schedule.js';

export const HARVEST_DUE_QUEUE = 'interop.harvest-due';

const LEASE_MS = 30 * 60_000;
// The scheduler looks again at least this often while any source has a next run.
const MAX_SLEEP_MS = 15 * 60_000;

export interface DueRun {
  sourceId: string;
  ok: boolean;
  error: string | null;
}

/**
 * Harvests every due source, each claimed before it runs; returns what ran. A harvest that fails
 * (the harvester records its error, time and failures in a row on the source) is retried after a
 * backoff (a manual source waits for staff instead); it never stops the others.
 */
export async function runDueHarvests(
  ctx: AppContext,
  options: {
    fetch?: typeof fetch;
    maxSources?: number;
    attempts?: number;
    maxDelayMs?: number;
    /** Limits on each request to a repository (default HARVEST_LIMITS), so one stalled source cannot hold up the rest. */
    limits?: Partial<RemoteLimits>;
  } = {},
): Promise<DueRun[]> {
  const db = repo.interopDb(ctx.db);
  const claimer = `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const runs: DueRun[] = [];
  while (runs.length < (options.maxSources ?? 50)) {
    const now = ctx.clock.now();
    const source = await repo.claimDueSource(db, now, new Date(now.getTime() + LEASE_MS), claimer);
    if (!source) break;
    let counts = { records: 0, added: 0, updated: 0, deleted: 0 };
    const onProgress = (p: HarvestProgress) => {
      counts = { records: p.records, added: p.added, updated: p.updated, deleted: p.deleted };
    };
    // Progress is written between pages, in order, so the page shows live counts.
    let writes: Promise<void> = Promise.resolve();
    const schedule = scheduleOf(source);
    try {
      const result = await harvest(ctx, {
        baseUrl: source.base_url,
        metadataPrefix: source.metadata_prefix,
        set: source.set_spec || undefined,
        libraryId: source.organization_id,
        attempts: options.attempts ?? 3,
        maxDelayMs: options.maxDelayMs ?? 10_000,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.limits ? { limits: options.limits } : {}),
        onProgress: (p) => {
          onProgress(p);
          const snapshot = { ...counts };
          writes = writes
            .then(() =>
              repo.recordRunProgress(db, source.id, claimer, snapshot, new Date(ctx.clock.now().getTime() + LEASE_MS)),
            )
            .catch(() => undefined);
        },
      });
      await writes;
      const finishedAt = ctx.clock.now();
      await repo.finishRun(db, source.id, claimer, {
        finishedAt,
        nextRunAt: source.enabled ? nextScheduledRun(schedule, finishedAt) : null,
        counts: { records: result.records, added: result.added, updated: result.updated, deleted: result.deleted },
      });
      runs.push({ sourceId: source.id, ok: true, error: null });
    } catch (error) {
      await writes;
      const message = (error as Error).message.slice(0, 2000);
      const finishedAt = ctx.clock.now();
      const retry = new Date(finishedAt.getTime() + failureBackoffMs(source.consecutive_failures + 1));
      await repo.finishRun(db, source.id, claimer, {
        finishedAt,
        nextRunAt: source.enabled && schedule.kind !== 'manual' ? retry : null,
        counts,
      });
      ctx.logger.warn({ source: source.id, err: message }, 'scheduled harvest failed');
      runs.push({ sourceId: source.id, ok: false, error: message });
    }
  }
  return runs;
}

/**
 * Queues the scheduler: at once for one source staff asked to harvest now (one queued job per
 * source), or at the whole minute after `at` (one job per minute, however many servers ask).
 */
export async function queueHarvestScheduler(ctx: AppContext, when: { sourceId: string } | { at: Date }): Promise<void> {
  if ('sourceId' in when) {
    await enqueueJob(ctx.db, HARVEST_DUE_QUEUE, {}, { dedupeKey: `now:${when.sourceId}`, maxAttempts: 20 });
    return;
  }
  const minute = new Date(Math.ceil(when.at.getTime() / 60_000) * 60_000);
  await enqueueJob(
    ctx.db,
    HARVEST_DUE_QUEUE,
    {},
    { runAt: minute, dedupeKey: `due:${minute.toISOString()}`, maxAttempts: 20 },
  );
}

/** Registers the interop module's job handlers (the harvest scheduler). */
export function registerInteropJobs(ctx: AppContext): void {
  ctx.jobs.register(
    HARVEST_DUE_QUEUE,
    async () => {
      try {
        await runDueHarvests(ctx);
      } finally {
        // The next look: when the earliest source falls due, and at least every 15 minutes while
        // any source is scheduled (a source edited on another server queues its own look too).
        const next = await repo.earliestDue(repo.interopDb(ctx.db));
        if (next) {
          const wait = Math.min(Math.max(next.getTime() - ctx.clock.now().getTime(), 1_000), MAX_SLEEP_MS);
          await queueHarvestScheduler(ctx, { at: new Date(Date.now() + wait) });
        }
      }
    },
    { lane: 'long' },
  );
}
