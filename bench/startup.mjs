// Startup: `npm start` on an existing data directory, from process spawn until /api/health
// answers 200. The first start (initdb + migrations + demo seed) is reported apart.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 7);

async function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startOnce(dataDir) {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    env: { ...process.env, ATHENAEUM_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', HOST: '127.0.0.1' },
    stdio: 'ignore',
  });
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.status === 200) break;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null) throw new Error('server exited during start');
    await new Promise((r) => setTimeout(r, 20));
  }
  const ms = performance.now() - t0;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  return ms;
}

export async function benchStartup() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'athenaeum-bench-startup-'));
  try {
    const first = await startOnce(dataDir);
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await startOnce(dataDir));
    runs.sort((a, b) => a - b);
    const median = runs[Math.floor(runs.length / 2)];
    return {
      name: 'startup',
      rows: [
        {
          metric: 'first start on an empty data dir (initdb, migrations, demo seed)',
          value: `${(first / 1000).toFixed(2)} s`,
        },
        {
          metric: `start on an existing data dir, median of ${RUNS} (target < 5 s)`,
          value: `${(median / 1000).toFixed(2)} s`,
        },
        { metric: 'start on an existing data dir, slowest', value: `${(runs.at(-1) / 1000).toFixed(2)} s` },
      ],
      pass: median < 5000,
    };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
