import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueJob } from '../../platform/jobs/queue.js';
import { createTestEnv, type TestEnv } from '../../test/context.js';
import { tempDir } from '../../test/processes.js';
import { buildOrganization } from '../accounts/accounts.factories.js';
import * as repo from './imports.repository.js';
import { sweepImportFiles, UPLOAD_GRACE_MS } from './imports.sweep.js';

let env: TestEnv;
let dir: string;
let library: string;

beforeAll(async () => {
  dir = tempDir('sweep');
  env = await createTestEnv({ CATALOG_IMPORT_DIR: dir });
  library = (await buildOrganization(env.ctx)).id;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A stored upload, written `ageMs` ago. */
function upload(name: string, ageMs = 0): string {
  const file = path.join(dir, `${name}.upload`);
  fs.writeFileSync(file, '00026nam a2200025 a 4500\x1e\x1d');
  const at = new Date(Date.now() - ageMs);
  fs.utimesSync(file, at, at);
  return file;
}

/** A run of the upload `name`, with its status (and, when queued, its job). */
async function runOf(name: string, status: 'queued' | 'running' | 'done' | 'failed'): Promise<string> {
  const db = repo.importsDb(env.ctx.db);
  const id = await repo.insertQueuedImport(db, {
    organizationId: library,
    filename: `${name}.mrc`,
    format: 'auto',
    createdBy: null,
    createdAt: new Date(),
  });
  await repo.insertImportFile(db, {
    importId: id,
    organizationId: library,
    storedName: `${name}.upload`,
    sizeBytes: 26,
    holdings: null,
    encoding: null,
  });
  if (status === 'queued') await enqueueJob(env.ctx.db, repo.CATALOG_IMPORT_QUEUE, { importId: id });
  else await sql`update catalog_imports set status = ${status} where id = ${id}`.execute(env.ctx.db);
  return id;
}

const removedAt = async (importId: string) =>
  (
    await repo
      .importsDb(env.ctx.db)
      .selectFrom('catalog_import_files')
      .select('removed_at')
      .where('import_id', '=', importId)
      .executeTakeFirstOrThrow()
  ).removed_at;

describe('sweeping the import directory at start', () => {
  it('removes the uploads no import will read, and keeps those of runs waiting and uploads on their way', async () => {
    const orphan = upload('orphan', UPLOAD_GRACE_MS + 60_000);
    const arriving = upload('arriving', 1_000);
    const queued = upload('queued');
    const queuedRun = await runOf('queued', 'queued');
    const done = upload('done');
    const doneRun = await runOf('done', 'done');
    const interrupted = upload('interrupted');
    // Running, but nobody holds its lock and no job will run it again: its process died.
    const interruptedRun = await runOf('interrupted', 'running');
    const other = path.join(dir, 'notes.txt');
    fs.writeFileSync(other, 'not an upload');

    expect(await sweepImportFiles(env.ctx)).toBe(3);
    expect([orphan, arriving, queued, done, interrupted, other].map((f) => fs.existsSync(f))).toEqual([
      false,
      true,
      true,
      false,
      false,
      true,
    ]);
    expect(await removedAt(doneRun)).not.toBeNull();
    expect(await removedAt(interruptedRun)).not.toBeNull();
    expect(await removedAt(queuedRun)).toBeNull();
    expect(await sweepImportFiles(env.ctx)).toBe(0);
  });
});
