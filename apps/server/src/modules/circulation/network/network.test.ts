import { beforeAll, describe, expect, it } from 'vitest';
import { callApi, signInNewStaff, type ApiRequest } from '../../../test/api.js';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { refusal } from '../../../test/refusals.js';
import { buildOrganization, buildPerson } from '../../accounts/accounts.factories.js';
import { buildCopies, buildPatron, GENERAL_RULE } from '../circulation.factories.js';
import { buildNetwork, type TestLibrary } from '../holds/holds.factories.js';
import { checkIn, checkOut, myLoans, renewLoan } from '../loans.service.js';
import { blockPatron } from '../patrons.service.js';
import { createPolicy } from '../rules.service.js';
import { patronFines } from '../fines/fines.service.js';
import { myPatronData, patronDataForStaff } from '../privacy/privacy.service.js';
import { findNetworkPatrons, updateNetworkSettings } from './network.service.js';

let env: TestEnv;

beforeAll(async () => {
  env = await createTestEnv();
  env.clock.set(new Date('2026-03-02T10:00:00Z'));
});

const copiesAt = (lib: TestLibrary, count = 1) =>
  buildCopies(env.ctx, { library: { id: lib.id }, branches: lib.branches }, { count });

const lend = (lib: TestLibrary, cardNumber: string, barcode: string, homeLibraryId?: string) =>
  checkOut(env.ctx, {
    libraryId: lib.id,
    cardNumber,
    barcode,
    branchId: lib.main,
    actorId: null,
    ...(homeLibraryId ? { homeLibraryId } : {}),
  });

/** A network where B lends to network patrons and A lets its patrons borrow elsewhere. */
async function openNetwork() {
  const net = await buildNetwork(env.ctx);
  await updateNetworkSettings(env.ctx, net.b.id, { lendsToNetworkPatrons: true });
  await updateNetworkSettings(env.ctx, net.a.id, { ownPatronsBorrowElsewhere: true });
  return net;
}

