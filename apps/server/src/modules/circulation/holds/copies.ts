// Copies for holds and inter-library loans: the catalog module's copies, less those that an open
// hold or loan between libraries has already taken (circulation's own tables).
import type { AnyDb } from '../../../platform/db/database.js';
import { copiesOfWork, copyById, libraryHoldsWork, workTitles, type CopyRow } from '../../catalog/index.js';
import { holdsDb, takenCopyIds } from './holds.repository.js';

export { copyById, libraryHoldsWork, workTitles, type CopyRow };

/**
 * Available copies of a work (or the one copy of an item-level hold) at the given libraries that
 * no open hold holds and no open inter-library loan has taken.
 */
export async function freeCopies(
  db: AnyDb,
  where: { workId: string; itemId: string | null; recordIds: string[] | null; libraryIds: string[] },
): Promise<CopyRow[]> {
  const copies = await copiesOfWork(db, { ...where, status: 'available' });
  if (!copies.length) return copies;
  const taken = await takenCopyIds(
    holdsDb(db),
    copies.map((c) => c.id),
  );
  return copies.filter((c) => !taken.has(c.id));
}
