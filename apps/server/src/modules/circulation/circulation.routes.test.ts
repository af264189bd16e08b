import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { callApi, signInNewStaff, type ApiRequest } from '../../test/api.js';
import { buildPerson, signInAs } from '../accounts/accounts.factories.js';
import { createTestEnv, type TestEnv } from '../../test/context.js';
import { buildCopies, buildLibrary, buildPatron, GENERAL_RULE } from './circulation.factories.js';
import { buildNetwork, type TestLibrary } from './holds/holds.factories.js';
import { checkIn, checkOut } from './loans.service.js';
import { createPolicy } from './rules.service.js';

let env: TestEnv;
let a: Awaited<ReturnType<typeof buildLibrary>>;
let b: Awaited<ReturnType<typeof buildLibrary>>;
let staffA: Record<string, string>;
let staffB: Record<string, string>;

beforeAll(async () => {
  env = await createTestEnv();
  a = await buildLibrary(env.ctx);
  b = await buildLibrary(env.ctx);
  staffA = await signInNewStaff(env, a.library.id);
  staffB = await signInNewStaff(env, b.library.id);
});

const call = (...request: ApiRequest) => callApi(env, ...request);

/** A new patron of library A who borrows a new copy at A's main branch, over HTTP (the answer is not checked). */
async function borrowAtDeskOfA(values: { personId?: string } = {}) {
  const patron = await buildPatron(env.ctx, a.library.id, values);
  const [copy] = await buildCopies(env.ctx, a);
  await call('POST', `/organizations/${a.library.id}/checkouts`, staffA, {
    cardNumber: patron.cardNumber,
    barcode: copy,
    branchId: a.main.id,
  });
  return { patron, copy: copy! };
}

describe('desk over HTTP', () => {
  it('registers a patron, checks out, refuses a second check-out with a problem, checks in', async () => {
    const registered = await call('POST', `/organizations/${a.library.id}/patrons`, staffA, {
      cardNumber: 'A-0001',
      category: 'adult',
      givenName: 'Ada',
      familyName: 'Lovelace',
      staffNotes: 'Asked about Babbage',
    });
    expect(registered.statusCode).toBe(201);
    expect(registered.json()).toMatchObject({ cardNumber: 'A-0001', staffNotes: 'Asked about Babbage', blocks: [] });
    const duplicate = await call('POST', `/organizations/${a.library.id}/patrons`, staffA, {
      cardNumber: 'A-0001',
      category: 'adult',
      givenName: 'Other',
      familyName: 'Person',
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().code).toBe('CIRCULATION_CARD_TAKEN');

    const [copy] = await buildCopies(env.ctx, a);
    const desk = { cardNumber: 'A-0001', barcode: copy, branchId: a.main.id };
    const loan = await call('POST', `/organizations/${a.library.id}/checkouts`, staffA, desk);
    expect(loan.statusCode).toBe(201);
    expect(loan.json().item.barcode).toBe(copy);
    const again = await call('POST', `/organizations/${a.library.id}/checkouts`, staffA, desk);
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(again.json()).toMatchObject({ code: 'CIRCULATION_ITEM_ON_LOAN' });
    expect(again.json().detail).toContain(copy);

    const bad = await call('POST', `/organizations/${a.library.id}/checkouts`, staffA, {
      cardNumber: '',
      barcode: copy,
    });
    expect(bad.statusCode).toBe(400);

    const back = await call('POST', `/organizations/${a.library.id}/checkins`, staffA, {
      barcode: copy,
      branchId: a.main.id,
    });
    expect(back.statusCode).toBe(200);
    expect(back.json()).toMatchObject({ status: 'available', quarantineUntil: null, transitTo: null });
    const history = await call('GET', `/organizations/${a.library.id}/item-history?barcode=${copy}`, staffA);
    expect(history.json().events.map((e: { to: string }) => e.to)).toEqual(['available', 'on_loan']);

    const twice = await call('POST', `/organizations/${a.library.id}/checkins`, staffA, {
      barcode: copy,
      branchId: a.main.id,
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'CIRCULATION_ITEM_NOT_ON_LOAN', status: 409, itemStatus: 'available' });

    // A copy that is not for loan is refused with its status beside the problem's own (it was a
    // detail named "status", which became the HTTP status: a 500).
    const lost = await call('POST', `/organizations/${a.library.id}/item-marks`, staffA, {
      barcode: copy,
      status: 'lost',
      reason: '',
    });
    expect(lost.statusCode).toBe(200);
    const refused = await call('POST', `/organizations/${a.library.id}/checkouts`, staffA, desk);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'CIRCULATION_ITEM_NOT_FOR_LOAN', status: 409, itemStatus: 'lost' });
  });

  it('answers the quarantine end and the transit branch at check-in', async () => {
    const settings = await call('PATCH', `/organizations/${a.library.id}/circulation-settings`, staffA, {
      quarantineHours: 24,
    });
    expect(settings.json()).toMatchObject({ quarantineHours: 24, pickupWindowDays: 7 });
    const { copy } = await borrowAtDeskOfA();
    const back = await call('POST', `/organizations/${a.library.id}/checkins`, staffA, {
      barcode: copy,
      branchId: a.east.id,
    });
    expect(back.json().status).toBe('in_quarantine');
    expect(new Date(back.json().quarantineUntil).getTime()).toBe(env.clock.now().getTime() + 24 * 3_600_000);
    await call('PATCH', `/organizations/${a.library.id}/circulation-settings`, staffA, { quarantineHours: 0 });
  });
});

