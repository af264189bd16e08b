import type { LinkedPatron, MyLoan } from '@athenaeum/contracts';
import type { AppContext } from '../../../platform/context/context.js';
import { AppError } from '../../../platform/errors.js';
import { CirculationErrors } from '../circulation.errors.js';
import * as holds from '../holds/index.js';
import { listLoans, renewLoan } from '../loans.service.js';
import * as repo from './guardians.repository.js';

type Row = { id: string; organization_id: string; given_name: string; family_name: string; card_number: string };

const present = (r: Row): LinkedPatron => ({
  id: r.id,
  libraryId: r.organization_id,
  givenName: r.given_name,
  familyName: r.family_name,
  cardNumber: r.card_number,
});

const notFound = () => new AppError(CirculationErrors.CIRCULATION_PATRON_NOT_FOUND, 'No such patron at this library.');

/** Makes one patron of a library the guardian of another (staff); linking twice is harmless. */
export async function linkGuardian(
  ctx: AppContext,
  libraryId: string,
  childId: string,
  guardianId: string,
  actorId: string | null,
): Promise<LinkedPatron[]> {
  if (childId === guardianId) {
    throw new AppError(CirculationErrors.CIRCULATION_GUARDIAN_SELF, 'A patron cannot be their own guardian.');
  }
  const db = repo.guardiansDb(ctx.db);
  if (!(await repo.findPatron(db, libraryId, childId))) throw notFound();
  if (!(await repo.findPatron(db, libraryId, guardianId))) {
    throw new AppError(CirculationErrors.CIRCULATION_PATRON_NOT_FOUND, 'The guardian has no patron record here.');
  }
  await repo.link(db, {
    organization_id: libraryId,
    child_patron_id: childId,
    guardian_patron_id: guardianId,
    created_by: actorId,
  });
  return (await repo.guardiansOf(db, libraryId, childId)).map(present);
}

/** The guardians of a library's patron. */
export async function guardiansOf(ctx: AppContext, libraryId: string, childId: string): Promise<LinkedPatron[]> {
  const db = repo.guardiansDb(ctx.db);
  if (!(await repo.findPatron(db, libraryId, childId))) throw notFound();
  return (await repo.guardiansOf(db, libraryId, childId)).map(present);
}

/** Ends a guardian link (staff). */
export async function unlinkGuardian(ctx: AppContext, libraryId: string, childId: string, guardianId: string) {
  if (!(await repo.unlink(repo.guardiansDb(ctx.db), libraryId, childId, guardianId))) throw notFound();
}

/** The child patrons the signed-in person is a guardian of. */
export async function myChildren(ctx: AppContext, personId: string): Promise<LinkedPatron[]> {
  return (await repo.childrenOfPerson(repo.guardiansDb(ctx.db), personId)).map(present);
}

async function myChild(ctx: AppContext, personId: string, childId: string): Promise<LinkedPatron> {
  const child = (await myChildren(ctx, personId)).find((c) => c.id === childId);
  // Anyone who is not a guardian of this patron learns nothing about them.
  if (!child)
    throw new AppError(CirculationErrors.CIRCULATION_PATRON_NOT_FOUND, 'You are not a guardian of this patron.');
  return child;
}

const mine = (l: MyLoan): MyLoan => ({
  id: l.id,
  libraryId: l.libraryId,
  item: l.item,
  checkedOutAt: l.checkedOutAt,
  dueAt: l.dueAt,
  timeZone: l.timeZone,
  renewals: l.renewals,
  renewalsAllowed: l.renewalsAllowed,
});

/** A child's open loans, for their guardian. */
export async function childLoans(ctx: AppContext, personId: string, childId: string): Promise<MyLoan[]> {
  const child = await myChild(ctx, personId, childId);
  const page = await listLoans(ctx, child.libraryId, { patronId: child.id, open: true, page: 1, pageSize: 100 });
  return page.items.map(mine);
}

/** Renews one of a child's loans for their guardian (the desk's rules apply). */
export async function renewChildLoan(ctx: AppContext, personId: string, childId: string, loanId: string) {
  const child = await myChild(ctx, personId, childId);
  const loan = await repo.openLoanOf(repo.guardiansDb(ctx.db), loanId, child.id);
  if (!loan) throw new AppError(CirculationErrors.CIRCULATION_LOAN_NOT_FOUND, 'The patron has no such open loan.');
  return mine(await renewLoan(ctx, { libraryId: child.libraryId, loanId }));
}

/** A child's holds (open ones, or closed ones), for their guardian. */
export async function childHolds(ctx: AppContext, personId: string, childId: string, open: boolean) {
  const child = await myChild(ctx, personId, childId);
  return holds.presentHolds(ctx.db, await holds.holdsOfPatrons(holds.holdsDb(ctx.db), [child.id], open));
}

/** Places a hold for a child at the child's library (the hold rules of the child's card apply). */
export async function placeChildHold(
  ctx: AppContext,
  personId: string,
  childId: string,
  input: Omit<holds.PlaceHold, 'patronId' | 'actorId'>,
) {
  const child = await myChild(ctx, personId, childId);
  return holds.placeHold(ctx, { ...input, patronId: child.id, actorId: personId });
}

/** Cancels a child's hold for their guardian. */
export async function cancelChildHold(ctx: AppContext, personId: string, childId: string, holdId: string) {
  const child = await myChild(ctx, personId, childId);
  return holds.cancelHold(ctx, holdId, { patronIds: [child.id] }, null);
}

/** Suspends or resumes a child's hold, or moves its pickup, for their guardian. */
export async function changeChildHold(
  ctx: AppContext,
  personId: string,
  childId: string,
  holdId: string,
  change: holds.ChangeHold,
) {
  const child = await myChild(ctx, personId, childId);
  return holds.changeHold(ctx, holdId, { patronIds: [child.id] }, change);
}
