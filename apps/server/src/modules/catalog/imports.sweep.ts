// Uploaded files nobody will read again. A run removes its file when it ends, but not when its
// process dies: during the run's last attempt (the run is then interrupted), or between writing
// the upload and recording its run (the file has no run at all). Such files would stay in the
// import directory, up to the size limit each, until the disk filled; the server sweeps them when
// it starts, which is what follows a process that died.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { AppContext } from '../../platform/context/context.js';
import * as repo from './imports.repository.js';

/** A file without a run is left this long after it was last written: its upload may still be on its way. */
export const UPLOAD_GRACE_MS = 60 * 60_000;

/** Removes the import directory's uploads that no queued or running import needs; returns how many. */
export async function sweepImportFiles(ctx: AppContext, graceMs = UPLOAD_GRACE_MS): Promise<number> {
  const dir = ctx.config.catalogImports.dir;
  if (!fs.existsSync(dir)) return 0;
  const names = (await fsp.readdir(dir)).filter((name) => name.endsWith('.upload'));
  const db = repo.importsDb(ctx.db);
  const runs = new Map((await repo.runsOfFiles(db, names)).map((r) => [r.stored_name, r]));
  const now = Date.now();
  let removed = 0;
  for (const name of names) {
    const run = runs.get(name);
    if (run?.needed) continue;
    const file = path.join(dir, name);
    if (!run) {
      const stat = await fsp.stat(file).catch(() => null);
      if (!stat || now - stat.mtimeMs < graceMs) continue;
    }
    await fsp.rm(file, { force: true });
    if (run) await repo.markFileRemoved(db, run.import_id);
    removed++;
  }
  if (removed) ctx.logger.info({ removed }, 'removed uploaded files no import needs');
  return removed;
}
