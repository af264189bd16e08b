import type { PolicyFields } from '@athenaeum/contracts';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { callApi, signInNewStaff, type ApiRequest } from '../../../test/api.js';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { refusalCode } from '../../../test/refusals.js';
import { buildPerson, signInAs } from '../../accounts/accounts.factories.js';
import type { AppError } from '../../../platform/errors.js';
import { buildCopies, buildLibrary, buildPatron, GENERAL_RULE } from '../circulation.factories.js';
import { checkIn, checkOut } from '../loans.service.js';
import { createPolicy, putBranchCalendar } from '../rules.service.js';
import { deletePatronData, myPatronData } from '../privacy/privacy.service.js';
import { updateNetworkSettings } from '../network/network.service.js';
import { daysOverdue, fineAmount, toMinor } from './fines.js';
import {
  myFines,
  openFinesOf,
  patronFines,
  payFine,
  reversePayment,
  reverseWaiver,
  waiveFine,
} from './fines.service.js';

let env: TestEnv;
const MONDAY = new Date('2026-03-02T10:00:00Z');

beforeAll(async () => {
  env = await createTestEnv();
});

const rule: PolicyFields = { ...GENERAL_RULE, loanDays: 7 };

/** A library with one rule (7 days); a patron borrows a copy on Monday 2 March and returns it at `returnedAt`. */
async function lateReturn(terms: Partial<typeof rule> | null, returnedAt: string, personId?: string) {
  const lib = await buildLibrary(env.ctx);
  if (terms) await createPolicy(env.ctx, lib.library.id, { ...rule, ...terms });
  const patron = await buildPatron(env.ctx, lib.library.id, personId ? { personId } : {});
  const [copy] = await buildCopies(env.ctx, lib);
  env.clock.set(MONDAY);
  const loan = await checkOut(env.ctx, {
    libraryId: lib.library.id,
    cardNumber: patron.cardNumber,
    barcode: copy!,
    branchId: lib.main.id,
    actorId: null,
  });
  // The built-in default lends for three weeks.
  expect(loan.dueAt).toBe(terms ? '2026-03-09T23:59:59.000Z' : '2026-03-23T23:59:59.000Z');
  env.clock.set(new Date(returnedAt));
  await checkIn(env.ctx, { libraryId: lib.library.id, barcode: copy!, branchId: lib.main.id, actorId: null });
  const { fines } = await patronFines(env.ctx, lib.library.id, patron.id);
  return { lib, patron, copy: copy!, fines };
}

describe('fine arithmetic', () => {
  it('counts every started day after the due time, closed or not', () => {
    const due = new Date('2026-03-09T23:59:59Z');
    expect(daysOverdue(due, new Date('2026-03-09T23:59:59Z'))).toBe(0);
    expect(daysOverdue(due, new Date('2026-03-10T00:00:00Z'))).toBe(1);
    expect(daysOverdue(due, new Date('2026-03-10T23:59:59Z'))).toBe(1);
    expect(daysOverdue(due, new Date('2026-03-11T00:00:00Z'))).toBe(2);
  });

  it('charges days beyond the grace period, at most the cap, nothing when fines-free', () => {
    expect(fineAmount(5, { dailyFine: null, fineCap: null, graceDays: 0 })).toBe(0);
    expect(fineAmount(2, { dailyFine: 25, fineCap: null, graceDays: 2 })).toBe(0);
    expect(fineAmount(5, { dailyFine: 25, fineCap: null, graceDays: 2 })).toBe(75);
    expect(fineAmount(10, { dailyFine: 100, fineCap: 350, graceDays: 0 })).toBe(350);
  });

  it('reads decimal amounts into minor units without binary fractions', () => {
    expect(toMinor('0.29', 2)).toBe(29);
    expect(toMinor('1000.00', 2)).toBe(100000);
    expect(toMinor(0.57, 2)).toBe(57);
    expect(toMinor('10.50', 0)).toBe(11);
    expect(toMinor(null, 2)).toBeNull();
  });
});

