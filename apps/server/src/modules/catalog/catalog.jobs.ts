import type { AppContext } from '../../platform/context/context.js';
import { enqueueJob } from '../../platform/jobs/queue.js';
import { seedCatalogDemo } from './catalog.seed.js';
import { registerImportJobs } from './imports.jobs.js';

export const DEMO_CATALOG_QUEUE = 'catalog.seed-demo';

type Network = { libraries: Record<string, string>; branches: Record<string, Record<string, string>> };

/** Registers the catalog module's job handlers. */
export function registerCatalogJobs(ctx: AppContext): void {
  // Re-running after a crash is safe: records are keyed by their 001, so nothing doubles.
  ctx.jobs.register(
    DEMO_CATALOG_QUEUE,
    async (payload) => {
      await seedCatalogDemo(ctx, payload as unknown as Network);
      ctx.logger.info('demo catalogue loaded');
    },
    { lane: 'long' },
  );
  registerImportJobs(ctx);
}

/** Queues the demo catalogue, so the server is ready before the catalogue is filled. */
export async function queueDemoCatalog(ctx: AppContext, network: Network): Promise<void> {
  await enqueueJob(ctx.db, DEMO_CATALOG_QUEUE, network as unknown as Record<string, unknown>, {
    dedupeKey: 'demo',
    maxAttempts: 3,
  });
}
