#!/usr/bin/env node
// The `athenaeum` command: runs the compiled command line (build first: npm run build).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write('Athenaeum is not built yet; run "npm run build" in the checkout first.\n');
  process.exit(1);
}
const { runCli } = await import(entry);
await runCli(process.argv.slice(2));
