// SRU searchRetrieve over HTTP, 10 MARCXML records per response, side by side with Zebra
// (idzebra-2.0, the indexer Koha uses) serving the same records on this machine.
// Athenaeum: a real server process (`cli.js serve`) on the synthetic catalogue on PostgreSQL 15
// (durable settings); the catalog-search bench's database of the same files is reused when it is
// there (ath_bench_search_<size>), else one is built here (ath_bench_sru_<size>) and kept.
// Zebra: the same ISO 2709 files indexed by zebraidx (grs.marcxml filter, Zebra's marc21.abs
// rules; configuration in bench/zebra/, written under the bench cache), served by zebrasrv's
// SRU front end (bench/zebra/cql2pqf.txt maps the CQL indexes); the index is kept too, with its
// indexing time.
// The same CQL queries go to both, drawn (seeded) from the generator's vocabulary: a word
// (cql.serverChoice), dc.title, dc.creator, dc.subject, and booleans (and, or). Every query
// runs once to warm up, then once measured, one at a time. Target (issue 5): p95 ≤ 50 ms over
// ≥ 500 queries on 1M records on PostgreSQL 15.
//   node bench/sru.mjs --prepare [--zebra-only]   builds the database and Zebra's index only (no measuring)
// Environment: BENCH_SRU_RECORDS (default 1000000), BENCH_SRU_QUERIES (per kind, default 100),
// BENCH_SRU_ZEBRA (default 1; 0 skips Zebra), and those of bench/generate.mjs and
// bench/catalog-db.mjs.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL, URLSearchParams } from 'node:url';
import {
  adminQuery,
  benchPostgres,
  catalogCounts,
  demoLibraries,
  importSynthetic,
  openBenchRuntime,
  postgresDatabase,
  postgresSettings,
} from './catalog-db.mjs';
import { CACHE_DIR, loadGenerator, root, sizeLabel, syntheticFiles } from './generate.mjs';
import { latencyByKind, ms, percentile } from './stats.mjs';

const RECORDS = Number(process.env.BENCH_SRU_RECORDS ?? 1_000_000);
const PER_KIND = Number(process.env.BENCH_SRU_QUERIES ?? 100);
const WITH_ZEBRA = process.env.BENCH_SRU_ZEBRA !== '0';
const CLI = path.join(root, 'apps/server/dist/cli.js');
const ZEBRA_VERSION = 1;

/** mulberry32, as the generator uses. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Quoted when not a plain word, or when a CQL keyword (the vocabulary has "and").
const quoted = (term) =>
  /^[\p{L}\p{N}]+$/u.test(term) && !/^(and|or|not|prox|sortby)$/i.test(term)
    ? term
    : `"${term.replace(/["\\]/g, '\\$&')}"`;

/** The CQL query set: `PER_KIND` of each kind, drawn from the vocabulary with a fixed seed. */
export async function sruQueries() {
  const { VOCABULARY, SUBJECTS } = await loadGenerator();
  const random = prng(11);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const words = VOCABULARY.flatMap((lang) => lang.words.map((word) => ({ lang, word })));
  const queries = [];
  for (let i = 0; i < PER_KIND; i++) {
    queries.push({ kind: 'word (cql.serverChoice)', cql: quoted(pick(words).word) });
    queries.push({ kind: 'dc.title', cql: `dc.title=${quoted(pick(words).word)}` });
    const lang = pick(VOCABULARY);
    queries.push({ kind: 'dc.creator', cql: `dc.creator=${quoted(pick(lang.surnames))}` });
    queries.push({ kind: 'dc.subject', cql: `dc.subject=${quoted(pick(SUBJECTS))}` });
    const first = pick(words);
    const second = pick(first.lang.words);
    queries.push(
      i % 3 === 0
        ? { kind: 'boolean', cql: `${quoted(first.word)} and ${quoted(second)}` }
        : i % 3 === 1
          ? { kind: 'boolean', cql: `dc.title=${quoted(first.word)} and dc.subject=${quoted(pick(SUBJECTS))}` }
          : { kind: 'boolean', cql: `dc.title=${quoted(first.word)} or dc.title=${quoted(second)}` },
    );
  }
  return queries;
}