describe('network card', () => {
  it('is off by default on both sides', async () => {
    const net = await buildNetwork(env.ctx);
    const patron = await buildPatron(env.ctx, net.a.id);
    const [copy] = await copiesAt(net.b);
    expect((await refusal(lend(net.b, patron.cardNumber, copy!))).code).toBe('CIRCULATION_NETWORK_NOT_LENDING');
    await updateNetworkSettings(env.ctx, net.b.id, { lendsToNetworkPatrons: true });
    expect((await refusal(lend(net.b, patron.cardNumber, copy!))).code).toBe('CIRCULATION_NETWORK_HOME_REFUSES');
    await updateNetworkSettings(env.ctx, net.a.id, { ownPatronsBorrowElsewhere: true });
    await updateNetworkSettings(env.ctx, net.b.id, { lendsToNetworkPatrons: false });
    expect((await refusal(lend(net.b, patron.cardNumber, copy!))).code).toBe('CIRCULATION_NETWORK_NOT_LENDING');
  });

  it("lends under the lending library's rule for the patron's category; renewal and check-in happen there", async () => {
    const net = await openNetwork();
    const child = await buildPatron(env.ctx, net.a.id, { category: 'child' });
    await createPolicy(env.ctx, net.a.id, { ...GENERAL_RULE, patronCategory: 'child', loanDays: 3 });
    const childRule = await createPolicy(env.ctx, net.b.id, { ...GENERAL_RULE, patronCategory: 'child', loanDays: 10 });
    const [copy] = await copiesAt(net.b);
    const loan = await lend(net.b, child.cardNumber, copy!);
    expect(loan).toMatchObject({ libraryId: net.b.id, patronId: child.id, policyId: childRule.id });
    expect(loan.dueAt).toBe('2026-03-12T23:59:59.000Z');

    // The home library's staff do not see the loan as theirs; the lending library renews it.
    expect((await refusal(renewLoan(env.ctx, { libraryId: net.a.id, loanId: loan.id }))).code).toBe(
      'CIRCULATION_LOAN_NOT_FOUND',
    );
    const renewed = await renewLoan(env.ctx, { libraryId: net.b.id, barcode: copy! });
    expect(renewed.renewals).toBe(1);
    const back = await checkIn(env.ctx, { libraryId: net.b.id, barcode: copy!, branchId: net.b.main, actorId: null });
    expect(back.loan?.returnedAt).not.toBeNull();
    expect(back.status).toBe('available');
  });

  it("checks the patron's own blocks and expiry", async () => {
    const net = await openNetwork();
    const expired = await buildPatron(env.ctx, net.a.id, { expiresOn: '2026-01-01' });
    const blocked = await buildPatron(env.ctx, net.a.id);
    await blockPatron(env.ctx, net.a.id, blocked.id, 'unpaid damages', null);
    const [copy] = await copiesAt(net.b);
    expect((await refusal(lend(net.b, expired.cardNumber, copy!))).code).toBe('CIRCULATION_MEMBERSHIP_EXPIRED');
    expect((await refusal(lend(net.b, blocked.cardNumber, copy!))).code).toBe('CIRCULATION_PATRON_BLOCKED');
  });

  it("counts the patron's open loans at every library against the lending library's limit", async () => {
    const net = await openNetwork();
    await createPolicy(env.ctx, net.b.id, { ...GENERAL_RULE, maxLoans: 2 });
    const patron = await buildPatron(env.ctx, net.a.id);
    const [home] = await copiesAt(net.a);
    const [away1, away2] = await copiesAt(net.b, 2);
    await lend(net.a, patron.cardNumber, home!);
    await lend(net.b, patron.cardNumber, away1!);
    const limit = await refusal(lend(net.b, patron.cardNumber, away2!));
    expect(limit.code).toBe('CIRCULATION_LOAN_LIMIT_REACHED');
    expect(limit.details).toMatchObject({ open: 2, limit: 2 });
  });

  it('refuses a library outside the association, even when both sides allow network loans', async () => {
    const net = await openNetwork();
    await updateNetworkSettings(env.ctx, net.outsider.id, { lendsToNetworkPatrons: true });
    const patron = await buildPatron(env.ctx, net.a.id);
    const [copy] = await copiesAt(net.outsider);
    expect((await refusal(lend(net.outsider, patron.cardNumber, copy!))).code).toBe('CIRCULATION_PATRON_NOT_FOUND');
    expect((await refusal(lend(net.outsider, patron.cardNumber, copy!, net.a.id))).code).toBe(
      'CIRCULATION_NETWORK_NOT_ASSOCIATED',
    );
    expect(await findNetworkPatrons(env.ctx, net.outsider.id, patron.cardNumber)).toEqual([]);
  });

  it('asks for the home library when several libraries of the association have the card', async () => {
    const net = await openNetwork();
    // A third library of the same association, which also lets its patrons borrow elsewhere.
    const c = await buildOrganization(env.ctx, { kind: 'library', memberOf: [net.association.id] });
    await updateNetworkSettings(env.ctx, c.id, { ownPatronsBorrowElsewhere: true });
    const mine = await buildPatron(env.ctx, net.a.id);
    const { registerPatron } = await import('../patrons.service.js');
    const twin = await registerPatron(env.ctx, c.id, {
      cardNumber: mine.cardNumber,
      category: 'adult',
      givenName: 'Twin',
      familyName: 'Card',
      preferredLanguage: 'en',
      staffNotes: '',
      keepHistory: false,
    });
    const [copy1, copy2] = await copiesAt(net.b, 2);
    const ambiguous = await refusal(lend(net.b, mine.cardNumber, copy1!));
    expect(ambiguous.code).toBe('CIRCULATION_NETWORK_CARD_AMBIGUOUS');
    expect((ambiguous.details!.libraries as Array<{ id: string }>).map((l) => l.id).sort()).toEqual(
      [net.a.id, c.id].sort(),
    );
    expect((await lend(net.b, mine.cardNumber, copy1!, net.a.id)).patronId).toBe(mine.id);
    expect((await lend(net.b, mine.cardNumber, copy2!, c.id)).patronId).toBe(twin.id);
    const found = await findNetworkPatrons(env.ctx, net.b.id, mine.cardNumber);
    expect(found.map((p) => p.homeLibrary.id).sort()).toEqual([net.a.id, c.id].sort());
    expect(found.find((p) => p.id === mine.id)).toMatchObject({ openLoans: 1, blocked: false, status: 'active' });
  });

  it("keeps the library's own patron first when another library has the same card", async () => {
    const net = await openNetwork();
    const theirs = await buildPatron(env.ctx, net.a.id);
    const { registerPatron } = await import('../patrons.service.js');
    const ours = await registerPatron(env.ctx, net.b.id, {
      cardNumber: theirs.cardNumber,
      category: 'adult',
      givenName: 'Own',
      familyName: 'Patron',
      preferredLanguage: 'en',
      staffNotes: '',
      keepHistory: false,
    });
    const [copy1, copy2] = await copiesAt(net.b, 2);
    expect((await lend(net.b, theirs.cardNumber, copy1!)).patronId).toBe(ours.id);
    expect((await lend(net.b, theirs.cardNumber, copy2!, net.a.id)).patronId).toBe(theirs.id);
  });

  it("shows the patron the network loan with the lending library's name", async () => {
    const net = await openNetwork();
    const person = await buildPerson(env.ctx);
    const patron = await buildPatron(env.ctx, net.a.id, { personId: person.id });
    const [copy] = await copiesAt(net.b);
    await lend(net.b, patron.cardNumber, copy!);
    const [loan] = await myLoans(env.ctx, person.id);
    expect(loan).toMatchObject({ libraryId: net.b.id, library: { id: net.b.id, code: net.b.code } });
  });
});

