// Catalogue search with facets: searchCatalog (what GET /api/v1/catalog/search runs) over the
// synthetic catalogue, 1M records on PostgreSQL 15 (durable settings) and 200k on the embedded
// database. Queries are drawn (seeded) from the generator's vocabulary: single words, two words
// of one language, fielded terms (title:, author:, subject:) and a word with a facet filter.
// Every query runs once to warm the cache, then once measured. Target (issue 3): p50 ≤ 15 ms and
// p95 ≤ 100 ms over ≥ 500 queries on 1M records on PostgreSQL 15.
// The databases are built once (import of the generated files) and kept in the bench cache,
// keyed by the files and CATALOGUE_VERSION (raise it when the import stores something else);
// new migrations are applied to a kept database, as a deployment would.
// Environment: BENCH_SEARCH_RECORDS_PG (default 1000000), BENCH_SEARCH_RECORDS_EMBEDDED
// (default 200000), BENCH_SEARCH_QUERIES (per kind, default 150), BENCH_SEARCH_ENGINES
// (default "postgres,embedded"), and those of bench/generate.mjs and bench/catalog-db.mjs.
import path from 'node:path';
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
  settleCatalogue,
} from './catalog-db.mjs';
import { LIBRARIES, loadGenerator, root, sizeLabel, syntheticFiles } from './generate.mjs';
import { latencyByKind, ms, percentile } from './stats.mjs';

const SIZES = {
  postgres: Number(process.env.BENCH_SEARCH_RECORDS_PG ?? 1_000_000),
  embedded: Number(process.env.BENCH_SEARCH_RECORDS_EMBEDDED ?? 200_000),
};
const PER_KIND = Number(process.env.BENCH_SEARCH_QUERIES ?? 150);
const ENGINES = (process.env.BENCH_SEARCH_ENGINES ?? 'postgres,embedded').split(',').filter(Boolean);
const dist = (relative) => pathToFileURL(path.join(root, relative)).href;

const CATALOGUE_VERSION = 2;

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

/** The query set: `PER_KIND` of each kind, drawn uniformly from the vocabulary with a fixed seed. */
export async function searchQueries(libraryIds) {
  const { VOCABULARY, SUBJECTS } = await loadGenerator();
  const random = prng(7);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const words = VOCABULARY.flatMap((lang) => lang.words.map((word) => ({ lang, word })));
  const queries = [];
  for (let i = 0; i < PER_KIND; i++) {
    const one = pick(words);
    queries.push({ kind: 'one word', params: { q: one.word } });
    const first = pick(words);
    let second = pick(first.lang.words);
    while (second === first.word && first.lang.words.length > 1) second = pick(first.lang.words);
    queries.push({ kind: 'two words', params: { q: `${first.word} ${second}` } });
    const field = i % 3;
    const lang = pick(VOCABULARY);
    queries.push({
      kind: 'fielded',
      params: {
        q:
          field === 0
            ? `title:${pick(lang.words)}`
            : field === 1
              ? `author:${pick(lang.surnames)}`
              : `subject:${pick(SUBJECTS)}`,
      },
    });
    const filtered = pick(words);
    const filter = i % 4;
    queries.push({
      kind: 'word + facet filter',
      params: {
        q: filtered.word,
        ...(filter === 0
          ? { language: filtered.lang.code }
          : filter === 1
            ? { material: 'book' }
            : filter === 2
              ? { library: pick(libraryIds) }
              : { available: 'true' }),
      },
    });
  }
  return queries;
}

/** A database holding the synthetic catalogue of `count` records, built once and kept. */
async function catalogueDatabase(engine, count) {
  const generated = await syntheticFiles(count);
  const fingerprint = `${generated.fingerprint} v${CATALOGUE_VERSION}`;
  let target;
  let stopServer = async () => {};
  let settings;
  const name = `search_${sizeLabel(count)}`;
  if (engine === 'postgres') {
    const server = await benchPostgres();
    stopServer = server.stop;
    settings = await postgresSettings(server.url);
    target = { url: await postgresDatabase(server.url, `ath_bench_${name}`, { fresh: false }) };
  } else {
    target = { dataDir: embeddedDir(name, { fresh: false }) };
  }
  let runtime = await openBenchRuntime(target);
  const { sql } = await import('kysely');
  await sql`create table if not exists bench_catalogue (fingerprint text not null)`.execute(runtime.ctx.db);
  const stored = (await sql`select fingerprint from bench_catalogue`.execute(runtime.ctx.db)).rows[0]?.fingerprint;
  let built = null;
  if (stored !== fingerprint) {
    await runtime.close();
    if (engine === 'postgres') {
      const server = await benchPostgres();
      target = { url: await postgresDatabase(server.url, `ath_bench_${name}`, { fresh: true }) };
    } else {
      target = { dataDir: embeddedDir(name, { fresh: true }) };
    }
    runtime = await openBenchRuntime(target);
    const libraries = await demoLibraries(runtime.ctx);
    const t0 = performance.now();
    let last = t0;
    const totals = await importSynthetic(runtime.ctx, generated.files, libraries, (p) => {
      if (performance.now() - last < 30_000) return;
      last = performance.now();
      process.stderr.write(
        `  building the ${engine} catalogue: ${p.processed.toLocaleString('en')} of ${count.toLocaleString('en')} records\n`,
      );
    });
    built = { ms: performance.now() - t0, totals };
    if (engine === 'postgres') await settleCatalogue(engine, runtime.ctx);
    await sql`create table if not exists bench_catalogue (fingerprint text not null)`.execute(runtime.ctx.db);
    await sql`insert into bench_catalogue values (${fingerprint})`.execute(runtime.ctx.db);
  }
  if (engine === 'embedded') {
    // A catalogue kept from an earlier run is settled too: the embedded database's housekeeping may
    // be newer than it (and does nothing when nothing is due).
    await settleCatalogue(engine, runtime.ctx);
    const { rows } = await sql`select version() as v`.execute(runtime.ctx.db);
    settings = `PGlite (${String(rows[0].v).split(' on ')[0]}) in a child process over the wire protocol`;
  }
  return { runtime, settings, built, close: async () => (await runtime.close(), await stopServer()) };
}