async function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** The catalogue on PostgreSQL 15: the catalog-search bench's when built from the same files, else ours. */
async function catalogueDatabase(adminUrl, count) {
  const generated = await syntheticFiles(count);
  const label = sizeLabel(count);
  for (const name of [`ath_bench_search_${label}`, `ath_bench_sru_${label}`]) {
    const { rows } = await adminQuery(adminUrl, `select 1 from pg_database where datname = '${name}'`);
    if (!rows.length) continue;
    const url = await postgresDatabase(adminUrl, name, { fresh: false });
    const stored = await adminQuery(url, 'select fingerprint from bench_catalogue').catch(() => ({ rows: [] }));
    if (stored.rows[0]?.fingerprint?.startsWith(generated.fingerprint)) return { url, name, built: null, generated };
  }
  const name = `ath_bench_sru_${label}`;
  const url = await postgresDatabase(adminUrl, name, { fresh: true });
  const runtime = await openBenchRuntime({ url });
  try {
    const { sql } = await import('kysely');
    const t0 = performance.now();
    let last = t0;
    await importSynthetic(runtime.ctx, generated.files, await demoLibraries(runtime.ctx), (p) => {
      if (performance.now() - last < 30_000) return;
      last = performance.now();
      process.stderr.write(`  building the SRU catalogue: ${p.processed.toLocaleString('en')} records\n`);
    });
    const ms = performance.now() - t0;
    await sql`vacuum analyze`.execute(runtime.ctx.db);
    await sql`create table if not exists bench_catalogue (fingerprint text not null)`.execute(runtime.ctx.db);
    await sql`insert into bench_catalogue values (${`${generated.fingerprint} sru`})`.execute(runtime.ctx.db);
    return { url, name, built: { ms }, generated };
  } finally {
    await runtime.close();
  }
}

