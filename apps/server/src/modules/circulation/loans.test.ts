import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/context.js';
import { refusalCode } from '../../test/refusals.js';
import { connect } from '../../platform/db/database.js';
import { shiftQueuedJobs } from '../../platform/testing/test-clock.js';
import type { AppError } from '../../platform/errors.js';
import { buildCopies, buildLibrary, buildPatron, GENERAL_RULE } from './circulation.factories.js';
import { buildNetwork, type TestLibrary } from './holds/holds.factories.js';
import { blockPatron, renewMembership, unblockPatron } from './patrons.service.js';
import { checkIn, checkOut, itemHistory, markItem, myLoans, renewLoan, renewMyLoan } from './loans.service.js';
import { createPolicy, putBranchCalendar, updateCirculationSettings } from './rules.service.js';
import { buildOrganization, buildPerson } from '../accounts/accounts.factories.js';

let env: TestEnv;
let lib: Awaited<ReturnType<typeof buildLibrary>>;

beforeAll(async () => {
  env = await createTestEnv();
  env.clock.set(new Date('2026-03-02T10:00:00Z')); // a Monday
  lib = await buildLibrary(env.ctx);
});

const out = (cardNumber: string, barcode: string, branchId = lib.main.id) =>
  checkOut(env.ctx, { libraryId: lib.library.id, cardNumber, barcode, branchId, actorId: null });
const back = (barcode: string, branchId = lib.main.id) =>
  checkIn(env.ctx, { libraryId: lib.library.id, barcode, branchId, actorId: null });

async function workOf(barcode: string): Promise<string> {
  const { rows } = await sql<{ work_id: string }>`
    select r.work_id from catalog_items i join catalog_records r on r.id = i.record_id
    where i.organization_id = ${lib.library.id} and i.barcode = ${barcode}`.execute(env.ctx.db);
  return rows[0]!.work_id;
}

async function itemStatus(barcode: string): Promise<string> {
  return (await itemHistory(env.ctx, lib.library.id, barcode)).item.status;
}

