import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/context.js';
import { tempDir } from '../../test/processes.js';
import { seedDemoNetwork } from '../../demo/seed.js';
import { backupDatabase, restoreDatabase } from './backup.js';
import { connect } from './database.js';
import { migrate } from './migrate.js';
import { pgliteExtensions } from './pglite-extensions.js';
import { withWholeExchanges } from './pglite-protocol.js';
import { SqlSplitter } from './sql-splitter.js';

/** One digest per table of the public schema, independent of physical order. */
async function fingerprint(pool: pg.Pool): Promise<Record<string, string>> {
  const client = await pool.connect();
  try {
    await client.query(`set timezone = 'UTC'; set extra_float_digits = 3`);
    const tables = await client.query<{ t: string }>(
      `select tablename as t from pg_tables where schemaname = 'public' order by 1`,
    );
    const out: Record<string, string> = {};
    for (const { t } of tables.rows) {
      const cols = t === 'schema_migrations' ? 'version' : '*';
      const r = await client.query<{ n: number; h: string }>(
        `select count(*)::int as n, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from (select ${cols} from "${t}") x`,
      );
      out[t] = `${r.rows[0]!.n}:${r.rows[0]!.h}`;
    }
    return out;
  } finally {
    client.release();
  }
}

async function emptyPglite() {
  const db = await PGlite.create({ extensions: pgliteExtensions });
  const server = new PGLiteSocketServer({ db: withWholeExchanges(db), host: '127.0.0.1', port: 0, maxConnections: 8 });
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres`;
  const { pool } = connect(url, 2);
  return { pool, url, close: async () => (await pool.end(), await server.stop(), await db.close()) };
}

let env: TestEnv;
const dir = tempDir('backup');
const file = path.join(dir, 'backup.sql');
let source: Record<string, string>;

beforeAll(async () => {
  env = await createTestEnv();
  await seedDemoNetwork(env.ctx);
  // Awkward values: quotes, backslashes, newlines, a semicolon, non-Latin scripts, JSON.
  await env.app.inject({
    method: 'POST',
    url: '/api/v1/accounts',
    payload: {
      email: 'odd@example.org',
      password: 'long-enough-password',
      displayName: `O'Brien; \\ "x"\nсекунда 二 مكتبة $$`,
    },
  });
  await env.drainJobs();
  source = await fingerprint(env.database.pool);
  await backupDatabase(env.database.pool, file, { version: 'test', kind: env.database.kind });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('db backup / db restore', () => {
  it('writes a plain SQL file with the schema and every row', () => {
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toMatch(/^-- Athenaeum test backup/);
    expect(text).toMatch(/create table organizations/i);
    expect(text).toContain('INSERT INTO "people"');
    expect(text.trimEnd().endsWith('COMMIT;')).toBe(true);
    expect(source.people).toMatch(/^9:/);
  });

  // initdb plus a restore through PGlite: half a minute when the two cores are busy.
  it('restores into an empty embedded database with identical contents', async () => {
    const target = await emptyPglite();
    try {
      await restoreDatabase(target.pool, file);
      expect(await fingerprint(target.pool)).toEqual(source);
    } finally {
      await target.close();
    }
  }, 120_000);

  it('refuses to restore over a database that has tables, and changes nothing', async () => {
    const before = await fingerprint(env.database.pool);
    await expect(restoreDatabase(env.database.pool, file)).rejects.toThrow(/empty database/);
    expect(await fingerprint(env.database.pool)).toEqual(before);
  });

  const serverUrl = process.env.ATHENAEUM_TEST_DATABASE_URL;
  it.runIf(serverUrl)(
    'restores a backup of the embedded database with psql into an empty PostgreSQL 15 database, identical',
    async () => {
      // The source here is always an embedded (PGlite) database: the move from `npm start` to a server.
      const embedded = await emptyPglite();
      const embeddedFile = path.join(dir, 'embedded.sql');
      let expected: Record<string, string>;
      try {
        const { db } = connect(embedded.url, 2);
        await migrate(db);
        await seedDemoNetwork({ ...env.ctx, db, databaseKind: 'embedded' });
        await db.destroy();
        expected = await fingerprint(embedded.pool);
        await backupDatabase(embedded.pool, embeddedFile, { version: 'test', kind: 'embedded' });
      } finally {
        await embedded.close();
      }
      const name = `ath_restore_${Date.now().toString(36)}`;
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`create database ${name}`);
      const url = new URL(serverUrl!);
      url.pathname = `/${name}`;
      try {
        execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url.toString(), '-f', embeddedFile], {
          stdio: 'pipe',
        });
        const { pool } = connect(url.toString(), 2);
        const version = await pool.query<{ server_version: string }>('show server_version');
        expect(Number(version.rows[0]!.server_version.split('.')[0])).toBeGreaterThanOrEqual(15);
        expect(await fingerprint(pool)).toEqual(expected);
        await pool.end();
      } finally {
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      }
    },
  );
});

describe('SqlSplitter', () => {
  const literal = fc.string().map((s) => `'${s.replace(/'/g, "''")}'`);
  const escaped = fc.string().map((s) => `E'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`);
  const dollar = fc
    .string()
    .filter((s) => !s.includes('$q$'))
    .map((s) => `$q$${s}$q$`);
  const ident = fc.string().map((s) => `"${s.replace(/"/g, '""')}"`);
  const statement = fc
    .array(fc.oneof(literal, escaped, dollar, ident, fc.constantFrom('select', '1', ',', '-- c;\n', '/* ; */')), {
      minLength: 1,
      maxLength: 6,
    })
    .map((parts) => `select ${parts.join(' ')};`);

  it('splits any sequence of statements back into the same statements, however the text is chunked', () => {
    fc.assert(
      fc.property(
        fc.array(statement, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 17 }),
        (statements, chunk) => {
          const text = statements.join('\n');
          const splitter = new SqlSplitter();
          const out: string[] = [];
          for (let i = 0; i < text.length; i += chunk) out.push(...splitter.push(text.slice(i, i + chunk)));
          expect(splitter.end()).toBeNull();
          expect(out).toEqual(statements.map((s) => s.trim()));
        },
      ),
    );
  });

  it('reads dollar quotes as PostgreSQL does: the first closing tag ends them, and a `$` in a name opens none', () => {
    const statements = ["select $q$$q$q$ '';", 'select q$a$ ;', "select 1 as x$$ , ';';", 'select $$a;b$$;'];
    for (const chunk of [1, 2, 3, 100]) {
      const text = statements.join('\n');
      const splitter = new SqlSplitter();
      const out: string[] = [];
      for (let i = 0; i < text.length; i += chunk) out.push(...splitter.push(text.slice(i, i + chunk)));
      expect(splitter.end(), `chunks of ${chunk}`).toBeNull();
      expect(out, `chunks of ${chunk}`).toEqual(statements);
    }
  });

  it('reports text left after the last complete statement', () => {
    const splitter = new SqlSplitter();
    expect(splitter.push("select 1; select 'unterminated")).toEqual(['select 1;']);
    expect(splitter.end()).toBe("select 'unterminated");
  });
});
