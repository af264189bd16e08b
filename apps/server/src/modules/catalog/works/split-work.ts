import { MATCH_REASONS, type ClusterDecisionResult } from '@athenaeum/contracts';
import type { AppContext } from '../../../platform/context/context.js';
import type { Principal } from '../../../platform/auth/principal.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { AppError } from '../../../platform/errors.js';
import { CatalogErrors } from '../catalog.errors.js';
import { catalogDb } from '../catalog.repository.js';
import { uuidV7 } from '../import/uuid-v7.js';
import * as repo from './clustering.repository.js';
import { curatorLibrary, inDecision, refreshDecided, workNotFound } from './clustering.service.js';

/**
 * Moves some records of a work to a new work, by a staff decision: the moved records and those
 * left behind are pinned (re-imports keep them where staff put them), both works are rebuilt in
 * the same transaction, and the decision is written with who made it and an audit entry.
 */
export async function splitWork(
  ctx: AppContext,
  principal: Principal,
  workId: string,
  recordIds: readonly string[],
): Promise<ClusterDecisionResult> {
  const requested = [...new Set(recordIds)];
  // Checked before the transaction: the embedded database runs one connection at a time, and
  // the roles are read through the accounts module's own connection.
  const libraryId = await curatorLibrary(ctx, catalogDb(ctx.db), principal, [workId]);
  return inDecision(ctx, [workId], async (trx, locked) => {
    if (!locked.get(workId)) throw workNotFound(workId);
    const live = new Set((await repo.liveRecordsOf(trx, workId)).map((r) => r.id));
    const unknown = requested.filter((id) => !live.has(id));
    if (unknown.length) {
      throw new AppError(
        CatalogErrors.CATALOG_SPLIT_UNKNOWN_RECORDS,
        `${unknown.length} of the records are not live records of work ${workId}: ${unknown.slice(0, 5).join(', ')}.`,
        { recordIds: unknown },
      );
    }
    if (requested.length >= live.size) {
      throw new AppError(
        CatalogErrors.CATALOG_SPLIT_ALL_RECORDS,
        `The work has ${live.size} record(s); a split must leave at least one of them in it.`,
      );
    }
    const newWorkId = uuidV7();
    await repo.insertWorkLike(trx, newWorkId, requested[0]!);
    const moved = await repo.moveRecords(trx, {
      fromWorkId: workId,
      toWorkId: newWorkId,
      recordIds: requested,
      reason: MATCH_REASONS.splitOff,
    });
    await repo.pinRecords(trx, workId);
    const decision = await repo.insertDecision(trx, {
      kind: 'split',
      fromWorkId: workId,
      toWorkId: newWorkId,
      recordIds: moved,
      decidedBy: principal.personId,
    });
    await refreshDecided(trx, [workId, newWorkId]);
    await recordAudit(trx, {
      organizationId: libraryId,
      actorId: principal.personId,
      action: 'catalog.work.split',
      subject: { workId, newWorkId, recordIds: moved, decision },
    });
    return {
      decision: {
        id: decision,
        kind: 'split' as const,
        fromWorkId: workId,
        toWorkId: newWorkId,
        recordIds: moved,
        decidedBy: principal.personId,
        decidedAt: new Date().toISOString(),
      },
      fromWorkId: workId,
      toWorkId: newWorkId,
      moved: moved.length,
    };
  });
}
