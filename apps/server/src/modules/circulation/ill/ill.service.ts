// Inter-library loans between libraries of a network. The borrowing library (the patron's) asks;
// the lending library approves (choosing a copy and its loan period) or declines with a reason,
// ships; the borrower receives, lends to the patron under the lender's period, takes it back and
// ships it back; the lender checks it in. Each step is allowed to one party only (ill-state.ts),
// taken with the request row locked, recorded as an event, and told to the patron.
import { illStepReason } from '@athenaeum/contracts';
import type { Principal } from '../../../platform/auth/principal.js';
import type { AppContext } from '../../../platform/context/context.js';
import { AppError } from '../../../platform/errors.js';
import { changeItemStatus, lockItem } from '../../catalog/index.js';
import * as catalogReads from '../holds/copies.js';
import { HoldsErrors } from '../holds/holds.errors.js';
import * as holdsRepo from '../holds/holds.repository.js';
import { networkOf } from '../holds/holds.service.js';
import { ensureSweep, queueNotice } from '../notifications/notify.js';
import { illActionsFor, illItemStatus, illTransition, type IllAction, type IllParty } from './ill-state.js';
import * as repo from './ill.repository.js';

const DAY_MS = 86_400_000;
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** Which parties a caller is for a request: staff at the borrowing and/or lending library, and/or its patron. */
export interface IllCaller {
  staffOf: string | null;
  patronIds: string[];
}

function partiesOf(row: repo.IllRow, caller: IllCaller): IllParty[] {
  const parties: IllParty[] = [];
  if (caller.staffOf === row.borrower_library_id) parties.push('borrower');
  if (caller.staffOf === row.lender_library_id) parties.push('lender');
  if (row.patron_id !== null && caller.patronIds.includes(row.patron_id)) parties.push('patron');
  return parties;
}

async function present(ctx: AppContext, rows: repo.IllRow[], caller: IllCaller) {
  const db = holdsRepo.holdsDb(ctx.db);
  const [titles, events] = await Promise.all([
    catalogReads.workTitles(
      ctx.db,
      rows.map((r) => r.work_id),
    ),
    repo.eventsOf(
      db,
      rows.map((r) => r.id),
    ),
  ]);
  return rows.map((r) => ({
    id: r.id,
    borrowerLibraryId: r.borrower_library_id,
    lenderLibraryId: r.lender_library_id,
    patronId: r.patron_id,
    workId: r.work_id,
    title: titles.get(r.work_id)?.title ?? null,
    itemId: r.item_id,
    status: r.status,
    note: r.note,
    declineReason: r.decline_reason,
    loanDays: r.loan_days,
    dueAt: iso(r.due_at),
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    actions: illActionsFor(r.status, partiesOf(r, caller)),
    events: events
      .filter((e) => e.request_id === r.id)
      .map((e) => ({ from: e.from_status, to: e.to_status, party: e.party, reason: e.reason, at: iso(e.at)! })),
  }));
}

