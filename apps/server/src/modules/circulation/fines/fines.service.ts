import type { AccruingFine, Fine, FineSummary, LibraryRef, PaidFine } from '@athenaeum/contracts';
import { organizationNames } from '../../accounts/index.js';
import { describeItems } from '../../catalog/index.js';
import type { AppContext } from '../../../platform/context/context.js';
import type { AnyDb } from '../../../platform/db/database.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { AppError } from '../../../platform/errors.js';
import { CirculationErrors } from '../circulation.errors.js';
import { daysOverdue, fineAmount, minorDigits, toMinor, type FineTerms } from './fines.js';
import { FinesErrors } from './fines.errors.js';
import * as repo from './fines.repository.js';

const DEFAULT_CURRENCY = 'EUR';
const iso = (d: Date | string) => new Date(d).toISOString();

function termsOf(
  row: { daily_fine: unknown; fine_cap: unknown; grace_days: number } | undefined,
  currency: string,
): FineTerms {
  // A loan without a rule was lent under the built-in default, which is fines-free.
  if (!row) return { dailyFine: null, fineCap: null, graceDays: 0 };
  const digits = minorDigits(currency);
  const minor = (v: unknown) => toMinor(v === null || v === undefined ? null : (v as string | number), digits);
  return { dailyFine: minor(row.daily_fine), fineCap: minor(row.fine_cap), graceDays: row.grace_days };
}

/**
 * Charges the fine for an overdue loan as it ends (called by check-in, in its transaction, with
 * the loan as it was before it ended): whole days late beyond the grace period × the rule's daily
 * fine, at most the cap, in the lending library's currency. Nothing for a loan returned on time,
 * under a fines-free rule, or within the grace period.
 */
export async function chargeOverdueFine(
  tx: AnyDb,
  loan: { id: string; organization_id: string; patron_id: string | null; due_at: Date; policy_id: string | null },
  returnedAt: Date,
): Promise<void> {
  const days = daysOverdue(new Date(loan.due_at), returnedAt);
  if (days === 0 || !loan.patron_id || !loan.policy_id) return;
  const db = repo.finesDb(tx);
  const [terms, currencies] = await Promise.all([
    repo.fineTerms(db, [loan.policy_id]),
    repo.currencies(db, [loan.organization_id]),
  ]);
  const currency = currencies.get(loan.organization_id) ?? DEFAULT_CURRENCY;
  const amount = fineAmount(days, termsOf(terms.get(loan.policy_id), currency));
  if (amount <= 0) return;
  await repo.insertFine(db, {
    organization_id: loan.organization_id,
    patron_id: loan.patron_id,
    loan_id: loan.id,
    amount,
    currency,
    reason: 'overdue',
    created_at: returnedAt,
  });
}

async function present(ctx: AppContext, rows: repo.FineWithItem[]): Promise<Fine[]> {
  const [libraries, items] = await Promise.all([
    organizationNames(
      ctx,
      rows.map((r) => r.organization_id),
    ),
    describeItems(
      ctx.db,
      rows.flatMap((r) => (r.item_id ? [r.item_id] : [])),
    ),
  ]);
  return rows.map((r) => {
    const item = r.item_id ? items.get(r.item_id) : undefined;
    return {
      id: r.id,
      library: libraryRef(libraries, r.organization_id),
      patronId: r.patron_id,
      loanId: r.loan_id,
      item: r.item_id
        ? { id: r.item_id, barcode: item?.barcode ?? '', title: item?.title ?? null, author: item?.author ?? null }
        : null,
      amount: r.amount,
      paid: r.paid,
      waived: r.waived,
      balance: r.amount - r.paid - r.waived,
      currency: r.currency,
      reason: r.reason,
      status: r.status,
      createdAt: iso(r.created_at),
      waivedBy: r.waived_by,
      waivedAt: r.waived_at ? iso(r.waived_at) : null,
      waiveReason: r.waive_reason,
    };
  });
}

function libraryRef(libraries: Map<string, LibraryRef>, id: string): LibraryRef {
  return libraries.get(id) ?? { id, code: '', names: {} };
}

