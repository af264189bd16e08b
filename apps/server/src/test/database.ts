import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import { inject } from 'vitest';
import { connect, type Database } from '../platform/db/database.js';
import { migrate } from '../platform/db/migrate.js';
import { pgliteExtensions } from '../platform/db/pglite-extensions.js';
import { withWholeExchanges } from '../platform/db/pglite-protocol.js';
import { installWholeMessages } from '../platform/db/whole-messages.js';

/**
 * A fresh, migrated database for one test file, reached through `pg` like the real app:
 * a clone of the run's template on PostgreSQL, or an in-memory PGlite served over the wire,
 * started from the run's migrated snapshot (then `migrate` finds nothing to do).
 */
export async function createTestDatabase(): Promise<Database> {
  const adminUrl = process.env.ATHENAEUM_TEST_DATABASE_URL;
  if (adminUrl) {
    const template = inject('templateDatabase');
    const name = `ath_t_${template.slice(13)}_${Math.random().toString(36).slice(2, 10)}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name} template ${template}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const { pool, db } = connect(url.toString(), 10, { prepare: true });
    return {
      kind: 'postgres',
      db,
      pool,
      url: url.toString(),
      ping: async () => true,
      async close() {
        await db.destroy();
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  }
  const snapshot = inject('pgliteSnapshot');
  const pglite = await PGlite.create({
    extensions: pgliteExtensions,
    ...(snapshot ? { loadDataDir: new Blob([fs.readFileSync(snapshot)]) } : {}),
  });
  installWholeMessages();
  const server = new PGLiteSocketServer({
    db: withWholeExchanges(pglite),
    host: '127.0.0.1',
    port: 0,
    maxConnections: 32,
  });
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres`;
  const { pool, db } = connect(url, 4, { prepare: true });
  await migrate(db);
  return {
    kind: 'embedded',
    db,
    pool,
    url,
    ping: async () => true,
    async close() {
      await db.destroy();
      await server.stop();
      await pglite.close();
    },
  };
}
