// Databases for the catalogue benches: a throwaway PostgreSQL 15 cluster with durable defaults
// (scripts/pg15-cluster.sh with PG_DURABLE=1; never the tests' fsync=off cluster), and embedded
// databases (PGlite in a child process, as `npm start` runs it) under the bench cache.
// The cluster keeps PostgreSQL's durability defaults (fsync, synchronous_commit,
// full_page_writes on) and is sized as a server on this machine would be: shared_buffers 1 GB
// (of 24), work_mem 32 MB; BENCH_PG_OPTIONS replaces those two.
// Environment: BENCH_PG_URL (use this server instead of starting one; must allow CREATE DATABASE),
// BENCH_PG_PORT (default 54339), BENCH_PG_DIR (default $BENCH_CACHE_DIR/pg15-durable).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CACHE_DIR, LIBRARIES, root } from './generate.mjs';

const dist = (relative) => pathToFileURL(path.join(root, relative)).href;
const PG_PORT = Number(process.env.BENCH_PG_PORT ?? 54339);
const PG_OPTIONS = '-c shared_buffers=1GB -c work_mem=32MB';
const PG_DIR = path.resolve(process.env.BENCH_PG_DIR ?? path.join(CACHE_DIR, 'pg15-durable'));

async function server() {
  return (await import('pg')).default;
}

async function canConnect(url) {
  const pg = await server();
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** The admin URL of the bench's PostgreSQL 15: BENCH_PG_URL, or a durable cluster started here. */
export async function benchPostgres() {
  if (process.env.BENCH_PG_URL) return { url: process.env.BENCH_PG_URL, stop: async () => {} };
  const url = `postgres://postgres@127.0.0.1:${PG_PORT}/postgres`;
  if (await canConnect(url)) return { url, stop: async () => {} };
  fs.mkdirSync(path.dirname(PG_DIR), { recursive: true });
  const start = spawnSync('bash', [path.join(root, 'scripts/pg15-cluster.sh'), 'start', PG_DIR, String(PG_PORT)], {
    env: { ...process.env, PG_DURABLE: '1', PG_OPTIONS: process.env.BENCH_PG_OPTIONS ?? PG_OPTIONS },
    encoding: 'utf8',
  });
  if (start.status !== 0) throw new Error(`could not start PostgreSQL 15 for the bench:\n${start.stderr}`);
  const stop = async () => {
    spawnSync('bash', [path.join(root, 'scripts/pg15-cluster.sh'), 'stop', PG_DIR], { stdio: 'ignore' });
  };
  return { url, stop };
}

/** Runs SQL on the server's admin database. */
export async function adminQuery(adminUrl, text) {
  const pg = await server();
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

/** The engine's settings that matter for a bench, for the report. */
export async function postgresSettings(url) {
  const { rows } = await adminQuery(
    url,
    `select name, setting, unit from pg_settings where name in ('server_version', 'fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers', 'work_mem')`,
  );
  const s = Object.fromEntries(
    rows.map((r) => [
      r.name,
      r.unit === '8kB' ? `${(Number(r.setting) * 8) / 1024} MB` : `${r.setting}${r.unit ?? ''}`,
    ]),
  );
  return `PostgreSQL ${s.server_version}, fsync=${s.fsync}, synchronous_commit=${s.synchronous_commit}, full_page_writes=${s.full_page_writes}, shared_buffers=${s.shared_buffers}`;
}

/** A database URL for `name` on the server, dropped and created afresh when `fresh`. */
export async function postgresDatabase(adminUrl, name, { fresh }) {
  if (fresh) {
    await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
    await adminQuery(adminUrl, `create database ${name}`);
  } else {
    const { rows } = await adminQuery(adminUrl, `select 1 from pg_database where datname = '${name}'`);
    if (rows.length === 0) await adminQuery(adminUrl, `create database ${name}`);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A data directory for an embedded database under the bench cache, emptied when `fresh`. */
export function embeddedDir(name, { fresh }) {
  const dir = path.join(CACHE_DIR, `embedded-${name}`);
  if (fresh) fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Opens the app's runtime (database, migrations, job handlers) the way the CLI does, on a
 * PostgreSQL URL or an embedded data directory, from the built server.
 */
export async function openBenchRuntime(target, { poolSize } = {}) {
  const { loadConfig } = await import(dist('apps/server/dist/config.js'));
  const { openRuntime } = await import(dist('apps/server/dist/runtime.js'));
  const { createLogger } = await import(dist('apps/server/dist/platform/logger.js'));
  const env = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'false',
    JOBS_ENABLED: 'false',
    ...(poolSize ? { DATABASE_POOL_SIZE: String(poolSize) } : {}),
  };
  const config = loadConfig(
    target.url ? { ...env, DATABASE_URL: target.url } : { ...env, ATHENAEUM_DATA_DIR: target.dataDir },
  );
  return openRuntime(config, createLogger('warn'));
}

/**
 * What keeps a catalogue's planner statistics and visibility maps current after it is built, as a
 * running server would have them: on PostgreSQL autovacuum's work, done at once (VACUUM ANALYZE);
 * on the embedded database the server's own housekeeping (platform/db/housekeeping.ts), which
 * does nothing when nothing is due.
 */
export async function settleCatalogue(engine, ctx) {
  if (engine === 'postgres') {
    const { sql } = await import('kysely');
    await sql`vacuum analyze`.execute(ctx.db);
  } else {
    const { tidyTables } = await import(dist('apps/server/dist/platform/db/housekeeping.js'));
    await tidyTables(ctx.db);
  }
}

/** The demo network's organizations (libraries with their branches), created if missing; returns code → ids. */
export async function demoLibraries(ctx) {
  const accounts = await import(dist('apps/server/dist/modules/accounts/index.js'));
  if (await accounts.isAccountsEmpty(ctx)) await accounts.seedAccountsDemo(ctx);
  const out = {};
  for (const code of Object.keys(LIBRARIES)) {
    const library = await accounts.findOrganizationByCode(ctx, code);
    if (!library) throw new Error(`the demo network has no library ${code}`);
    out[code] = { id: library.id, branches: await accounts.branchesOf(ctx, library.id) };
  }
  return out;
}

/** Imports the generated files through importFile (what `npm run cli -- import` runs), one per library. */
export async function importSynthetic(ctx, files, libraries, onProgress) {
  const { importFile } = await import(dist('apps/server/dist/modules/catalog/index.js'));
  const totals = { processed: 0, added: 0, updated: 0, unchanged: 0, rejected: 0 };
  for (const f of files) {
    const lib = libraries[f.library];
    const before = { ...totals };
    const result = await importFile(ctx, {
      file: f.file,
      libraryId: lib.id,
      branches: lib.branches,
      format: 'auto',
      onProgress: (p) => onProgress?.({ ...p, processed: before.processed + p.processed }),
    });
    for (const key of Object.keys(totals)) totals[key] += result.counts[key];
  }
  return totals;
}

/** Size of the catalogue in the database. */
export async function catalogCounts(ctx) {
  const { sql } = await import('kysely');
  const { rows } =
    await sql`select (select count(*) from catalog_records)::int as records, (select count(*) from catalog_works where record_count > 0)::int as works, (select count(*) from catalog_items)::int as items, pg_database_size(current_database())::bigint as bytes`.execute(
      ctx.db,
    );
  return rows[0];
}