async function searchOnce(engine) {
  const count = SIZES[engine];
  const db = await catalogueDatabase(engine, count);
  try {
    const { searchCatalog } = await import(dist('apps/server/dist/modules/catalog/search/search.service.js'));
    const { CatalogSearchQuery } = await import(dist('packages/contracts/dist/index.js'));
    const libraries = await demoLibraries(db.runtime.ctx);
    const queries = await searchQueries(Object.keys(LIBRARIES).map((code) => libraries[code].id));
    const run = async (q) => {
      const t0 = performance.now();
      const result = await searchCatalog(db.runtime.ctx, CatalogSearchQuery.parse(q.params));
      return { ms: performance.now() - t0, total: result.total };
    };
    for (const q of queries) await run(q); // warm-up
    const timed = [];
    const loadBefore = os.loadavg()[0];
    for (const q of queries) timed.push({ ...q, ...(await run(q)) });
    const load = `${loadBefore.toFixed(1)}, ${os.loadavg()[0].toFixed(1)}`;
    const counts = await catalogCounts(db.runtime.ctx);
    return { count, counts, timed, settings: db.settings, built: db.built, load };
  } finally {
    await db.close();
  }
}

export async function benchCatalogSearch() {
  const rows = [];
  let pass = true;
  for (const engine of ENGINES) {
    const r = await searchOnce(engine);
    const label = `${engine === 'postgres' ? 'PostgreSQL 15' : 'embedded'}, ${sizeLabel(r.count)} records`;
    const all = r.timed.map((t) => t.ms).sort((a, b) => a - b);
    const p50 = percentile(all, 50);
    const p95 = percentile(all, 95);
    if (engine === 'postgres') pass &&= p50 <= 15 && p95 <= 100 && all.length >= 500;
    const totals = r.timed.map((t) => t.total).sort((a, b) => a - b);
    rows.push(
      { metric: `${label}: engine`, value: r.settings },
      {
        metric: `${label}: machine load while measuring (1-minute load average before, after; 2 cores)`,
        value: r.load,
      },
      {
        metric: `${label}: catalogue`,
        value: `${r.counts.records.toLocaleString('en')} records, ${r.counts.works.toLocaleString('en')} works, ${r.counts.items.toLocaleString('en')} items, database ${(Number(r.counts.bytes) / 2 ** 30).toFixed(2)} GiB${r.built ? ` (built now: import at ${Math.round(r.built.totals.processed / (r.built.ms / 1000)).toLocaleString('en')} records/s)` : ''}`,
      },
      {
        metric: `${label}: ${all.length} queries, warm (target p50 ≤ 15 ms, p95 ≤ 100 ms${engine === 'postgres' ? '' : ' on 1M on PostgreSQL'})`,
        value: `**p50 ${ms(p50)}, p95 ${ms(p95)}**, p99 ${ms(percentile(all, 99))}, max ${ms(all.at(-1))}`,
      },
      {
        metric: `${label}: works matched per query`,
        value: `median ${percentile(totals, 50).toLocaleString('en')}, p95 ${percentile(totals, 95).toLocaleString('en')}, max ${totals.at(-1).toLocaleString('en')}`,
      },
    );
    rows.push(...latencyByKind(label, r.timed));
    const slowest = [...r.timed].sort((a, b) => b.ms - a.ms).slice(0, 3);
    rows.push({
      metric: `${label}: slowest`,
      value: slowest
        .map(
          (t) =>
            `${JSON.stringify(t.params).replace(/\|/g, '\\|')} ${ms(t.ms)} (${t.total.toLocaleString('en')} works)`,
        )
        .join('; '),
    });
  }
  return { name: 'catalog-search', rows, pass };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchCatalogSearch();
  console.log(`### ${result.name}\n\n| metric | value |\n|---|---|`);
  for (const row of result.rows) console.log(`| ${row.metric} | ${row.value} |`);
  console.log(`\n${result.pass ? 'meets' : 'MISSES'} its target`);
  process.exit(0);
}
