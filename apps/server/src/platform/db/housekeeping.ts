import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { AnyDb } from './database.js';

/** A table due for care, and whether it needs VACUUM (else ANALYZE alone). */
export interface DueTable {
  name: string;
  vacuum: boolean;
}

/**
 * The tables that autovacuum would take now, by its default thresholds: VACUUM when dead rows
 * exceed 50 + 20 % of the rows, ANALYZE when rows changed since the last analysis exceed 50 + 10 %.
 * Those counters start again when the database restarts (the embedded database does not keep
 * them), so a table is also due when it has grown by more than a fifth (and 8 pages) since it
 * was last analyzed, or has never been: an import run by the command line before the server
 * starts is seen too. Smallest first.
 */
export async function dueTables(db: AnyDb): Promise<DueTable[]> {
  const { rows } = await sql<DueTable>`
    select format('%I.%I', n.nspname, c.relname) as name,
      coalesce(s.n_dead_tup, 0) > 50 + 0.2 * greatest(c.reltuples, 0) as vacuum
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_stat_user_tables s on s.relid = c.oid
    where c.relkind = 'r' and c.relpersistence = 'p'
      and n.nspname <> 'information_schema' and n.nspname !~ '^pg_'
      and (coalesce(s.n_dead_tup, 0) > 50 + 0.2 * greatest(c.reltuples, 0)
        or coalesce(s.n_mod_since_analyze, 0) > 50 + 0.1 * greatest(c.reltuples, 0)
        or pg_relation_size(c.oid) / current_setting('block_size')::int > 1.2 * c.relpages + 8)
    order by pg_relation_size(c.oid), 1`.execute(db);
  return rows;
}

/** What one round of housekeeping did. */
export interface TidyReport {
  vacuumed: string[];
  analyzed: string[];
}

/**
 * Vacuums and analyzes the tables that are due (dueTables), one statement per table, so that
 * other work goes on between them. On a PostgreSQL server autovacuum does this; the embedded
 * database (PGlite, one backend) has none, and without it the planner kept the statistics of
 * an empty catalogue after an import, and queues kept their dead rows.
 */
export async function tidyTables(db: AnyDb): Promise<TidyReport> {
  const report: TidyReport = { vacuumed: [], analyzed: [] };
  for (const table of await dueTables(db)) {
    // The name is quoted by format('%I.%I').
    await sql.raw(`${table.vacuum ? 'vacuum (analyze)' : 'analyze'} ${table.name}`).execute(db);
    (table.vacuum ? report.vacuumed : report.analyzed).push(table.name);
  }
  return report;
}

/** How often the embedded database is looked after: autovacuum's default naptime. */
export const HOUSEKEEPING_INTERVAL_MS = 60_000;

/**
 * Runs tidyTables every `intervalMs` (one round at a time) until stopped; a failed round is
 * logged and the next one tries again. For the embedded database only: a server has autovacuum.
 */
export function startHousekeeping(
  db: AnyDb,
  logger: Logger,
  intervalMs = HOUSEKEEPING_INTERVAL_MS,
): { stop(): Promise<void> } {
  let round: Promise<void> | null = null;
  const tick = () => {
    if (round) return;
    const started = performance.now();
    round = tidyTables(db)
      .then((report) => {
        if (report.vacuumed.length || report.analyzed.length)
          logger.info({ ...report, ms: Math.round(performance.now() - started) }, 'database tables looked after');
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'database housekeeping failed; trying again later'))
      .finally(() => {
        round = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await round;
    },
  };
}
