// Synthetic MARC 21 for the catalogue benches: deterministic ISO 2709 files written with the
// project's generator (apps/server/src/modules/catalog/synthetic/generate.ts, built) and
// @athenaeum/marc's writeIso2709, one file per demo library, cached between runs.
//   node bench/generate.mjs [COUNT…]        writes (or finds) the files, default 100000 1000000
// Environment: BENCH_CACHE_DIR (default $TMPDIR/athenaeum-bench), BENCH_GENERATE_SIZES
// (comma-separated record counts for the `generate` suite, default 100000,1000000).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE_DIR = path.resolve(process.env.BENCH_CACHE_DIR ?? path.join(os.tmpdir(), 'athenaeum-bench'));
const SEED = 3;

/** The demo network's libraries and their branch codes (apps/server/src/modules/accounts/accounts.seed.ts). */
export const LIBRARIES = {
  NOVLIB: ['NOVLIB-CENTRAL', 'NOVLIB-CHILDREN'],
  KAZLIB: ['KAZLIB-MAIN', 'KAZLIB-KREMLIN'],
  SPBIB: ['SPBIB-CENTRO', 'SPBIB-PINHEIROS'],
  RECBIB: ['RECBIB-BOAVISTA', 'RECBIB-OLINDA'],
};

const dist = (relative) => pathToFileURL(path.join(root, relative)).href;

/** The built generator and writer; `ensureBuilt()` (bench/run.mjs) or `npx tsc -b apps/server` builds them. */
export async function loadGenerator() {
  const { generateRecords } = await import(dist('apps/server/dist/modules/catalog/synthetic/generate.js'));
  const { VOCABULARY, SUBJECTS } = await import(dist('apps/server/dist/modules/catalog/synthetic/vocabulary.js'));
  const { writeIso2709 } = await import(dist('packages/marc/dist/index.js'));
  return { generateRecords, writeIso2709, VOCABULARY, SUBJECTS };
}

/**
 * Changes when the generator or its vocabulary change, so stale files are not reused. (The ISO
 * 2709 encoding of a record is the standard's, so the writer's own revisions do not count.)
 */
export function generatorFingerprint() {
  const hash = createHash('sha256').update(`seed ${SEED}\n`);
  for (const file of [
    'apps/server/dist/modules/catalog/synthetic/generate.js',
    'apps/server/dist/modules/catalog/synthetic/vocabulary.js',
  ]) {
    hash.update(fs.readFileSync(path.join(root, file)));
  }
  hash.update(JSON.stringify(LIBRARIES));
  return hash.digest('hex').slice(0, 12);
}

export const sizeLabel = (count) =>
  count % 1_000_000 === 0 ? `${count / 1_000_000}m` : count % 1000 === 0 ? `${count / 1000}k` : String(count);

/**
 * The synthetic catalogue of `count` records as ISO 2709 files, one per library (records are
 * spread over the libraries by the generator, popular works held by several). Cached under
 * CACHE_DIR by size and generator fingerprint; written to a temporary name, then renamed.
 */
export async function syntheticFiles(count) {
  const fingerprint = generatorFingerprint();
  const dir = path.join(CACHE_DIR, `synthetic-${sizeLabel(count)}-${fingerprint}`);
  const manifestFile = path.join(dir, 'manifest.json');
  if (fs.existsSync(manifestFile))
    return { ...JSON.parse(fs.readFileSync(manifestFile, 'utf8')), dir, cached: true, ms: 0 };

  const { generateRecords, writeIso2709 } = await loadGenerator();
  fs.mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const outputs = new Map();
  for (const library of Object.keys(LIBRARIES)) {
    const file = path.join(dir, `${library}.mrc`);
    outputs.set(library, {
      library,
      file,
      fd: fs.openSync(`${file}.tmp`, 'w'),
      records: 0,
      bytes: 0,
      pending: [],
      pendingBytes: 0,
    });
  }
  const flush = (out) => {
    if (out.pending.length === 0) return;
    fs.writeSync(out.fd, Buffer.concat(out.pending, out.pendingBytes));
    out.pending = [];
    out.pendingBytes = 0;
  };
  for (const { library, record } of generateRecords(count, {
    seed: SEED,
    libraries: Object.keys(LIBRARIES),
    branches: LIBRARIES,
  })) {
    const out = outputs.get(library);
    const bytes = writeIso2709(record);
    out.pending.push(bytes);
    out.pendingBytes += bytes.length;
    out.records++;
    out.bytes += bytes.length;
    if (out.pendingBytes > 1 << 20) flush(out);
  }
  const files = [];
  for (const out of outputs.values()) {
    flush(out);
    fs.closeSync(out.fd);
    fs.renameSync(`${out.file}.tmp`, out.file);
    files.push({ library: out.library, file: out.file, records: out.records, bytes: out.bytes });
  }
  const manifest = { count, seed: SEED, fingerprint, files };
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  return { ...manifest, dir, cached: false, ms: performance.now() - t0 };
}

/** Bench suite: makes sure the 100k and 1M files exist and reports their size and generation time. */
export async function benchGenerate() {
  const sizes = (process.env.BENCH_GENERATE_SIZES ?? '100000,1000000')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const rows = [];
  for (const count of sizes) {
    const result = await syntheticFiles(count);
    const bytes = result.files.reduce((sum, f) => sum + f.bytes, 0);
    rows.push({
      metric: `${count.toLocaleString('en')} records (${result.files.length} files, one per library) in ${path.relative(process.cwd(), result.dir) || result.dir}`,
      value: `${(bytes / 1e6).toFixed(1)} MB, ${result.cached ? 'cached' : `written in ${(result.ms / 1000).toFixed(1)} s (${Math.round(count / (result.ms / 1000)).toLocaleString('en')} records/s)`}`,
    });
  }
  return { name: 'generate', rows, pass: true };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const counts = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  for (const count of counts.length ? counts : [100_000, 1_000_000]) {
    const result = await syntheticFiles(count);
    console.log(`${count} records: ${result.cached ? 'cached' : `written in ${(result.ms / 1000).toFixed(1)} s`}`);
    for (const f of result.files) console.log(`  ${f.file}: ${f.records} records, ${(f.bytes / 1e6).toFixed(1)} MB`);
  }
}
