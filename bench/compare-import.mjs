// Compares the catalogue import of this working tree with another commit's, back to back. The
// machine's speed drifts by 10–20 % within an hour, so single runs of two versions compare
// nothing; this runs `bench/catalog-import.mjs` for each version in turn (the order alternating
// from round to round) and prints every run and the medians.
//
//   node bench/compare-import.mjs --base <commit> [--rounds 3] [--engine postgres|embedded]
//
// The other commit is checked out and its server built in a worktree under the bench cache (kept
// for the next comparison), with this tree's node_modules linked in; both use the same synthetic
// files and the same database server. Environment: that of bench/catalog-import.mjs.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureBuilt } from '../scripts/build.mjs';
import { CACHE_DIR } from './generate.mjs';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    engine: { type: 'string', default: 'postgres' },
  },
});
if (!values.base || !['postgres', 'embedded'].includes(values.engine)) {
  console.error('usage: node bench/compare-import.mjs --base <commit> [--rounds N] [--engine postgres|embedded]');
  process.exit(2);
}
const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();

/** A built worktree of `rev`, made once and reused. */
function worktreeOf(rev) {
  const sha = git('rev-parse', '--verify', `${rev}^{commit}`);
  const dir = path.join(CACHE_DIR, `compare-${sha.slice(0, 12)}`);
  if (!fs.existsSync(path.join(dir, '.git'))) {
    fs.rmSync(dir, { recursive: true, force: true });
    git('worktree', 'add', '--detach', dir, sha);
    // Hard links: the same packages at no cost in space; the workspaces' own links are relative.
    execFileSync('cp', ['-al', path.join(root, 'node_modules'), path.join(dir, 'node_modules')]);
  }
  // The server and the packages it uses; the import needs nothing of the web app.
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-b', 'apps/server'], {
    cwd: dir,
    stdio: 'inherit',
  });
  return { label: `${rev} (${sha.slice(0, 7)})`, dir };
}

/** One import of the bench's files by the tree in `dir`: its records/s, or null with what went wrong. */
function importRate(dir) {
  const run = spawnSync(process.execPath, ['bench/catalog-import.mjs'], {
    cwd: dir,
    // One import per run: the rounds alternate here.
    env: { ...process.env, BENCH_IMPORT_ENGINES: values.engine, BENCH_IMPORT_ROUNDS: '1' },
    encoding: 'utf8',
  });
  const row = run.stdout.split('\n').find((line) => line.includes('import into a fresh database'));
  const rate = row?.match(/\*\*([\d,]+) records\/s\*\*/)?.[1];
  if (!rate) {
    console.error(run.stderr.slice(-2000));
    return null;
  }
  return Number(rate.replaceAll(',', ''));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

ensureBuilt();
const sides = [worktreeOf(values.base), { label: `working tree (${git('rev-parse', '--short', 'HEAD')}+)`, dir: root }];
const rates = sides.map(() => []);
for (let round = 0; round < Number(values.rounds); round++) {
  const order = round % 2 ? [1, 0] : [0, 1];
  for (const i of order) {
    const rate = importRate(sides[i].dir);
    if (rate === null) process.exit(1);
    rates[i].push(rate);
    console.log(`round ${round + 1}: ${sides[i].label}: ${rate.toLocaleString('en')} records/s`);
  }
}
console.log(`\n${values.engine}, ${values.rounds} rounds, medians:`);
for (const [i, side] of sides.entries()) {
  console.log(`  ${side.label}: ${median(rates[i]).toLocaleString('en')} records/s (${rates[i].join(', ')})`);
}
const change = median(rates[1]) / median(rates[0]) - 1;
console.log(`  working tree against base: ${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)} %`);