describe('check-out', () => {
  it('lends a copy under the most specific rule, due at the end of an open day', async () => {
    const general = await createPolicy(env.ctx, lib.library.id, { ...GENERAL_RULE, loanDays: 21 });
    const children = await createPolicy(env.ctx, lib.library.id, {
      ...GENERAL_RULE,
      patronCategory: 'child',
      loanDays: 14,
    });
    const childDvd = await createPolicy(env.ctx, lib.library.id, {
      ...GENERAL_RULE,
      patronCategory: 'child',
      itemType: 'dvd',
      loanDays: 7,
    });
    await createPolicy(env.ctx, lib.library.id, { ...GENERAL_RULE, itemType: 'dvd', loanDays: 3 });
    const adult = await buildPatron(env.ctx, lib.library.id);
    const child = await buildPatron(env.ctx, lib.library.id, { category: 'child' });
    const [book1, book2] = await buildCopies(env.ctx, lib, { count: 2 });
    const [dvd] = await buildCopies(env.ctx, lib, { itemType: 'dvd' });

    const loan = await out(adult.cardNumber, book1!);
    expect(loan.policyId).toBe(general.id);
    expect(loan.dueAt).toBe('2026-03-23T23:59:59.000Z');
    expect((await out(child.cardNumber, book2!)).policyId).toBe(children.id);
    expect((await out(child.cardNumber, dvd!)).policyId).toBe(childDvd.id);
    expect(await itemStatus(book1!)).toBe('on_loan');
    const history = await itemHistory(env.ctx, lib.library.id, book1!);
    expect(history.events[0]).toMatchObject({ from: 'available', to: 'on_loan', reason: 'check-out' });
    expect(history.loans[0]!.patronId).toBe(adult.id);
  });

  it('moves a due date off closed weekdays and closed dates', async () => {
    const lib2 = await buildLibrary(env.ctx);
    await createPolicy(env.ctx, lib2.library.id, { ...GENERAL_RULE, loanDays: 6 }); // Monday + 6 = Sunday
    const open = { open: '09:00', close: '17:00' };
    await putBranchCalendar(env.ctx, lib2.library.id, lib2.main.id, {
      weeklyHours: [null, { ...open }, open, open, open, open, open],
      closedDates: [{ date: '2026-03-09', reason: 'Staff training' }],
    });
    const patron = await buildPatron(env.ctx, lib2.library.id);
    const [copy] = await buildCopies(env.ctx, lib2);
    const loan = await checkOut(env.ctx, {
      libraryId: lib2.library.id,
      cardNumber: patron.cardNumber,
      barcode: copy!,
      branchId: lib2.main.id,
      actorId: null,
    });
    // Sunday the 8th is closed every week, Monday the 9th is a closed date; due at closing time (the calendar is in UTC).
    expect(loan.dueAt).toBe('2026-03-10T17:00:00.000Z');
  });

  it('refuses with the reason: blocked, expired, limit reached, on loan, not for loan', async () => {
    const patron = await buildPatron(env.ctx, lib.library.id);
    const other = await buildPatron(env.ctx, lib.library.id);
    const [a, b, c] = await buildCopies(env.ctx, lib, { count: 3 });

    const blocked = await blockPatron(env.ctx, lib.library.id, patron.id, 'Unpaid replacement', null);
    expect(await refusalCode(out(patron.cardNumber, a!))).toBe('CIRCULATION_PATRON_BLOCKED');
    await unblockPatron(env.ctx, lib.library.id, patron.id, blocked.blocks[0]!.id, null);

    await renewMembership(env.ctx, lib.library.id, patron.id, '2026-03-01');
    expect(await refusalCode(out(patron.cardNumber, a!))).toBe('CIRCULATION_MEMBERSHIP_EXPIRED');
    await renewMembership(env.ctx, lib.library.id, patron.id, '2027-03-01');

    await out(patron.cardNumber, a!);
    expect(await refusalCode(out(other.cardNumber, a!))).toBe('CIRCULATION_ITEM_ON_LOAN');

    await markItem(env.ctx, {
      libraryId: lib.library.id,
      barcode: b!,
      status: 'damaged',
      reason: 'Water',
      actorId: null,
    });
    expect(await refusalCode(out(other.cardNumber, b!))).toBe('CIRCULATION_ITEM_NOT_FOR_LOAN');
    expect(await refusalCode(out('NO-SUCH-CARD', c!))).toBe('CIRCULATION_PATRON_NOT_FOUND');
    expect(await refusalCode(out(other.cardNumber, 'NO-SUCH-ITEM'))).toBe('CIRCULATION_ITEM_NOT_FOUND');
    // A branch of another library is not this library's desk.
    const elsewhere = await buildLibrary(env.ctx);
    expect(await refusalCode(out(other.cardNumber, c!, elsewhere.main.id))).toBe('CIRCULATION_BRANCH_NOT_FOUND');

    const lib3 = await buildLibrary(env.ctx);
    await createPolicy(env.ctx, lib3.library.id, { ...GENERAL_RULE, maxLoans: 1 });
    const limited = await buildPatron(env.ctx, lib3.library.id);
    const [x, y] = await buildCopies(env.ctx, lib3, { count: 2 });
    const desk = { libraryId: lib3.library.id, cardNumber: limited.cardNumber, branchId: lib3.main.id, actorId: null };
    await checkOut(env.ctx, { ...desk, barcode: x! });
    expect(await refusalCode(checkOut(env.ctx, { ...desk, barcode: y! }))).toBe('CIRCULATION_LOAN_LIMIT_REACHED');
  });
});