/** A patron's request (their own card) or staff's on a patron's behalf (`staffOf` their library). */
export async function requestIll(
  ctx: AppContext,
  input: { patronId: string; workId: string; lenderLibraryId: string; note?: string | undefined },
  caller: IllCaller & { actorId: string | null },
) {
  const now = ctx.clock.now();
  const db = holdsRepo.holdsDb(ctx.db);
  const patron = await holdsRepo.findPatron(db, input.patronId);
  const allowed = patron && (caller.patronIds.includes(patron.id) || caller.staffOf === patron.organization_id);
  if (!patron || !allowed)
    throw new AppError(HoldsErrors.CIRCULATION_HOLD_NOT_ALLOWED, 'There is no such patron here.');
  if (patron.status !== 'active' || (await holdsRepo.hasOpenBlock(db, patron.id))) {
    throw new AppError(HoldsErrors.CIRCULATION_ILL_NOT_ALLOWED, "The patron's membership is not active or is blocked.");
  }
  if (input.lenderLibraryId === patron.organization_id) {
    throw new AppError(
      HoldsErrors.CIRCULATION_ILL_NOT_ALLOWED,
      "Ask another library than the patron's own; place a hold instead.",
    );
  }
  const network = await networkOf(ctx, patron.organization_id);
  if (!network.includes(input.lenderLibraryId)) {
    throw new AppError(HoldsErrors.CIRCULATION_ILL_NOT_ALLOWED, "The lending library is not in the patron's network.");
  }
  if (!(await catalogReads.libraryHoldsWork(ctx.db, input.lenderLibraryId, input.workId))) {
    throw new AppError(HoldsErrors.CIRCULATION_ILL_NOT_ALLOWED, 'The lending library holds no copy of this work.');
  }
  const row = await ctx.db.transaction().execute(async (trx) => {
    const tx = holdsRepo.holdsDb(trx);
    const request = await repo.insertRequest(tx, {
      borrower_library_id: patron.organization_id,
      lender_library_id: input.lenderLibraryId,
      patron_id: patron.id,
      work_id: input.workId,
      note: input.note ?? '',
      requested_by: caller.actorId,
      created_at: now,
      updated_at: now,
    });
    await repo.insertEvent(tx, {
      request_id: request.id,
      from_status: 'requested',
      to_status: 'requested',
      actor_id: caller.actorId,
      party: caller.patronIds.includes(patron.id) ? 'patron' : 'borrower',
      reason: null,
      at: now,
    });
    return request;
  });
  return (await present(ctx, [row], caller))[0]!;
}

/** Takes one step of a request, if the caller is the party it belongs to and the status allows it. */
export async function actOnIll(
  ctx: AppContext,
  requestId: string,
  step: { action: IllAction; reason?: string | undefined; itemId?: string | undefined; loanDays?: number | undefined },
  caller: IllCaller & { actorId: string | null },
) {
  const now = ctx.clock.now();
  const row = await ctx.db.transaction().execute(async (trx) => {
    const tx = holdsRepo.holdsDb(trx);
    const found = await repo.findRequest(tx, requestId);
    const parties = found ? partiesOf(found, caller) : [];
    if (!found || !parties.length)
      throw new AppError(HoldsErrors.CIRCULATION_ILL_NOT_FOUND, 'There is no such request.');
    // Lock the copy before the request (the order check-out uses: copy, then what holds it).
    const item = found.item_id ? await lockItem(tx, found.item_id) : undefined;
    const request = (await repo.lockRequest(tx, requestId))!;
    const move = illTransition(request.status, step.action, parties);
    if (!move.ok) {
      throw move.reason === 'wrong_party'
        ? new AppError(HoldsErrors.CIRCULATION_ILL_STEP_NOT_YOURS, `"${step.action}" is a step for the other library.`)
        : new AppError(
            HoldsErrors.CIRCULATION_ILL_WRONG_STATUS,
            `"${step.action}" cannot follow "${request.status}"; it follows ${move.allowedFrom.join(' or ')}.`,
            { current: request.status },
          );
    }
    const set: Partial<repo.IllRow> = { status: move.to, updated_at: now };
    let copy = item;
    if (step.action === 'decline') {
      if (!step.reason)
        throw new AppError(HoldsErrors.CIRCULATION_ILL_REASON_REQUIRED, 'Say why the request is declined.');
      set.decline_reason = step.reason;
    }
    if (step.action === 'approve') {
      let itemId = step.itemId;
      if (!itemId) {
        const free = await catalogReads.freeCopies(tx, {
          workId: request.work_id,
          itemId: null,
          recordIds: null,
          libraryIds: [request.lender_library_id],
        });
        itemId = free[0]?.id;
      }
      copy = itemId ? await lockItem(tx, itemId) : undefined;
      const free =
        copy &&
        copy.libraryId === request.lender_library_id &&
        copy.workId === request.work_id &&
        copy.status === 'available' &&
        !(await holdsRepo.lockTrapOf(tx, copy.id));
      if (!copy || !free) {
        throw new AppError(
          HoldsErrors.CIRCULATION_ILL_BAD_ITEM,
          'Choose an available copy of this work at the lending library.',
        );
      }
      // A request not yet approved always has its patron (migration 0024's check).
      const patron = await holdsRepo.findPatron(tx, request.patron_id!);
      set.item_id = copy.id;
      set.loan_days =
        step.loanDays ??
        (await holdsRepo.loanDaysOf(tx, request.lender_library_id, patron?.category ?? 'adult', copy.itemType)) ??
        21;
    }
    if (step.action === 'lend') set.due_at = new Date(now.getTime() + (request.loan_days ?? 21) * DAY_MS);
    const updated = await repo.updateRequest(tx, request.id, set);
    const itemStatus = illItemStatus(move.to);
    if (copy && itemStatus && copy.status !== itemStatus) {
      await changeItemStatus(tx, copy, itemStatus, {
        actorId: caller.actorId,
        reason: illStepReason(move.to),
        branchId: null,
        until: move.to === 'on_loan' ? updated.due_at : null,
        at: now,
      });
    }
    const party: IllParty =
      parties.includes('lender') && ['approve', 'decline', 'ship', 'check_in'].includes(step.action)
        ? 'lender'
        : parties.includes('borrower')
          ? 'borrower'
          : 'patron';
    await repo.insertEvent(tx, {
      request_id: request.id,
      from_status: request.status,
      to_status: move.to,
      actor_id: caller.actorId,
      party,
      reason: step.reason ?? null,
      at: now,
    });
    await queueNotice(tx, 'ill_status', request.id, { status: move.to });
    if (move.to === 'on_loan') await ensureSweep(tx, now);
    return updated;
  });
  return (await present(ctx, [row], caller))[0]!;
}

