import { beforeAll, describe, expect, it } from 'vitest';
import { callApi, signInNewStaff, type ApiRequest } from '../../test/api.js';
import { buildPerson, signInAs } from '../accounts/accounts.factories.js';
import { createTestEnv, type TestEnv } from '../../test/context.js';
import { buildCopies, buildLibrary, buildPatron } from './circulation.factories.js';

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