describe('tenancy', () => {
  it("staff of library B can neither see nor change library A's patrons and loans", async () => {
    const { patron, copy } = await borrowAtDeskOfA();
    const loans = (await call('GET', `/organizations/${a.library.id}/loans?open=true`, staffA)).json();
    const loanId = loans.items.find((l: { item: { barcode: string } }) => l.item.barcode === copy).id;

    // Through library A's addresses: refused by the role check.
    for (const [method, url, body] of [
      ['GET', `/organizations/${a.library.id}/patrons`],
      ['GET', `/organizations/${a.library.id}/patrons/${patron.id}`],
      ['GET', `/organizations/${a.library.id}/loans`],
      ['POST', `/organizations/${a.library.id}/patrons/${patron.id}/blocks`, { reason: 'x' }],
      [
        'POST',
        `/organizations/${a.library.id}/checkouts`,
        { cardNumber: patron.cardNumber, barcode: copy, branchId: a.main.id },
      ],
      ['POST', `/organizations/${a.library.id}/loans/${loanId}/renewal`],
      ['PATCH', `/organizations/${a.library.id}/circulation-settings`, { quarantineHours: 1 }],
    ] as const) {
      const res = await call(method, url, staffB, body);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
    }
    // Through library B's own addresses, naming A's rows: not found there.
    expect((await call('GET', `/organizations/${b.library.id}/patrons/${patron.id}`, staffB)).statusCode).toBe(404);
    expect((await call('POST', `/organizations/${b.library.id}/loans/${loanId}/renewal`, staffB)).statusCode).toBe(404);
    const blocked = await call('POST', `/organizations/${b.library.id}/patrons/${patron.id}/blocks`, staffB, {
      reason: 'x',
    });
    expect(blocked.statusCode).toBe(404);
    const listB = (await call('GET', `/organizations/${b.library.id}/patrons?q=${patron.cardNumber}`, staffB)).json();
    expect(listB.total).toBe(0);
    expect((await call('GET', `/organizations/${b.library.id}/loans`, staffB)).json().total).toBe(0);
    const out = await call('POST', `/organizations/${b.library.id}/checkouts`, staffB, {
      cardNumber: patron.cardNumber,
      barcode: copy,
      branchId: b.main.id,
    });
    expect(out.json().code).toBe('CIRCULATION_PATRON_NOT_FOUND');
    // A's patron is untouched.
    const seen = (await call('GET', `/organizations/${a.library.id}/patrons/${patron.id}`, staffA)).json();
    expect(seen.blocks).toEqual([]);
    expect(seen.openLoans).toBe(1);
  });

  it('shows a patron their loans without staff notes, and refuses those who are not signed in', async () => {
    const person = await buildPerson(env.ctx);
    await borrowAtDeskOfA({ personId: person.id });
    const me = (await signInAs(env.app, person.email)).headers;
    const mine = await call('GET', '/me/loans', me);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().items).toHaveLength(1);
    expect(JSON.stringify(mine.json())).not.toContain('staff only');
    const renewed = await call('POST', `/me/loans/${mine.json().items[0].id}/renewal`, me);
    expect(renewed.json().renewals).toBe(1);
    expect((await call('GET', `/organizations/${a.library.id}/patrons`, me)).statusCode).toBe(403);
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/me/loans' })).statusCode).toBe(401);
  });
});

