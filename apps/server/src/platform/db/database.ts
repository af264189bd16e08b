import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../../config.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.js';
import { preparingPool } from './prepared.js';
import type { PlatformTables } from './tables.js';

// int8 (counts, sums) as JS numbers: our counts stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

/** The database handle every module receives: a Kysely instance over a `pg` pool. */
export type Db = Kysely<PlatformTables>;

/** Any handle (a module's view or a transaction); platform helpers accept it and use their own tables. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDb = Kysely<any>;

/** An open database, embedded or server, with the means to close it. */
export interface Database {
  kind: 'embedded' | 'postgres';
  db: Db;
  pool: pg.Pool;
  url: string;
  /** Resolves true when a trivial query answers within the timeout. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Opens a pool on a URL; shared by the app, the CLI and tests. `prepare` sends short statements
 * as prepared ones (prepared.ts).
 */
export function connect(url: string, poolSize: number, options: { prepare?: boolean } = {}): { pool: pg.Pool; db: Db } {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
  });
  // A client that loses its connection must not crash the process. Idle, the pool replaces it;
  // in use, its query fails with the error (pg also emits it, and an 'error' event nobody listens
  // to is thrown), and the pool discards it when it comes back.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const source = options.prepare ? preparingPool(pool) : pool;
  return { pool, db: new Kysely<PlatformTables>({ dialect: new PostgresDialect({ pool: source }) }) };
}

/** Opens the configured database: a PostgreSQL server, or the embedded one under the data dir. */
export async function openDatabase(config: Config): Promise<Database> {
  let embedded: EmbeddedPostgres | null = null;
  let url: string;
  if (config.database.kind === 'embedded') {
    embedded = await startEmbeddedPostgres(config.database.dataDir);
    url = embedded.url;
  } else {
    url = config.database.url;
  }
  // PGlite executes one statement at a time, so a large pool only queues; keep it modest.
  const { pool, db } = connect(url, embedded ? Math.min(config.poolSize, 8) : config.poolSize, { prepare: true });
  return {
    kind: embedded ? 'embedded' : 'postgres',
    db,
    pool,
    url,
    async ping(timeoutMs = 2_000) {
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), timeoutMs);
        });
        return await Promise.race([sql`select 1`.execute(db).then(() => true), timeout]);
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await db.destroy();
      await embedded?.stop();
    },
  };
}
