import { MATCH_REASONS, type ClusterDecisionResult } from '@athenaeum/contracts';
import type { AppContext } from '../../../platform/context/context.js';
import type { Principal } from '../../../platform/auth/principal.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { AppError } from '../../../platform/errors.js';
import { CatalogErrors } from '../catalog.errors.js';
import { catalogDb } from '../catalog.repository.js';
import * as repo from './clustering.repository.js';
import { curatorLibrary, inDecision, refreshDecided, workNotFound } from './clustering.service.js';

/**
 * Moves every record of a work into another, by a staff decision: all records of the merged
 * work are pinned (re-imports keep them together), the emptied work is removed by the refresh
 * that rebuilds the other in the same transaction, and the decision is written with who made it
 * and an audit entry.
 */
export async function mergeWorks(
  ctx: AppContext,
  principal: Principal,
  workId: string,
  intoWorkId: string,
): Promise<ClusterDecisionResult> {
  if (workId === intoWorkId) {
    throw new AppError(CatalogErrors.CATALOG_MERGE_SAME_WORK, `Work ${workId} cannot be merged into itself.`);
  }
  // Checked before the transaction: the embedded database runs one connection at a time, and
  // the roles are read through the accounts module's own connection.
  const libraryId = await curatorLibrary(ctx, catalogDb(ctx.db), principal, [workId, intoWorkId]);
  return inDecision(ctx, [workId, intoWorkId], async (trx, locked) => {
    for (const id of [workId, intoWorkId]) if (!locked.get(id)) throw workNotFound(id);
    const moved = await repo.moveRecords(trx, {
      fromWorkId: workId,
      toWorkId: intoWorkId,
      recordIds: 'all',
      reason: MATCH_REASONS.mergedIn,
    });
    await repo.pinRecords(trx, intoWorkId);
    const decision = await repo.insertDecision(trx, {
      kind: 'merge',
      fromWorkId: workId,
      toWorkId: intoWorkId,
      recordIds: moved,
      decidedBy: principal.personId,
    });
    await refreshDecided(trx, [workId, intoWorkId]);
    await recordAudit(trx, {
      organizationId: libraryId,
      actorId: principal.personId,
      action: 'catalog.work.merge',
      subject: { workId, intoWorkId, recordIds: moved, decision },
    });
    return {
      decision: {
        id: decision,
        kind: 'merge' as const,
        fromWorkId: workId,
        toWorkId: intoWorkId,
        recordIds: moved,
        decidedBy: principal.personId,
        decidedAt: new Date().toISOString(),
      },
      fromWorkId: workId,
      toWorkId: intoWorkId,
      moved: moved.length,
    };
  });
}
