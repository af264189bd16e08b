// npm run cli -- <command>: the operator's command line, built first if needed.
import { ensureBuilt } from './build.mjs';

ensureBuilt();
const { runCli } = await import('../apps/server/dist/cli.js');
const { exitWithStartupError } = await import('../apps/server/dist/main.js');
await runCli(process.argv.slice(2)).catch(exitWithStartupError);
