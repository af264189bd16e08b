// OAI-PMH harvest between two deployments on this machine, end to end: provider A (a real server
// process, `cli.js serve`, holding the synthetic catalogue) and harvester B (a second process,
// `npm run cli -- harvest URL --metadata-prefix marc21 --library NOVLIB --full`, what operators
// run) into a fresh catalogue, where the records are clustered into works and searchable when the
// command returns. The provider's resident memory is sampled from /proc during the harvest.
// Target (issue 5): ≥ 2,000 records/s for 100,000 MARC records, the provider's memory flat.
// A's database is built once (import of the generated files) and kept in the bench cache, keyed
// by the files; B's is made afresh every run.
// Memory: the same provider process serves BENCH_OAI_ROUNDS (default 3) full harvests one after
// another, each into a fresh B; its memory is flat when the later ones peak and end within 15 %
// of the first.
// Environment: BENCH_OAI_RECORDS (default 100000), BENCH_OAI_ROUNDS, BENCH_OAI_ENGINES (default "postgres"; add
// "embedded" for both deployments on the embedded database), and those of bench/generate.mjs
// and bench/catalog-db.mjs; BENCH_OAI_PROFILE=DIR writes both processes' CPU profiles there.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';
import { pathToFileURL } from 'node:url';
import {
  benchPostgres,
  catalogCounts,
  demoLibraries,
  embeddedDir,
  importSynthetic,
  openBenchRuntime,
  postgresDatabase,
  postgresSettings,
  settleCatalogue,
} from './catalog-db.mjs';
import { root, sizeLabel, syntheticFiles } from './generate.mjs';

const RECORDS = Number(process.env.BENCH_OAI_RECORDS ?? 100_000);
const ENGINES = (process.env.BENCH_OAI_ENGINES ?? 'postgres').split(',').filter(Boolean);
const TARGET = 2000;
const ROUNDS = Math.max(1, Number(process.env.BENCH_OAI_ROUNDS ?? 3));
const PROVIDER_VERSION = 1;
const CLI = path.join(root, 'apps/server/dist/cli.js');
const dist = (relative) => pathToFileURL(path.join(root, relative)).href;

async function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Resident memory of a process and its descendants (the embedded database runs in a child), in bytes. */
function rssOf(pid) {
  const children = (p) => {
    try {
      return fs.readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  let total = 0;
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift();
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) total += Number(m[1]) * 1024;
    } catch {
      // gone
    }
    queue.push(...children(p));
  }
  return total;
}

const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100);

/** CPU seconds used by a process, its reaped children and its live descendants. */
function cpuOf(pid) {
  let total = 0;
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift();
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += fields.slice(11, 15).reduce((sum, v) => sum + Number(v), 0) / TICKS;
      queue.push(
        ...fs.readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
      );
    } catch {
      // gone
    }
  }
  return total;
}

/** The postmaster of the PostgreSQL server listening on `url`'s port, when it runs on this machine. */
function postmasterOf(url) {
  const port = new URL(url).port || '5432';
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (/\/postgres$/.test(cmd[0]) && cmd.includes('-p') && cmd[cmd.indexOf('-p') + 1] === port) return Number(entry);
    } catch {
      // gone
    }
  }
  return null;
}

/** A deployment's database: a PostgreSQL URL or an embedded data directory. */
async function deploymentTarget(engine, name, fresh) {
  if (engine === 'postgres') {
    const server = await benchPostgres();
    return { url: await postgresDatabase(server.url, `ath_bench_${name}`, { fresh }) };
  }
  return { dataDir: embeddedDir(name, { fresh }) };
}

const envOf = (target) => (target.url ? { DATABASE_URL: target.url } : { ATHENAEUM_DATA_DIR: target.dataDir });

/** Provider A's catalogue of `count` records, built once and kept. */
async function providerDeployment(engine, count) {
  const generated = await syntheticFiles(count);
  const fingerprint = `${generated.fingerprint} oai v${PROVIDER_VERSION}`;
  const name = `oai_provider_${sizeLabel(count)}`;
  let target = await deploymentTarget(engine, name, false);
  let runtime = await openBenchRuntime(target);
  const { sql } = await import('kysely');
  await sql`create table if not exists bench_catalogue (fingerprint text not null)`.execute(runtime.ctx.db);
  const stored = (await sql`select fingerprint from bench_catalogue`.execute(runtime.ctx.db)).rows[0]?.fingerprint;
  if (stored !== fingerprint) {
    await runtime.close();
    target = await deploymentTarget(engine, name, true);
    runtime = await openBenchRuntime(target);
    process.stderr.write(`  building provider A's ${engine} catalogue of ${count.toLocaleString('en')} records\n`);
    await importSynthetic(runtime.ctx, generated.files, await demoLibraries(runtime.ctx));
    await settleCatalogue(engine, runtime.ctx);
    await sql`create table if not exists bench_catalogue (fingerprint text not null)`.execute(runtime.ctx.db);
    await sql`insert into bench_catalogue values (${fingerprint})`.execute(runtime.ctx.db);
  }
  const counts = await catalogCounts(runtime.ctx);
  await runtime.close();
  return { target, counts };
}