/** What the patrons' open overdue loans would cost if returned now (computed, never stored). */
async function accruing(ctx: AppContext, patronIds: string[], libraryId?: string): Promise<AccruingFine[]> {
  const now = ctx.clock.now();
  const db = repo.finesDb(ctx.db);
  const loans = await repo.overdueLoans(db, patronIds, now, libraryId);
  if (loans.length === 0) return [];
  const [terms, currencies, libraries, items] = await Promise.all([
    repo.fineTerms(
      db,
      loans.flatMap((l) => (l.policy_id ? [l.policy_id] : [])),
    ),
    repo.currencies(
      db,
      loans.map((l) => l.organization_id),
    ),
    organizationNames(
      ctx,
      loans.map((l) => l.organization_id),
    ),
    describeItems(
      ctx.db,
      loans.map((l) => l.item_id),
    ),
  ]);
  return loans.flatMap((l) => {
    const currency = currencies.get(l.organization_id) ?? DEFAULT_CURRENCY;
    const days = daysOverdue(new Date(l.due_at), now);
    const amount = fineAmount(days, termsOf(l.policy_id ? terms.get(l.policy_id) : undefined, currency));
    if (amount <= 0) return [];
    const item = items.get(l.item_id);
    return [
      {
        loanId: l.id,
        library: libraryRef(libraries, l.organization_id),
        item: { id: l.item_id, barcode: item?.barcode ?? '', title: item?.title ?? null, author: item?.author ?? null },
        dueAt: iso(l.due_at),
        daysOverdue: days,
        amount,
        currency,
      },
    ];
  });
}

/**
 * A patron's fines at this library and what their overdue loans here are accruing, for its staff.
 * The patron is this library's or has borrowed here (a network patron); the fines of other
 * libraries stay with them.
 */
export async function patronFines(ctx: AppContext, libraryId: string, patronId: string): Promise<FineSummary> {
  const db = repo.finesDb(ctx.db);
  const [home, fines] = await Promise.all([repo.patronHome(db, patronId), repo.finesOf(db, [patronId], libraryId)]);
  if (!home || (home !== libraryId && fines.length === 0 && !(await repo.hasLoansAt(db, libraryId, patronId)))) {
    throw new AppError(
      CirculationErrors.CIRCULATION_PATRON_NOT_FOUND,
      `There is no patron ${patronId} at this library.`,
    );
  }
  return { fines: await present(ctx, fines), accruing: await accruing(ctx, [patronId], libraryId) };
}

/** The signed-in person's fines at every library, and what their overdue loans are accruing. */
export async function myFines(ctx: AppContext, personId: string): Promise<FineSummary> {
  const db = repo.finesDb(ctx.db);
  const patronIds = await repo.patronIdsOfPerson(db, personId);
  return { fines: await present(ctx, await repo.finesOf(db, patronIds)), accruing: await accruing(ctx, patronIds) };
}

/** The library's fine, locked for the transaction; refused when unknown. */
async function lockKnownFine(tx: repo.FinesDb, libraryId: string, fineId: string) {
  const fine = await repo.lockFine(tx, libraryId, fineId);
  if (!fine) throw new AppError(FinesErrors.CIRCULATION_FINE_NOT_FOUND, 'There is no such fine at this library.');
  return fine;
}

/** The library's fine, locked for the transaction; refused when unknown or already settled. */
async function lockOpenFine(tx: repo.FinesDb, libraryId: string, fineId: string) {
  const fine = await lockKnownFine(tx, libraryId, fineId);
  if (fine.status !== 'open') {
    // Not `status`: a problem's details go into its body, where `status` is the HTTP status.
    throw new AppError(FinesErrors.CIRCULATION_FINE_SETTLED, `This fine is already ${fine.status}.`, {
      fineStatus: fine.status,
    });
  }
  return fine;
}

/** A fine as the API shows it, read after its change is committed. */
const presentFine = async (ctx: AppContext, fineId: string): Promise<Fine> =>
  (await present(ctx, [await repo.fineById(repo.finesDb(ctx.db), fineId)]))[0]!;

