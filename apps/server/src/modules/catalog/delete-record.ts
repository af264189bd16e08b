import type { AppContext } from '../../platform/context/context.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError, PlatformErrors } from '../../platform/errors.js';
import { rolesAt } from '../accounts/index.js';
import { CatalogErrors } from './catalog.errors.js';
import { catalogDb, refreshWorks } from './catalog.repository.js';
import * as repo from './export.repository.js';

/**
 * Deletes a record from its library's catalogue. The row stays, marked deleted, so OAI-PMH
 * harvesters learn of the deletion (deletedRecord "persistent"); its work is recomputed from the
 * records left. Only staff or admins of the record's library may do it.
 */
export async function deleteRecord(ctx: AppContext, principal: Principal, id: string): Promise<void> {
  const db = catalogDb(ctx.db);
  const row = await repo.findRecord(db, id);
  if (!row) throw new AppError(CatalogErrors.CATALOG_RECORD_NOT_FOUND, `There is no record with id ${id}.`);
  if (!principal.isPlatformAdmin) {
    const roles = await rolesAt(ctx, principal, row.organization_id);
    if (!roles.some((r) => r === 'staff' || r === 'admin')) {
      throw new AppError(PlatformErrors.FORBIDDEN, "Only staff of the record's library may delete it.");
    }
  }
  await db.transaction().execute(async (trx) => {
    const deleted = await repo.markDeleted(trx, id);
    if (!deleted) throw new AppError(CatalogErrors.CATALOG_RECORD_DELETED, `The record ${id} was already deleted.`);
    await refreshWorks(trx, [deleted.work_id]);
  });
}

/**
 * Deletes a library's records by their control number (001, in records without an 003), as a
 * harvest applies the deletions its source reports. Returns how many live records it deleted.
 */
export async function deleteRecordsByControlNumbers(
  ctx: AppContext,
  libraryId: string,
  controlNumbers: readonly string[],
): Promise<number> {
  if (controlNumbers.length === 0) return 0;
  return catalogDb(ctx.db)
    .transaction()
    .execute(async (trx) => {
      const deleted = await repo.markDeletedByKeys(
        trx,
        libraryId,
        controlNumbers.map((n) => `-/${n}`),
      );
      await refreshWorks(
        trx,
        deleted.map((d) => d.work_id),
      );
      return deleted.length;
    });
}
