import type { PatronData, PatronDataExport, PatronDeletion } from '@athenaeum/contracts';
import type { AppContext } from '../../../platform/context/context.js';
import { AppError } from '../../../platform/errors.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { describeItems } from '../../catalog/index.js';
import { CirculationErrors } from '../circulation.errors.js';
import { isoDay, type PatronRow } from '../circulation.repository.js';
import { cancelHold, forgetClosedHolds, forgetFinishedRequests, holdsDb } from '../holds/index.js';
import { finesForExport, openFinesOf } from '../fines/fines.service.js';
import * as repo from './privacy.repository.js';

const iso = (d: Date | string) => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null) => (d === null ? null : iso(d));

// `staffOf`: the library whose staff ask; they see its own loans and fines only (a network patron's
// loans and fines at other libraries stay those libraries' data). The patron's own download has all.
async function collect(ctx: AppContext, patron: PatronRow, staffOf?: string): Promise<PatronData> {
  const db = repo.privacyDb(ctx.db);
  const [blocks, allLoans, holds, prefs, fines] = await Promise.all([
    repo.allBlocks(db, patron.id),
    repo.loansOf(db, patron.id),
    repo.holdsOf(db, patron.id),
    repo.notificationPrefsOf(db, patron.id),
    finesForExport(ctx, patron.id, staffOf),
  ]);
  const loans = allLoans.filter((l) => !staffOf || l.organization_id === staffOf);
  const items = await describeItems(
    ctx.db,
    loans.map((l) => l.item_id),
  );
  const loan = (l: (typeof loans)[number]) => {
    const item = items.get(l.item_id);
    return {
      id: l.id,
      item: { id: l.item_id, barcode: item?.barcode ?? '', title: item?.title ?? null, author: item?.author ?? null },
      branchId: l.branch_id,
      checkedOutAt: iso(l.checked_out_at),
      dueAt: iso(l.due_at),
      renewals: l.renewals,
      returnedAt: isoOrNull(l.returned_at),
    };
  };
  return {
    patron: {
      id: patron.id,
      libraryId: patron.organization_id,
      personId: patron.person_id,
      cardNumber: patron.card_number,
      category: patron.category as PatronData['patron']['category'],
      givenName: patron.given_name,
      familyName: patron.family_name,
      email: patron.email,
      preferredLanguage: patron.preferred_language,
      expiresOn: isoDay(patron.expires_on),
      status: patron.status,
      keepHistory: patron.keep_history,
      // The right of access covers staff notes too (docs/ARCHITECTURE.md, privacy).
      staffNotes: patron.staff_notes,
      createdAt: iso(patron.created_at),
    },
    blocks: blocks.map((b) => ({
      id: b.id,
      reason: b.reason,
      blockedBy: b.blocked_by,
      blockedAt: iso(b.blocked_at),
      liftedAt: isoOrNull(b.lifted_at),
    })),
    openLoans: loans.filter((l) => l.returned_at === null).map(loan),
    // Ended loans keep their patron only while the patron keeps a history.
    readingHistory: loans.filter((l) => l.returned_at !== null).map(loan),
    holds: holds.map((h) => ({
      id: h.id,
      status: h.status,
      level: h.level,
      workId: h.work_id,
      itemId: h.item_id,
      pickupBranchId: h.pickup_branch_id,
      placedAt: iso(h.placed_at),
      closedAt: isoOrNull(h.closed_at),
    })),
    notificationChoices: prefs
      ? {
          holdReady: prefs.hold_ready,
          pickupReminder: prefs.pickup_reminder,
          dueSoon: prefs.due_soon,
          overdue: prefs.overdue,
          illStatus: prefs.ill_status,
          dueSoonDays: prefs.due_soon_days,
        }
      : null,
    fines,
  };
}

async function exportOf(ctx: AppContext, patrons: PatronRow[], staffOf?: string): Promise<PatronDataExport> {
  const records: PatronData[] = [];
  for (const p of patrons) records.push(await collect(ctx, p, staffOf));
  return { generatedAt: ctx.clock.now().toISOString(), records };
}

/** All the data held about the signed-in person as a patron (optionally at one library). */
export async function myPatronData(ctx: AppContext, personId: string, libraryId?: string): Promise<PatronDataExport> {
  const patrons = await repo.patronsOfPerson(repo.privacyDb(ctx.db), personId, libraryId);
  if (patrons.length === 0) {
    throw new AppError(CirculationErrors.CIRCULATION_NOT_A_PATRON, 'You have no patron record at a library here.');
  }
  return exportOf(ctx, patrons);
}

