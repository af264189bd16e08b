import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { sql } from 'kysely';
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

  it('go on serving after a client vanishes in the middle of a transaction', async () => {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => undefined);
    await client.connect();
    await client.query('begin');
    await client.query('insert into notes (owner, body) values ($1, $2)', [99, 'never committed']);
    (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from notes where owner = ${99}`.execute(db);
    expect(rows[0]!.n).toBe(0);
  });
});
