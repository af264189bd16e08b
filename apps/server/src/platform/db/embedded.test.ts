import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/processes.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.js';
import { embeddedStartParams } from './embedded-settings.js';
import { chooseListen, removeSocketDir, urlOf } from './embedded-socket.js';
import { DataDirLockedError } from './lock.js';

async function query(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

describe('embedded database (PGlite in a child process over the wire protocol)', () => {
  const dir = tempDir('embedded');
  const opened: EmbeddedPostgres[] = [];
  afterAll(async () => {
    for (const db of opened) await db.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves the Postgres protocol to pg and keeps committed data across a restart', async () => {
    const first = await startEmbeddedPostgres(dir);
    opened.push(first);
    await query(
      first.url,
      'create table kept (id int primary key, note text); insert into kept values (1, $$привет, 世界$$)',
    );
    await first.stop();
    const again = await startEmbeddedPostgres(dir);
    opened.push(again);
    const rows = await query(again.url, 'select note from kept');
    expect(rows.rows).toEqual([{ note: 'привет, 世界' }]);
  });

  it('runs with shared buffers of an eighth of the memory (128 to 512 MB) and 64 MB of WAL buffers', async () => {
    const setting = (params: string[], name: string) =>
      params.find((p, i) => params[i - 1] === '-c' && p.startsWith(`${name}=`));
    const GiB = 2 ** 30;
    expect(setting(embeddedStartParams(24 * GiB), 'shared_buffers')).toBe('shared_buffers=512MB');
    expect(setting(embeddedStartParams(2 * GiB), 'shared_buffers')).toBe('shared_buffers=256MB');
    expect(setting(embeddedStartParams(0.5 * GiB), 'shared_buffers')).toBe('shared_buffers=128MB');
    // PGlite's own start parameters stay (single-user mode, no background workers…).
    expect(embeddedStartParams(GiB)).toEqual(expect.arrayContaining(['--single', 'max_worker_processes=0']));
    const running = opened.at(-1)!;
    const { rows } = await query(
      running.url,
      'select current_setting($$shared_buffers$$) as s, current_setting($$wal_buffers$$) as w',
    );
    const expected = setting(embeddedStartParams(), 'shared_buffers')!.split('=')[1];
    expect(rows[0]).toEqual({ s: expected, w: '64MB' });
  });

  // Not on Windows, where it listens on a loopback port.
  it.skipIf(process.platform === 'win32')(
    'listens on a Unix socket in a directory only its user may enter, removed when it stops and when it is killed',
    async () => {
      const socketDirOf = (url: string) => decodeURIComponent(new URL(url).hostname);
      const dataDirs = [tempDir('embedded-socket'), tempDir('embedded-socket')];
      const started: EmbeddedPostgres[] = [];
      try {
        const stopped = await startEmbeddedPostgres(dataDirs[0]!);
        started.push(stopped);
        const dir = socketDirOf(stopped.url);
        expect(path.isAbsolute(dir)).toBe(true);
        expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
        expect(fs.statSync(path.join(dir, '.s.PGSQL.5432')).isSocket()).toBe(true);
        expect((await query(stopped.url, 'select 1 as one')).rows).toEqual([{ one: 1 }]);
        await stopped.stop();
        expect(fs.existsSync(dir)).toBe(false);

        const killed = await startEmbeddedPostgres(dataDirs[1]!);
        started.push(killed);
        const killedDir = socketDirOf(killed.url);
        process.kill(killed.childPid!, 'SIGKILL');
        await expect.poll(() => fs.existsSync(killedDir), { timeout: 10_000 }).toBe(false);
      } finally {
        for (const db of started) await db.stop();
        for (const d of dataDirs) fs.rmSync(d, { recursive: true, force: true });
      }
    },
  );

  it.skipIf(process.platform === 'win32')(
    'removes its socket directory when the app exits without stopping it',
    async () => {
      const dataDir = tempDir('embedded-socket');
      try {
        // An app that starts the database and exits at once: the child stops when it loses its parent.
        const app = spawnSync(
          process.execPath,
          [
            '--import',
            'tsx',
            '--input-type=module',
            '-e',
            `const { startEmbeddedPostgres } = await import(${JSON.stringify(new URL('./embedded.ts', import.meta.url).href)});
             console.log((await startEmbeddedPostgres(${JSON.stringify(dataDir)})).url);
             process.exit(0);`,
          ],
          { encoding: 'utf8', timeout: 60_000 },
        );
        expect(app.status, app.stderr).toBe(0);
        const socketDir = decodeURIComponent(new URL(app.stdout.trim()).hostname);
        expect(path.isAbsolute(socketDir)).toBe(true);
        await expect.poll(() => fs.existsSync(socketDir), { timeout: 15_000 }).toBe(false);
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );

  it('listens on a loopback port on Windows, and where the temporary directory is too long for a socket or cannot be written', () => {
    expect(chooseListen('/tmp', 'win32')).toEqual({ kind: 'tcp' });
    expect(chooseListen(`/tmp/${'x'.repeat(90)}`, 'linux')).toEqual({ kind: 'tcp' });
    expect(chooseListen('/no-such-directory-athenaeum', 'linux')).toEqual({ kind: 'tcp' });
  });

  it.skipIf(process.platform === 'win32')(
    'makes the socket directory absolute under a relative temporary directory, and removes it',
    () => {
      const listen = chooseListen(path.relative(process.cwd(), dir));
      if (listen.kind !== 'socket') throw new Error(`expected a socket, got ${JSON.stringify(listen)}`);
      expect(path.dirname(listen.dir)).toBe(dir);
      expect(urlOf(listen, 0)).toBe(`postgres://postgres@${encodeURIComponent(listen.dir)}:5432/postgres`);
      removeSocketDir(listen);
      expect(fs.existsSync(listen.dir)).toBe(false);
    },
  );

  it('refuses a second opener of the same directory at once, naming the directory and the holder, while the first keeps working', async () => {
    const holder = opened.at(-1)!;
    const error = await startEmbeddedPostgres(dir).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect((error as Error).message).toContain(dir);
    expect((error as Error).message).toContain(`process ${process.pid}`);
    const rows = await query(holder.url, 'select count(*)::int as n from kept');
    expect(rows.rows[0].n).toBe(1);
  });
});
