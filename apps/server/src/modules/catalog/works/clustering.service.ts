import type { ClusterDecision, WorkClustering } from '@athenaeum/contracts';
import type { AppContext } from '../../../platform/context/context.js';
import type { Principal } from '../../../platform/auth/principal.js';
import { AppError } from '../../../platform/errors.js';
import { rolesAt } from '../../accounts/index.js';
import { CatalogErrors } from '../catalog.errors.js';
import { catalogDb, lockClustering, refreshWorks, type CatalogDb } from '../catalog.repository.js';
import * as repo from './clustering.repository.js';

export const workNotFound = (id: string) =>
  new AppError(CatalogErrors.CATALOG_WORK_NOT_FOUND, `There is no work with id ${id}.`);

/**
 * The library through which the principal may change the clustering of these works: one where
 * they are staff or admin now (an API token: within its scopes) and which holds a live record of
 * one of them; null for a platform administrator. Refuses everyone else, whoever made an earlier
 * decision on the works: a past decision grants nothing once the role is gone.
 */
export async function curatorLibrary(
  ctx: AppContext,
  db: CatalogDb,
  principal: Principal,
  workIds: string[],
): Promise<string | null> {
  const libraries = await repo.librariesOf(db, workIds);
  if (libraries.length === 0) throw workNotFound(workIds[0]!);
  if (principal.isPlatformAdmin) return null;
  for (const libraryId of libraries) {
    const roles = await rolesAt(ctx, principal, libraryId);
    if (roles.some((r) => r === 'staff' || r === 'admin')) return libraryId;
  }
  throw new AppError(
    CatalogErrors.CATALOG_NOT_CATALOGUE_STAFF,
    'Only staff of a library holding a record of this work may review or change its clustering.',
  );
}

export const decisionView = (d: repo.DecisionRow): ClusterDecision => ({
  id: d.decision,
  kind: d.kind,
  fromWorkId: d.from_work_id,
  toWorkId: d.to_work_id,
  recordIds: d.record_ids,
  decidedBy: d.decided_by,
  decidedAt: new Date(d.decided_at).toISOString(),
});

/** A work's records as staff review its clustering (library, score, reason, pinned) and its decisions. */
export async function getClustering(ctx: AppContext, principal: Principal, workId: string): Promise<WorkClustering> {
  const db = catalogDb(ctx.db);
  const work = await repo.findWork(db, workId);
  if (!work || work.record_count === 0) throw workNotFound(workId);
  await curatorLibrary(ctx, db, principal, [workId]);
  const [records, decisions] = await Promise.all([repo.liveRecordsOf(db, workId), repo.decisionsOf(db, workId)]);
  return {
    workId,
    title: work.title,
    records: records.map((r) => ({
      id: r.id,
      libraryId: r.organization_id,
      title: r.fields.title,
      author: r.fields.authors[0]?.name ?? null,
      year: r.fields.year,
      edition: r.fields.edition,
      isbns: r.fields.isbns,
      languages: r.fields.languages,
      matchScore: r.match_score,
      matchReason: r.match_reason,
      pinned: r.work_pinned,
    })),
    decisions: decisions.map(decisionView),
  };
}

/**
 * Runs a staff decision in one transaction: imports' clustering batches wait (the clustering
 * lock), then the works are locked in id order, so decisions on the same works run one after
 * the other and see each other's results.
 */
export async function inDecision<T>(
  ctx: AppContext,
  workIds: string[],
  run: (trx: CatalogDb, locked: Map<string, number>) => Promise<T>,
): Promise<T> {
  return catalogDb(ctx.db)
    .transaction()
    .execute(async (trx) => {
      await lockClustering(trx);
      const locked = new Map((await repo.lockWorks(trx, workIds)).map((w) => [w.id, w.record_count]));
      return run(trx, locked);
    });
}

/** Rebuilds both works of a decision (facets, search vectors, matching keys) in its transaction. */
export async function refreshDecided(trx: CatalogDb, workIds: string[]): Promise<void> {
  await refreshWorks(trx, workIds);
  // Marks left by an import for these works are now done (a later "added" would count twice).
  await repo.clearRefreshMarks(trx, workIds);
}