/**
 * Takes a payment (part or all of the balance) at the desk. The fine's row is locked for the
 * transaction, so two desks paying at once queue and the second sees what the first paid: a fine
 * can never be overpaid, and paying more than is owed is refused (422) without a change.
 */
export async function payFine(
  ctx: AppContext,
  input: { libraryId: string; fineId: string; amount: number; actorId: string | null },
): Promise<PaidFine> {
  const now = ctx.clock.now();
  const { row, paymentId } = await ctx.db.transaction().execute(async (trx) => {
    const tx = repo.finesDb(trx);
    const fine = await lockOpenFine(tx, input.libraryId, input.fineId);
    const balance = fine.amount - fine.paid - fine.waived;
    if (!Number.isSafeInteger(input.amount) || input.amount <= 0 || input.amount > balance) {
      throw new AppError(
        FinesErrors.CIRCULATION_FINE_OVERPAYMENT,
        `The payment (${input.amount}) is more than the ${balance} still owed (minor units of ${fine.currency}).`,
        { amount: input.amount, balance, currency: fine.currency },
      );
    }
    const paid = fine.paid + input.amount;
    const updated = await repo.updateFine(tx, fine.id, {
      paid,
      status: paid + fine.waived === fine.amount ? 'paid' : 'open',
    });
    const paymentId = await repo.insertPayment(tx, {
      fine_id: fine.id,
      organization_id: input.libraryId,
      amount: input.amount,
      received_by: input.actorId,
      received_at: now,
    });
    await recordAudit(trx, {
      organizationId: input.libraryId,
      actorId: input.actorId,
      action: 'circulation.fine.paid',
      subject: { fineId: fine.id, patronId: fine.patron_id, paymentId, amount: input.amount, currency: fine.currency },
    });
    return { row: updated, paymentId };
  });
  return { ...(await presentFine(ctx, row.id)), paymentId };
}

/** Waives what is still owed on a fine, with a reason; who and when are kept on the fine and in the audit log. */
export async function waiveFine(
  ctx: AppContext,
  input: { libraryId: string; fineId: string; reason: string; actorId: string | null },
): Promise<Fine> {
  const now = ctx.clock.now();
  const row = await ctx.db.transaction().execute(async (trx) => {
    const tx = repo.finesDb(trx);
    const fine = await lockOpenFine(tx, input.libraryId, input.fineId);
    const waived = fine.amount - fine.paid;
    const updated = await repo.updateFine(tx, fine.id, {
      waived,
      status: 'waived',
      waived_by: input.actorId,
      waived_at: now,
      waive_reason: input.reason,
    });
    await recordAudit(trx, {
      organizationId: input.libraryId,
      actorId: input.actorId,
      action: 'circulation.fine.waived',
      subject: { fineId: fine.id, patronId: fine.patron_id, waived, currency: fine.currency, reason: input.reason },
    });
    return updated;
  });
  return presentFine(ctx, row.id);
}

/**
 * Undoes a waiver (staff who waived the wrong fine): the fine is open again for what the waiver took
 * off, payments untouched. `waivedAt` names the waiver as the fine showed it; a fine not waived, or
 * waived again since, is refused (409 CIRCULATION_FINE_CHANGED) without a change. The fine keeps the
 * state it is in now (no waiver); the audit log keeps both the waiver and its reversal
 * (`circulation.fine.waiver_reversed`, with what the waiver was), nothing is deleted from it.
 */
