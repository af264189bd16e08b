// npm start: build if needed, then serve (migrations and the demo seed run at start).
import { ensureBuilt } from './build.mjs';

ensureBuilt();
const { runCli } = await import('../apps/server/dist/cli.js');
const { exitWithStartupError } = await import('../apps/server/dist/main.js');
await runCli(['serve']).catch(exitWithStartupError);
