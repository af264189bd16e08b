import type { MarcRecord } from '@athenaeum/marc';
import type { AppContext } from '../../../platform/context/context.js';
import * as repo from '../catalog.repository.js';
import { prepareRecord } from './prepare-record.js';

export interface RenormalizeProgress {
  /** Records read so far. */
  processed: number;
  /** Records whose normalized fields changed (and whose works are refreshed). */
  changed: number;
  /** Records that can no longer be normalized (their MARC is kept as it is); each with its id and reason. */
  failed: number;
}

const PAGE = 500;

/**
 * Derives the normalized fields of stored records again from the MARC they keep, as the current
 * code normalizes it: what a change of normalization or text analysis (new 880 forms, new letter
 * folding) needs to reach records imported before it. The record's source, MARC, content hash,
 * work and match stay; only what is derived from the MARC is written, and only where it differs.
 * The works of changed records are rebuilt (matching keys included). Live and deleted records of
 * one library (or all), in id order, a page per transaction.
 */
export async function renormalizeRecords(
  ctx: AppContext,
  options: {
    libraryId?: string;
    onProgress?: (p: RenormalizeProgress) => void;
    onFailure?: (failure: { recordId: string; reason: string }) => void;
  } = {},
): Promise<RenormalizeProgress> {
  const db = repo.catalogDb(ctx.db);
  const progress: RenormalizeProgress = { processed: 0, changed: 0, failed: 0 };
  let after: string | null = null;
  for (;;) {
    const page: number = await db.transaction().execute(async (trx) => {
      // Beside import batches and staff edits, as they take it: a record is not changed under them.
      await repo.lockClustering(trx, { bulk: true });
      const rows = await repo.recordsToRenormalize(trx, { libraryId: options.libraryId, after, limit: PAGE });
      const updates: repo.RenormalizedValues[] = [];
      for (const row of rows) {
        try {
          const prepared = prepareRecord(row.marc as MarcRecord, JSON.stringify(row.marc), row.flavour, '', {
            flavour: row.flavour,
            holdings: null,
          });
          updates.push({
            id: row.id,
            workId: row.work_id,
            fieldsJson: prepared.fieldsJson,
            year: prepared.year,
            materialType: prepared.materialType,
            languages: prepared.languages,
            clusterKeys: prepared.keys.identifiers,
            titleAuthorKey: prepared.keys.titleAuthor,
            subjectFacets: prepared.subjectFacets,
            searchDocJson: prepared.searchDocJson,
          });
        } catch (error) {
          progress.failed++;
          options.onFailure?.({ recordId: row.id, reason: (error as Error).message });
        }
      }
      const changedWorks = await repo.updateRenormalized(trx, updates);
      await repo.markWorksForRefresh(
        trx,
        changedWorks.map((w) => ({ workId: w.workId, added: [], rekey: true })),
      );
      progress.changed += changedWorks.reduce((n, w) => n + w.records, 0);
      progress.processed += rows.length;
      after = rows.at(-1)?.id ?? after;
      return rows.length;
    });
    options.onProgress?.({ ...progress });
    if (page < PAGE) break;
  }
  while ((await repo.refreshPendingWorks(db, 2000)) > 0) {
    // next chunk of works
  }
  return progress;
}
