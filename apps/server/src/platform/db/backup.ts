import fs from 'node:fs';
import { once } from 'node:events';
import { sql } from 'kysely';
import type pg from 'pg';
import type { Db } from './database.js';
import { listMigrations } from './migrate.js';
import { SqlSplitter } from './sql-splitter.js';

const BATCH_ROWS = 500;

export interface BackupProgress {
  table: string;
  rows: number;
}

interface TableInfo {
  name: string;
  columns: string[];
  identityAlways: boolean;
  identityColumns: string[];
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Base tables of the public schema, parents before children (foreign keys). */
async function tablesInDependencyOrder(client: pg.PoolClient): Promise<TableInfo[]> {
  const tables = await client.query<{ name: string; columns: string[]; always: string[]; identity: string[] }>(`
    select c.relname::text as name,
           array_agg(a.attname::text order by a.attnum) as columns,
           array_agg(a.attname::text order by a.attnum) filter (where a.attidentity = 'a') as always,
           array_agg(a.attname::text order by a.attnum) filter (where a.attidentity in ('a', 'd')) as identity
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
    where c.relkind = 'r'
    group by c.relname`);
  const deps = await client.query<{ child: string; parent: string }>(`
    select cc.relname::text as child, pc.relname::text as parent
    from pg_constraint k
    join pg_class cc on cc.oid = k.conrelid
    join pg_class pc on pc.oid = k.confrelid
    join pg_namespace n on n.oid = cc.relnamespace and n.nspname = 'public'
    where k.contype = 'f' and k.conrelid <> k.confrelid`);
  const byName = new Map(tables.rows.map((t) => [t.name, t]));
  const order: TableInfo[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const d of deps.rows) if (d.child === name) visit(d.parent);
    const t = byName.get(name);
    if (t)
      order.push({
        name,
        columns: t.columns,
        identityAlways: (t.always ?? []).length > 0,
        identityColumns: t.identity ?? [],
      });
  };
  [...byName.keys()].sort().forEach(visit);
  return order;
}

async function write(out: fs.WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/**
 * Writes a plain SQL dump: the schema (the applied migrations, verbatim), then every row as
 * INSERT statements in foreign-key order, in one transaction. `psql -f FILE` restores it into an
 * empty PostgreSQL ≥ 15 database; `athenaeum db restore FILE` into an empty embedded one.
 */
export async function backupDatabase(
  pool: pg.Pool,
  file: string,
  info: { version: string; kind: string },
  onProgress: (p: BackupProgress) => void = () => {},
): Promise<{ tables: number; rows: number }> {
  const client = await pool.connect();
  const out = fs.createWriteStream(file, { encoding: 'utf8' });
  let total = 0;
  try {
    await client.query('begin isolation level repeatable read read only');
    await client.query(
      `set local timezone = 'UTC'; set local datestyle = 'ISO'; set local extra_float_digits = 3; set local intervalstyle = 'postgres'`,
    );
    const applied = (
      await client.query<{ version: string }>('select version from schema_migrations order by version')
    ).rows.map((r) => r.version);
    const migrations = listMigrations();
    const known = migrations.map((m) => m.version);
    if (applied.join() !== known.slice(0, applied.length).join() || applied.length !== known.length) {
      throw new Error(
        `The database's migrations (${applied.at(-1) ?? 'none'}) do not match this version's (${known.at(-1) ?? 'none'}); run "db migrate" first.`,
      );
    }
    await write(
      out,
      [
        `-- Athenaeum ${info.version} backup of a ${info.kind} database, ${new Date().toISOString()}`,
        '-- Restore into an EMPTY database: psql -v ON_ERROR_STOP=1 -d DBNAME -f THIS_FILE',
        '--                             or: npm run cli -- db restore THIS_FILE',
        "SET client_encoding = 'UTF8';",
        'SET standard_conforming_strings = on;',
        'SET check_function_bodies = false;',
        'BEGIN;',
        '',
        'CREATE TABLE schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());',
        '',
      ].join('\n'),
    );
    for (const m of migrations) {
      await write(out, `-- migration ${m.version}\n${fs.readFileSync(m.file, 'utf8').trim()}\n\n`);
    }
    for (const table of await tablesInDependencyOrder(client)) {
      if (table.name === 'schema_migrations') continue;
      const cols = table.columns.map(quoteIdent).join(', ');
      const literal = table.columns.map((c) => `quote_nullable(${quoteIdent(c)})`).join(` || ', ' || `);
      const head = `INSERT INTO ${quoteIdent(table.name)} (${cols})${table.identityAlways ? ' OVERRIDING SYSTEM VALUE' : ''} VALUES\n`;
      await client.query(`declare dump cursor for select ${literal} as row from ${quoteIdent(table.name)} order by 1`);
      let rows = 0;
      for (;;) {
        const batch = await client.query<{ row: string }>(`fetch ${BATCH_ROWS} from dump`);
        if (batch.rows.length === 0) break;
        await write(out, `${head}${batch.rows.map((r) => `(${r.row})`).join(',\n')};\n`);
        rows += batch.rows.length;
        onProgress({ table: table.name, rows });
      }
      await client.query('close dump');
      for (const col of table.identityColumns) {
        await write(
          out,
          `SELECT setval(pg_get_serial_sequence('${table.name}', '${col}'), coalesce((SELECT max(${quoteIdent(col)}) FROM ${quoteIdent(table.name)}), 0) + 1, false);\n`,
        );
      }
      total += rows;
    }
    for (const version of applied) {
      await write(out, `INSERT INTO schema_migrations (version) VALUES ('${version}');\n`);
    }
    await write(out, 'COMMIT;\n');
    await client.query('commit');
    const tables = (await tablesInDependencyOrder(client)).length;
    return { tables, rows: total };
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
    out.end();
    await once(out, 'close');
  }
}

/** True when the public schema holds no table: the only state a restore accepts. */
export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const row = await sql<{ n: number }>`select count(*)::int as n from pg_tables where schemaname = 'public'`.execute(
    db,
  );
  return row.rows[0]!.n === 0;
}

/**
 * Loads a plain SQL dump (as written by backupDatabase) into an empty database, statement by
 * statement on one connection; the dump's own BEGIN/COMMIT make it all-or-nothing.
 */
export async function restoreDatabase(
  pool: pg.Pool,
  file: string,
  onProgress: (bytes: number, totalBytes: number) => void = () => {},
): Promise<{ statements: number }> {
  const client = await pool.connect();
  const splitter = new SqlSplitter();
  const totalBytes = fs.statSync(file).size;
  let bytes = 0;
  let statements = 0;
  let pending: string[] = [];
  let pendingSize = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    await client.query(pending.join('\n'));
    statements += pending.length;
    pending = [];
    pendingSize = 0;
  };
  try {
    const tables = await client.query<{ n: number }>(
      `select count(*)::int as n from pg_tables where schemaname = 'public'`,
    );
    if (tables.rows[0]!.n > 0) throw new Error('Restore needs an empty database, and this one already has tables.');
    for await (const chunk of fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
      bytes += Buffer.byteLength(chunk as string);
      for (const statement of splitter.push(chunk as string)) {
        pending.push(statement);
        pendingSize += statement.length;
        if (pendingSize > 1 << 20) await flush();
      }
      onProgress(bytes, totalBytes);
    }
    const rest = splitter.end();
    if (rest) throw new Error(`The dump ends inside a statement: ${rest.slice(0, 80)}…`);
    await flush();
    return { statements };
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
