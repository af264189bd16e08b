import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import type { Database } from '../db/database.js';
import { enqueueJob } from './queue.js';
import { JobRegistry } from './registry.js';
import { createJobWorkers } from './workers.js';

let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.close();
});

const statusOf = async (queue: string) =>
  (await database.db.selectFrom('jobs').select('status').where('queue', '=', queue).executeTakeFirstOrThrow()).status;

describe('the job lanes', () => {
  it('puts each queue in its lane, short unless registered long', () => {
    const jobs = new JobRegistry();
    const noop = async () => {};
    jobs.register('a.mail', noop);
    jobs.register('a.import', noop, { lane: 'long' });
    expect([...jobs.lane('short').keys()]).toEqual(['a.mail']);
    expect([...jobs.lane('long').keys()]).toEqual(['a.import']);
    expect([...jobs.all().keys()]).toEqual(['a.mail', 'a.import']);
    // Live: a queue registered after a worker took the map is seen.
    const long = jobs.lane('long');
    jobs.register('a.harvest', noop, { lane: 'long' });
    expect([...long.keys()]).toEqual(['a.import', 'a.harvest']);
  });

  it('runs a short job while a long one is still running (a hold notice is not held up by an import)', async () => {
    const jobs = new JobRegistry();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let longStarted = false;
    jobs.register(
      'lanes.import',
      async () => {
        longStarted = true;
        await gate;
      },
      { lane: 'long' },
    );
    jobs.register('lanes.notice', async () => {});
    await enqueueJob(database.db, 'lanes.import', {});
    const workers = createJobWorkers({ db: database.db, jobs, logger: pino({ level: 'silent' }), pollIntervalMs: 20 });
    workers.start();
    try {
      await vi.waitFor(() => expect(longStarted).toBe(true), { timeout: 10_000 });
      await enqueueJob(database.db, 'lanes.notice', {});
      await vi.waitFor(async () => expect(await statusOf('lanes.notice')).toBe('done'), { timeout: 10_000 });
      expect(await statusOf('lanes.import')).toBe('running');
    } finally {
      release();
      await workers.stop();
    }
    expect(await statusOf('lanes.import')).toBe('done');
  });
});