describe('fines on return', () => {
  it('charges nothing under the fines-free default, nor for a return on time', async () => {
    expect((await lateReturn(null, '2026-04-20T10:00:00Z')).fines).toEqual([]);
    expect((await lateReturn({ dailyFine: 0.5 }, '2026-03-09T18:00:00Z')).fines).toEqual([]);
  });

  it('charges the days beyond the grace period in the library currency', async () => {
    expect((await lateReturn({ dailyFine: 0.25, graceDays: 2 }, '2026-03-11T10:00:00Z')).fines).toEqual([]);
    const { lib, fines } = await lateReturn({ dailyFine: 0.25, graceDays: 2 }, '2026-03-14T10:00:00Z');
    expect(fines).toHaveLength(1);
    expect(fines[0]).toMatchObject({
      library: { id: lib.library.id },
      amount: 75, // 5 days late, 2 of grace
      paid: 0,
      balance: 75,
      currency: 'EUR',
      reason: 'overdue',
      status: 'open',
      createdAt: '2026-03-14T10:00:00.000Z',
    });
    expect(fines[0]!.item?.barcode).toBeTruthy();
  });

  it('stops at the cap, and counts closed days like any other', async () => {
    const capped = await lateReturn({ dailyFine: 1, fineCap: 3.5 }, '2026-03-30T10:00:00Z');
    expect(capped.fines[0]).toMatchObject({ amount: 350 });

    const lib = await buildLibrary(env.ctx);
    await createPolicy(env.ctx, lib.library.id, { ...rule, dailyFine: 0.1 });
    await updateNetworkSettings(env.ctx, lib.library.id, { currency: 'SEK' });
    const patron = await buildPatron(env.ctx, lib.library.id);
    const [copy] = await buildCopies(env.ctx, lib);
    env.clock.set(MONDAY);
    await checkOut(env.ctx, {
      libraryId: lib.library.id,
      cardNumber: patron.cardNumber,
      barcode: copy!,
      branchId: lib.main.id,
      actorId: null,
    });
    // The branch closes for the days the loan is late: the fine counts them anyway.
    const open = { open: '09:00', close: '17:00' };
    await putBranchCalendar(env.ctx, lib.library.id, lib.main.id, {
      weeklyHours: [open, open, open, open, open, open, open],
      closedDates: [
        { date: '2026-03-10', reason: 'strike' },
        { date: '2026-03-11', reason: 'strike' },
      ],
    });
    env.clock.set(new Date('2026-03-12T10:00:00Z'));
    const accruing = await patronFines(env.ctx, lib.library.id, patron.id);
    expect(accruing).toMatchObject({ fines: [], accruing: [{ daysOverdue: 3, amount: 30, currency: 'SEK' }] });
    await checkIn(env.ctx, { libraryId: lib.library.id, barcode: copy!, branchId: lib.main.id, actorId: null });
    const after = await patronFines(env.ctx, lib.library.id, patron.id);
    expect(after.accruing).toEqual([]);
    expect(after.fines[0]).toMatchObject({ amount: 30, currency: 'SEK' });
  });
});

