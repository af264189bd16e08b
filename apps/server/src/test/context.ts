import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { ManualClock } from '../platform/clock.js';
import type { AppContext } from '../platform/context/context.js';
import type { Database } from '../platform/db/database.js';
import { JobWorker } from '../platform/jobs/queue.js';
import { JobRegistry } from '../platform/jobs/registry.js';
import { registerMailDelivery } from '../platform/mail/mailer.js';
import { registerMailRetention } from '../platform/mail/retention.js';
import { registerCatalogJobs } from '../modules/catalog/index.js';
import { registerCirculationJobs } from '../modules/circulation/index.js';
import { createTestDatabase } from './database.js';

export interface TestEnv {
  database: Database;
  ctx: AppContext;
  clock: ManualClock;
  app: FastifyInstance;
  /** Runs queued jobs (e-mail delivery …) until none is runnable. */
  drainJobs(): Promise<void>;
}

/** A real database, a context with a hand-moved clock, and the app ready for `inject()`; closed after the file. */
export async function createTestEnv(env: Record<string, string> = {}): Promise<TestEnv> {
  const database = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SEED_DEMO: 'false', ...env });
  const logger = pino({ level: 'silent' });
  const clock = new ManualClock(new Date());
  const jobs = new JobRegistry();
  const ctx: AppContext = { db: database.db, config, logger, clock, jobs, databaseKind: database.kind };
  registerMailDelivery(jobs, { db: database.db, smtpUrl: config.smtpUrl, from: config.mailFrom, logger });
  registerMailRetention(jobs, { db: database.db, retentionDays: config.mailRetentionDays, logger, clock });
  registerCatalogJobs(ctx);
  registerCirculationJobs(ctx);
  const app = await buildApp({ ctx, database, version: 'test' });
  const worker = new JobWorker({ db: database.db, handlers: jobs.all(), logger });
  afterAll(async () => {
    await app.close();
    await database.close();
  });
  return {
    database,
    ctx,
    clock,
    app,
    async drainJobs() {
      while ((await worker.runOnce()) > 0) {
        // keep going until the queue is empty
      }
    },
  };
}
