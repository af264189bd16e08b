import {
  ITEM_CHANGE_REASONS,
  forHoldReason,
  markedReason,
  type CheckInResult,
  type ItemHistory,
  type Loan,
  type MyLoan,
} from '@athenaeum/contracts';
import {
  changeItemStatus,
  describeItems,
  findItemsByBarcode,
  itemStatusHistory,
  lockItem,
  lockItemByBarcode,
  type ItemStatus,
  type ItemSummary,
  type LockedItem,
} from '../catalog/index.js';
import { associatedLibraries, branchesOf, organizationNames } from '../accounts/index.js';
import type { AppContext } from '../../platform/context/context.js';
import type { AnyDb } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { CirculationErrors } from './circulation.errors.js';
import * as repo from './circulation.repository.js';
import type { CirculationDb, LoanRow } from './circulation.repository.js';
import { scheduleQuarantineRelease } from './quarantine-schedule.js';
import { fulfilHoldOnCheckout, holdBlocksCheckout, holdBlocksRenewal, trapReturnedItem } from './holds/index.js';
import { assertMayBorrow } from './patrons.service.js';
import { chargeOverdueFine } from './fines/fines.service.js';
import { networkPatronForCheckOut } from './network/network.service.js';
import {
  branchOf,
  branchRef,
  branchTimeZone,
  branchTimeZones,
  DEFAULT_POLICY,
  DEFAULT_SETTINGS,
  dueAt,
  presentPolicy,
  resolvePolicy,
} from './rules.service.js';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** Statuses in which a copy is not lent, with the refusal each gives. */
const NOT_LENDABLE: Partial<Record<ItemStatus, string>> = {
  lost: 'lost',
  damaged: 'damaged',
  claimed_returned: 'claimed returned',
  missing: 'missing',
  withdrawn: 'withdrawn',
  not_for_loan: 'not for loan',
  in_processing: 'in processing',
};

type ItemLabel = Pick<ItemSummary, 'barcode' | 'title' | 'author'>;

function itemRef(item: ItemLabel | undefined, itemId: string) {
  return { id: itemId, barcode: item?.barcode ?? '', title: item?.title ?? null, author: item?.author ?? null };
}

/** A loan as staff see it; `timeZone` is the lending branch's (rules.service branchTimeZone). */
function loanView(r: LoanRow, item: ItemLabel | undefined, renewalsAllowed: number, timeZone: string): Loan {
  return {
    id: r.id,
    libraryId: r.organization_id,
    branchId: r.branch_id,
    patronId: r.patron_id,
    item: itemRef(item, r.item_id),
    checkedOutAt: iso(r.checked_out_at)!,
    dueAt: iso(r.due_at)!,
    timeZone,
    renewals: r.renewals,
    renewalsAllowed,
    returnedAt: iso(r.returned_at),
    policyId: r.policy_id,
  };
}

