// MARC parsing: ISO 2709 → records (MARC-8 decoding included) with @athenaeum/marc, side by
// side with `yaz-marcdump -f MARC-8 -t UTF-8 -o marcxml FILE > /dev/null` on the same file.
// The file is Evergreen's jazz_1k.mrc (1,000 MARC-8 records) repeated BENCH_MARC_REPEAT times.
// Target (issue 3): at least half of yaz's speed.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPEAT = Number(process.env.BENCH_MARC_REPEAT ?? 100);
const RUNS = Number(process.env.BENCH_MARC_RUNS ?? 3);
const SOURCE = path.resolve(root, '../shared/data/marc/evergreen/jazz_1k.mrc');

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function parseOnce(readIso2709, file, toXml) {
  let records = 0;
  let xmlLength = 0;
  let failures = 0;
  let peakHeap = 0;
  const t0 = performance.now();
  for await (const item of readIso2709(fs.createReadStream(file, { highWaterMark: 1 << 20 }))) {
    if ('error' in item) failures++;
    else {
      records++;
      if (toXml) xmlLength += toXml(item.record).length;
    }
    if ((records & 0x3fff) === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }
  return { ms: performance.now() - t0, records, failures, peakHeap, xmlLength };
}

function yazOnce(file) {
  const t0 = performance.now();
  const run = spawnSync('yaz-marcdump', ['-f', 'MARC-8', '-t', 'UTF-8', '-o', 'marcxml', file], { stdio: 'ignore' });
  if (run.error) return undefined;
  return performance.now() - t0;
}

export async function benchMarcParse() {
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-b', 'packages/marc'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (tsc.status !== 0) throw new Error('building packages/marc failed');
  const { readIso2709, marcxmlRecord } = await import(
    pathToFileURL(path.join(root, 'packages/marc/dist/index.js')).href
  );

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'athenaeum-bench-marc-'));
  try {
    const file = path.join(dir, 'jazz.mrc');
    const source = fs.readFileSync(SOURCE);
    const out = fs.openSync(file, 'w');
    for (let i = 0; i < REPEAT; i++) fs.writeSync(out, source);
    fs.closeSync(out);
    const bytes = source.length * REPEAT;
    const mb = bytes / 1e6;

    await parseOnce(readIso2709, SOURCE); // warm-up
    const ours = [];
    for (let i = 0; i < RUNS; i++) ours.push(await parseOnce(readIso2709, file));
    const oursMs = median(ours.map((r) => r.ms));
    const { records, failures } = ours[0];
    const peakHeap = Math.max(...ours.map((r) => r.peakHeap));

    const withXml = [];
    for (let i = 0; i < RUNS; i++) withXml.push(await parseOnce(readIso2709, file, marcxmlRecord));
    const withXmlMs = median(withXml.map((r) => r.ms));

    const yazTimes = [];
    for (let i = 0; i < RUNS; i++) {
      const ms = yazOnce(file);
      if (ms === undefined) break;
      yazTimes.push(ms);
    }
    const yazMs = yazTimes.length ? median(yazTimes) : undefined;

    const rate = (ms) => Math.round((records / ms) * 1000);
    const rows = [
      {
        metric: `input: jazz_1k.mrc × ${REPEAT} (MARC-8)`,
        value: `${records.toLocaleString('en')} records, ${mb.toFixed(1)} MB`,
      },
      {
        metric: `@athenaeum/marc readIso2709, median of ${RUNS}`,
        value: `${(oursMs / 1000).toFixed(2)} s, ${rate(oursMs).toLocaleString('en')} records/s, ${(mb / (oursMs / 1000)).toFixed(1)} MB/s`,
      },
      {
        metric: 'the same, also writing each record as MARCXML (as yaz does)',
        value: `${(withXmlMs / 1000).toFixed(2)} s, ${rate(withXmlMs).toLocaleString('en')} records/s`,
      },
      { metric: 'records refused by our reader', value: String(failures) },
      { metric: 'peak heap while parsing (sampled)', value: `${(peakHeap / 2 ** 20).toFixed(0)} MiB` },
    ];
    if (yazMs === undefined) {
      rows.push({ metric: 'yaz-marcdump -f MARC-8 -t UTF-8 -o marcxml', value: 'not installed (Debian package yaz)' });
      return { name: 'marc-parse', rows, pass: false };
    }
    const ratio = yazMs / oursMs;
    rows.push(
      {
        metric: `yaz-marcdump -f MARC-8 -t UTF-8 -o marcxml > /dev/null, median of ${RUNS}`,
        value: `${(yazMs / 1000).toFixed(2)} s, ${rate(yazMs).toLocaleString('en')} records/s`,
      },
      { metric: 'our speed / yaz speed (target ≥ 0.5)', value: ratio.toFixed(2) },
    );
    return { name: 'marc-parse', rows, pass: failures === 0 && records === 1000 * REPEAT && ratio >= 0.5 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchMarcParse();
  console.log(`### ${result.name}\n\n| metric | value |\n|---|---|`);
  for (const row of result.rows) console.log(`| ${row.metric} | ${row.value} |`);
  console.log(`\n${result.pass ? 'meets' : 'MISSES'} its target`);
}
