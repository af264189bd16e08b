import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Db } from './database.js';

/** The folder of forward-only SQL migrations, `NNNN_<module>_<what>.sql`. */
export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

// Any constant works; it only has to be the same for every process of this application.
const MIGRATION_LOCK_KEY = 7_401_275_113;

export interface Migration {
  version: string;
  file: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name))
    .sort()
    .map((name) => ({ version: name.replace(/\.sql$/, ''), file: path.join(dir, name) }));
}

/**
 * Applies pending migrations, each in its own transaction, under an advisory lock so that several
 * server processes starting together apply each migration exactly once; then, when it applied
 * any, forgets the query plans its session cached meanwhile.
 */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
  const applied: string[] = [];
  await db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
    try {
      await sql`create table if not exists schema_migrations (
        version text primary key,
        applied_at timestamptz not null default now()
      )`.execute(conn);
      const done = new Set(
        (await sql<{ version: string }>`select version from schema_migrations`.execute(conn)).rows.map(
          (r) => r.version,
        ),
      );
      for (const migration of listMigrations(dir)) {
        if (done.has(migration.version)) continue;
        const text = fs.readFileSync(migration.file, 'utf8');
        // The version is claimed first, in the migration's own transaction: where the advisory lock
        // does not exclude (the embedded server runs every connection in one backend session, so
        // the lock is re-entrant), a second migrator finds the claim and skips.
        const claimed = await conn.transaction().execute(async (trx) => {
          const row = await sql`insert into schema_migrations (version) values (${migration.version})
            on conflict (version) do nothing returning version`.execute(trx);
          if (row.rows.length === 0) return false;
          await sql.raw(text).execute(trx);
          return true;
        });
        if (claimed) applied.push(migration.version);
      }
      // Plans cached while migrating were made for the tables as the migrations left them, often
      // empty (the plans of trigger functions that a migration's updates ran, say). The embedded
      // database has no autovacuum to invalidate them as its tables grow, and runs every
      // connection in this one session: an import after a migration kept such a plan and took a
      // quarter longer (docs/BENCHMARKS.md). Prepared statements stay; they are planned again.
      if (applied.length) await sql`discard plans`.execute(conn);
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(conn);
    }
  });
  return applied;
}
