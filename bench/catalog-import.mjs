// Catalogue import, end to end: the synthetic ISO 2709 files (bench/generate.mjs, one per demo
// library) read, normalized, clustered into works, stored and indexed by importFile — what
// `npm run cli -- import FILE --library CODE` runs — into a fresh database, on PostgreSQL 15
// (durable settings) and on the embedded database. Targets (issue 3): ≥ 5,000 records/s on
// PostgreSQL 15 and ≥ 2,500 on the embedded database.
// Each engine imports ROUNDS times into a fresh database and the median run is reported (this
// machine drifts by 10-20 % within an hour, so one run says little), with every run's rate.
// Environment: BENCH_IMPORT_RECORDS (default 100000), BENCH_IMPORT_ENGINES (default
// "postgres,embedded"), BENCH_IMPORT_ROUNDS (default 3), and those of bench/generate.mjs and
// bench/catalog-db.mjs.
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
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
} from './catalog-db.mjs';
import { sizeLabel, syntheticFiles } from './generate.mjs';

const RECORDS = Number(process.env.BENCH_IMPORT_RECORDS ?? 100_000);
const ENGINES = (process.env.BENCH_IMPORT_ENGINES ?? 'postgres,embedded').split(',').filter(Boolean);
const ROUNDS = Math.max(1, Number(process.env.BENCH_IMPORT_ROUNDS ?? 3));
const TARGET = { postgres: 5000, embedded: 2500 };

function progress(label) {
  let last = performance.now();
  const t0 = last;
  return (p) => {
    const now = performance.now();
    if (now - last < 10_000) return;
    last = now;
    process.stderr.write(
      `  ${label}: ${p.processed.toLocaleString('en')} records, ${Math.round(p.processed / ((now - t0) / 1000)).toLocaleString('en')}/s\n`,
    );
  };
}

/** CPU seconds a process (or "pid/task/tid", a thread) has used (user + system), from /proc (Linux); 0 if it is gone. */
function processCpu(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // clock ticks (USER_HZ, 100 on Linux)
  } catch {
    return 0;
  }
}

/**
 * The database's CPU seconds so far: the backends of this database (PostgreSQL on this machine),
 * or the embedded database's child process.
 */
async function databaseCpu(engine, ctx) {
  const { sql } = await import('kysely');
  if (engine === 'postgres') {
    const { rows } = await sql`select pid from pg_stat_activity where datname = current_database()`.execute(ctx.db);
    return new Map(rows.map((r) => [r.pid, processCpu(r.pid)]));
  }
  const children = fs
    .readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid;
      } catch {
        return false;
      }
    });
  return new Map(children.map((p) => [Number(p), processCpu(p)]));
}

const cpuSince = (before, after) => {
  let total = 0;
  for (const [pid, cpu] of after) total += cpu - (before.get(pid) ?? 0);
  return total;
};

async function importOnce(engine, files) {
  let target;
  let stopServer = async () => {};
  let settings;
  if (engine === 'postgres') {
    const server = await benchPostgres();
    stopServer = server.stop;
    settings = await postgresSettings(server.url);
    target = { url: await postgresDatabase(server.url, `ath_bench_import_${sizeLabel(RECORDS)}`, { fresh: true }) };
  } else {
    target = { dataDir: embeddedDir(`import-${sizeLabel(RECORDS)}`, { fresh: true }) };
  }
  const runtime = await openBenchRuntime(target);
  try {
    if (engine === 'embedded') {
      const { rows } = await (await import('kysely')).sql`select version() as v`.execute(runtime.ctx.db);
      settings = `PGlite (${String(rows[0].v).split(' on ')[0]}) in a child process over the wire protocol`;
    }
    const libraries = await demoLibraries(runtime.ctx);
    const dbBefore = await databaseCpu(engine, runtime.ctx);
    const cpu0 = process.cpuUsage();
    const main0 = processCpu(`${process.pid}/task/${process.pid}`);
    const t0 = performance.now();
    const totals = await importSynthetic(runtime.ctx, files, libraries, progress(engine));
    const ms = performance.now() - t0;
    const nodeCpu = process.cpuUsage(cpu0);
    const cpu = {
      node: (nodeCpu.user + nodeCpu.system) / 1e6,
      // Of Node's: the main thread (reading, parsing, clustering, the driver); the rest is the
      // preparation workers and V8's compiler and GC threads.
      main: processCpu(`${process.pid}/task/${process.pid}`) - main0,
      db: cpuSince(dbBefore, await databaseCpu(engine, runtime.ctx)),
    };
    const t1 = performance.now();
    const again = await importSynthetic(runtime.ctx, files, libraries);
    const againMs = performance.now() - t1;
    const counts = await catalogCounts(runtime.ctx);
    return { totals, ms, again, againMs, counts, settings, cpu };
  } finally {
    await runtime.close();
    await stopServer();
  }
}