/** Zebra's index of the same files, built once (zebraidx) and kept with its indexing time. */
function zebraIndex(generated) {
  const dir = path.join(CACHE_DIR, `zebra-${sizeLabel(generated.count)}-${generated.fingerprint}-v${ZEBRA_VERSION}`);
  const doneFile = path.join(dir, 'indexed.json');
  if (fs.existsSync(doneFile)) return { dir, ...JSON.parse(fs.readFileSync(doneFile, 'utf8')), cached: true };
  fs.rmSync(dir, { recursive: true, force: true });
  for (const sub of ['register', 'lock', 'tmp']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  for (const file of ['zebra.cfg', 'cql2pqf.txt'])
    fs.writeFileSync(
      path.join(dir, file),
      fs.readFileSync(path.join(root, 'bench/zebra', file), 'utf8').replaceAll('{{DIR}}', dir),
    );
  process.stderr.write(`  indexing ${generated.count.toLocaleString('en')} records with zebraidx\n`);
  const t0 = performance.now();
  const args = ['-c', path.join(dir, 'zebra.cfg'), '-t', 'grs.marcxml.marc21', 'update'];
  // With GNU time, its CPU time too (the machine is shared: wall time depends on the load).
  const timed = fs.existsSync('/usr/bin/time');
  const run = spawnSync(
    timed ? '/usr/bin/time' : 'zebraidx',
    [...(timed ? ['-f', 'zebraidx-cpu %U %S', 'zebraidx'] : []), ...args, ...generated.files.map((f) => f.file)],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  const ms = performance.now() - t0;
  if (run.status !== 0) throw new Error(`zebraidx failed:\n${run.stderr.slice(-4000)}`);
  const records = [...run.stderr.matchAll(/Records: (\d+) i\/u\/d/g)].map((m) => Number(m[1])).at(-1) ?? null;
  const cpu = /zebraidx-cpu ([\d.]+) ([\d.]+)/.exec(run.stderr);
  const result = {
    ms,
    records,
    cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : null,
    bytes: duBytes(path.join(dir, 'register')),
  };
  fs.writeFileSync(doneFile, JSON.stringify(result));
  return { dir, ...result, cached: false };
}

function duBytes(dir) {
  const out = spawnSync('du', ['-sb', dir], { encoding: 'utf8' });
  return Number(out.stdout.split(/\s/)[0]);
}

function startProcess(command, args, env) {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output = (output + d).slice(-20_000)));
  child.stderr.on('data', (d) => (output = (output + d).slice(-20_000)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function waitFor(url, proc) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && proc.child.exitCode === null) {
    try {
      await fetch(url);
      return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer:\n${proc.output()}`);
}

/** One searchRetrieve: its time, numberOfRecords, records returned, diagnostics. */
async function searchRetrieve(base, cql) {
  const params = new URLSearchParams({
    version: '1.2',
    operation: 'searchRetrieve',
    query: cql,
    maximumRecords: '10',
    recordSchema: 'marcxml',
  });
  const t0 = performance.now();
  const res = await fetch(`${base}?${params}`);
  const body = await res.text();
  const ms = performance.now() - t0;
  const total = Number(/numberOfRecords>(\d+)</.exec(body)?.[1] ?? NaN);
  const records = (body.match(/<(?:\w+:)?recordData>/g) ?? []).length;
  const diagnostic = /diagnostic\/1\/(\d+)/.exec(body)?.[1] ?? (res.ok ? null : `HTTP ${res.status}`);
  return { ms, total, records, diagnostic };
}

async function measure(base, queries) {
  for (const q of queries) await searchRetrieve(base, q.cql); // warm-up
  const loadBefore = os.loadavg()[0];
  const timed = [];
  for (const q of queries) timed.push({ ...q, ...(await searchRetrieve(base, q.cql)) });
  return { timed, load: `${loadBefore.toFixed(1)}, ${os.loadavg()[0].toFixed(1)}` };
}

function summary(label, r, rows) {
  const all = r.timed.map((t) => t.ms).sort((a, b) => a - b);
  const failed = r.timed.filter((t) => t.diagnostic);
  const totals = r.timed
    .filter((t) => !t.diagnostic)
    .map((t) => t.total)
    .sort((a, b) => a - b);
  rows.push(
    { metric: `${label}: machine load while measuring (1-minute load average before, after; 2 cores)`, value: r.load },
    {
      metric: `${label}: ${all.length} searchRetrieve, 10 MARCXML records each, warm`,
      value: `**p50 ${ms(percentile(all, 50))}, p95 ${ms(percentile(all, 95))}**, p99 ${ms(percentile(all, 99))}, max ${ms(all.at(-1))}`,
    },
    {
      metric: `${label}: numberOfRecords per query`,
      value: totals.length
        ? `median ${percentile(totals, 50).toLocaleString('en')}, p95 ${percentile(totals, 95).toLocaleString('en')}, max ${totals.at(-1).toLocaleString('en')}; ${failed.length} answered with a diagnostic${failed.length ? ` (${[...new Set(failed.map((f) => f.diagnostic))].join(', ')})` : ''}`
        : `every query answered with a diagnostic (${[...new Set(failed.map((f) => f.diagnostic))].join(', ')})`,
    },
  );
  rows.push(...latencyByKind(label, r.timed));
  const slowest = [...r.timed].sort((a, b) => b.ms - a.ms).slice(0, 3);
  rows.push({
    metric: `${label}: slowest`,
    value: slowest
      .map((t) => `\`${t.cql.replace(/\|/g, '\\|')}\` ${ms(t.ms)} (${Number.isNaN(t.total) ? '?' : t.total} records)`)
      .join('; '),
  });
  return percentile(all, 95);
}

