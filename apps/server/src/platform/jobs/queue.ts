import os from 'node:os';
import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import type { AnyDb } from '../db/database.js';
import type { PlatformTables } from '../db/tables.js';

/** A job handler; it throws to ask for a retry. */
export type JobHandler = (
  payload: Record<string, unknown>,
  job: { id: number; attempts: number; maxAttempts: number },
) => Promise<void>;

export interface EnqueueOptions {
  runAt?: Date;
  maxAttempts?: number;
  /** At most one queued or running job per (queue, dedupeKey). */
  dedupeKey?: string;
}

/**
 * Adds a job. Pass the use case's transaction so the job exists only if the change commits
 * (the transactional-outbox pattern).
 */
export async function enqueueJob(
  anyDb: AnyDb,
  queue: string,
  payload: Record<string, unknown>,
  options: EnqueueOptions = {},
): Promise<void> {
  const db = anyDb as Kysely<PlatformTables>;
  await db
    .insertInto('jobs')
    .values({
      queue,
      payload: JSON.stringify(payload),
      run_at: options.runAt ?? new Date(),
      max_attempts: options.maxAttempts ?? 5,
      dedupe_key: options.dedupeKey ?? null,
    })
    .onConflict((oc) =>
      oc
        .columns(['queue', 'dedupe_key'])
        .where('dedupe_key', 'is not', null)
        // Literals, not parameters: the partial index is found from this predicate when the
        // statement is planned, and a prepared statement's generic plan has no values to look at.
        .where('status', 'in', [sql.lit<'queued'>('queued'), sql.lit<'running'>('running')])
        .doNothing(),
    )
    .execute();
}

/**
 * Whether a job of the queue enqueued with a dedupe key is queued or running: a plain read that waits on nobody, for callers
 * that keep a self-renewing job alive on every request (an enqueue with a dedupe key would queue
 * every concurrent caller behind the first one's uncommitted row).
 */
export async function hasPendingJob(anyDb: AnyDb, queue: string): Promise<boolean> {
  const { rows } = await sql<{ pending: boolean }>`
    select exists (select 1 from jobs where queue = ${queue} and dedupe_key is not null and status in ('queued', 'running')) as pending`.execute(
    anyDb,
  );
  return rows[0]?.pending ?? false;
}

export interface WorkerOptions {
  db: Db;
  handlers: ReadonlyMap<string, JobHandler>;
  logger: Logger;
  pollIntervalMs?: number;
  batchSize?: number;
  leaseMs?: number;
}

/** Exponential backoff: 2 s, 4 s, 8 s … capped at one hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(2 ** attempts * 1_000, 3_600_000);
}

/**
 * Claims runnable jobs with FOR UPDATE SKIP LOCKED, so any number of server processes share one
 * queue without running a job twice. A claimed job holds a lease, renewed while its worker runs;
 * if its process dies, the lease runs out and another worker takes the job again.
 */
export class JobWorker {
  private readonly id = `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly options: WorkerOptions) {}

  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.runOnce()
        .then(() => undefined)
        .catch((error: unknown) => this.options.logger.error({ err: error }, 'job worker tick failed'))
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.timer = setTimeout(tick, this.options.pollIntervalMs ?? 1_000);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops claiming; waits for the jobs in hand to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Claims and runs one batch; returns how many jobs ran. Tests call it directly. */
  async runOnce(): Promise<number> {
    const { db, handlers } = this.options;
    const leaseMs = this.options.leaseMs ?? 5 * 60_000;
    const queues = [...handlers.keys()];
    // A job whose process died during its last allowed attempt has used up its attempts: it fails
    // here instead of running once more.
    await sql`
      update jobs set status = 'failed', finished_at = now(), locked_by = null, locked_until = null,
             last_error = coalesce(last_error || ' / ', '') || 'lease expired during the last attempt'
      where queue = any(${queues}::text[]) and status = 'running' and locked_until < now()
        and attempts >= max_attempts`.execute(db);
    const claimed = await sql<{
      id: number;
      queue: string;
      payload: Record<string, unknown>;
      attempts: number;
      max_attempts: number;
    }>`
      update jobs set status = 'running', attempts = attempts + 1, locked_by = ${this.id},
             locked_until = now() + make_interval(secs => ${leaseMs / 1000})
      where id in (
        select id from jobs
        where queue = any(${queues}::text[])
          and ((status = 'queued' and run_at <= now())
               or (status = 'running' and locked_until < now() and attempts < max_attempts))
        order by run_at, id
        limit ${this.options.batchSize ?? 10}
        for update skip locked
      )
      returning id, queue, payload, attempts, max_attempts`.execute(db);

    // While the batch runs (a job may take longer than its lease: a large import), the leases of
    // this worker's jobs are renewed, so that no other worker takes one that is still running.
    const renewal = setInterval(
      () =>
        void sql`update jobs set locked_until = now() + make_interval(secs => ${leaseMs / 1000})
          where locked_by = ${this.id} and status = 'running'`
          .execute(db)
          .catch((error: unknown) => this.options.logger.warn({ err: error }, 'job lease renewal failed')),
      Math.max(leaseMs / 3, 10),
    );
    renewal.unref();
    try {
      await this.runClaimed(claimed.rows);
    } finally {
      clearInterval(renewal);
    }
    return claimed.rows.length;
  }

  private async runClaimed(
    jobs: Array<{
      id: number;
      queue: string;
      payload: Record<string, unknown>;
      attempts: number;
      max_attempts: number;
    }>,
  ): Promise<void> {
    const { db, handlers } = this.options;
    for (const job of jobs) {
      const handler = handlers.get(job.queue);
      try {
        if (!handler) throw new Error(`no handler for queue ${job.queue}`);
        await handler(job.payload, { id: job.id, attempts: job.attempts, maxAttempts: job.max_attempts });
        await db
          .updateTable('jobs')
          .set({ status: 'done', finished_at: new Date(), locked_by: null, locked_until: null, last_error: null })
          .where('id', '=', job.id)
          .where('locked_by', '=', this.id)
          .execute();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const final = job.attempts >= job.max_attempts;
        this.options.logger.warn(
          { jobId: job.id, queue: job.queue, attempts: job.attempts, final, err: message },
          'job failed',
        );
        await db
          .updateTable('jobs')
          .set({
            status: final ? 'failed' : 'queued',
            run_at: new Date(Date.now() + retryDelayMs(job.attempts)),
            finished_at: final ? new Date() : null,
            locked_by: null,
            locked_until: null,
            last_error: message.slice(0, 2000),
          })
          .where('id', '=', job.id)
          .where('locked_by', '=', this.id)
          .execute();
      }
    }
  }
}
