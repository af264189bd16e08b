import type { TestProject } from 'vitest/node';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { migrate } from '../platform/db/migrate.js';

// With ATHENAEUM_TEST_DATABASE_URL (a PostgreSQL server, any database on it), the suite migrates
// one template database per run and every test file clones it; without it, each file runs its own
// in-memory PGlite. Either way, tests run on a real database.
export default async function setup(project: TestProject) {
  const adminUrl = process.env.ATHENAEUM_TEST_DATABASE_URL;
  if (!adminUrl) return;
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

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}