export async function benchSru() {
  const rows = [];
  const queries = await sruQueries();
  const label = sizeLabel(RECORDS);
  const server = await benchPostgres();
  let pass = false;
  try {
    const settings = await postgresSettings(server.url);
    const db = await catalogueDatabase(server.url, RECORDS);
    {
      const runtime = await openBenchRuntime({ url: db.url }); // applies new migrations
      const counts = await catalogCounts(runtime.ctx);
      await runtime.close();
      rows.push(
        { metric: `Athenaeum, PostgreSQL 15, ${label} records: engine`, value: settings },
        {
          metric: `Athenaeum, PostgreSQL 15, ${label} records: catalogue`,
          value: `${counts.records.toLocaleString('en')} records, ${counts.works.toLocaleString('en')} works (database ${db.name}${db.built ? `, built now at ${Math.round(RECORDS / (db.built.ms / 1000)).toLocaleString('en')} records/s` : ''})`,
        },
      );
    }
    const port = await freePort();
    const athenaeum = startProcess(process.execPath, [CLI, 'serve'], {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'false',
      JOBS_ENABLED: 'false',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: db.url,
    });
    let ours;
    try {
      await waitFor(`http://127.0.0.1:${port}/api/health`, athenaeum);
      ours = await measure(`http://127.0.0.1:${port}/sru`, queries);
    } finally {
      await athenaeum.stop();
    }
    const p95 = summary(`Athenaeum, PostgreSQL 15, ${label} records`, ours, rows);
    pass = p95 <= 50 && ours.timed.length >= 500 && ours.timed.every((t) => !t.diagnostic);

    if (WITH_ZEBRA) {
      const index = zebraIndex(db.generated);
      rows.push({
        metric: `Zebra 2.2 (zebraidx, grs.marcxml, marc21.abs), ${label} records: indexing`,
        value: `${(index.records ?? 0).toLocaleString('en')} records in ${(index.ms / 1000).toFixed(1)} s, ${Math.round((index.records ?? 0) / (index.ms / 1000)).toLocaleString('en')} records/s${index.cpuSeconds ? ` (CPU ${index.cpuSeconds.toFixed(0)} s: ${Math.round((index.records ?? 0) / index.cpuSeconds).toLocaleString('en')} records per CPU second)` : ''}, register ${(index.bytes / 2 ** 30).toFixed(2)} GiB${index.cached ? ' (kept from an earlier run)' : ''}`,
      });
      const zport = await freePort();
      const config = path.join(index.dir, 'yazgfs.xml');
      fs.writeFileSync(
        config,
        fs
          .readFileSync(path.join(root, 'bench/zebra/yazgfs.xml'), 'utf8')
          .replaceAll('{{DIR}}', index.dir)
          .replaceAll('{{PORT}}', String(zport)),
      );
      const zebra = startProcess('zebrasrv', ['-f', config, '-l', path.join(index.dir, 'zebrasrv.log')], {});
      let theirs;
      try {
        await waitFor(`http://127.0.0.1:${zport}/Default?version=1.2&operation=explain`, zebra);
        theirs = await measure(`http://127.0.0.1:${zport}/Default`, queries);
      } finally {
        await zebra.stop();
      }
      summary(`Zebra (zebrasrv SRU), ${label} records`, theirs, rows);
    }
  } finally {
    await server.stop();
  }
  return { name: 'sru', rows, pass };
}

/** Builds what the suite measures (the PostgreSQL catalogue, Zebra's index) without measuring. */
export async function prepareSru({ zebraOnly = false } = {}) {
  if (zebraOnly) {
    const index = zebraIndex(await syntheticFiles(RECORDS));
    console.log(`Zebra index: ${index.dir}, ${index.records} records in ${(index.ms / 1000).toFixed(0)} s`);
    return;
  }
  const server = await benchPostgres();
  try {
    const db = await catalogueDatabase(server.url, RECORDS);
    console.log(`PostgreSQL catalogue: ${db.name}${db.built ? ` built in ${(db.built.ms / 1000).toFixed(0)} s` : ''}`);
    if (WITH_ZEBRA) {
      const index = zebraIndex(db.generated);
      console.log(`Zebra index: ${index.dir}, ${index.records} records in ${(index.ms / 1000).toFixed(0)} s`);
    }
  } finally {
    await server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv.includes('--prepare')) {
  await prepareSru({ zebraOnly: process.argv.includes('--zebra-only') });
  process.exit(0);
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchSru();
  console.log(`### ${result.name}\n\n| metric | value |\n|---|---|`);
  for (const row of result.rows) console.log(`| ${row.metric} | ${row.value} |`);
  console.log(`\n${result.pass ? 'meets' : 'MISSES'} its target`);
  process.exit(0);
}
