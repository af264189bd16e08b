import type { AppContext } from '../../platform/context/context.js';
import type { AnyDb } from '../../platform/db/database.js';
import { enqueueJob } from '../../platform/jobs/queue.js';

export const QUARANTINE_QUEUE = 'circulation.release-quarantine';

/**
 * Queues a release for when a quarantine ends, in the check-in's transaction. The job runs when
 * that much time has passed on the queue's clock and releases every copy whose quarantine has
 * ended by the app clock, so any number of releases (or a late one) end in the same state.
 */
export async function scheduleQuarantineRelease(ctx: AppContext, tx: AnyDb, until: Date): Promise<void> {
  const delayMs = Math.max(0, until.getTime() - ctx.clock.now().getTime());
  await enqueueJob(tx, QUARANTINE_QUEUE, {}, { runAt: new Date(Date.now() + delayMs), maxAttempts: 10 });
}
