import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { connect, type Database, type Db } from './database.js';
import { listMigrations, migrate } from './migrate.js';
import { pgliteExtensions } from './pglite-extensions.js';
import { withWholeExchanges } from './pglite-protocol.js';

/** An empty database (nothing migrated) on the engine under test, and a way to reach it. */
async function emptyDatabase(): Promise<{ url: string; close(): Promise<void> }> {
  const adminUrl = process.env.ATHENAEUM_TEST_DATABASE_URL;
  if (adminUrl) {
    const name = `ath_t_${inject('templateDatabase').slice(13)}_m${Math.random().toString(36).slice(2, 10)}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      async close() {
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  }
  const pglite = await PGlite.create({ extensions: pgliteExtensions });
  const server = new PGLiteSocketServer({
    db: withWholeExchanges(pglite),
    host: '127.0.0.1',
    port: 0,
    maxConnections: 16,
  });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    async close() {
      await server.stop();
      await pglite.close();
    },
  };
}

const versionsIn = async (db: Db) =>
  (await sql<{ version: string }>`select version from schema_migrations order by version`.execute(db)).rows.map(
    (r) => r.version,
  );

const tableExists = async (db: Db, name: string) =>
  (await sql<{ found: string | null }>`select to_regclass(${name})::text as found`.execute(db)).rows[0]!.found !== null;

const ALL = listMigrations().map((m) => m.version);

describe('listMigrations', () => {
  it('lists the shipped migrations in order', () => {
    expect(ALL.length).toBeGreaterThanOrEqual(2);
    expect(ALL).toEqual([...ALL].sort());
    expect(ALL[0]).toBe('0001_platform_foundation');
    expect(new Set(ALL.map((v) => v.slice(0, 4))).size).toBe(ALL.length);
  });

  it('takes only NNNN_name.sql files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ath-mig-'));
    for (const name of ['0002_b.sql', '0001_a.sql', 'README.md', '01_short.sql', '0003_Upper.sql', '0004_c.sql.bak']) {
      fs.writeFileSync(path.join(dir, name), 'select 1;');
    }
    expect(listMigrations(dir).map((m) => m.version)).toEqual(['0001_a', '0002_b']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('migrate', () => {
  let harness: Database;

  beforeAll(async () => {
    harness = await createTestDatabase();
  });

  afterAll(async () => {
    await harness.close();
  });

  it('does nothing on a database that is up to date', async () => {
    expect(await migrate(harness.db)).toEqual([]);
    expect(await versionsIn(harness.db)).toEqual(ALL);
  });

  it('applies every migration on an empty database, then nothing the second time', async () => {
    const empty = await emptyDatabase();
    const { db } = connect(empty.url, 2);
    try {
      expect(await migrate(db)).toEqual(ALL);
      expect(await tableExists(db, 'people')).toBe(true);
      expect(await tableExists(db, 'jobs')).toBe(true);
      expect(await migrate(db)).toEqual([]);
      expect(await versionsIn(db)).toEqual(ALL);
    } finally {
      await db.destroy();
      await empty.close();
    }
  });

  it('applies each migration exactly once when two processes migrate the same empty database at once', async () => {
    const empty = await emptyDatabase();
    const first = connect(empty.url, 2);
    const second = connect(empty.url, 2);
    try {
      const [a, b] = await Promise.all([migrate(first.db), migrate(second.db)]);
      expect([...a, ...b].sort()).toEqual(ALL);
      expect(a.filter((v) => b.includes(v))).toEqual([]);
      expect(await versionsIn(first.db)).toEqual(ALL);
      expect(await migrate(second.db)).toEqual([]);
    } finally {
      await first.db.destroy();
      await second.db.destroy();
      await empty.close();
    }
  });

  it('rolls back a failing migration whole, records it not, and applies it once fixed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ath-mig-'));
    fs.writeFileSync(path.join(dir, '0001_test_ok.sql'), 'create table test_ok (id int primary key);');
    fs.writeFileSync(
      path.join(dir, '0002_test_bad.sql'),
      'create table test_partial (id int);\ninsert into test_ok values (1);\nselect 1 / 0;',
    );
    fs.writeFileSync(path.join(dir, '0003_test_later.sql'), 'create table test_later (id int);');
    const empty = await emptyDatabase();
    const { db } = connect(empty.url, 2);
    try {
      await expect(migrate(db, dir)).rejects.toThrow(/division by zero/);
      expect(await versionsIn(db)).toEqual(['0001_test_ok']);
      expect(await tableExists(db, 'test_ok')).toBe(true);
      expect(await tableExists(db, 'test_partial')).toBe(false);
      expect(await tableExists(db, 'test_later')).toBe(false);
      expect((await sql<{ n: number }>`select count(*)::int as n from test_ok`.execute(db)).rows[0]!.n).toBe(0);

      fs.writeFileSync(path.join(dir, '0002_test_bad.sql'), 'create table test_partial (id int);');
      expect(await migrate(db, dir)).toEqual(['0002_test_bad', '0003_test_later']);
      expect(await versionsIn(db)).toEqual(['0001_test_ok', '0002_test_bad', '0003_test_later']);
    } finally {
      await db.destroy();
      await empty.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('forgets the query plans cached while migrating, so that they are made again for the tables as they grow', async () => {
    // A trigger function's plan, cached when a later migration fires it on a near-empty table: the
    // kind of plan that made an embedded import after migrating a quarter slower. The plan counts
    // its making: test_planned() is folded into it as a constant, so it runs when, and only when,
    // the statement is planned.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ath-mig-'));
    fs.writeFileSync(
      path.join(dir, '0001_test_tables.sql'),
      `create sequence test_plans;
       create function test_planned() returns int immutable language plpgsql as $$
       begin perform nextval('test_plans'); return 1; end $$;
       create table test_words (word text primary key, n int not null);
       create table test_docs (id int primary key, word text not null);
       create function test_count_word() returns trigger language plpgsql as $$
       begin update test_words set n = n + test_planned() where word = new.word; return new; end $$;
       create trigger test_docs_count after insert on test_docs for each row execute function test_count_word();`,
    );
    // Enough inserts, one statement each, for the trigger's statement to get a cached (generic) plan.
    fs.writeFileSync(
      path.join(dir, '0002_test_fill.sql'),
      `insert into test_words values ('a', 0);\n` +
        Array.from({ length: 8 }, (_, i) => `insert into test_docs values (${i + 1}, 'a');`).join('\n'),
    );
    const plansMadeByAnInsert = async (db: Db, id: number) => {
      const made = async () =>
        Number((await sql<{ n: string }>`select last_value as n from test_plans`.execute(db)).rows[0]!.n);
      const before = await made();
      await sql`insert into test_docs values (${id}, 'a')`.execute(db);
      return (await made()) - before;
    };
    const empty = await emptyDatabase();
    // One connection: the session that migrated is the one that inserts next.
    const { db } = connect(empty.url, 1);
    try {
      // The same statements run without migrate(): the next insert uses the cached plan.
      for (const file of ['0001_test_tables.sql', '0002_test_fill.sql'])
        await sql.raw(fs.readFileSync(path.join(dir, file), 'utf8')).execute(db);
      expect(await plansMadeByAnInsert(db, 100)).toBe(0);
      await sql`drop table test_docs, test_words; drop function test_count_word(), test_planned(); drop sequence test_plans`.execute(
        db,
      );

      expect(await migrate(db, dir)).toEqual(['0001_test_tables', '0002_test_fill']);
      expect(await plansMadeByAnInsert(db, 100)).toBe(1);
      expect(await plansMadeByAnInsert(db, 101)).toBe(0);
      expect((await sql<{ n: number }>`select n from test_words where word = 'a'`.execute(db)).rows[0]!.n).toBe(10);
    } finally {
      await db.destroy();
      await empty.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('releases its lock after a failure, so the next run is not stuck', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ath-mig-'));
    fs.writeFileSync(path.join(dir, '0001_test_bad.sql'), 'select 1 / 0;');
    const empty = await emptyDatabase();
    const first = connect(empty.url, 1);
    const second = connect(empty.url, 1);
    try {
      await expect(migrate(first.db, dir)).rejects.toThrow();
      fs.writeFileSync(path.join(dir, '0001_test_bad.sql'), 'select 1;');
      expect(await migrate(second.db, dir)).toEqual(['0001_test_bad']);
    } finally {
      await first.db.destroy();
      await second.db.destroy();
      await empty.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