/** The same download, produced by a library's staff for one of its patrons. */
export async function patronDataForStaff(
  ctx: AppContext,
  libraryId: string,
  patronId: string,
): Promise<PatronDataExport> {
  const patron = await repo.findPatron(repo.privacyDb(ctx.db), libraryId, patronId);
  if (!patron) throw new AppError(CirculationErrors.CIRCULATION_PATRON_NOT_FOUND, 'No such patron at this library.');
  return exportOf(ctx, [patron], libraryId);
}

/** A patron record of the person's, by id (another person's or unknown: not found). */
export async function ownPatron(ctx: AppContext, personId: string, patronId: string): Promise<PatronRow> {
  const patrons = await repo.patronsOfPerson(repo.privacyDb(ctx.db), personId);
  const patron = patrons.find((p) => p.id === patronId);
  if (!patron) throw new AppError(CirculationErrors.CIRCULATION_PATRON_NOT_FOUND, 'You have no such patron record.');
  return patron;
}

/**
 * Deletes a patron's personal data on request: refused while loans are open, an inter-library
 * loan is under way or a fine is still owed (at any library). Otherwise, under the
 * patron's row lock (check-out takes the same lock, so no loan can start meanwhile), the record is
 * anonymized and closed, ended loans lose their patron and an audit entry is written; then the open
 * holds are cancelled through the holds part.
 */
export async function deletePatronData(
  ctx: AppContext,
  libraryId: string,
  patronId: string,
  actor: { personId: string; as: 'patron' | 'staff' },
): Promise<PatronDeletion> {
  const now = ctx.clock.now();
  const unlinked = await ctx.db.transaction().execute(async (trx) => {
    const tx = repo.privacyDb(trx);
    const patron = await repo.lockPatron(tx, patronId);
    if (!patron || patron.organization_id !== libraryId || patron.card_number === `deleted-${patronId}`) {
      throw new AppError(CirculationErrors.CIRCULATION_PATRON_NOT_FOUND, 'No such patron at this library.');
    }
    const [openLoans, activeIll] = [await repo.openLoanCount(tx, patronId), await repo.activeIllCount(tx, patronId)];
    const fines = await openFinesOf(trx, patronId);
    if (openLoans > 0 || activeIll > 0 || fines.count > 0) {
      const reasons = [
        ...(openLoans > 0 ? [`${openLoans} loan(s) still open`] : []),
        ...(activeIll > 0 ? [`${activeIll} inter-library loan(s) under way`] : []),
        ...(fines.count > 0 ? [`${fines.count} fine(s) still owed`] : []),
      ];
      throw new AppError(
        CirculationErrors.CIRCULATION_DELETION_REFUSED,
        `The patron's data cannot be deleted yet: ${reasons.join('; ')}.`,
        { openLoans, activeInterLibraryLoans: activeIll, finesOwed: fines.count, amountOwed: fines.owed },
      );
    }
    const count = await repo.unlinkEndedLoans(tx, patronId);
    await repo.anonymizePatron(tx, patronId, now);
    // Anonymized, the patron keeps no history: closed holds and finished ILL requests forget them too.
    await forgetClosedRequests(trx, patronId);
    await recordAudit(trx, {
      organizationId: libraryId,
      actorId: actor.personId,
      action: 'circulation.patron.deleted',
      subject: { patronId, requestedBy: actor.as, historyLoansUnlinked: count },
    });
    return count;
  });
  let cancelled = 0;
  for (const holdId of await repo.openHoldIds(repo.privacyDb(ctx.db), patronId)) {
    await cancelHold(ctx, holdId, { patronIds: [patronId] }, 'patron data deleted');
    cancelled++;
  }
  return { patronId, anonymized: true, holdsCancelled: cancelled, historyLoansUnlinked: unlinked };
}

/** Closed holds and finished inter-library loans forget a patron who keeps no reading history. */
async function forgetClosedRequests(trx: Parameters<typeof holdsDb>[0], patronId: string): Promise<void> {
  await forgetClosedHolds(holdsDb(trx), { patronId });
  await forgetFinishedRequests(holdsDb(trx), { patronId });
}

/**
 * Turns the reading history on or off; off forgets the ended loans, closed holds and finished
 * inter-library loans kept so far.
 */
export async function setReadingHistory(
  ctx: AppContext,
  patron: PatronRow,
  keep: boolean,
): Promise<{ keepHistory: boolean; historyLoansUnlinked: number }> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const tx = repo.privacyDb(trx);
    await repo.setKeepHistory(tx, patron.id, keep, now);
    const unlinked = keep ? 0 : await repo.unlinkEndedLoans(tx, patron.id);
    if (!keep) await forgetClosedRequests(trx, patron.id);
    return { keepHistory: keep, historyLoansUnlinked: unlinked };
  });
}