describe('a network loan returned late', () => {
  it("is fined by the lending library, in its currency; the home library's staff see neither loan nor fine", async () => {
    const net = await openNetwork();
    await createPolicy(env.ctx, net.b.id, { ...GENERAL_RULE, loanDays: 7, dailyFine: 0.5 });
    await updateNetworkSettings(env.ctx, net.b.id, { currency: 'BRL' });
    const person = await buildPerson(env.ctx);
    const patron = await buildPatron(env.ctx, net.a.id, { personId: person.id, keepHistory: true });
    const [copy] = await copiesAt(net.b);
    await lend(net.b, patron.cardNumber, copy!);
    env.clock.set(new Date('2026-03-12T10:00:00Z')); // due at the end of 9 March: 3 days late
    try {
      await checkIn(env.ctx, { libraryId: net.b.id, barcode: copy!, branchId: net.b.main, actorId: null });
    } finally {
      env.clock.set(new Date('2026-03-02T10:00:00Z'));
    }
    const atLender = await patronFines(env.ctx, net.b.id, patron.id);
    expect(atLender.fines).toEqual([
      expect.objectContaining({ amount: 150, currency: 'BRL', library: expect.objectContaining({ id: net.b.id }) }),
    ]);
    expect((await patronFines(env.ctx, net.a.id, patron.id)).fines).toEqual([]);
    const forHomeStaff = (await patronDataForStaff(env.ctx, net.a.id, patron.id)).records[0]!;
    expect(forHomeStaff.fines).toEqual([]);
    expect(forHomeStaff.readingHistory).toEqual([]);
    const own = (await myPatronData(env.ctx, person.id)).records[0]!;
    expect(own.fines).toHaveLength(1);
    expect(own.readingHistory).toHaveLength(1);
  });
});

describe('network card over HTTP', () => {
  it('lets staff look a network patron up and check out; staff outside the association see nobody', async () => {
    const net = await openNetwork();
    const staffA = await signInNewStaff(env, net.a.id);
    const staffB = await signInNewStaff(env, net.b.id);
    const staffC = await signInNewStaff(env, net.outsider.id);
    const call = (...request: ApiRequest) => callApi(env, ...request);

    const settings = await call('GET', `/organizations/${net.b.id}/network-settings`, staffB);
    expect(settings.json()).toEqual({ lendsToNetworkPatrons: true, ownPatronsBorrowElsewhere: false, currency: 'EUR' });
    expect(
      (await call('PATCH', `/organizations/${net.b.id}/network-settings`, staffA, { currency: 'SEK' })).statusCode,
    ).toBe(403);
    const patron = await buildPatron(env.ctx, net.a.id);
    const looked = await call(
      'GET',
      `/organizations/${net.b.id}/network-patrons?cardNumber=${patron.cardNumber}`,
      staffB,
    );
    expect(looked.statusCode).toBe(200);
    expect(looked.json().items).toEqual([
      expect.objectContaining({ id: patron.id, homeLibrary: expect.objectContaining({ id: net.a.id }) }),
    ]);
    expect(looked.json().items[0]).not.toHaveProperty('staffNotes');
    const outside = await call(
      'GET',
      `/organizations/${net.outsider.id}/network-patrons?cardNumber=${patron.cardNumber}`,
      staffC,
    );
    expect(outside.json().items).toEqual([]);
    expect(
      (await call('GET', `/organizations/${net.b.id}/network-patrons?cardNumber=${patron.cardNumber}`, staffC))
        .statusCode,
    ).toBe(403);
    expect((await call('GET', `/organizations/${net.outsider.id}/patrons/${patron.id}/fines`, staffC)).statusCode).toBe(
      404,
    );

    const [copy] = await copiesAt(net.b);
    const out = await call('POST', `/organizations/${net.b.id}/checkouts`, staffB, {
      cardNumber: patron.cardNumber,
      barcode: copy,
      branchId: net.b.main,
      homeLibraryId: net.a.id,
    });
    expect(out.statusCode).toBe(201);
    expect(out.json()).toMatchObject({ libraryId: net.b.id, patronId: patron.id });
    const refused = await call('POST', `/organizations/${net.outsider.id}/checkouts`, staffC, {
      cardNumber: patron.cardNumber,
      barcode: copy,
      branchId: net.outsider.main,
      homeLibraryId: net.a.id,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('CIRCULATION_NETWORK_NOT_ASSOCIATED');
  });
});
