import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { connect, type Database, type Db } from '../db/database.js';
import { enqueueJob, JobWorker, retryDelayMs, type JobHandler } from './queue.js';

const logger = pino({ level: 'silent' });
let database: Database;
let db: Db;
// A second pool on the same database: what a second server process would have.
let other: { db: Db; pool: { end(): Promise<void> } };

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  other = connect(database.url, 4);
});

afterAll(async () => {
  await other.db.destroy();
  await database.close();
});

const worker = (queue: string, handler: JobHandler, options: { db?: Db; leaseMs?: number; batchSize?: number } = {}) =>
  new JobWorker({
    db: options.db ?? db,
    handlers: new Map([[queue, handler]]),
    logger,
    ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
  });

const jobsOf = (queue: string) => db.selectFrom('jobs').selectAll().where('queue', '=', queue).orderBy('id').execute();
const makeDue = (queue: string) =>
  sql`update jobs set run_at = now() - interval '1 second' where queue = ${queue}`.execute(db);

async function drain(w: JobWorker): Promise<number> {
  let total = 0;
  for (let n = await w.runOnce(); n > 0; n = await w.runOnce()) total += n;
  return total;
}

describe('retryDelayMs', () => {
  it('doubles from 2 seconds and stops at one hour', () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([2_000, 4_000, 8_000, 16_000]);
    expect(retryDelayMs(12)).toBe(3_600_000);
    expect(retryDelayMs(40)).toBe(3_600_000);
  });
});

