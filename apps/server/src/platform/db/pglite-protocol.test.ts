import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { sql } from 'kysely';
import type { Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Db } from './database.js';
import { withWholeExchanges } from './pglite-protocol.js';

// The embedded engine whatever ATHENAEUM_TEST_DATABASE_URL says: this is about PGlite served over
// the wire to several connections, as the embedded server does.
let pglite: PGlite;
let server: PGLiteSocketServer;
let url: string;
let db: Db;

beforeAll(async () => {
  pglite = await PGlite.create();
  server = new PGLiteSocketServer({ db: withWholeExchanges(pglite), host: '127.0.0.1', port: 0, maxConnections: 32 });
  await server.start();
  url = `postgres://postgres@${server.getServerConn()}/postgres`;
  db = connect(url, 8).db;
  await sql`create table notes (id serial primary key, owner int not null, body text not null)`.execute(db);
});

afterAll(async () => {
  await db.destroy();
  await server.stop();
  await pglite.close();
});

describe('several connections to one embedded database', () => {
  it('give every query its own answer while transactions come and go', async () => {
    const failures: string[] = [];
    const plain = async (n: number) => {
      try {
        const { rows } = await sql<{
          n: number;
          text: string;
        }>`select ${n}::int as n, ${`q${n}`}::text as text`.execute(db);
        if (rows[0]?.n !== n || rows[0]?.text !== `q${n}`) failures.push(`query ${n} got ${JSON.stringify(rows)}`);
      } catch (error) {
        failures.push(`query ${n} failed: ${String(error)}`);
      }
    };
    const transaction = async (n: number) => {
      try {
        await db.transaction().execute(async (trx) => {
          await sql`select ${n}::int`.execute(trx);
          await new Promise((resolve) => setTimeout(resolve, 3));
          await sql`select ${n}::int`.execute(trx);
        });
      } catch (error) {
        failures.push(`transaction ${n} failed: ${String(error)}`);
      }
    };
    for (let round = 0; round < 15; round++) {
      await Promise.all([transaction(round), ...Array.from({ length: 6 }, (_, i) => plain(round * 10 + i))]);
    }
    expect(failures).toEqual([]);
  });

  it('keep concurrent transactions apart', async () => {
    await Promise.all(
      Array.from({ length: 10 }, (_, owner) =>
        db.transaction().execute(async (trx) => {
          for (let i = 0; i < 3; i++) {
            await sql`insert into notes (owner, body) values (${owner}, ${`note ${i}`})`.execute(trx);
          }
          const { rows } = await sql<{
            n: number;
          }>`select count(*)::int as n from notes where owner = ${owner}`.execute(trx);
          expect(rows[0]!.n).toBe(3);
        }),
      ),
    );
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from notes`.execute(db);
    expect(rows[0]!.n).toBe(30);
  });

  /** A client's socket, the client having inserted a note of `owner` in a transaction it leaves open. */
  const midTransaction = async (owner: number): Promise<Socket> => {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => undefined);
    await client.connect();
    await client.query('begin');
    await client.query('insert into notes (owner, body) values ($1, $2)', [owner, 'never committed']);
    return (client as unknown as { connection: { stream: Socket } }).connection.stream;
  };

  it('go on serving after a client vanishes in the middle of a transaction', async () => {
    const stream = await midTransaction(99);
    stream.destroy();
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from notes where owner = ${99}`.execute(db);
    expect(rows[0]!.n).toBe(0);
  });

  it('go on serving after a client vanishes between an error and its Sync, its transaction rolled back', async () => {
    const stream = await midTransaction(98);
    // A Parse that fails, and no Sync: the backend ignores what comes until one arrives.
    const text = Buffer.from('select * from no_such_relation\0', 'utf8');
    const parse = Buffer.alloc(1 + 4 + 1 + text.length + 2);
    parse.write('P', 0);
    parse.writeInt32BE(parse.length - 1, 1);
    text.copy(parse, 6);
    await new Promise<void>((resolve) => stream.write(parse, () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 100));
    stream.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from notes where owner = ${98}`.execute(db);
    expect(rows[0]!.n).toBe(0);
    await sql`insert into notes (owner, body) values (${97}, ${'after'})`.execute(db);
    const after = await sql<{ n: number }>`select count(*)::int as n from notes where owner = ${97}`.execute(db);
    expect(after.rows[0]!.n).toBe(1);
  });

  describe('share prepared statements', () => {
    const client = async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      return c;
    };
    const prepared = async (c: pg.Client) =>
      (await c.query<{ name: string }>('select name from pg_prepared_statements order by name')).rows.map(
        (r) => r.name,
      );

    it('parsed on one connection, answered on the others without a second Parse', async () => {
      const [a, b, c] = [await client(), await client(), await client()];
      try {
        const text = 'select count(*)::int + $1::int as n from notes where owner = $2';
        // Each client parses the statement its first time; the session holds it once.
        for (const [i, conn] of [a, b, c].entries()) {
          const { rows } = await conn.query({ name: 'ath_shared', text, values: [i, 0] });
          expect(rows[0].n).toBe(3 + i);
        }
        const again = await Promise.all(
          [a, b, c].map((conn) => conn.query({ name: 'ath_shared', text, values: [10, 1] })),
        );
        expect(again.map((r) => r.rows[0].n)).toEqual([13, 13, 13]);
        expect(await prepared(a)).toEqual(['ath_shared']);
        // A different text under a name the session holds goes to PostgreSQL, which refuses it.
        const d = await client();
        try {
          await expect(d.query({ name: 'ath_shared', text: 'select 1 + $1::int', values: [1] })).rejects.toThrow(
            /already exists/,
          );
          // The connection goes on.
          expect((await d.query('select 2 as n')).rows[0].n).toBe(2);
        } finally {
          await d.end();
        }
        // DEALLOCATE drops it for every connection (the app never does), and a connection that
        // parses it after that reaches PostgreSQL again.
        await a.query('deallocate ath_shared');
        expect(await prepared(a)).toEqual([]);
        const e = await client();
        try {
          expect((await e.query({ name: 'ath_shared', text, values: [0, 1] })).rows[0].n).toBe(3);
          expect(await prepared(a)).toEqual(['ath_shared']);
          // DISCARD PLANS keeps the statements; DISCARD ALL drops them.
          await c.query('discard plans');
          expect((await e.query({ name: 'ath_shared', text, values: [1, 1] })).rows[0].n).toBe(4);
          await c.query('discard all');
          expect(await prepared(a)).toEqual([]);
        } finally {
          await e.end();
        }
        const f = await client();
        try {
          expect((await f.query({ name: 'ath_shared', text, values: [2, 1] })).rows[0].n).toBe(5);
        } finally {
          await f.end();
        }
      } finally {
        for (const conn of [a, b, c]) await conn.end();
      }
    });

    it('keeps a statement another connection closes, and what only mentions DISCARD or fails to run it', async () => {
      const [a, b] = [await client(), await client()];
      try {
        const text = 'select $1::text as v';
        expect((await a.query({ name: 'ath_kept', text, values: ['a'] })).rows[0].v).toBe('a');
        expect((await b.query({ name: 'ath_kept', text, values: ['b'] })).rows[0].v).toBe('b');
        // pg closes the statement when it cannot serialize a value; the others keep it.
        const unserializable = {
          toPostgres() {
            throw new Error('no wire form');
          },
        };
        await expect(a.query({ name: 'ath_kept', text, values: [unserializable] })).rejects.toThrow(/no wire form/);
        expect((await b.query({ name: 'ath_kept', text, values: ['b2'] })).rows[0].v).toBe('b2');
        expect((await a.query({ name: 'ath_kept', text, values: ['a2'] })).rows[0].v).toBe('a2');
        // Text that mentions DISCARD or DEALLOCATE, and a DISCARD ALL PostgreSQL refuses, drop nothing.
        expect((await a.query(`select 'discard all' as v`)).rows[0].v).toBe('discard all');
        await a.query('begin');
        await expect(a.query('discard all')).rejects.toThrow(/transaction block/);
        await a.query('rollback');
        expect(await prepared(a)).toContain('ath_kept');
        const c = await client();
        try {
          expect((await c.query({ name: 'ath_kept', text, values: ['c'] })).rows[0].v).toBe('c');
        } finally {
          await c.end();
        }
      } finally {
        await a.query('deallocate all');
        await a.end();
        await b.end();
      }
    });

    it('does not keep a statement PostgreSQL refused to parse', async () => {
      const [a, b] = [await client(), await client()];
      try {
        await expect(
          a.query({ name: 'ath_broken', text: 'select * from no_such_table where id = $1', values: [1] }),
        ).rejects.toThrow(/no_such_table/);
        await sql`create table no_such_table (id int)`.execute(db);
        expect(
          (await b.query({ name: 'ath_broken', text: 'select * from no_such_table where id = $1', values: [1] })).rows,
        ).toEqual([]);
      } finally {
        await a.end();
        await b.end();
        await sql`drop table no_such_table`.execute(db);
      }
    });
  });
});