export async function benchCatalogImport() {
  const generated = await syntheticFiles(RECORDS);
  const rows = [
    {
      metric: 'input',
      value: `${RECORDS.toLocaleString('en')} synthetic MARC 21 records (ISO 2709, UTF-8) in ${generated.files.length} files, one per library, imported one after the other`,
    },
  ];
  let pass = true;
  for (const engine of ENGINES) {
    const loadBefore = os.loadavg()[0];
    const runs = [];
    for (let round = 0; round < ROUNDS; round++) runs.push(await importOnce(engine, generated.files));
    const loadAfter = os.loadavg()[0];
    const rateOf = (run) => run.totals.processed / (run.ms / 1000);
    const r = [...runs].sort((a, b) => a.ms - b.ms)[Math.floor((runs.length - 1) / 2)];
    const rate = rateOf(r);
    const ok =
      runs.every(
        (run) => run.totals.added === RECORDS && run.totals.rejected === 0 && run.again.unchanged === RECORDS,
      ) && rate >= TARGET[engine];
    pass &&= ok;
    const label = engine === 'postgres' ? 'PostgreSQL 15' : 'embedded';
    rows.push(
      { metric: `${label}: engine`, value: r.settings },
      {
        metric: `${label}: machine load (1-minute load average before, after; 2 cores)`,
        value: `${loadBefore.toFixed(1)}, ${loadAfter.toFixed(1)}`,
      },
      {
        metric: `${label}: import into a fresh database, median of ${runs.length} (target ≥ ${TARGET[engine].toLocaleString('en')} records/s)`,
        value: `${(r.ms / 1000).toFixed(1)} s, **${Math.round(rate).toLocaleString('en')} records/s**`,
      },
      {
        metric: `${label}: each run, in order`,
        value: runs.map((run) => `${Math.round(rateOf(run)).toLocaleString('en')} records/s`).join(', '),
      },
      {
        metric: `${label}: CPU time of the median run (Node: main thread and workers; the database${engine === 'postgres' ? "'s backends" : "'s child process"})`,
        value: `Node ${r.cpu.node.toFixed(1)} s (main thread ${r.cpu.main.toFixed(1)} s), database ${r.cpu.db.toFixed(1)} s: ${Math.round(((r.cpu.node + r.cpu.db) * 1e6) / r.totals.processed)} µs per record (${Math.round(r.totals.processed / ((r.cpu.node + r.cpu.db) / 2)).toLocaleString('en')} records/s if both cores were ours)`,
      },
      {
        metric: `${label}: result`,
        value: `${r.totals.added.toLocaleString('en')} added, ${r.totals.rejected} rejected; ${r.counts.works.toLocaleString('en')} works, ${r.counts.items.toLocaleString('en')} items, database ${(Number(r.counts.bytes) / 2 ** 20).toFixed(0)} MiB`,
      },
      {
        metric: `${label}: the same files again (nothing changes)`,
        value: `${(r.againMs / 1000).toFixed(1)} s, ${Math.round(r.again.processed / (r.againMs / 1000)).toLocaleString('en')} records/s, ${r.again.unchanged.toLocaleString('en')} unchanged`,
      },
    );
  }
  return { name: 'catalog-import', rows, pass };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchCatalogImport();
  console.log(`### ${result.name}\n\n| metric | value |\n|---|---|`);
  for (const row of result.rows) console.log(`| ${row.metric} | ${row.value} |`);
  console.log(`\n${result.pass ? 'meets' : 'MISSES'} its target`);
  process.exit(0);
}