describe('the job queue', () => {
  it('runs each of 200 jobs exactly once when two workers on two pools drain it together', async () => {
    const queue = 'test.many';
    for (let n = 0; n < 200; n++) await enqueueJob(db, queue, { n });
    const runs = new Map<number, number>();
    const ranBy = { first: 0, second: 0 };
    const handler =
      (who: keyof typeof ranBy): JobHandler =>
      async (payload) => {
        const n = Number(payload.n);
        runs.set(n, (runs.get(n) ?? 0) + 1);
        ranBy[who]++;
        await new Promise((resolve) => setImmediate(resolve));
      };
    const [a, b] = await Promise.all([
      drain(worker(queue, handler('first'), { batchSize: 1 })),
      drain(worker(queue, handler('second'), { db: other.db, batchSize: 1 })),
    ]);

    expect(a + b).toBe(200);
    expect(runs.size).toBe(200);
    expect([...runs.values()].every((count) => count === 1)).toBe(true);
    // Both really took part, or the test would prove nothing about sharing.
    expect(ranBy.first).toBeGreaterThan(0);
    expect(ranBy.second).toBeGreaterThan(0);
    const rows = await jobsOf(queue);
    expect(
      rows.every((r) => r.status === 'done' && r.attempts === 1 && r.locked_by === null && r.finished_at !== null),
    ).toBe(true);
  });

  it('claims only the queues it has handlers for', async () => {
    await enqueueJob(db, 'test.someone-else', {});
    expect(await worker('test.mine', async () => undefined).runOnce()).toBe(0);
    expect((await jobsOf('test.someone-else'))[0]!.status).toBe('queued');
  });

  it('does not run a job before its time', async () => {
    const queue = 'test.later';
    await enqueueJob(db, queue, {}, { runAt: new Date(Date.now() + 3600_000) });
    const ran = vi.fn(async () => undefined);
    expect(await worker(queue, ran).runOnce()).toBe(0);
    await makeDue(queue);
    expect(await worker(queue, ran).runOnce()).toBe(1);
    expect(ran).toHaveBeenCalledOnce();
  });

  it('retries a failing job with growing delays and marks it failed after max_attempts', async () => {
    const queue = 'test.failing';
    await enqueueJob(db, queue, { what: 'doomed' }, { maxAttempts: 3 });
    const attempts: number[] = [];
    const w = worker(queue, async (_payload, job) => {
      attempts.push(job.attempts);
      throw new Error(`boom ${job.attempts}`);
    });

    for (const [attempt, delay] of [
      [1, 2_000],
      [2, 4_000],
    ] as const) {
      const before = Date.now();
      expect(await w.runOnce()).toBe(1);
      const [row] = await jobsOf(queue);
      expect(row).toMatchObject({
        status: 'queued',
        attempts: attempt,
        last_error: `boom ${attempt}`,
        locked_by: null,
        finished_at: null,
      });
      const runAt = new Date(row!.run_at).getTime();
      expect(runAt).toBeGreaterThanOrEqual(before + delay - 5);
      expect(runAt).toBeLessThanOrEqual(Date.now() + delay + 5);
      // Not due yet: the backoff is respected.
      expect(await w.runOnce()).toBe(0);
      await makeDue(queue);
    }

    expect(await w.runOnce()).toBe(1);
    const [row] = await jobsOf(queue);
    expect(row).toMatchObject({ status: 'failed', attempts: 3, last_error: 'boom 3' });
    expect(row!.finished_at).not.toBeNull();
    await makeDue(queue);
    expect(await w.runOnce()).toBe(0);
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('finishes a job that succeeds on a retry, clearing the error', async () => {
    const queue = 'test.flaky';
    await enqueueJob(db, queue, {});
    const w = worker(queue, async (_payload, job) => {
      if (job.attempts === 1) throw new Error('transient');
    });
    await w.runOnce();
    await makeDue(queue);
    await w.runOnce();
    expect((await jobsOf(queue))[0]).toMatchObject({ status: 'done', attempts: 2, last_error: null });
  });

  it('takes over a job whose lease ran out (its process crashed), but not one whose lease holds', async () => {
    const queue = 'test.crashed';
    await db
      .insertInto('jobs')
      .values([
        {
          queue,
          payload: JSON.stringify({ who: 'expired' }),
          status: 'running',
          attempts: 1,
          locked_by: 'dead-host:1:abc',
          locked_until: new Date(Date.now() - 1_000),
          run_at: new Date(Date.now() - 60_000),
          last_error: null,
          dedupe_key: null,
          finished_at: null,
        },
        {
          queue,
          payload: JSON.stringify({ who: 'alive' }),
          status: 'running',
          attempts: 1,
          locked_by: 'live-host:2:def',
          locked_until: new Date(Date.now() + 600_000),
          run_at: new Date(Date.now() - 60_000),
          last_error: null,
          dedupe_key: null,
          finished_at: null,
        },
      ])
      .execute();
    const seen: Array<{ who: unknown; attempts: number }> = [];
    expect(
      await worker(
        queue,
        async (payload, job) => void seen.push({ who: payload.who, attempts: job.attempts }),
      ).runOnce(),
    ).toBe(1);
    expect(seen).toEqual([{ who: 'expired', attempts: 2 }]);
    const rows = await jobsOf(queue);
    expect(rows.map((r) => [r.payload.who, r.status])).toEqual([
      ['expired', 'done'],
      ['alive', 'running'],
    ]);
  });

  it('fails, without running it again, a job whose lease ran out during its last allowed attempt', async () => {
    const queue = 'test.crashed-last';
    await db
      .insertInto('jobs')
      .values({
        queue,
        payload: JSON.stringify({}),
        status: 'running',
        attempts: 3,
        max_attempts: 3,
        locked_by: 'dead-host:1:abc',
        locked_until: new Date(Date.now() - 1_000),
        run_at: new Date(Date.now() - 60_000),
        last_error: 'boom',
        dedupe_key: null,
        finished_at: null,
      })
      .execute();
    const handler = vi.fn(async () => {});
    expect(await worker(queue, handler).runOnce()).toBe(0);
    expect(handler).not.toHaveBeenCalled();
    const [row] = await jobsOf(queue);
    expect([row?.status, row?.attempts, row?.last_error]).toEqual([
      'failed',
      3,
      'boom / lease expired during the last attempt',
    ]);
  });

  it('renews the lease of a job that runs longer than it, so no other worker takes it meanwhile', async () => {
    const queue = 'test.long';
    await enqueueJob(db, queue, {});
    let started!: () => void;
    let release!: () => void;
    const startedP = new Promise<void>((resolve) => (started = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    const runs = vi.fn(async () => {
      started();
      await gate;
    });
    const long = worker(queue, runs, { leaseMs: 300 });
    const longRun = long.runOnce();
    await startedP;
    // Three leases' time, with another process's worker trying all along.
    const rivalRuns = vi.fn(async () => {});
    const rival = worker(queue, rivalRuns, { db: other.db, leaseMs: 300 });
    for (let i = 0; i < 9; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await rival.runOnce()).toBe(0);
    }
    release();
    expect(await longRun).toBe(1);
    expect(runs).toHaveBeenCalledTimes(1);
    expect(rivalRuns).not.toHaveBeenCalled();
    expect((await jobsOf(queue))[0]).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('ignores the late outcome of a worker whose job was taken over', async () => {
    const queue = 'test.late';
    await enqueueJob(db, queue, {});
    let started!: () => void;
    let release!: () => void;
    const startedP = new Promise<void>((resolve) => (started = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = worker(queue, async () => {
      started();
      await gate;
      throw new Error('too late to matter');
    });
    const slowRun = slow.runOnce();
    await startedP;
    await sql`update jobs set locked_until = now() - interval '1 second' where queue = ${queue}`.execute(db);

    expect(await worker(queue, async () => undefined, { db: other.db }).runOnce()).toBe(1);
    release();
    await slowRun;

    expect((await jobsOf(queue))[0]).toMatchObject({ status: 'done', attempts: 2, last_error: null });
  });

  it('keeps one queued or running job per dedupe key', async () => {
    const queue = 'test.dedupe';
    await enqueueJob(db, queue, { n: 1 }, { dedupeKey: 'record-42' });
    await enqueueJob(db, queue, { n: 2 }, { dedupeKey: 'record-42' });
    await enqueueJob(db, queue, { n: 3 }, { dedupeKey: 'record-43' });
    await enqueueJob(db, queue, { n: 4 });
    await enqueueJob(db, queue, { n: 5 });
    await enqueueJob(db, 'test.dedupe-other', { n: 6 }, { dedupeKey: 'record-42' });
    expect((await jobsOf(queue)).map((r) => r.payload.n)).toEqual([1, 3, 4, 5]);
    expect(await jobsOf('test.dedupe-other')).toHaveLength(1);

    // While the job runs, the key is still taken.
    let release!: () => void;
    let started!: () => void;
    const startedP = new Promise<void>((resolve) => (started = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    const w = worker(queue, async (payload) => {
      if (payload.n === 1) {
        started();
        await gate;
      }
    });
    const running = w.runOnce();
    await startedP;
    await enqueueJob(db, queue, { n: 7 }, { dedupeKey: 'record-42' });
    release();
    await running;
    expect((await jobsOf(queue)).map((r) => r.payload.n)).toEqual([1, 3, 4, 5]);

    // Once it is done, the key is free again.
    await enqueueJob(db, queue, { n: 8 }, { dedupeKey: 'record-42' });
    expect((await jobsOf(queue)).map((r) => r.payload.n)).toEqual([1, 3, 4, 5, 8]);
  });

  it('keeps one job per dedupe key when many enqueue at once', async () => {
    const queue = 'test.dedupe-race';
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => enqueueJob(i % 2 ? db : other.db, queue, { i }, { dedupeKey: 'same' })),
    );
    expect(await jobsOf(queue)).toHaveLength(1);
  });

  it('enqueues inside the caller’s transaction: a rolled-back change leaves no job', async () => {
    const queue = 'test.tx';
    await expect(
      db.transaction().execute(async (trx) => {
        await enqueueJob(trx, queue, {});
        throw new Error('the use case failed');
      }),
    ).rejects.toThrow('the use case failed');
    expect(await jobsOf(queue)).toEqual([]);
  });

  it('polls when started, and stops claiming when stopped', async () => {
    const queue = 'test.polling';
    const ran: number[] = [];
    const w = new JobWorker({
      db,
      handlers: new Map([[queue, async (p) => void ran.push(Number(p.n))]]),
      logger,
      pollIntervalMs: 10,
    });
    w.start();
    try {
      for (let n = 0; n < 3; n++) await enqueueJob(db, queue, { n });
      await vi.waitFor(() => expect(ran.sort()).toEqual([0, 1, 2]), { timeout: 10_000, interval: 20 });
    } finally {
      await w.stop();
    }
    await enqueueJob(db, queue, { n: 3 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ran).toHaveLength(3);
    expect((await jobsOf(queue)).at(-1)!.status).toBe('queued');
  });
});
