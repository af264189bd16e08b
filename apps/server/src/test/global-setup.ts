import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { connect } from '../platform/db/database.js';
import { migrate } from '../platform/db/migrate.js';
import { pgliteExtensions } from '../platform/db/pglite-extensions.js';
import { withWholeExchanges } from '../platform/db/pglite-protocol.js';
import { installWholeMessages } from '../platform/db/whole-messages.js';

// With ATHENAEUM_TEST_DATABASE_URL (a PostgreSQL server, any database on it), the suite migrates
// one template database per run and every test file clones it; without it, the suite migrates one
// in-memory PGlite per run and every test file starts its own PGlite from that snapshot (initdb
// costs seconds per file, loading a snapshot under one). Either way, tests run on a real database.
export default async function setup(project: TestProject) {
  const adminUrl = process.env.ATHENAEUM_TEST_DATABASE_URL;
  if (!adminUrl) return embeddedSnapshot(project);
  const template = `ath_template_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${template}`);
  const url = new URL(adminUrl);
  url.pathname = `/${template}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
  const db = new Kysely<never>({ dialect: new PostgresDialect({ pool }) });
  await migrate(db as never);
  await sql`select 1`.execute(db);
  await db.destroy();
  project.provide('templateDatabase', template);
  return async () => {
    await admin.query(`drop database if exists ${template} with (force)`);
    const leftovers = await admin.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [
      `ath_t_${template.slice(13)}%`,
    ]);
    for (const row of leftovers.rows) await admin.query(`drop database if exists ${row.datname} with (force)`);
    await admin.end();
  };
}

/** Migrates an in-memory PGlite through the wire protocol, as the app would, and saves its data directory. */
async function embeddedSnapshot(project: TestProject) {
  const pglite = await PGlite.create({ extensions: pgliteExtensions });
  installWholeMessages();
  const server = new PGLiteSocketServer({ db: withWholeExchanges(pglite), host: '127.0.0.1', port: 0 });
  await server.start();
  const { db } = connect(`postgres://postgres@${server.getServerConn()}/postgres`, 1);
  await migrate(db);
  await db.destroy();
  await server.stop();
  const snapshot = await pglite.dumpDataDir('none');
  await pglite.close();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'athenaeum-test-pglite-'));
  const file = path.join(dir, 'migrated.tar');
  fs.writeFileSync(file, Buffer.from(await snapshot.arrayBuffer()));
  project.provide('pgliteSnapshot', file);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
    pgliteSnapshot: string;
  }
}
