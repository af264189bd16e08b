// Starts the real built server (API + web app) on a free port with a fresh database and the demo
// network, for the browser journeys. With ATHENAEUM_TEST_DATABASE_URL (an admin URL to a
// PostgreSQL server) the server runs on a database created here and dropped afterwards;
// otherwise on the embedded database in a fresh temporary folder.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVER = path.join(ROOT, 'apps/server/dist/main.js');
const WEB = path.join(ROOT, 'apps/web/dist/index.html');
const START_TIMEOUT_MS = 120_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`The server exited with code ${child.exitCode} before it was ready:\n${output()}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `The server did not answer GET /api/health with 200 within ${START_TIMEOUT_MS / 1000} s:\n${output()}`,
  );
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export default async function setup(project: TestProject) {
  const missing = [SERVER, WEB].filter((file) => !fs.existsSync(file));
  if (missing.length > 0) {
    throw new Error(
      `The browser tests run the built app, and ${missing.map((f) => path.relative(ROOT, f)).join(' and ')} ` +
        `is missing. Build first: npx tsc -b apps/server && npm run build -w @athenaeum/web`,
    );
  }

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'athenaeum-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ATHENAEUM_DATA_DIR: dataDir,
    SEED_DEMO: 'true',
    LOG_LEVEL: 'warn',
    // Not production: the journeys move the server's clock (TEST_CLOCK), which production refuses.
    NODE_ENV: 'test',
    TEST_CLOCK: 'true',
    HOST: '127.0.0.1',
    // The interop journey harvests and copies from this server itself, at an internal address.
    INTEROP_ALLOW_PRIVATE_REMOTES: 'true',
  };
  delete env.DATABASE_URL;

  let admin: pg.Client | null = null;
  let database: string | null = null;
  const adminUrl = process.env.ATHENAEUM_TEST_DATABASE_URL;
  if (adminUrl) {
    admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    database = `ath_e2e_${process.pid}_${Date.now().toString(36)}`;
    await admin.query(`create database ${database}`);
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    env.DATABASE_URL = url.toString();
  }

  const port = await freePort();
  env.PORT = String(port);
  const baseUrl = `http://localhost:${port}`;
  const child = spawn(process.execPath, [SERVER], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const teardown = async () => {
    await stop(child);
    if (admin && database) {
      await admin.query(`drop database if exists ${database} with (force)`);
      await admin.end();
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForHealth(`http://127.0.0.1:${port}`, child, () => output);
  } catch (error) {
    await teardown();
    throw error;
  }
  project.provide('baseUrl', baseUrl);
  return teardown;
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