describe('check-in', () => {
  it('at the home branch: available; elsewhere: in transit home, then available on arrival', async () => {
    const patron = await buildPatron(env.ctx, lib.library.id);
    const [copy] = await buildCopies(env.ctx, lib);
    await out(patron.cardNumber, copy!);
    const away = await back(copy!, lib.east.id);
    expect(away.status).toBe('in_transit');
    expect(away.transitTo?.id).toBe(lib.main.id);
    expect(away.loan?.returnedAt).not.toBeNull();
    const home = await back(copy!, lib.main.id);
    expect(home.status).toBe('available');
    expect(await refusalCode(back(copy!))).toBe('CIRCULATION_ITEM_NOT_ON_LOAN');
    const events = (await itemHistory(env.ctx, lib.library.id, copy!)).events.map((e) => `${e.from}>${e.to}`);
    expect(events).toEqual(['in_transit>available', 'on_loan>in_transit', 'available>on_loan']);
  });

  it("takes back an associated library's copy at this library's desk and sends it home", async () => {
    const net = await buildNetwork(env.ctx);
    const patron = await buildPatron(env.ctx, net.a.id);
    const [copy] = await buildCopies(env.ctx, { library: { id: net.a.id }, branches: net.a.branches });
    const desk = (library: TestLibrary, branchId = library.main) => ({
      libraryId: library.id,
      barcode: copy!,
      branchId,
      actorId: null,
    });
    await checkOut(env.ctx, { ...desk(net.a), cardNumber: patron.cardNumber });
    // A library in no association with the lender finds no such copy.
    expect(await refusalCode(checkIn(env.ctx, desk(net.outsider)))).toBe('CIRCULATION_ITEM_NOT_FOUND');
    const returned = await checkIn(env.ctx, desk(net.b, net.b.east));
    expect(returned).toMatchObject({ status: 'in_transit', transitTo: { id: net.a.main } });
    expect(returned.loan).toMatchObject({ libraryId: net.a.id, patronId: null });
    expect(returned.loan?.returnedAt).not.toBeNull();
    expect((await checkIn(env.ctx, desk(net.a))).status).toBe('available');
  });

  it('closes the loan of a copy marked claimed returned when it turns up', async () => {
    const patron = await buildPatron(env.ctx, lib.library.id);
    const [copy] = await buildCopies(env.ctx, lib);
    await out(patron.cardNumber, copy!);
    const marked = await markItem(env.ctx, {
      libraryId: lib.library.id,
      barcode: copy!,
      status: 'claimed_returned',
      reason: 'Patron says it went in the book drop',
      actorId: null,
    });
    expect(marked.item.status).toBe('claimed_returned');
    expect(marked.loans[0]!.returnedAt).toBeNull();
    const found = await back(copy!);
    expect(found.status).toBe('available');
    expect(found.loan?.returnedAt).not.toBeNull();
  });

  it("keeps the work's 'available at' libraries true as its copies go out and come back", async () => {
    const patron = await buildPatron(env.ctx, lib.library.id);
    const [a, b] = await buildCopies(env.ctx, lib, { count: 2 });
    const workId = await workOf(a!);
    const availableHere = async () => {
      const work = (await env.app.inject({ method: 'GET', url: `/api/v1/catalog/works/${workId}` })).json();
      return (work.availableLibraryIds as string[]).includes(lib.library.id);
    };
    expect(await availableHere()).toBe(true);
    await out(patron.cardNumber, a!);
    expect(await availableHere()).toBe(true); // the other copy is still on the shelf
    await out(patron.cardNumber, b!);
    expect(await availableHere()).toBe(false);
    await back(a!);
    expect(await availableHere()).toBe(true);
  });

  it('forgets the patron of an ended loan unless they keep a reading history', async () => {
    const forgetful = await buildPatron(env.ctx, lib.library.id);
    const keeper = await buildPatron(env.ctx, lib.library.id, { keepHistory: true });
    const [a, b] = await buildCopies(env.ctx, lib, { count: 2 });
    await out(forgetful.cardNumber, a!);
    await out(keeper.cardNumber, b!);
    expect((await back(a!)).loan?.patronId).toBeNull();
    expect((await back(b!)).loan?.patronId).toBe(keeper.id);
  });

  it('puts a returned copy in quarantine, which a job ends once the period has passed', async () => {
    const qlib = await buildLibrary(env.ctx);
    await updateCirculationSettings(env.ctx, qlib.library.id, { quarantineHours: 72 });
    const patron = await buildPatron(env.ctx, qlib.library.id);
    const [copy, other] = await buildCopies(env.ctx, qlib, { count: 2 });
    const desk = { libraryId: qlib.library.id, branchId: qlib.main.id, actorId: null };
    await checkOut(env.ctx, { ...desk, cardNumber: patron.cardNumber, barcode: copy! });
    await checkOut(env.ctx, { ...desk, cardNumber: patron.cardNumber, barcode: other! });

    const returned = await checkIn(env.ctx, { ...desk, barcode: copy! });
    expect(returned.status).toBe('in_quarantine');
    const until = new Date(env.clock.now().getTime() + 72 * 3_600_000).toISOString();
    expect(returned.quarantineUntil).toBe(until);
    // Returned at the other branch: after quarantine it goes home.
    await checkIn(env.ctx, { ...desk, branchId: qlib.east.id, barcode: other! });
    expect(await refusalCode(checkOut(env.ctx, { ...desk, cardNumber: patron.cardNumber, barcode: copy! }))).toBe(
      'CIRCULATION_ITEM_IN_QUARANTINE',
    );

    const status = async (barcode: string) => (await itemHistory(env.ctx, qlib.library.id, barcode)).item.status;
    const advance = async (hours: number) => {
      env.clock.advance(hours * 3_600_000);
      await shiftQueuedJobs(env.ctx.db, hours * 3_600_000);
      await env.drainJobs();
    };
    await advance(71);
    expect(await status(copy!)).toBe('in_quarantine');
    await advance(2);
    expect(await status(copy!)).toBe('available');
    expect(await status(other!)).toBe('in_transit');
    const events = (await itemHistory(env.ctx, qlib.library.id, copy!)).events;
    expect(events[0]).toMatchObject({
      from: 'in_quarantine',
      to: 'available',
      reason: 'quarantine ended',
      actorId: null,
    });
    expect(events[1]).toMatchObject({ from: 'on_loan', to: 'in_quarantine', until });
  });
});

