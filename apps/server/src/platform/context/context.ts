import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { JobRegistry } from '../jobs/registry.js';

/** What every module's use cases receive: the database, settings, logger, clock and job registry. */
export interface AppContext {
  db: Db;
  config: Config;
  logger: Logger;
  clock: Clock;
  jobs: JobRegistry;
  databaseKind: 'embedded' | 'postgres';
}