async function presentLoans(db: CirculationDb, rows: LoanRow[]): Promise<Loan[]> {
  const [items, policies, zones] = await Promise.all([
    describeItems(
      db,
      rows.map((r) => r.item_id),
    ),
    repo.policiesByIds(
      db,
      rows.flatMap((r) => (r.policy_id ? [r.policy_id] : [])),
    ),
    branchTimeZones(
      db,
      rows.map((r) => r.branch_id),
    ),
  ]);
  return rows.map((r) =>
    loanView(
      r,
      items.get(r.item_id),
      presentPolicy(r.policy_id ? policies.get(r.policy_id) : null).renewals,
      zones.get(r.branch_id)!,
    ),
  );
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

function onLoan(item: LockedItem): AppError {
  return new AppError(CirculationErrors.CIRCULATION_ITEM_ON_LOAN, `Item ${item.barcode} is already on loan.`, {
    barcode: item.barcode,
  });
}

/**
 * Lends a copy to a patron at a branch of the library. Patron then item are locked for the
 * transaction, so two desks can never lend the same copy (and the open-loan index would refuse
 * it anyway), nor a patron go past the loan limit. A card none of the library's patrons holds may
 * be a network card: a patron of another library of the association (`homeLibraryId` names it
 * when several have the card), lent to under this library's rules, counting all their open loans.
 */
export async function checkOut(
  ctx: AppContext,
  input: {
    libraryId: string;
    cardNumber: string;
    barcode: string;
    branchId: string;
    actorId: string | null;
    homeLibraryId?: string | undefined;
  },
): Promise<Loan> {
  await branchOf(ctx, input.libraryId, input.branchId);
  const now = ctx.clock.now();
  const db = repo.circulationDb(ctx.db);
  const loan = await db.transaction().execute(async (tx) => {
    const local = !input.homeLibraryId || input.homeLibraryId === input.libraryId;
    let patron = local
      ? await repo.lockPatronForCheckOut(tx, { libraryId: input.libraryId, cardNumber: input.cardNumber })
      : undefined;
    if (!patron && input.homeLibraryId !== input.libraryId) {
      const network = await networkPatronForCheckOut(tx, input);
      patron = await repo.lockPatronForCheckOut(tx, { id: network.patron.id });
    }
    if (!patron) {
      throw new AppError(
        CirculationErrors.CIRCULATION_PATRON_NOT_FOUND,
        `No patron has card ${input.cardNumber} here.`,
        {
          cardNumber: input.cardNumber,
        },
      );
    }
    await assertMayBorrow(tx, patron, now, patron.block_reasons);
    const item = await lockItemByBarcode(tx, input.libraryId, input.barcode);
    if (!item) {
      throw new AppError(CirculationErrors.CIRCULATION_ITEM_NOT_FOUND, `No item has barcode ${input.barcode} here.`, {
        barcode: input.barcode,
      });
    }
    if (item.status === 'on_loan') throw onLoan(item);
    if (item.status === 'in_quarantine') {
      const state = await repo.getItemState(tx, item.id);
      throw new AppError(
        CirculationErrors.CIRCULATION_ITEM_IN_QUARANTINE,
        `Item ${item.barcode} is in quarantine until ${iso(state?.quarantine_until ?? null) ?? 'its release'}.`,
        { barcode: item.barcode, until: iso(state?.quarantine_until ?? null) },
      );
    }
    const reason = NOT_LENDABLE[item.status];
    if (reason) {
      throw new AppError(CirculationErrors.CIRCULATION_ITEM_NOT_FOR_LOAN, `Item ${item.barcode} is ${reason}.`, {
        barcode: item.barcode,
        itemStatus: item.status,
      });
    }
    if (await holdBlocksCheckout(tx, item.id, patron.id)) {
      throw new AppError(
        CirculationErrors.CIRCULATION_ITEM_ON_HOLD,
        `Item ${item.barcode} is on hold for another patron.`,
        { barcode: item.barcode },
      );
    }
    const policy = await resolvePolicy(tx, input.libraryId, patron.category, item.itemType);
    const open = patron.open_loans;
    if (open >= policy.maxLoans) {
      throw new AppError(
        CirculationErrors.CIRCULATION_LOAN_LIMIT_REACHED,
        `The patron already has ${open} loans; the limit is ${policy.maxLoans}.`,
        { patronId: patron.id, open, limit: policy.maxLoans },
      );
    }
    const due = await dueAt(tx, input.branchId, now, policy.loanDays);
    let row: LoanRow;
    try {
      row = await repo.insertLoan(
        tx,
        {
          organization_id: input.libraryId,
          item_id: item.id,
          patron_id: patron.id,
          branch_id: input.branchId,
          checked_out_at: now,
          due_at: due.at,
          policy_id: policy.id,
          checked_out_by: input.actorId,
        },
        { libraryId: item.libraryId },
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw onLoan(item);
      throw error;
    }
    await changeItemStatus(tx, item, 'on_loan', {
      actorId: input.actorId,
      reason: ITEM_CHANGE_REASONS.checkOut,
      branchId: input.branchId,
      at: now,
    });
    await fulfilHoldOnCheckout(tx, item, patron.id, now);
    // Everything the answer shows was read in the transaction: no query after it.
    return loanView(row, item, policy.renewals, due.timeZone);
  });
  return loan;
}

/**
 * Where a copy goes once it is free again at a branch: the hold shelf or in transit for a hold
 * it fills, else available at its home branch or in transit there.
 */
export async function placeFreedItem(
  ctx: AppContext,
  tx: CirculationDb,
  item: LockedItem,
  atBranchId: string,
  options: { actorId: string | null; now: Date; reason: string },
): Promise<{ status: ItemStatus; transitTo: string | null; holdId: string | null }> {
  const trapped = await trapReturnedItem(tx as AnyDb, item, atBranchId, options.now);
  let status: ItemStatus;
  let transitTo: string | null = null;
  if (trapped) {
    status = trapped.pickupBranchId === atBranchId ? 'on_hold_shelf' : 'in_transit';
    if (status === 'in_transit') transitTo = trapped.pickupBranchId;
  } else {
    const home = item.homeBranchId ?? item.libraryId;
    status = home === atBranchId ? 'available' : 'in_transit';
    if (status === 'in_transit') transitTo = home;
  }
  await changeItemStatus(tx, item, status, {
    actorId: options.actorId,
    reason: trapped ? forHoldReason(options.reason, trapped.holdId) : options.reason,
    branchId: transitTo ?? atBranchId,
    at: options.now,
  });
  await repo.setItemState(tx, {
    item_id: item.id,
    organization_id: item.libraryId,
    at_branch_id: atBranchId,
    quarantine_until: null,
    transit_to_branch_id: transitTo,
    updated_at: options.now,
  });
  return { status, transitTo, holdId: trapped?.holdId ?? null };
}

/**
 * Finds the copy a desk scanned: the library's own; else another library's copy that this desk may
 * take back. Barcodes are unique only within a library, so the copy must be one the desk's library
 * has a part in: on loan from a library of its associations (a network loan returned here), in
 * transit from one (sent on from here, or an inter-library loan), or in transit to one of its own
 * branches (a hold to pick up here). Any other library's copy is not found, as a wrong barcode is.
 */
async function lockScannedItem(
  ctx: AppContext,
  tx: CirculationDb,
  libraryId: string,
  barcode: string,
): Promise<LockedItem | undefined> {
  const own = await lockItemByBarcode(tx, libraryId, barcode);
  if (own) return own;
  const partners = (await associatedLibraries(tx as AnyDb, libraryId)).map((l) => l.id);
  // A loan belongs to the copy's library (check-out lends only the desk's own copies), so a
  // partner's copy is also a partner's loan.
  const away = ['on_loan', 'in_transit'] as const;
  for (const candidate of await findItemsByBarcode(tx, barcode, { libraryIds: partners, statuses: away })) {
    const item = await lockItem(tx, candidate.id);
    if (item && (item.status === 'on_loan' || item.status === 'in_transit')) return item;
  }
  // Any library's copy in transit, for one coming to a branch of the desk's library.
  const inTransit = await findItemsByBarcode(tx, barcode, { statuses: ['in_transit'] });
  let branches: Set<string> | undefined;
  for (const candidate of inTransit.filter((c) => !partners.includes(c.libraryId))) {
    const target = (await repo.getItemState(tx, candidate.id))?.transit_to_branch_id;
    if (!target) continue;
    branches ??= new Set([libraryId, ...(await branchesOf({ ...ctx, db: tx as AnyDb }, libraryId)).values()]);
    if (!branches.has(target)) continue;
    const item = await lockItem(tx, candidate.id);
    // Read again under the lock: the copy may have been received meanwhile.
    if (item?.status === 'in_transit' && (await repo.getItemState(tx, item.id))?.transit_to_branch_id === target) {
      return item;
    }
  }
  return undefined;
}

/**
 * Takes a copy back at any branch of the network (see lockScannedItem for which copies). The loan
 * ends (and forgets the patron unless they keep a reading history); the copy goes into quarantine
 * when the owning library sets one, else to a waiting hold, home, or in transit home. A copy
 * arriving in transit is received. Another library's loan is answered without its patron.
 */
export async function checkIn(
  ctx: AppContext,
  input: { libraryId: string; barcode: string; branchId: string; actorId: string | null },
): Promise<CheckInResult> {
  await branchOf(ctx, input.libraryId, input.branchId);
  const now = ctx.clock.now();
  const db = repo.circulationDb(ctx.db);
  const result = await db.transaction().execute(async (tx) => {
    const item = await lockScannedItem(ctx, tx, input.libraryId, input.barcode);
    if (!item) {
      throw new AppError(CirculationErrors.CIRCULATION_ITEM_NOT_FOUND, `No item has barcode ${input.barcode}.`, {
        barcode: input.barcode,
      });
    }
    const open = await repo.lockOpenLoanForCheckIn(tx, item.id);
    let ended: Loan | null = null;
    if (open) {
      const row = await repo.endLoan(tx, open.id, {
        returned_at: now,
        returned_branch_id: input.branchId,
        returned_by: input.actorId,
        keepPatron: open.keep_history,
      });
      const view = loanView(
        row,
        item,
        open.renewals_allowed ?? DEFAULT_POLICY.renewals,
        await branchTimeZone(tx, row.branch_id),
      );
      // Another library's loan (lent there, returned here): who borrowed it is not this desk's to see.
      ended = row.organization_id === input.libraryId ? view : { ...view, patronId: null };
      await chargeOverdueFine(tx, open, now);
    } else if (
      item.status !== 'in_transit' &&
      item.status !== 'lost' &&
      item.status !== 'missing' &&
      item.status !== 'claimed_returned'
    ) {
      throw new AppError(
        CirculationErrors.CIRCULATION_ITEM_NOT_ON_LOAN,
        `Item ${item.barcode} is not on loan (${item.status}).`,
        {
          barcode: item.barcode,
          itemStatus: item.status,
        },
      );
    }
    // The lending library (the copy's) quarantines what it takes back, when it says so.
    const quarantineHours = open?.quarantine_hours ?? DEFAULT_SETTINGS.quarantineHours;
    if (open && quarantineHours > 0) {
      const until = new Date(now.getTime() + quarantineHours * 3_600_000);
      await changeItemStatus(tx, item, 'in_quarantine', {
        actorId: input.actorId,
        reason: ITEM_CHANGE_REASONS.checkIn,
        branchId: input.branchId,
        until,
        at: now,
      });
      await repo.setItemState(tx, {
        item_id: item.id,
        organization_id: item.libraryId,
        at_branch_id: input.branchId,
        quarantine_until: until,
        transit_to_branch_id: null,
        updated_at: now,
      });
      await scheduleQuarantineRelease(ctx, tx, until);
      return { item, ended, status: 'in_quarantine' as ItemStatus, until, transitTo: null, holdId: null };
    }
    const placed = await placeFreedItem(ctx, tx, item, input.branchId, {
      actorId: input.actorId,
      now,
      reason: open ? ITEM_CHANGE_REASONS.checkIn : ITEM_CHANGE_REASONS.received,
    });
    return { item, ended, until: null, ...placed };
  });
  const target = result.transitTo ? await branchRef(ctx, result.transitTo) : null;
  return {
    item: itemRef(result.item, result.item.id),
    loan: result.ended,
    status: result.status,
    quarantineUntil: iso(result.until),
    transitTo: target && { id: target.id, code: target.code, names: target.names },
    holdId: result.holdId,
  };
}

async function renewLocked(ctx: AppContext, tx: CirculationDb, loan: LoanRow, now: Date): Promise<LoanRow> {
  if (loan.returned_at) throw new AppError(CirculationErrors.CIRCULATION_LOAN_ENDED, 'This loan has ended.');
  const policy = presentPolicy(loan.policy_id ? await repo.findPolicy(tx, loan.policy_id) : null);
  if (loan.renewals >= policy.renewals) {
    throw new AppError(
      CirculationErrors.CIRCULATION_RENEWALS_EXHAUSTED,
      `This loan was renewed ${loan.renewals} times; the rule allows ${policy.renewals}.`,
      { renewals: loan.renewals, allowed: policy.renewals },
    );
  }
  if (loan.patron_id) {
    const patron = await repo.lockPatron(tx, loan.patron_id);
    if (patron) await assertMayBorrow(tx, patron, now);
  }
  const renewable = { id: loan.id, itemId: loan.item_id, patronId: loan.patron_id, libraryId: loan.organization_id };
  if (policy.holdBlocksRenewal && (await holdBlocksRenewal(tx as AnyDb, renewable, now))) {
    throw new AppError(
      CirculationErrors.CIRCULATION_RENEWAL_BLOCKED_BY_HOLD,
      'Another patron has a hold waiting for this item, so the loan cannot be renewed.',
    );
  }
  // The loan period counts again from the due date, or from today for an overdue loan.
  const from = new Date(Math.max(now.getTime(), new Date(loan.due_at).getTime()));
  return repo.renewLoan(tx, loan.id, (await dueAt(tx, loan.branch_id, from, policy.loanDays)).at);
}

/** Renews a library's loan, found by id or by the item's barcode (staff). */
export async function renewLoan(
  ctx: AppContext,
  input: { libraryId: string; loanId?: string; barcode?: string },
): Promise<Loan> {
  const now = ctx.clock.now();
  const db = repo.circulationDb(ctx.db);
  const row = await db.transaction().execute(async (tx) => {
    let loan: LoanRow | undefined;
    if (input.loanId) {
      loan = await repo.lockLoan(tx, input.loanId);
    } else if (input.barcode) {
      const item = await lockItemByBarcode(tx, input.libraryId, input.barcode);
      if (!item)
        throw new AppError(CirculationErrors.CIRCULATION_ITEM_NOT_FOUND, `No item has barcode ${input.barcode} here.`);
      loan = await repo.lockOpenLoanOfItem(tx, item.id);
      if (!loan)
        throw new AppError(CirculationErrors.CIRCULATION_ITEM_NOT_ON_LOAN, `Item ${input.barcode} is not on loan.`);
    }
    if (!loan || loan.organization_id !== input.libraryId) {
      throw new AppError(CirculationErrors.CIRCULATION_LOAN_NOT_FOUND, 'There is no such loan at this library.');
    }
    return renewLocked(ctx, tx, loan, now);
  });
  return (await presentLoans(db, [row]))[0]!;
}

/** A library's loans, newest first; by patron, open or ended. */
export async function listLoans(
  ctx: AppContext,
  libraryId: string,
  filter: { patronId?: string | undefined; open?: boolean | undefined; page: number; pageSize: number },
): Promise<{ items: Loan[]; page: number; pageSize: number; total: number }> {
  const db = repo.circulationDb(ctx.db);
  const { rows, total } = await repo.listLoans(db, libraryId, filter);
  return { items: await presentLoans(db, rows), page: filter.page, pageSize: filter.pageSize, total };
}

/** Marks a library's copy lost, damaged, claimed returned or missing (recorded with who and why). */
export async function markItem(
  ctx: AppContext,
  input: {
    libraryId: string;
    barcode: string;
    status: 'lost' | 'damaged' | 'claimed_returned' | 'missing';
    reason: string;
    actorId: string | null;
  },
): Promise<ItemHistory> {
  const now = ctx.clock.now();
  const db = repo.circulationDb(ctx.db);
  await db.transaction().execute(async (tx) => {
    const item = await lockItemByBarcode(tx, input.libraryId, input.barcode);
    if (!item)
      throw new AppError(CirculationErrors.CIRCULATION_ITEM_NOT_FOUND, `No item has barcode ${input.barcode} here.`);
    await changeItemStatus(tx, item, input.status, {
      actorId: input.actorId,
      reason: input.reason || markedReason(input.status),
      at: now,
    });
    // A marked copy is out of quarantine and transit; an open loan stays until the copy is checked in.
    await repo.setItemState(tx, {
      item_id: item.id,
      organization_id: item.libraryId,
      at_branch_id: null,
      quarantine_until: null,
      transit_to_branch_id: null,
      updated_at: now,
    });
  });
  return itemHistory(ctx, input.libraryId, input.barcode);
}

/** A copy's status changes and loans, for its library's staff. */
export async function itemHistory(ctx: AppContext, libraryId: string, barcode: string): Promise<ItemHistory> {
  const db = repo.circulationDb(ctx.db);
  const [found] = await findItemsByBarcode(db, barcode, { libraryId });
  if (!found) throw new AppError(CirculationErrors.CIRCULATION_ITEM_NOT_FOUND, `No item has barcode ${barcode} here.`);
  const [items, events, loans] = await Promise.all([
    describeItems(db, [found.id]),
    itemStatusHistory(db, found.id),
    repo.loansOfItem(db, found.id),
  ]);
  const item = items.get(found.id)!;
  return {
    item: { ...itemRef(item, found.id), status: item.status, homeBranchId: item.homeBranchId },
    events,
    loans: await presentLoans(db, loans),
  };
}

// Self-service ------------------------------------------------------------------------------

/** The open loans of the signed-in person, across the libraries where they are a patron. */
export async function myLoans(ctx: AppContext, personId: string): Promise<MyLoan[]> {
  const db = repo.circulationDb(ctx.db);
  const patrons = await repo.patronsOfPerson(db, personId);
  const loans = await presentLoans(
    db,
    await repo.openLoansOfPatrons(
      db,
      patrons.map((p) => p.id),
    ),
  );
  const libraries = await organizationNames(
    ctx,
    loans.map((l) => l.libraryId),
  );
  return loans.map((l) => ({
    id: l.id,
    libraryId: l.libraryId,
    ...(libraries.has(l.libraryId) ? { library: libraries.get(l.libraryId)! } : {}),
    item: l.item,
    checkedOutAt: l.checkedOutAt,
    dueAt: l.dueAt,
    timeZone: l.timeZone,
    renewals: l.renewals,
    renewalsAllowed: l.renewalsAllowed,
  }));
}

/** Renews one of the signed-in person's own loans (same rules as at the desk). */
export async function renewMyLoan(ctx: AppContext, personId: string, loanId: string): Promise<MyLoan> {
  const now = ctx.clock.now();
  const db = repo.circulationDb(ctx.db);
  const patrons = await repo.patronsOfPerson(db, personId);
  const row = await db.transaction().execute(async (tx) => {
    const loan = await repo.lockLoan(tx, loanId);
    if (!loan || !loan.patron_id || !patrons.some((p) => p.id === loan.patron_id)) {
      throw new AppError(CirculationErrors.CIRCULATION_LOAN_NOT_FOUND, 'You have no such loan.');
    }
    return renewLocked(ctx, tx, loan, now);
  });
  const [loan] = await presentLoans(db, [row]);
  const { branchId: _b, patronId: _p, returnedAt: _r, policyId: _pid, ...mine } = loan!;
  return mine;
}
