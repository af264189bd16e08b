import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { connect, type Database } from './database.js';

// (A PostgreSQL server only: the embedded database has one session, which cannot be ended alone.)
describe.runIf(process.env.ATHENAEUM_TEST_DATABASE_URL)('a connection the server ends while it is in use', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it('fails the statement it was running, does not end the process, and the pool goes on with another', async () => {
    const { db } = connect(database.url, 2);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      let failure: unknown;
      await db.connection().execute(async (conn) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(conn);
        const slow = sql`select pg_sleep(30)`.execute(conn).then(
          () => null,
          (error: unknown) => error,
        );
        await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
        failure = await slow;
        // Still checked out when its socket ends (the server's message comes first): pg emits an
        // 'error' event then, with none of the pool's listeners on the client.
        await new Promise((resolve) => setTimeout(resolve, 200));
      });
      expect(String(failure)).toMatch(/terminat/i);
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db);
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await admin.end();
      await db.destroy();
    }
  });
});