export async function reverseWaiver(
  ctx: AppContext,
  input: { libraryId: string; fineId: string; waivedAt: string; actorId: string | null },
): Promise<Fine> {
  const row = await ctx.db.transaction().execute(async (trx) => {
    const tx = repo.finesDb(trx);
    const fine = await lockKnownFine(tx, input.libraryId, input.fineId);
    const sameWaiver =
      fine.status === 'waived' &&
      fine.waived_at !== null &&
      new Date(fine.waived_at).getTime() === new Date(input.waivedAt).getTime();
    if (!sameWaiver) {
      throw new AppError(
        FinesErrors.CIRCULATION_FINE_CHANGED,
        fine.status === 'waived'
          ? 'This fine has been waived again since; that waiver was not reversed.'
          : `This fine is no longer waived (it is ${fine.status}); nothing was reversed.`,
        { fineStatus: fine.status, waivedAt: fine.waived_at ? iso(fine.waived_at) : null },
      );
    }
    const updated = await repo.updateFine(tx, fine.id, {
      waived: 0,
      status: 'open',
      waived_by: null,
      waived_at: null,
      waive_reason: null,
    });
    await recordAudit(trx, {
      organizationId: input.libraryId,
      actorId: input.actorId,
      action: 'circulation.fine.waiver_reversed',
      subject: {
        fineId: fine.id,
        patronId: fine.patron_id,
        restored: fine.waived,
        currency: fine.currency,
        waivedBy: fine.waived_by,
        waivedAt: iso(fine.waived_at!),
        reason: fine.waive_reason,
      },
    });
    return updated;
  });
  return presentFine(ctx, row.id);
}

/**
 * Undoes a payment (staff who recorded it against the wrong fine, or for the wrong amount): a
 * reversal row for minus its amount joins the payments ledger, the payment itself stays as it was,
 * and the fine is owed that much again (open). The fine's row is locked for the transaction, so of
 * two reversals of one payment at once the second finds the first and changes nothing. Refused: a
 * payment that is not one of this fine's (404 CIRCULATION_FINE_PAYMENT_NOT_FOUND, a reversal
 * included); one reversed already, or of a fine waived since (its waiver was worked out from what
 * was paid: undo the waiver first), 409 CIRCULATION_FINE_CHANGED. Audited as
 * `circulation.fine.payment_reversed`; the payment's own entry stays.
 */
export async function reversePayment(
  ctx: AppContext,
  input: { libraryId: string; fineId: string; paymentId: string; actorId: string | null },
): Promise<Fine> {
  const now = ctx.clock.now();
  const row = await ctx.db.transaction().execute(async (trx) => {
    const tx = repo.finesDb(trx);
    const fine = await lockKnownFine(tx, input.libraryId, input.fineId);
    const payment = await repo.paymentOf(tx, fine.id, input.paymentId);
    if (!payment) {
      throw new AppError(FinesErrors.CIRCULATION_FINE_PAYMENT_NOT_FOUND, 'This fine has no such payment.');
    }
    if (payment.reversal_id !== null || fine.status === 'waived') {
      throw new AppError(
        FinesErrors.CIRCULATION_FINE_CHANGED,
        payment.reversal_id !== null
          ? 'This payment has been reversed already; nothing was reversed.'
          : 'This fine has been waived since the payment; undo the waiver first. Nothing was reversed.',
        { fineStatus: fine.status, paymentReversed: payment.reversal_id !== null },
      );
    }
    const updated = await repo.updateFine(tx, fine.id, { paid: fine.paid - payment.amount, status: 'open' });
    const reversalId = await repo.insertPayment(tx, {
      fine_id: fine.id,
      organization_id: input.libraryId,
      amount: -payment.amount,
      received_by: input.actorId,
      received_at: now,
      reverses_payment_id: payment.id,
      reversed_amount: payment.amount,
    });
    await recordAudit(trx, {
      organizationId: input.libraryId,
      actorId: input.actorId,
      action: 'circulation.fine.payment_reversed',
      subject: {
        fineId: fine.id,
        patronId: fine.patron_id,
        paymentId: payment.id,
        reversalId,
        restored: payment.amount,
        currency: fine.currency,
        receivedBy: payment.received_by,
        receivedAt: iso(payment.received_at),
      },
    });
    return updated;
  });
  return presentFine(ctx, row.id);
}

/** A patron's open fines (for the deletion request): how many and how much is owed. */
export async function openFinesOf(db: AnyDb, patronId: string): Promise<{ count: number; owed: number }> {
  return repo.openFines(repo.finesDb(db), patronId);
}

/** Every fine of a patron record, open and settled, at every library or at one (for the data download). */
export async function finesForExport(ctx: AppContext, patronId: string, libraryId?: string): Promise<Fine[]> {
  return present(ctx, await repo.finesOf(repo.finesDb(ctx.db), [patronId], libraryId));
}
