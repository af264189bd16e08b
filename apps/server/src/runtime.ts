import type { Logger } from 'pino';
import type { Config } from './config.js';
import { isAccountsEmpty } from './modules/accounts/index.js';
import { registerCatalogJobs } from './modules/catalog/index.js';
import { registerCirculationJobs } from './modules/circulation/index.js';
import { registerInteropJobs } from './modules/interop/index.js';
import { seedDemoNetwork, type DemoSummary } from './demo/seed.js';
import { systemClock, type Clock } from './platform/clock.js';
import type { AppContext } from './platform/context/context.js';
import { openDatabase, type Database } from './platform/db/database.js';
import { migrate } from './platform/db/migrate.js';
import { JobRegistry } from './platform/jobs/registry.js';
import { registerMailDelivery } from './platform/mail/mailer.js';
import { registerMailRetention } from './platform/mail/retention.js';

/** An opened, migrated database with the context every module receives. */
export interface Runtime {
  database: Database;
  ctx: AppContext;
  close(): Promise<void>;
}

/** Opens the configured database, applies migrations and registers the job handlers. */
export async function openRuntime(config: Config, logger: Logger, clock: Clock = systemClock): Promise<Runtime> {
  const database = await openDatabase(config);
  try {
    const applied = await migrate(database.db);
    if (applied.length) logger.info({ applied }, 'database migrated');
  } catch (error) {
    await database.close();
    throw error;
  }
  const jobs = new JobRegistry();
  const ctx: AppContext = { db: database.db, config, logger, clock, jobs, databaseKind: database.kind };
  registerMailDelivery(jobs, { db: database.db, smtpUrl: config.smtpUrl, from: config.mailFrom, logger });
  registerMailRetention(jobs, { db: database.db, retentionDays: config.mailRetentionDays, logger, clock });
  registerCatalogJobs(ctx);
  registerCirculationJobs(ctx);
  registerInteropJobs(ctx);
  return { database, ctx, close: () => database.close() };
}

/** Seeds the demo network when the database is empty and seeding is on; returns what was made. */
export async function seedIfEmpty(ctx: AppContext): Promise<DemoSummary | null> {
  if (!ctx.config.seedDemo || !(await isAccountsEmpty(ctx))) return null;
  return seedDemoNetwork(ctx);
}
