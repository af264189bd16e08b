// Catalogue import, end to end: the synthetic ISO 2709 files (bench/generate.mjs, one per demo
// library) read, normalized, clustered into works, stored and indexed by importFile — what
// `npm run cli -- import FILE --library CODE` runs — into a fresh database, on PostgreSQL 15
// (durable settings) and on the embedded database. Targets (issue 3): ≥ 5,000 records/s on
// PostgreSQL 15 and ≥ 2,500 on the embedded database.
// Environment: BENCH_IMPORT_RECORDS (default 100000), BENCH_IMPORT_ENGINES (default
// "postgres,embedded"), and those of bench/generate.mjs and bench/catalog-db.mjs.
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
    const t0 = performance.now();
    const totals = await importSynthetic(runtime.ctx, files, libraries, progress(engine));
    const ms = performance.now() - t0;
    const t1 = performance.now();
    const again = await importSynthetic(runtime.ctx, files, libraries);
    const againMs = performance.now() - t1;
    const counts = await catalogCounts(runtime.ctx);
    return { totals, ms, again, againMs, counts, settings };
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
    const r = await importOnce(engine, generated.files);
    const loadAfter = os.loadavg()[0];
    const rate = r.totals.processed / (r.ms / 1000);
    const ok =
      r.totals.added === RECORDS && r.totals.rejected === 0 && r.again.unchanged === RECORDS && rate >= TARGET[engine];
    pass &&= ok;
    const label = engine === 'postgres' ? 'PostgreSQL 15' : 'embedded';
    rows.push(
      { metric: `${label}: engine`, value: r.settings },
      {
        metric: `${label}: machine load (1-minute load average before, after; 2 cores)`,
        value: `${loadBefore.toFixed(1)}, ${loadAfter.toFixed(1)}`,
      },
      {
        metric: `${label}: import into a fresh database (target ≥ ${TARGET[engine].toLocaleString('en')} records/s)`,
        value: `${(r.ms / 1000).toFixed(1)} s, **${Math.round(rate).toLocaleString('en')} records/s**`,
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
