import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import type { Database } from './database.js';
import { dueTables, startHousekeeping, tidyTables } from './housekeeping.js';

const TABLE = 'public.housekeeping_probe';

describe('database housekeeping (what autovacuum does, for the embedded database)', () => {
  let database: Database;
  const stats = async () => {
    const { rows } = await sql<{ reltuples: number; dead: number }>`
      select c.reltuples::int as reltuples, coalesce(s.n_dead_tup, 0)::int as dead
      from pg_class c left join pg_stat_user_tables s on s.relid = c.oid
      where c.oid = ${TABLE}::regclass`.execute(database.db);
    return rows[0]!;
  };
  const due = async () => (await dueTables(database.db)).find((t) => t.name === TABLE);
  /** Runs `statement` and makes its row counts visible to other connections at once. */
  const changeAndReport = (statement: string) =>
    database.db.connection().execute(async (c) => {
      await sql.raw(statement).execute(c);
      await sql`select pg_stat_force_next_flush()`.execute(c);
      await sql`select 1`.execute(c);
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    // The test cluster's own autovacuum must not take the table first.
    await sql
      .raw(`create table ${TABLE} (id int primary key, note text) with (autovacuum_enabled = false)`)
      .execute(database.db);
  });
  afterAll(async () => {
    await database.close();
  });

  it('analyzes a table never analyzed, then leaves it until it grows by a fifth, counters lost or not', async () => {
    await changeAndReport(`insert into ${TABLE} select i, repeat('x', 200) from generate_series(1, 4000) i`);
    expect(await due()).toEqual({ name: TABLE, vacuum: false });
    expect((await stats()).reltuples).toBeLessThan(0);

    const report = await tidyTables(database.db);
    expect(report.analyzed).toContain(TABLE);
    expect(report.vacuumed).not.toContain(TABLE);
    expect((await stats()).reltuples).toBe(4000);
    expect(await due()).toBeUndefined();

    // A tenth more: not yet. Then, with the counters gone (as after a restart), half as much again.
    await changeAndReport(`insert into ${TABLE} select i, repeat('x', 200) from generate_series(4001, 4400) i`);
    expect(await due()).toBeUndefined();
    await changeAndReport(`insert into ${TABLE} select i, repeat('x', 200) from generate_series(4401, 6000) i`);
    await sql`select pg_stat_reset()`.execute(database.db);
    expect(await due()).toEqual({ name: TABLE, vacuum: false });
    expect((await tidyTables(database.db)).analyzed).toContain(TABLE);
    expect((await stats()).reltuples).toBe(6000);
  });

  it('vacuums a table whose dead rows exceed a fifth of it', async () => {
    await changeAndReport(`delete from ${TABLE} where id % 3 = 0`);
    expect(await due()).toEqual({ name: TABLE, vacuum: true });

    const report = await tidyTables(database.db);
    expect(report.vacuumed).toContain(TABLE);
    expect(await stats()).toEqual({ reltuples: 4000, dead: 0 });
    expect(await due()).toBeUndefined();
  });

  it('looks after the tables round after round, and logs a failed round without stopping', async () => {
    await changeAndReport(`insert into ${TABLE} select i, repeat('x', 200) from generate_series(6001, 9000) i`);
    const info = vi.fn();
    const logger = Object.assign(pino({ level: 'silent' }), { info });
    const housekeeping = startHousekeeping(database.db, logger, 10);
    await vi.waitFor(() => expect(info).toHaveBeenCalled(), { timeout: 10_000 });
    await housekeeping.stop();
    expect(info.mock.calls[0]![0]).toMatchObject({ analyzed: expect.arrayContaining([TABLE]) });

    const unreachable = new Kysely({
      dialect: new PostgresDialect({
        pool: new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none', connectionTimeoutMillis: 500 }),
      }),
    });
    const warn = vi.fn();
    const failing = startHousekeeping(unreachable, Object.assign(pino({ level: 'silent' }), { warn }), 10);
    await vi.waitFor(() => expect(warn.mock.calls.length).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
    await failing.stop();
    await unreachable.destroy();
  });
});
