import type { AppContext } from '../../platform/context/context.js';
import { registerHoldsJobs } from './holds/index.js';
import { releaseDueQuarantines } from './quarantine.js';
import { QUARANTINE_QUEUE } from './quarantine-schedule.js';

/** Registers the circulation module's job handlers. */
export function registerCirculationJobs(ctx: AppContext): void {
  // Holds: notices, hold expiry and the periodic sweep.
  registerHoldsJobs(ctx);
  ctx.jobs.register(QUARANTINE_QUEUE, async () => {
    const released = await releaseDueQuarantines(ctx);
    if (released) ctx.logger.info({ released }, 'items released from quarantine');
  });
}