function run(args, env) {
  const profile = process.env.BENCH_OAI_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_OAI_PROFILE] : [];
  const child = spawn(process.execPath, [...profile, CLI, ...args], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'false',
      JOBS_ENABLED: 'false',
      HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function waitHealthy(server, url) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && server.child.exitCode === null) {
    try {
      if ((await fetch(`${url}/api/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`provider did not start:\n${server.output()}`);
}

/** A fresh deployment B with the demo network's libraries. */
async function freshHarvester(engine) {
  const target = await deploymentTarget(engine, 'oai_harvester', true);
  const runtime = await openBenchRuntime(target);
  await demoLibraries(runtime.ctx);
  await runtime.close();
  return target;
}

/** One full harvest of the running provider into a fresh B, with the provider's memory sampled. */
async function harvestRound(engine, provider, server, url) {
  const targetB = await freshHarvester(engine);
  const samples = [];
  const sample = () => samples.push(rssOf(server.child.pid));
  sample();
  const timer = setInterval(sample, 250);
  const harvesterRss = [];
  const postmaster = engine === 'postgres' ? postmasterOf(provider.target.url) : null;
  const cpu0 = { provider: cpuOf(server.child.pid), postgres: postmaster ? cpuOf(postmaster) : 0 };
  let harvesterCpu = 0;
  const loadBefore = os.loadavg()[0];
  const t0 = performance.now();
  const harvester = run(['harvest', `${url}/oai`, '--metadata-prefix', 'marc21', '--library', 'NOVLIB', '--full'], {
    ...envOf(targetB),
  });
  const harvesterTimer = setInterval(() => {
    harvesterRss.push(rssOf(harvester.child.pid));
    harvesterCpu = cpuOf(harvester.child.pid) || harvesterCpu;
  }, 500);
  const code = await harvester.exited;
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(harvesterTimer);
  clearInterval(timer);
  sample();
  const cpu = {
    provider: cpuOf(server.child.pid) - cpu0.provider,
    harvester: harvesterCpu,
    postgres: postmaster ? cpuOf(postmaster) - cpu0.postgres : null,
  };
  const load = `${loadBefore.toFixed(1)}, ${os.loadavg()[0].toFixed(1)}`;
  if (code !== 0) throw new Error(`the harvest failed (exit ${code}):\n${harvester.output()}`);
  const reported = /: ([\d,]+) records.*: (\d+) added.* (\d+) rejected in ([\d.]+) s/.exec(harvester.output());
  // B's catalogue, and a search over it.
  const runtime = await openBenchRuntime(targetB);
  try {
    const counts = await catalogCounts(runtime.ctx);
    const { searchCatalog } = await import(dist('apps/server/dist/modules/catalog/search/search.service.js'));
    const { CatalogSearchQuery } = await import(dist('packages/contracts/dist/index.js'));
    const { VOCABULARY } = await import(dist('apps/server/dist/modules/catalog/synthetic/vocabulary.js'));
    const word = VOCABULARY[0].words[3]; // a word of titles, not a stop word
    const found = await searchCatalog(runtime.ctx, CatalogSearchQuery.parse({ q: word }));
    return { counts, seconds, reported, samples, harvesterRss, cpu, load, search: { word, total: found.total } };
  } finally {
    await runtime.close();
  }
}

/**
 * ROUNDS full harvests, one after another, of one provider process: the first is the figure; the
 * later ones show whether the provider's memory stays where the first left it.
 */
async function harvestOnce(engine) {
  const provider = await providerDeployment(engine, RECORDS);
  const settings = engine === 'postgres' ? await postgresSettings((await benchPostgres()).url) : 'embedded (PGlite)';
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = run(['serve'], { ...envOf(provider.target), PORT: String(port) });
  try {
    await waitHealthy(server, url);
    const rounds = [];
    for (let i = 0; i < ROUNDS; i++) rounds.push(await harvestRound(engine, provider, server, url));
    return { settings, provider: provider.counts, ...rounds[0], rounds };
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
}

const mib = (bytes) => `${Math.round(bytes / 2 ** 20)} MiB`;

export async function benchOaiHarvest() {
  const rows = [];
  let pass = true;
  // Stopped at the end when this suite started it (as the catalogue suites do).
  const cluster = ENGINES.includes('postgres') ? await benchPostgres() : null;
  try {
    for (const engine of ENGINES) await harvestRows(engine, rows, (ok) => (pass &&= ok));
  } finally {
    await cluster?.stop();
  }
  return { name: 'oai-harvest', rows, pass };
}

async function harvestRows(engine, rows, passed) {
  {
    const r = await harvestOnce(engine);
    const label = `${engine === 'postgres' ? 'PostgreSQL 15' : 'embedded'}, ${sizeLabel(RECORDS)} records`;
    const harvested = r.reported ? Number(r.reported[1].replace(/,/g, '')) : 0;
    const rate = harvested / r.seconds;
    const peak = Math.max(...r.samples);
    // Flat: later harvests of the same provider peak and end within 15 % of the first (a leak would
    // add what the first harvest left behind).
    const peaks = r.rounds.map((round) => Math.max(...round.samples));
    const ends = r.rounds.map((round) => round.samples.at(-1));
    const flat = peaks.every((p) => p <= peaks[0] * 1.15) && ends.every((e) => e <= ends[0] * 1.15);
    if (engine === 'postgres') passed(rate >= TARGET && r.counts.records >= RECORDS && r.search.total > 0 && flat);
    rows.push(
      { metric: `${label}: engine (both deployments)`, value: r.settings },
      {
        metric: `${label}: machine load while measuring (1-minute load average before, after; 2 cores)`,
        value: r.load,
      },
      {
        metric: `${label}: provider A`,
        value: `${r.provider.records.toLocaleString('en')} records, ${r.provider.works.toLocaleString('en')} works (a server process, pages of 200)`,
      },
      {
        metric: `${label}: full harvest into B, process start to exit (target ≥ ${TARGET.toLocaleString('en')} records/s)`,
        value: `**${harvested.toLocaleString('en')} records in ${r.seconds.toFixed(1)} s, ${Math.round(rate).toLocaleString('en')} records/s** (the command reports ${r.reported?.[4] ?? '?'} s for the harvest itself)`,
      },
      {
        metric: `${label}: B's catalogue afterwards`,
        value: `${r.counts.records.toLocaleString('en')} records, ${r.counts.works.toLocaleString('en')} works; a search for "${r.search.word}" finds ${r.search.total.toLocaleString('en')} works`,
      },
      {
        metric: `${label}: provider's resident memory (sampled every 250 ms, ${r.samples.length} samples)`,
        value: `start ${mib(r.samples[0])}, peak ${mib(peak)}, end ${mib(r.samples.at(-1))}; at a quarter, half and three quarters of the harvest ${[0.25, 0.5, 0.75].map((f) => mib(r.samples[Math.floor(f * (r.samples.length - 1))])).join(', ')}`,
      },
      {
        metric: `${label}: provider's memory over ${r.rounds.length} full harvests one after another (peak, end of each; flat: later ones within 15 % of the first)`,
        value: `${r.rounds.map((round, i) => `${i + 1}: ${mib(peaks[i])}, ${mib(ends[i])}`).join('; ')} — **${flat ? 'flat' : 'NOT flat'}**; later harvests ${r.rounds
          .slice(1)
          .map(
            (round) =>
              `${Math.round(Number(round.reported?.[1].replace(/,/g, '') ?? 0) / round.seconds).toLocaleString('en')} records/s`,
          )
          .join(', ')}`,
      },
      {
        metric: `${label}: CPU time used during the harvest (2 cores shared with other work)`,
        value: `provider ${r.cpu.provider.toFixed(1)} s, harvester ${r.cpu.harvester.toFixed(1)} s (sampled every 0.5 s)${r.cpu.postgres === null ? '' : `, PostgreSQL ${r.cpu.postgres.toFixed(1)} s (the whole cluster)`}`,
      },
      {
        metric: `${label}: harvester's resident memory`,
        value: r.harvesterRss.length ? `peak ${mib(Math.max(...r.harvesterRss))}` : 'not sampled',
      },
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchOaiHarvest();
  console.log(`### ${result.name}\n\n| metric | value |\n|---|---|`);
  for (const row of result.rows) console.log(`| ${row.metric} | ${row.value} |`);
  console.log(`\n${result.pass ? 'meets' : 'MISSES'} its target`);
  process.exit(0);
}
