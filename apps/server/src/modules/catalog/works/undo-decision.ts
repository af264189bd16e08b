import { MATCH_REASONS, type ClusterDecisionResult } from '@athenaeum/contracts';
import type { AppContext } from '../../../platform/context/context.js';
import type { Principal } from '../../../platform/auth/principal.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { AppError } from '../../../platform/errors.js';
import { CatalogErrors } from '../catalog.errors.js';
import { catalogDb } from '../catalog.repository.js';
import * as repo from './clustering.repository.js';
import { curatorLibrary, inDecision, refreshDecided } from './clustering.service.js';

/**
 * Undoes a work's newest staff decision while it is clean: its records move back from the work
 * it put them in to the one they came from (recreated with its old id after a merge), pinned,
 * as a new decision of the opposite kind noted as an undo. Refused when a later decision touched
 * either work, or when any of its records has moved or been deleted since.
 */
export async function undoDecision(
  ctx: AppContext,
  principal: Principal,
  workId: string,
  decisionId: string,
): Promise<ClusterDecisionResult> {
  const db = catalogDb(ctx.db);
  const decision = await repo.findDecision(db, decisionId);
  if (!decision || !decision.from_work_id || (decision.from_work_id !== workId && decision.to_work_id !== workId)) {
    throw new AppError(
      CatalogErrors.CATALOG_DECISION_NOT_FOUND,
      `Work ${workId} has no clustering decision ${decisionId}.`,
    );
  }
  const back = decision.from_work_id;
  const from = decision.to_work_id;
  const libraryId = await curatorLibrary(ctx, db, principal, [back, from]);
  return inDecision(ctx, [back, from], async (trx) => {
    if ((await repo.latestDecisionOn(trx, [back, from])) !== decision.decision) {
      throw new AppError(
        CatalogErrors.CATALOG_DECISION_NOT_LATEST,
        `A later decision changed works ${back} or ${from}; undo it first.`,
      );
    }
    if (!(await repo.workExists(trx, back))) await repo.insertWorkLike(trx, back, decision.record_ids[0]!);
    const moved = await repo.moveRecords(trx, {
      fromWorkId: from,
      toWorkId: back,
      recordIds: decision.record_ids,
      reason: decision.kind === 'split' ? MATCH_REASONS.splitUndone : MATCH_REASONS.mergeUndone,
    });
    if (moved.length !== decision.record_ids.length) {
      throw new AppError(
        CatalogErrors.CATALOG_DECISION_NOT_CLEAN,
        `${decision.record_ids.length - moved.length} record(s) of decision ${decisionId} are no longer in work ${from}.`,
      );
    }
    const kind = decision.kind === 'split' ? ('merge' as const) : ('split' as const);
    const undo = await repo.insertDecision(trx, {
      kind,
      fromWorkId: from,
      toWorkId: back,
      recordIds: moved,
      decidedBy: principal.personId,
      note: `undo of decision ${decision.decision}`,
    });
    await refreshDecided(trx, [back, from]);
    await recordAudit(trx, {
      organizationId: libraryId,
      actorId: principal.personId,
      action: 'catalog.work.undo',
      subject: { undone: decision.decision, decision: undo, fromWorkId: from, toWorkId: back, recordIds: moved },
    });
    return {
      decision: {
        id: undo,
        kind,
        fromWorkId: from,
        toWorkId: back,
        recordIds: moved,
        decidedBy: principal.personId,
        decidedAt: new Date().toISOString(),
      },
      fromWorkId: from,
      toWorkId: back,
      moved: moved.length,
    };
  });
}
