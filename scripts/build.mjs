// Builds what is stale: the server (tsc -b, incremental) and the web app (vite build).
// `npm start` calls ensureBuilt() so a fresh clone serves without a separate build step.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

const mtime = (file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0);

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`Build step failed: ${command} ${args.join(' ')}`);
    process.exit(result.status ?? 1);
  }
}

/** Builds the server and the web app if their sources changed since the last build. */
export function ensureBuilt({ force = false } = {}) {
  const contracts = newestMtime(path.join(root, 'packages/contracts/src'));
  // tsc -b leaves unchanged outputs untouched, so freshness is judged by a stamp written after a build.
  const serverStamp = path.join(root, 'apps/server/dist/.build-stamp');
  if (force || mtime(serverStamp) < Math.max(contracts, newestMtime(path.join(root, 'apps/server/src')))) {
    console.log('Building the server…');
    run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-b', 'apps/server']);
    fs.writeFileSync(serverStamp, new Date().toISOString());
  }
  const webOut = path.join(root, 'apps/web/dist/index.html');
  const webIn = Math.max(
    contracts,
    newestMtime(path.join(root, 'apps/web/src')),
    mtime(path.join(root, 'apps/web/index.html')),
  );
  if (fs.existsSync(path.join(root, 'apps/web/index.html')) && (force || mtime(webOut) < webIn)) {
    console.log('Building the web app…');
    run(process.execPath, [
      path.join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      'apps/web',
      '--logLevel',
      'warn',
    ]);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) ensureBuilt({ force: process.argv.includes('--force') });
