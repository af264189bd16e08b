import type { AppContext } from '../../platform/context/context.js';
import { CATALOG_IMPORT_QUEUE, runUploadedImport } from './imports.service.js';

/** Registers the job that imports files uploaded from the staff web app. */
export function registerImportJobs(ctx: AppContext): void {
  ctx.jobs.register(
    CATALOG_IMPORT_QUEUE,
    async (payload, job) => {
      await runUploadedImport(ctx, String(payload.importId), job);
    },
    { lane: 'long' },
  );
}
