import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/database.js';
import { enqueueJob, hasPendingJob } from '../jobs/queue.js';
import { connect, type Database } from './database.js';
import { PREPARE_ALWAYS, statementName } from './prepared.js';

describe('prepared statements', () => {
  it('names short parameterised statements, the same name for the same text, and leaves the rest unnamed', () => {
    const text = 'select * from jobs where id = $1';
    expect(statementName(text, 1)).toMatch(/^ath_[\w-]{40}$/);
    expect(statementName(text, 1)).toBe(statementName(text, 1));
    expect(statementName('select * from jobs where queue = $1', 1)).not.toBe(statementName(text, 1));
    expect(statementName('select 1', 0)).toBeNull();
    expect(statementName(`select ${'x, '.repeat(600)} 1 where a = $1`, 1)).toBeNull();
    const many = Array.from({ length: 40 }, (_, i) => `$${i + 1}`).join(', ');
    expect(statementName(`select * from jobs where id in (${many})`, 40)).toBeNull();
  });

  it('names a long statement that asks for it, whatever its length and parameters', () => {
    const many = Array.from({ length: 4000 }, (_, i) => `($${i + 1})`).join(',');
    const text = `${PREPARE_ALWAYS}insert into jobs_archive (id) values ${many}`;
    expect(statementName(text, 4000)).toMatch(/^ath_[\w-]{40}$/);
    expect(statementName(text, 4000)).toBe(statementName(text, 4000));
    expect(statementName(text.slice(PREPARE_ALWAYS.length), 4000)).toBeNull();
  });

  describe('on the test database', () => {
    let database: Database;
    beforeAll(async () => {
      database = await createTestDatabase();
    });
    afterAll(async () => {
      await database.close();
    });

    // A prepared statement switches to a generic plan after five runs; an upsert whose arbiter is
    // a partial index must still find it then (its predicate is written with literals).
    it('keeps deduplicating an enqueue run many times on one connection', async () => {
      await database.db.transaction().execute(async (tx) => {
        for (let i = 0; i < 12; i++) await enqueueJob(tx, 'test.prepared', { i }, { dedupeKey: 'one' });
        expect(await hasPendingJob(tx, 'test.prepared')).toBe(true);
      });
      const { rows } = await sql<{
        n: number;
      }>`select count(*)::int as n from jobs where queue = 'test.prepared'`.execute(database.db);
      expect(rows[0]!.n).toBe(1);
      expect(await hasPendingJob(database.db, 'test.none')).toBe(false);
    });

    // The CLI and the tests reach the embedded database by URL too, where every connection shares
    // one session: names prepared by one connection would collide with another's.
    it('runs the same statement on several connections at once, whatever is behind the URL', async () => {
      const { db } = connect(database.url, 4, { prepare: true });
      try {
        const run = (i: number) =>
          sql<{ n: number }>`select ${i}::int + count(*)::int as n from jobs where queue = ${'test.none'}`.execute(db);
        const results = await Promise.all(Array.from({ length: 24 }, (_, i) => run(i)));
        expect(results.map((r) => r.rows[0]!.n)).toEqual(Array.from({ length: 24 }, (_, i) => i));
      } finally {
        await db.destroy();
      }
    });
  });
});
