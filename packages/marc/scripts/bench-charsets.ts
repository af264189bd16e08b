// Decoding speed of the charsets on a real MARC-8 file, next to yaz-marcdump on the same bytes.
//   npx tsx packages/marc/scripts/bench-charsets.ts [file.mrc] [copies]
// Default: ../shared/data/marc/evergreen/jazz_1k.mrc, 20 copies. Splits the records with a
// minimal ISO 2709 walk, then decodes every control field whole and every subfield apart.
/* eslint-disable no-console */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeMarcBytes, type MarcEncoding } from '../src/charsets/index.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const file = process.argv[2] ?? path.resolve(repo, '../shared/data/marc/evergreen/jazz_1k.mrc');
const copies = Number(process.argv[3] ?? 20);
const one = readFileSync(file);
const data = new Uint8Array(Buffer.concat(Array.from({ length: copies }, () => one)));

const digits = (b: Uint8Array, from: number, n: number): number => {
  let v = 0;
  for (let i = from; i < from + n; i++) v = v * 10 + ((b[i] as number) - 48);
  return v;
};

/** Returns the pieces (control fields, subfields) as [start, end) offsets into data. */
function pieces(b: Uint8Array): Int32Array {
  const out: number[] = [];
  let pos = 0;
  while (pos + 24 <= b.length) {
    const length = digits(b, pos, 5);
    const base = pos + digits(b, pos + 12, 5);
    for (let d = pos + 24; b[d] !== 0x1e; d += 12) {
      const flen = digits(b, d + 3, 4);
      const start = base + digits(b, d + 7, 5);
      const end = start + flen - 1;
      if (b[d] === 0x30 && b[d + 1] === 0x30) {
        out.push(start, end);
        continue;
      }
      let s = -1;
      for (let i = start + 2; i <= end; i++) {
        if (i === end || b[i] === 0x1f) {
          if (s >= 0) out.push(s + 1, i); // after the subfield code
          s = i;
        }
      }
    }
    pos += length;
  }
  return Int32Array.from(out);
}

function time<T>(label: string, bytes: number, run: () => T): T {
  let result = run(); // warm-up
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    result = run();
    rounds.push(performance.now() - t);
  }
  const best = Math.min(...rounds);
  console.log(`${label}: ${best.toFixed(0)} ms, ${(bytes / 1e6 / (best / 1000)).toFixed(1)} MB/s`);
  return result;
}

const mb = data.length;
console.log(`${path.basename(file)} × ${copies} = ${(mb / 1e6).toFixed(1)} MB`);
const spans = time('split records and subfields', mb, () => pieces(data));
for (const encoding of ['marc-8', 'utf-8', 'iso-8859-1'] as MarcEncoding[]) {
  time(`split + decode as ${encoding} (${spans.length / 2} pieces)`, mb, () => {
    const s = pieces(data);
    let chars = 0;
    for (let i = 0; i < s.length; i += 2) chars += decodeMarcBytes(data.subarray(s[i], s[i + 1]), encoding).text.length;
    return chars;
  });
}

const dir = mkdtempSync(path.join(tmpdir(), 'bench-charsets-'));
try {
  const copy = path.join(dir, 'input.mrc');
  writeFileSync(copy, data);
  for (const args of [
    ['-f', 'MARC-8', '-t', 'UTF-8', '-o', 'marcxml'],
    ['-f', 'MARC-8', '-t', 'UTF-8', '-o', 'marc'],
  ]) {
    try {
      time(`yaz-marcdump ${args.join(' ')}`, mb, () =>
        execFileSync('yaz-marcdump', [...args, copy], { maxBuffer: 1 << 30 }),
      );
    } catch {
      console.log('yaz-marcdump not installed (apt-get install yaz)');
      break;
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