describe('payments and waivers', () => {
  it('takes partial payments, refuses paying more than owed, and closes the fine when paid', async () => {
    const { lib, fines } = await lateReturn({ dailyFine: 1 }, '2026-03-14T10:00:00Z'); // 5 days: 500
    const fine = fines[0]!;
    const pay = (amount: number) =>
      payFine(env.ctx, { libraryId: lib.library.id, fineId: fine.id, amount, actorId: null });
    expect(await pay(200)).toMatchObject({ paid: 200, balance: 300, status: 'open' });
    expect(await refusalCode(pay(301))).toBe('CIRCULATION_FINE_OVERPAYMENT');
    expect(await pay(300)).toMatchObject({ paid: 500, balance: 0, status: 'paid' });
    expect(await refusalCode(pay(1))).toBe('CIRCULATION_FINE_SETTLED');
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from circulation_fine_payments where fine_id = ${fine.id}`.execute(env.ctx.db);
    expect(rows[0]!.n).toBe(2);
  });

  it('never overpays when desks take payments of the same fine at once', async () => {
    const { lib, fines } = await lateReturn({ dailyFine: 2 }, '2026-03-14T10:00:00Z'); // 5 days: 1000
    const fine = fines[0]!;
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () =>
        payFine(env.ctx, { libraryId: lib.library.id, fineId: fine.id, amount: 300, actorId: null }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'CIRCULATION_FINE_OVERPAYMENT' });
    }
    const { rows } = await sql<{ paid: number; sum: number }>`
      select f.paid, (select sum(amount)::int from circulation_fine_payments p where p.fine_id = f.id) as sum
      from circulation_fines f where f.id = ${fine.id}`.execute(env.ctx.db);
    expect(rows[0]).toEqual({ paid: 900, sum: 900 });
  });

  it('waives the balance with a reason, keeping who and when, in the audit log', async () => {
    const { lib, fines } = await lateReturn({ dailyFine: 1 }, '2026-03-12T10:00:00Z'); // 300
    const librarian = await buildPerson(env.ctx, { roles: [[lib.library.id, 'staff']] });
    const fine = fines[0]!;
    await payFine(env.ctx, { libraryId: lib.library.id, fineId: fine.id, amount: 100, actorId: librarian.id });
    env.clock.set(new Date('2026-03-13T09:00:00Z'));
    const waived = await waiveFine(env.ctx, {
      libraryId: lib.library.id,
      fineId: fine.id,
      reason: 'hospital stay',
      actorId: librarian.id,
    });
    expect(waived).toMatchObject({
      paid: 100,
      waived: 200,
      balance: 0,
      status: 'waived',
      waivedBy: librarian.id,
      waivedAt: '2026-03-13T09:00:00.000Z',
      waiveReason: 'hospital stay',
    });
    expect(
      await refusalCode(
        waiveFine(env.ctx, { libraryId: lib.library.id, fineId: fine.id, reason: 'again', actorId: null }),
      ),
    ).toBe('CIRCULATION_FINE_SETTLED');
    const { rows } = await sql<{ actor_id: string; subject: unknown }>`
      select actor_id, subject from audit_log where action = 'circulation.fine.waived'
      and subject::text like ${`%${fine.id}%`}`.execute(env.ctx.db);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actor_id).toBe(librarian.id);
  });

  it('reverses a waiver: the fine is owed again, payments kept, and both stay in the audit log', async () => {
    const { lib, fines } = await lateReturn({ dailyFine: 1 }, '2026-03-12T10:00:00Z'); // 300
    const librarian = await buildPerson(env.ctx, { roles: [[lib.library.id, 'staff']] });
    const fine = fines[0]!;
    const libraryId = lib.library.id;
    await payFine(env.ctx, { libraryId, fineId: fine.id, amount: 100, actorId: librarian.id });
    env.clock.set(new Date('2026-03-13T09:00:00Z'));
    const waived = await waiveFine(env.ctx, { libraryId, fineId: fine.id, reason: 'wrong fine', actorId: null });
    const reverse = (waivedAt: string) =>
      reverseWaiver(env.ctx, { libraryId, fineId: fine.id, waivedAt, actorId: librarian.id });

    const reversed = await reverse(waived.waivedAt!);
    expect(reversed).toMatchObject({
      paid: 100,
      waived: 0,
      balance: 200,
      status: 'open',
      waivedBy: null,
      waivedAt: null,
      waiveReason: null,
    });
    expect((await patronFines(env.ctx, libraryId, fine.patronId)).fines[0]).toMatchObject({ balance: 200 });
    // A second undo of the same waiver changes nothing.
    expect(await refusalCode(reverse(waived.waivedAt!))).toBe('CIRCULATION_FINE_CHANGED');
    const { rows } = await sql<{ action: string; actor_id: string | null; subject: string | object }>`
      select action, actor_id, subject from audit_log
      where action like 'circulation.fine.%' and subject::text like ${`%${fine.id}%`} order by id`.execute(env.ctx.db);
    expect(rows.map((r) => r.action)).toEqual([
      'circulation.fine.paid',
      'circulation.fine.waived',
      'circulation.fine.waiver_reversed',
    ]);
    const subject = typeof rows[2]!.subject === 'string' ? JSON.parse(rows[2]!.subject) : rows[2]!.subject;
    expect(rows[2]!.actor_id).toBe(librarian.id);
    expect(subject).toMatchObject({ restored: 200, waivedAt: '2026-03-13T09:00:00.000Z', reason: 'wrong fine' });

    // Waived again later: an undo of the first waiver does not reverse the new one.
    env.clock.set(new Date('2026-03-14T09:00:00Z'));
    const again = await waiveFine(env.ctx, { libraryId, fineId: fine.id, reason: 'right fine', actorId: null });
    expect(await refusalCode(reverse(waived.waivedAt!))).toBe('CIRCULATION_FINE_CHANGED');
    expect(await reverse(again.waivedAt!)).toMatchObject({ status: 'open', balance: 200 });
    // Paid in full since: there is no waiver to reverse.
    await payFine(env.ctx, { libraryId, fineId: fine.id, amount: 200, actorId: null });
    expect(await refusalCode(reverse(again.waivedAt!))).toBe('CIRCULATION_FINE_CHANGED');
    const other = await buildLibrary(env.ctx);
    expect(
      await refusalCode(
        reverseWaiver(env.ctx, {
          libraryId: other.library.id,
          fineId: fine.id,
          waivedAt: again.waivedAt!,
          actorId: null,
        }),
      ),
    ).toBe('CIRCULATION_FINE_NOT_FOUND');
  });
});

describe('payment reversals', () => {
  /** The fine's ledger: its payments and reversals in the order they were taken. */
  const ledger = async (fineId: string) =>
    (
      await sql<{ id: string; amount: number; reverses_payment_id: string | null }>`
        select id, amount, reverses_payment_id from circulation_fine_payments
        where fine_id = ${fineId} order by received_at, amount desc`.execute(env.ctx.db)
    ).rows;

  it('reverses a payment: a reversal row joins the ledger, the payment stays, the fine is owed it again', async () => {
    const person = await buildPerson(env.ctx);
    const { lib, patron, fines } = await lateReturn({ dailyFine: 1 }, '2026-03-12T10:00:00Z', person.id); // 300
    const librarian = await buildPerson(env.ctx, { roles: [[lib.library.id, 'staff']] });
    const fine = fines[0]!;
    const libraryId = lib.library.id;
    const first = await payFine(env.ctx, { libraryId, fineId: fine.id, amount: 100, actorId: null });
    env.clock.set(new Date('2026-03-12T11:00:00Z'));
    const second = await payFine(env.ctx, { libraryId, fineId: fine.id, amount: 200, actorId: null });
    expect(second).toMatchObject({ paid: 300, balance: 0, status: 'paid', paymentId: expect.any(String) });
    expect(second.paymentId).not.toBe(first.paymentId);
    const reverse = (paymentId: string, fineId = fine.id, at = libraryId) =>
      reversePayment(env.ctx, { libraryId: at, fineId, paymentId, actorId: librarian.id });

    // The 200 went on the wrong amount: the fine is open again for it, the 100 still counts.
    env.clock.set(new Date('2026-03-12T12:00:00Z'));
    const reopened = await reverse(second.paymentId);
    expect(reopened).toMatchObject({ paid: 100, waived: 0, balance: 200, status: 'open' });
    expect(await ledger(fine.id)).toEqual([
      { id: first.paymentId, amount: 100, reverses_payment_id: null },
      { id: second.paymentId, amount: 200, reverses_payment_id: null },
      { id: expect.any(String), amount: -200, reverses_payment_id: second.paymentId },
    ]);
    // Every total counts it: the desk's list, the patron's own, and what blocks a deletion.
    expect((await patronFines(env.ctx, libraryId, patron.id)).fines[0]).toMatchObject({ paid: 100, balance: 200 });
    expect((await myFines(env.ctx, person.id)).fines[0]).toMatchObject({ paid: 100, balance: 200, status: 'open' });
    expect(await openFinesOf(env.ctx.db, patron.id)).toEqual({ count: 1, owed: 200 });

    // Once only; a reversal is not a payment to reverse; nor is another fine's payment, nor another library's fine.
    expect(await refusalCode(reverse(second.paymentId))).toBe('CIRCULATION_FINE_CHANGED');
    const reversalId = (await ledger(fine.id))[2]!.id;
    expect(await refusalCode(reverse(reversalId))).toBe('CIRCULATION_FINE_PAYMENT_NOT_FOUND');
    const elsewhere = await lateReturn({ dailyFine: 1 }, '2026-03-12T10:00:00Z');
    const theirs = await payFine(env.ctx, {
      libraryId: elsewhere.lib.library.id,
      fineId: elsewhere.fines[0]!.id,
      amount: 50,
      actorId: null,
    });
    expect(await refusalCode(reverse(theirs.paymentId))).toBe('CIRCULATION_FINE_PAYMENT_NOT_FOUND');
    expect(await refusalCode(reverse(first.paymentId, fine.id, elsewhere.lib.library.id))).toBe(
      'CIRCULATION_FINE_NOT_FOUND',
    );
    expect((await patronFines(env.ctx, libraryId, patron.id)).fines[0]).toMatchObject({ paid: 100, balance: 200 });

    // Waived since: the waiver was worked out from what was paid, so it has to be undone first.
    const waived = await waiveFine(env.ctx, { libraryId, fineId: fine.id, reason: 'hardship', actorId: null });
    expect(await refusalCode(reverse(first.paymentId))).toBe('CIRCULATION_FINE_CHANGED');
    await reverseWaiver(env.ctx, { libraryId, fineId: fine.id, waivedAt: waived.waivedAt!, actorId: null });
    expect(await reverse(first.paymentId)).toMatchObject({ paid: 0, balance: 300, status: 'open' });

    const { rows } = await sql<{ action: string; actor_id: string | null; subject: string | object }>`
      select action, actor_id, subject from audit_log where action = 'circulation.fine.payment_reversed'
      and subject::text like ${`%${fine.id}%`} order by id`.execute(env.ctx.db);
    expect(rows).toHaveLength(2);
    const subject = typeof rows[0]!.subject === 'string' ? JSON.parse(rows[0]!.subject) : rows[0]!.subject;
    expect(rows[0]!.actor_id).toBe(librarian.id);
    expect(subject).toMatchObject({
      paymentId: second.paymentId,
      reversalId,
      restored: 200,
      currency: 'EUR',
      receivedAt: '2026-03-12T11:00:00.000Z',
    });
  });

  it('reverses a payment once when two desks reverse it at once', async () => {
    const { lib, fines } = await lateReturn({ dailyFine: 1 }, '2026-03-12T10:00:00Z'); // 300
    const fine = fines[0]!;
    const libraryId = lib.library.id;
    const { paymentId } = await payFine(env.ctx, { libraryId, fineId: fine.id, amount: 300, actorId: null });
    const results = await Promise.allSettled(
      [1, 2].map(() => reversePayment(env.ctx, { libraryId, fineId: fine.id, paymentId, actorId: null })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: 'CIRCULATION_FINE_CHANGED' });
    const { rows } = await sql<{ paid: number; status: string; sum: number; reversals: number }>`
      select f.paid, f.status,
        (select sum(amount)::int from circulation_fine_payments p where p.fine_id = f.id) as sum,
        (select count(*)::int from circulation_fine_payments p where p.reverses_payment_id = ${paymentId}) as reversals
      from circulation_fines f where f.id = ${fine.id}`.execute(env.ctx.db);
    expect(rows[0]).toEqual({ paid: 0, status: 'open', sum: 0, reversals: 1 });
  });

  it('keeps the ledger honest in the database: a reversal is minus its payment, of its fine, once', async () => {
    const { lib, fines } = await lateReturn({ dailyFine: 1 }, '2026-03-12T10:00:00Z'); // 300
    const other = await lateReturn({ dailyFine: 1 }, '2026-03-12T10:00:00Z');
    const fine = fines[0]!;
    const { paymentId } = await payFine(env.ctx, {
      libraryId: lib.library.id,
      fineId: fine.id,
      amount: 120,
      actorId: null,
    });
    const insert = (fineId: string, amount: number, reverses: string | null, reversed: number | null) =>
      sql`insert into circulation_fine_payments
        (fine_id, organization_id, amount, received_at, reverses_payment_id, reversed_amount)
        values (${fineId}, ${lib.library.id}, ${amount}, now(), ${reverses}, ${reversed})`
        .execute(env.ctx.db)
        .then(
          () => 'inserted',
          () => 'refused',
        );
    expect(await insert(fine.id, -120, null, null)).toBe('refused'); // negative without a payment
    expect(await insert(fine.id, 0, null, null)).toBe('refused');
    expect(await insert(fine.id, -100, paymentId, 100)).toBe('refused'); // not what was paid
    expect(await insert(fine.id, -120, paymentId, null)).toBe('refused');
    expect(await insert(fine.id, 120, paymentId, 120)).toBe('refused'); // not negative
    expect(await insert(other.fines[0]!.id, -120, paymentId, 120)).toBe('refused'); // another fine
    expect(await insert(fine.id, -120, paymentId, 120)).toBe('inserted');
    expect(await insert(fine.id, -120, paymentId, 120)).toBe('refused'); // twice
  });
});

describe('fines over HTTP', () => {
  it("keeps a library's fines from other libraries' staff and shows patrons their own", async () => {
    const person = await buildPerson(env.ctx);
    const { lib, patron, fines } = await lateReturn({ dailyFine: 1 }, '2026-03-12T10:00:00Z', person.id);
    const other = await buildLibrary(env.ctx);
    const staffA = await signInNewStaff(env, lib.library.id);
    const staffB = await signInNewStaff(env, other.library.id);
    const call = (...request: ApiRequest) => callApi(env, ...request);
    const fineId = fines[0]!.id;

    const listed = await call('GET', `/organizations/${lib.library.id}/patrons/${patron.id}/fines`, staffA);
    expect(listed.json()).toMatchObject({ fines: [{ id: fineId, amount: 300 }], accruing: [] });
    expect(
      (await call('GET', `/organizations/${other.library.id}/patrons/${patron.id}/fines`, staffB)).statusCode,
    ).toBe(404);
    expect((await call('GET', `/organizations/${lib.library.id}/patrons/${patron.id}/fines`, staffB)).statusCode).toBe(
      403,
    );
    const foreign = await call('POST', `/organizations/${other.library.id}/fines/${fineId}/payments`, staffB, {
      amount: 100,
    });
    expect(foreign.statusCode).toBe(404);
    const over = await call('POST', `/organizations/${lib.library.id}/fines/${fineId}/payments`, staffA, {
      amount: 301,
    });
    expect(over.statusCode).toBe(422);
    expect(over.json().code).toBe('CIRCULATION_FINE_OVERPAYMENT');
    const fractional = await call('POST', `/organizations/${lib.library.id}/fines/${fineId}/payments`, staffA, {
      amount: 1.5,
    });
    expect(fractional.statusCode).toBe(400);
    const partly = await call('POST', `/organizations/${lib.library.id}/fines/${fineId}/payments`, staffA, {
      amount: 100,
    });
    expect(partly.json()).toMatchObject({ paid: 100, balance: 200 });

    const me = (await signInAs(env.app, person.email)).headers;
    const mine = await call('GET', '/me/fines', me);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().fines).toEqual([
      expect.objectContaining({ id: fineId, balance: 200, library: expect.objectContaining({ id: lib.library.id }) }),
    ]);
    expect((await myFines(env.ctx, (await buildPerson(env.ctx)).id)).fines).toEqual([]);
  });

  it("lets only the fine's library's staff reverse its waiver", async () => {
    const { lib, fines } = await lateReturn({ dailyFine: 1 }, '2026-03-12T10:00:00Z');
    const other = await buildLibrary(env.ctx);
    const staffA = await signInNewStaff(env, lib.library.id);
    const staffB = await signInNewStaff(env, other.library.id);
    const call = (...request: ApiRequest) => callApi(env, ...request);
    const fineId = fines[0]!.id;
    const waiver = await call('POST', `/organizations/${lib.library.id}/fines/${fineId}/waiver`, staffA, {
      reason: 'by mistake',
    });
    const { waivedAt } = waiver.json() as { waivedAt: string };
    const reversal = (libraryId: string) => `/organizations/${libraryId}/fines/${fineId}/waiver/reversal`;

    // Another library's staff: not at that library (403), and no such fine at their own (404).
    expect((await call('POST', reversal(lib.library.id), staffB, { waivedAt })).statusCode).toBe(403);
    const foreign = await call('POST', reversal(other.library.id), staffB, { waivedAt });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('CIRCULATION_FINE_NOT_FOUND');
    expect((await call('POST', reversal(lib.library.id), {}, { waivedAt })).statusCode).toBe(401);
    expect((await call('POST', reversal(lib.library.id), staffA, {})).statusCode).toBe(400);

    const undone = await call('POST', reversal(lib.library.id), staffA, { waivedAt });
    expect(undone.statusCode).toBe(200);
    expect(undone.json()).toMatchObject({ id: fineId, status: 'open', balance: 300, waived: 0 });
    const twice = await call('POST', reversal(lib.library.id), staffA, { waivedAt });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('CIRCULATION_FINE_CHANGED');
    // Settled since (paid in full): paying again is refused as such, not as a server failure.
    await call('POST', `/organizations/${lib.library.id}/fines/${fineId}/payments`, staffA, { amount: 300 });
    const settled = await call('POST', `/organizations/${lib.library.id}/fines/${fineId}/payments`, staffA, {
      amount: 1,
    });
    expect(settled.statusCode).toBe(409);
    expect(settled.json()).toMatchObject({ code: 'CIRCULATION_FINE_SETTLED', fineStatus: 'paid' });
  });

  it("lets only the fine's library's staff reverse its payments", async () => {
    const { lib, fines } = await lateReturn({ dailyFine: 1 }, '2026-03-12T10:00:00Z'); // 300
    const other = await buildLibrary(env.ctx);
    const staffA = await signInNewStaff(env, lib.library.id);
    const staffB = await signInNewStaff(env, other.library.id);
    const call = (...request: ApiRequest) => callApi(env, ...request);
    const fineId = fines[0]!.id;
    const paid = await call('POST', `/organizations/${lib.library.id}/fines/${fineId}/payments`, staffA, {
      amount: 300,
    });
    expect(paid.json()).toMatchObject({ status: 'paid', paymentId: expect.any(String) });
    const { paymentId } = paid.json() as { paymentId: string };
    const reversal = (libraryId: string, payment = paymentId) =>
      `/organizations/${libraryId}/fines/${fineId}/payments/${payment}/reversal`;

    // Another library's staff: not at that library (403), and no such fine at their own (404).
    expect((await call('POST', reversal(lib.library.id), staffB)).statusCode).toBe(403);
    const foreign = await call('POST', reversal(other.library.id), staffB);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('CIRCULATION_FINE_NOT_FOUND');
    expect((await call('POST', reversal(lib.library.id), {})).statusCode).toBe(401);
    expect((await call('POST', reversal(lib.library.id, 'not-a-payment'), staffA)).statusCode).toBe(400);
    const unknown = await call('POST', reversal(lib.library.id, fineId), staffA);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('CIRCULATION_FINE_PAYMENT_NOT_FOUND');

    const undone = await call('POST', reversal(lib.library.id), staffA);
    expect(undone.statusCode).toBe(200);
    expect(undone.json()).toMatchObject({ id: fineId, status: 'open', paid: 0, balance: 300 });
    const twice = await call('POST', reversal(lib.library.id), staffA);
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'CIRCULATION_FINE_CHANGED', fineStatus: 'open' });
  });
});

describe('privacy', () => {
  it('refuses deletion while a fine is open and puts fines in the data download', async () => {
    const person = await buildPerson(env.ctx);
    const { lib, patron, fines } = await lateReturn({ dailyFine: 1 }, '2026-03-12T10:00:00Z', person.id);
    const download = await myPatronData(env.ctx, person.id, lib.library.id);
    expect(download.records[0]!.fines).toEqual([expect.objectContaining({ id: fines[0]!.id, amount: 300 })]);
    const refused = await deletePatronData(env.ctx, lib.library.id, patron.id, { personId: person.id, as: 'patron' })
      .then(() => null)
      .catch((e: AppError) => e);
    expect(refused?.code).toBe('CIRCULATION_DELETION_REFUSED');
    expect(refused?.details).toMatchObject({ finesOwed: 1, amountOwed: 300 });
    await payFine(env.ctx, { libraryId: lib.library.id, fineId: fines[0]!.id, amount: 300, actorId: null });
    const deleted = await deletePatronData(env.ctx, lib.library.id, patron.id, { personId: person.id, as: 'patron' });
    expect(deleted.anonymized).toBe(true);
  });
});