describe('renewal', () => {
  it('extends from the due date until the renewals allowed are used', async () => {
    const lib4 = await buildLibrary(env.ctx);
    await createPolicy(env.ctx, lib4.library.id, { ...GENERAL_RULE, loanDays: 7, renewals: 1 });
    const patron = await buildPatron(env.ctx, lib4.library.id);
    const [copy] = await buildCopies(env.ctx, lib4);
    const loan = await checkOut(env.ctx, {
      libraryId: lib4.library.id,
      cardNumber: patron.cardNumber,
      barcode: copy!,
      branchId: lib4.main.id,
      actorId: null,
    });
    const renewed = await renewLoan(env.ctx, { libraryId: lib4.library.id, barcode: copy! });
    expect(renewed.renewals).toBe(1);
    expect(new Date(renewed.dueAt).getTime() - new Date(loan.dueAt).getTime()).toBe(7 * 86_400_000);
    expect(await refusalCode(renewLoan(env.ctx, { libraryId: lib4.library.id, loanId: loan.id }))).toBe(
      'CIRCULATION_RENEWALS_EXHAUSTED',
    );
    // Another library's staff cannot renew it through their own library.
    expect(await refusalCode(renewLoan(env.ctx, { libraryId: lib.library.id, loanId: loan.id }))).toBe(
      'CIRCULATION_LOAN_NOT_FOUND',
    );
  });

  it("lets a signed-in patron see and renew their own loans, and nobody else's", async () => {
    const person = await buildPerson(env.ctx);
    const stranger = await buildPerson(env.ctx);
    const patron = await buildPatron(env.ctx, lib.library.id, { personId: person.id });
    const [copy] = await buildCopies(env.ctx, lib);
    const loan = await out(patron.cardNumber, copy!);
    const mine = await myLoans(env.ctx, person.id);
    expect(mine.map((l) => l.id)).toEqual([loan.id]);
    expect(await myLoans(env.ctx, stranger.id)).toEqual([]);
    expect(await refusalCode(renewMyLoan(env.ctx, stranger.id, loan.id))).toBe('CIRCULATION_LOAN_NOT_FOUND');
    expect((await renewMyLoan(env.ctx, person.id, loan.id)).renewals).toBe(1);
  });
});