/**
 * After the notice of a step has been handled (sent or skipped): when that step was the request's
 * latest and ended the patron's part (returned, sent back, completed, declined, cancelled), the
 * request forgets its patron unless they keep a reading history, as an ended loan does. Done after
 * the notice, not in the step, so that the patron is still told (the notice finds them through
 * the request). Returns whether it forgot.
 */
export async function forgetFinishedIll(
  ctx: AppContext,
  requestId: string,
  noticeStatus: string | null,
): Promise<boolean> {
  return ctx.db.transaction().execute(async (trx) => {
    const tx = holdsRepo.holdsDb(trx);
    const request = await repo.lockRequest(tx, requestId);
    if (!request || (noticeStatus !== null && noticeStatus !== request.status)) return false;
    return (await repo.forgetFinishedRequests(tx, { requestId })) > 0;
  });
}

export async function getIll(ctx: AppContext, requestId: string, caller: IllCaller) {
  const row = await repo.findRequest(holdsRepo.holdsDb(ctx.db), requestId);
  if (!row || !partiesOf(row, caller).length)
    throw new AppError(HoldsErrors.CIRCULATION_ILL_NOT_FOUND, 'There is no such request.');
  return (await present(ctx, [row], caller))[0]!;
}

export async function listIllOfLibrary(
  ctx: AppContext,
  libraryId: string,
  role: 'borrower' | 'lender',
  page: { page: number; pageSize: number },
) {
  const { rows, total } = await repo.requestsOfLibrary(holdsRepo.holdsDb(ctx.db), libraryId, role, {
    limit: page.pageSize,
    offset: (page.page - 1) * page.pageSize,
  });
  return {
    items: await present(ctx, rows, { staffOf: libraryId, patronIds: [] }),
    page: page.page,
    pageSize: page.pageSize,
    total,
  };
}

export async function illOfPerson(ctx: AppContext, principal: Principal) {
  const db = holdsRepo.holdsDb(ctx.db);
  const patronIds = (await holdsRepo.patronsOfPerson(db, principal.personId)).map((p) => p.id);
  return present(ctx, await repo.requestsOfPatrons(db, patronIds), { staffOf: null, patronIds });
}
