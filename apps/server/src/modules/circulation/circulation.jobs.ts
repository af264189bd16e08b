import type { AppContext } from '../../platform/context/context.js';
import { releaseDueQuarantines } from './quarantine.js';
import { QUARANTINE_QUEUE } from './quarantine-schedule.js';

/** Registers the circulation module's job handlers. */
export function registerCirculationJobs(ctx: AppContext): void {
  ctx.jobs.register(QUARANTINE_QUEUE, async () => {
    const released = await releaseDueQuarantines(ctx);
    if (released) ctx.logger.info({ released }, 'items released from quarantine');
  });
}