describe('integrity', () => {
  it('100 concurrent check-outs of the last copy: exactly one loan, 99 clear refusals', async () => {
    const [copy] = await buildCopies(env.ctx, lib);
    const patrons = [];
    for (let i = 0; i < 100; i++) patrons.push(await buildPatron(env.ctx, lib.library.id));
    // A pool of its own: the requests really run on separate connections.
    const { db, pool } = connect(env.database.url, 12);
    try {
      const ctx = { ...env.ctx, db };
      const results = await Promise.allSettled(
        patrons.map((p) =>
          checkOut(ctx, {
            libraryId: lib.library.id,
            cardNumber: p.cardNumber,
            barcode: copy!,
            branchId: lib.main.id,
            actorId: null,
          }),
        ),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const codes = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as AppError).code] : []));
      expect(won).toHaveLength(1);
      expect(codes).toEqual(Array(99).fill('CIRCULATION_ITEM_ON_LOAN'));
    } finally {
      await pool.end();
    }
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from circulation_loans l join catalog_items i on i.id = l.item_id
      where i.barcode = ${copy} and l.returned_at is null`.execute(env.ctx.db);
    expect(rows[0]!.n).toBe(1);
  });

  it('the database itself refuses a second open loan of an item', async () => {
    const patron = await buildPatron(env.ctx, lib.library.id);
    const [copy] = await buildCopies(env.ctx, lib);
    const loan = await out(patron.cardNumber, copy!);
    const history = await itemHistory(env.ctx, lib.library.id, copy!);
    await expect(
      sql`insert into circulation_loans (organization_id, item_id, patron_id, branch_id, checked_out_at, due_at)
          values (${lib.library.id}, ${history.item.id}, ${patron.id}, ${lib.main.id}, now(), now())`.execute(
        env.ctx.db,
      ),
    ).rejects.toThrow(/circulation_loans_open_item/);
    expect(loan.returnedAt).toBeNull();
  });
});

describe('barcodes shared across libraries', () => {
  it('finds the desk library’s own copy however many other libraries use its barcode', async () => {
    const [barcode] = await buildCopies(env.ctx, lib);
    const own = await sql<{ record_id: string }>`
      select record_id from catalog_items where organization_id = ${lib.library.id} and barcode = ${barcode!}`.execute(
      env.ctx.db,
    );
    // Sixty other libraries hold a copy with the same barcode, all listed before ours by id.
    for (let i = 0; i < 60; i++) {
      const other = await buildOrganization(env.ctx, { kind: 'library' });
      await sql`insert into catalog_items (id, organization_id, record_id, barcode)
        values (${`00000000-0000-7000-8000-${String(i).padStart(12, '0')}`}, ${other.id}, ${own.rows[0]!.record_id}, ${barcode!})`.execute(
        env.ctx.db,
      );
    }
    expect(await itemStatus(barcode!)).toBe('available');
  });

  it("takes back an associated library's copy however many other libraries use its barcode", async () => {
    const net = await buildNetwork(env.ctx);
    const patron = await buildPatron(env.ctx, net.a.id);
    const [copy] = await buildCopies(env.ctx, { library: { id: net.a.id }, branches: net.a.branches });
    const { rows } = await sql<{ record_id: string }>`
      select record_id from catalog_items where organization_id = ${net.a.id} and barcode = ${copy!}`.execute(
      env.ctx.db,
    );
    // Sixty libraries outside the association hold a copy with the same barcode, on loan or in
    // transit, all listed before the partner's by id.
    for (let i = 0; i < 60; i++) {
      const other = await buildOrganization(env.ctx, { kind: 'library' });
      await sql`insert into catalog_items (id, organization_id, record_id, barcode, status)
        values (${`00000000-0000-7000-9000-${String(i).padStart(12, '0')}`}, ${other.id}, ${rows[0]!.record_id}, ${copy!},
          ${i % 2 ? 'on_loan' : 'in_transit'})`.execute(env.ctx.db);
    }
    const desk = { libraryId: net.b.id, barcode: copy!, branchId: net.b.main, actorId: null };
    await checkOut(env.ctx, { ...desk, libraryId: net.a.id, branchId: net.a.main, cardNumber: patron.cardNumber });
    const returned = await checkIn(env.ctx, desk);
    expect(returned).toMatchObject({ status: 'in_transit', transitTo: { id: net.a.main } });
    expect(returned.loan).toMatchObject({ libraryId: net.a.id, patronId: null });
    // The outsiders' copies are untouched, and the desk of a library outside the association finds none of theirs.
    expect(
      await refusalCode(checkIn(env.ctx, { ...desk, libraryId: net.outsider.id, branchId: net.outsider.main })),
    ).toBe('CIRCULATION_ITEM_NOT_FOUND');
  });
});