describe('check-in across libraries', () => {
  const DAY = 86_400_000;
  const copyOf = async (lib: TestLibrary) =>
    (await buildCopies(env.ctx, { library: { id: lib.id }, branches: lib.branches }))[0]!;
  const openLoanOf = async (libraryId: string, headers: Record<string, string>, barcode: string) =>
    (await call('GET', `/organizations/${libraryId}/loans?open=true&pageSize=100`, headers))
      .json()
      .items.find((l: { item: { barcode: string } }) => l.item.barcode === barcode);

  it("refuses another library's copy, on loan or in transit, as it refuses an unknown barcode", async () => {
    // C lends with a daily fine; D is another library, in no association with C.
    const c = await buildLibrary(env.ctx);
    const d = await buildLibrary(env.ctx);
    const [staffC, staffD] = [await signInNewStaff(env, c.library.id), await signInNewStaff(env, d.library.id)];
    await createPolicy(env.ctx, c.library.id, { ...GENERAL_RULE, loanDays: 7, dailyFine: 1 });
    const patron = await buildPatron(env.ctx, c.library.id);
    const [lent, sent] = await buildCopies(env.ctx, c, { count: 2 });
    // Lent 30 days ago (long overdue: a check-in would charge a fine); the second copy came back
    // at C's other branch and is in transit home.
    const now = env.clock.now();
    env.clock.set(new Date(now.getTime() - 30 * DAY));
    try {
      for (const barcode of [lent!, sent!]) {
        const desk = { libraryId: c.library.id, barcode, branchId: c.main.id, actorId: null };
        await checkOut(env.ctx, { ...desk, cardNumber: patron.cardNumber });
      }
      const back = await checkIn(env.ctx, {
        libraryId: c.library.id,
        barcode: sent!,
        branchId: c.east.id,
        actorId: null,
      });
      expect(back).toMatchObject({ status: 'in_transit', transitTo: { id: c.main.id } });
    } finally {
      env.clock.set(now);
    }
    const historyBefore = async (barcode: string) =>
      (await call('GET', `/organizations/${c.library.id}/item-history?barcode=${barcode}`, staffC)).json();
    const [lentBefore, sentBefore] = [await historyBefore(lent!), await historyBefore(sent!)];

    const unknown = await call('POST', `/organizations/${d.library.id}/checkins`, staffD, {
      barcode: 'NO-SUCH-COPY',
      branchId: d.main.id,
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('CIRCULATION_ITEM_NOT_FOUND');
    for (const barcode of [lent!, sent!]) {
      const refused = await call('POST', `/organizations/${d.library.id}/checkins`, staffD, {
        barcode,
        branchId: d.main.id,
      });
      expect(refused.statusCode, barcode).toBe(404);
      expect(refused.json().code).toBe('CIRCULATION_ITEM_NOT_FOUND');
      expect(refused.json().detail).toBe(`No item has barcode ${barcode}.`);
      expect(refused.body).not.toContain(patron.id);
    }

    // C's loan is still open, nothing was charged, and neither copy moved.
    expect(await openLoanOf(c.library.id, staffC, lent!)).toMatchObject({ patronId: patron.id, returnedAt: null });
    const fines = (await call('GET', `/organizations/${c.library.id}/patrons/${patron.id}/fines`, staffC)).json();
    expect(fines.fines).toEqual([]);
    expect(fines.accruing).toHaveLength(1); // overdue: a check-in would have charged it
    expect(await historyBefore(lent!)).toEqual(lentBefore);
    expect(await historyBefore(sent!)).toEqual(sentBefore);
    expect(lentBefore.item.status).toBe('on_loan');
    expect(sentBefore.item.status).toBe('in_transit');

    // A copy on its way to one of D's branches (a hold to pick up there) is D's to receive.
    await sql`update circulation_item_states set transit_to_branch_id = ${d.east.id}
      where item_id = ${sentBefore.item.id}`.execute(env.ctx.db);
    const received = await call('POST', `/organizations/${d.library.id}/checkins`, staffD, {
      barcode: sent,
      branchId: d.east.id,
    });
    expect(received.statusCode).toBe(200);
    expect(received.json()).toMatchObject({ loan: null, status: 'in_transit', transitTo: { id: c.main.id } });
  });

  it("takes back an associated library's loan without showing its patron, and the lender receives it", async () => {
    const net = await buildNetwork(env.ctx);
    const [staffNetA, staffNetB, staffOutsider] = [
      await signInNewStaff(env, net.a.id),
      await signInNewStaff(env, net.b.id),
      await signInNewStaff(env, net.outsider.id),
    ];
    const patron = await buildPatron(env.ctx, net.b.id);
    const copy = await copyOf(net.b);
    const out = await call('POST', `/organizations/${net.b.id}/checkouts`, staffNetB, {
      cardNumber: patron.cardNumber,
      barcode: copy,
      branchId: net.b.main,
    });
    expect(out.json().patronId).toBe(patron.id);

    // A library outside the association cannot take it back.
    const outsider = await call('POST', `/organizations/${net.outsider.id}/checkins`, staffOutsider, {
      barcode: copy,
      branchId: net.outsider.main,
    });
    expect(outsider.json().code).toBe('CIRCULATION_ITEM_NOT_FOUND');

    // A, in B's association, takes it back and sends it home; B's patron stays B's business.
    const returned = await call('POST', `/organizations/${net.a.id}/checkins`, staffNetA, {
      barcode: copy,
      branchId: net.a.main,
    });
    expect(returned.statusCode).toBe(200);
    expect(returned.json()).toMatchObject({
      item: { barcode: copy },
      status: 'in_transit',
      transitTo: { id: net.b.main },
      loan: { libraryId: net.b.id, patronId: null },
    });
    expect(returned.json().loan.returnedAt).not.toBeNull();
    expect(returned.body).not.toContain(patron.id);
    expect(await openLoanOf(net.b.id, staffNetB, copy)).toBeUndefined();

    // The copy in transit to B: the outsider still cannot touch it; B receives it home.
    const stray = await call('POST', `/organizations/${net.outsider.id}/checkins`, staffOutsider, {
      barcode: copy,
      branchId: net.outsider.main,
    });
    expect(stray.json().code).toBe('CIRCULATION_ITEM_NOT_FOUND');
    const home = await call('POST', `/organizations/${net.b.id}/checkins`, staffNetB, {
      barcode: copy,
      branchId: net.b.main,
    });
    expect(home.json()).toMatchObject({ status: 'available', loan: null, transitTo: null });
  });
});
