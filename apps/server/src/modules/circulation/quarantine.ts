import { ITEM_CHANGE_REASONS } from '@athenaeum/contracts';
import { lockItem } from '../catalog/index.js';
import type { AppContext } from '../../platform/context/context.js';
import * as repo from './circulation.repository.js';
import { placeFreedItem } from './loans.service.js';

/**
 * Releases every copy whose quarantine has ended by the app clock: it then fills a waiting hold,
 * or becomes available at home, or goes in transit home. Returns how many were released.
 */
export async function releaseDueQuarantines(ctx: AppContext, batch = 100): Promise<number> {
  const db = repo.circulationDb(ctx.db);
  let released = 0;
  for (;;) {
    const now = ctx.clock.now();
    const due = await repo.dueQuarantines(db, now, batch);
    for (const entry of due) {
      await db.transaction().execute(async (tx) => {
        const item = await lockItem(tx, entry.item_id);
        const state = await repo.getItemState(tx, entry.item_id);
        if (!item || !state?.quarantine_until || state.quarantine_until > now) return;
        if (item.status !== 'in_quarantine') {
          // Marked lost or the like meanwhile: nothing to release, only the stale date to clear.
          await repo.setItemState(tx, { ...state, quarantine_until: null, updated_at: now });
          return;
        }
        await placeFreedItem(ctx, tx, item, state.at_branch_id ?? item.homeBranchId ?? item.libraryId, {
          actorId: null,
          now,
          reason: ITEM_CHANGE_REASONS.quarantineEnded,
        });
        released++;
      });
    }
    if (due.length < batch) return released;
  }
}
