// npm test: lint, typecheck and every test on a real database, then one closing line
// "N passed, N failed". Browser tests run where Chromium is installed and are required when CI=true.
// ATHENAEUM_TEST_DATABASE_URL=postgres://… runs the database tests against that PostgreSQL server.
// ATHENAEUM_TEST_SKIP_STATIC=1 skips lint, format and typecheck (for a second pass over the same
// code on another database, as .ci/run does).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt } from './build.mjs';

const CHROMIUM = '/usr/bin/chromium';
const ci = process.env.CI === 'true';
const steps = [];

function step(name, command, args, env = {}) {
  console.log(`\n▶ ${name}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = result.status === 0;
  steps.push({ name, ok, seconds: Math.round((Date.now() - started) / 1000) });
  return ok;
}

ensureBuilt();
const bin = (name) => path.resolve('node_modules/.bin', name);
if (process.env.ATHENAEUM_TEST_SKIP_STATIC === '1') {
  console.log('\n(lint, format and typecheck skipped: ATHENAEUM_TEST_SKIP_STATIC=1)');
} else {
  step('lint (eslint, import boundaries)', bin('eslint'), ['--max-warnings=0', '.']);
  step('format (prettier --check)', bin('prettier'), ['--check', '--log-level=warn', '.']);
  step('typecheck: server', bin('tsc'), ['-b', 'apps/server']);
  step('typecheck: web app', bin('tsc'), ['--noEmit', '-p', 'apps/web']);
  step('typecheck: tests, e2e and bench', bin('tsc'), ['--noEmit', '-p', 'tsconfig.typecheck.json']);
}

const projects = ['server', 'web'];
const haveChromium = fs.existsSync(CHROMIUM);
if (haveChromium) projects.push('e2e');
else if (ci) steps.push({ name: `browser tests: ${CHROMIUM} is missing and CI=true`, ok: false, seconds: 0 });
else console.log(`\n(no ${CHROMIUM}: browser tests skipped; apt-get install chromium to run them)`);

const report = path.join(os.tmpdir(), `athenaeum-vitest-${process.pid}.json`);
const vitestOk = step(
  `tests (${projects.join(', ')}) on ${process.env.ATHENAEUM_TEST_DATABASE_URL ? 'PostgreSQL' : 'the embedded database'}`,
  bin('vitest'),
  [
    'run',
    ...projects.flatMap((p) => ['--project', p]),
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ],
);

let passed = 0;
let failed = 0;
let skipped = 0;
if (fs.existsSync(report)) {
  const json = JSON.parse(fs.readFileSync(report, 'utf8'));
  passed = json.numPassedTests;
  // A file that fails outside any test (import error, failing hook) counts as one failure.
  const brokenFiles = (json.testResults ?? []).filter(
    (f) => f.status === 'failed' && !f.assertionResults?.some((a) => a.status === 'failed'),
  );
  failed = json.numFailedTests + brokenFiles.length;
  skipped = json.numPendingTests + json.numTodoTests;
  fs.rmSync(report, { force: true });
} else if (!vitestOk) {
  failed += 1;
}
for (const s of steps) {
  if (s.name.startsWith('tests (')) continue;
  if (s.ok) passed += 1;
  else failed += 1;
}
if (!vitestOk && failed === 0) failed = 1;

console.log('\nSummary:');
for (const s of steps) console.log(`  ${s.ok ? '✓' : '✗'} ${s.name} (${s.seconds}s)`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 ? 0 : 1);
