import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { formatSignIns } from './demo/seed.js';
import { sweepImportFiles } from './modules/catalog/index.js';
import { startHousekeeping } from './platform/db/housekeeping.js';
import { DataDirLockedError } from './platform/db/lock.js';
import { createJobWorkers } from './platform/jobs/workers.js';
import { ensureMailRetention } from './platform/mail/retention.js';
import { createLogger } from './platform/logger.js';
import { OffsetClock } from './platform/testing/test-clock.js';
import { VERSION, WEB_DIST } from './platform/version.js';
import { openRuntime, seedIfEmpty } from './runtime.js';

/** Runs the server: config → database → migrate → seed → app → listen; stops gracefully. */
export async function serve(config: Config): Promise<void> {
  const startedAt = performance.now();
  const logger = createLogger(config.logLevel);
  const runtime = await openRuntime(config, logger, config.testClock ? new OffsetClock() : undefined);
  const demo = await seedIfEmpty(runtime.ctx);
  const app = await buildApp({ ctx: runtime.ctx, database: runtime.database, version: VERSION, webRoot: WEB_DIST });
  const worker = config.jobsEnabled ? createJobWorkers({ db: runtime.ctx.db, jobs: runtime.ctx.jobs, logger }) : null;
  // Old e-mail is purged on a chain that queueing mail starts; a server that sends none for a while
  // after an upgrade still purges what it kept before.
  if (worker) await ensureMailRetention(runtime.ctx.db);
  // Uploads whose import died with a process before this start are not read again.
  if (worker) await sweepImportFiles(runtime.ctx);
  // A PostgreSQL server has autovacuum; the embedded database is looked after here.
  const housekeeping = runtime.database.kind === 'embedded' ? startHousekeeping(runtime.ctx.db, logger) : null;

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing requests in flight');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + 5_000);
    force.unref();
    // Connections left idle by requests that finish during the drain are closed too, so a
    // client's keep-alive socket cannot hold the shutdown open.
    const idleCloser = setInterval(() => app.server.closeIdleConnections(), 100);
    try {
      await app.close();
      clearInterval(idleCloser);
      await worker?.stop();
      await housekeeping?.stop();
      await runtime.close();
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  worker?.start();
  const where = `http://localhost:${config.port}`;
  const readyMs = Math.round(performance.now() - startedAt);
  logger.info({ url: where, database: runtime.database.kind, readyMs }, 'Athenaeum is ready');
  // For the person at the terminal (not a log line): where to go and how to sign in.
  process.stdout.write(
    `\nAthenaeum ${VERSION} is serving ${where} (${runtime.database.kind} database), ready in ${readyMs} ms\n`,
  );
  if (demo) process.stdout.write(`${formatSignIns(demo.signIns)}\n\n`);
}

/** Prints a startup failure a person can act on, and exits non-zero. */
export function exitWithStartupError(error: unknown): never {
  if (error instanceof ConfigError || error instanceof DataDirLockedError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `Athenaeum could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await serve(loadConfig());
  } catch (error) {
    exitWithStartupError(error);
  }
}
