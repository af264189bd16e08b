import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import { JobWorker } from './queue.js';
import type { JobLane, JobRegistry } from './registry.js';

// A long job's worker takes one at a time: a second upload waits for the first rather than
// holding a lease it cannot start on.
const BATCH: Record<JobLane, number> = { short: 10, long: 1 };

/** The server's job workers, one per lane, started and stopped together. */
export interface JobWorkers {
  start(): void;
  /** Stops claiming; waits for the jobs in hand to finish. */
  stop(): Promise<void>;
}

export function createJobWorkers(options: {
  db: Db;
  jobs: JobRegistry;
  logger: Logger;
  pollIntervalMs?: number;
}): JobWorkers {
  const workers = (Object.keys(BATCH) as JobLane[]).map(
    (lane) =>
      new JobWorker({
        db: options.db,
        handlers: options.jobs.lane(lane),
        logger: options.logger,
        batchSize: BATCH[lane],
        ...(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}),
      }),
  );
  return {
    start: () => workers.forEach((w) => w.start()),
    stop: async () => {
      await Promise.all(workers.map((w) => w.stop()));
    },
  };
}
