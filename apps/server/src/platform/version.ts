import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The server package's root folder (works from `src/` and from `dist/`). */
export const SERVER_ROOT = path.resolve(here, '../..');

/** The version of this build, from the server's package.json. */
export const VERSION: string = (
  JSON.parse(fs.readFileSync(path.join(SERVER_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

/** Where the built web app lives in a checkout. */
export const WEB_DIST = path.resolve(SERVER_ROOT, '../web/dist');
