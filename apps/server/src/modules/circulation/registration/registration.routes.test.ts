import type { Kysely } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { callApi, signInNewStaff, type ApiRequest } from '../../../test/api.js';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import type { PlatformTables } from '../../../platform/db/tables.js';
import { buildPerson, signInAs } from '../../accounts/accounts.factories.js';
import { buildCopies, buildLibrary, buildPatron } from '../circulation.factories.js';
import { buildWork } from '../holds/holds.factories.js';
import { generateCardNumber, joinLibrary } from './registration.service.js';

let env: TestEnv;
let atDesk: Awaited<ReturnType<typeof buildLibrary>>;
let atOnce: Awaited<ReturnType<typeof buildLibrary>>;
let closed: Awaited<ReturnType<typeof buildLibrary>>;
let staffDesk: Record<string, string>;
let staffOnce: Record<string, string>;

const call = (...request: ApiRequest) => callApi(env, ...request);

async function person(values: { verified?: boolean; displayName?: string } = {}) {
  const p = await buildPerson(env.ctx, { displayName: 'Ana Maria Souza', ...values });
  return { ...p, headers: (await signInAs(env.app, p.email)).headers };
}

beforeAll(async () => {
  env = await createTestEnv();
  [atDesk, atOnce, closed] = [await buildLibrary(env.ctx), await buildLibrary(env.ctx), await buildLibrary(env.ctx)];
  staffDesk = await signInNewStaff(env, atDesk.library.id);
  staffOnce = await signInNewStaff(env, atOnce.library.id);
  const set = await call('PATCH', `/organizations/${atDesk.library.id}/circulation-settings`, staffDesk, {
    selfRegistration: 'confirm_at_desk',
    selfRegistrationCategories: ['adult', 'senior'],
  });
  expect(set.statusCode).toBe(200);
  expect(set.json()).toMatchObject({
    selfRegistration: 'confirm_at_desk',
    selfRegistrationCategories: ['adult', 'senior'],
  });
  await call('PATCH', `/organizations/${atOnce.library.id}/circulation-settings`, staffOnce, {
    selfRegistration: 'borrow_at_once',
  });
});

describe('circulation settings: self-registration', () => {
  it('defaults to off, and refuses a category people may not choose for themselves', async () => {
    const headers = await signInNewStaff(env, closed.library.id);
    const settings = await call('GET', `/organizations/${closed.library.id}/circulation-settings`, headers);
    expect(settings.json()).toMatchObject({ selfRegistration: 'off', selfRegistrationCategories: ['adult'] });
    const child = await call('PATCH', `/organizations/${closed.library.id}/circulation-settings`, headers, {
      selfRegistrationCategories: ['adult', 'child'],
    });
    expect(child.statusCode).toBe(400);
    const offer = await env.app.inject({
      method: 'GET',
      url: `/api/v1/organizations/${atDesk.library.id}/self-registration`,
    });
    expect(offer.json()).toEqual({
      libraryId: atDesk.library.id,
      mode: 'confirm_at_desk',
      categories: ['adult', 'senior'],
    });
  });
});

describe('joining a library online', () => {
  it('lets a verified person join a library that lends at once, and they can borrow straight away', async () => {
    const ana = await person();
    const joined = await call('POST', '/me/library-memberships', ana.headers, { libraryId: atOnce.library.id });
    expect(joined.statusCode).toBe(201);
    const card = joined.json();
    expect(card).toMatchObject({
      library: { id: atOnce.library.id },
      category: 'adult',
      status: 'active',
      selfRegistered: true,
      mustConfirmAtDesk: false,
    });
    expect(card.cardNumber).toMatch(/^\d{12}$/);
    const [barcode] = await buildCopies(env.ctx, atOnce);
    const out = await call('POST', `/organizations/${atOnce.library.id}/checkouts`, staffOnce, {
      cardNumber: card.cardNumber,
      barcode,
      branchId: atOnce.main.id,
    });
    expect(out.statusCode).toBe(201);
    // The patron record carries the account's names, e-mail and link.
    const patron = await call('GET', `/organizations/${atOnce.library.id}/patrons/${card.patronId}`, staffOnce);
    expect(patron.json()).toMatchObject({
      givenName: 'Ana Maria',
      familyName: 'Souza',
      email: ana.email,
      personId: ana.id,
    });
  });

  it('keeps a patron of a confirm-at-desk library pending: refused at check-out until staff confirm, then lent', async () => {
    const ben = await person({ displayName: 'Ben' });
    const joined = await call('POST', '/me/library-memberships', ben.headers, {
      libraryId: atDesk.library.id,
      category: 'senior',
      givenName: 'Benjamin',
      familyName: 'Okafor',
    });
    expect(joined.statusCode).toBe(201);
    const card = joined.json();
    expect(card).toMatchObject({ status: 'pending', mustConfirmAtDesk: true, category: 'senior' });

    const [barcode] = await buildCopies(env.ctx, atDesk);
    const checkout = () =>
      call('POST', `/organizations/${atDesk.library.id}/checkouts`, staffDesk, {
        cardNumber: card.cardNumber,
        barcode,
        branchId: atDesk.main.id,
      });
    const refused = await checkout();
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('CIRCULATION_IDENTITY_NOT_CONFIRMED');
    // Holds are refused too while the identity is not confirmed.
    const lib = { id: atDesk.library.id, code: atDesk.library.code, main: atDesk.main.id, east: atDesk.east.id };
    const { workId } = await buildWork(env.ctx, [{ library: { ...lib, branches: atDesk.branches } }]);
    const hold = () => call('POST', '/me/holds', ben.headers, { workId, pickupBranchId: atDesk.main.id });
    const holdRefused = await hold();
    expect(holdRefused.statusCode).toBeGreaterThanOrEqual(400);
    expect(holdRefused.json().code).toBe('CIRCULATION_HOLD_NOT_ALLOWED');

    // Staff of another library cannot confirm this patron, nor see that it exists.
    const elsewhere = await call(
      'POST',
      `/organizations/${atOnce.library.id}/patrons/${card.patronId}/confirmation`,
      staffOnce,
    );
    expect(elsewhere.statusCode).toBe(404);
    const notStaff = await call(
      'POST',
      `/organizations/${atDesk.library.id}/patrons/${card.patronId}/confirmation`,
      staffOnce,
    );
    expect(notStaff.statusCode).toBe(403);
    // Nor can the patron confirm themselves.
    const self = await call(
      'POST',
      `/organizations/${atDesk.library.id}/patrons/${card.patronId}/confirmation`,
      ben.headers,
    );
    expect(self.statusCode).toBe(403);
    expect((await checkout()).json().code).toBe('CIRCULATION_IDENTITY_NOT_CONFIRMED');

    const confirmed = await call(
      'POST',
      `/organizations/${atDesk.library.id}/patrons/${card.patronId}/confirmation`,
      staffDesk,
    );
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({ id: card.patronId, status: 'active', givenName: 'Benjamin' });
    const audit = await (env.ctx.db as Kysely<PlatformTables>)
      .selectFrom('audit_log')
      .select(['actor_id', 'organization_id'])
      .where('action', '=', 'circulation.patron.identity_confirmed')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.organization_id).toBe(atDesk.library.id);
    expect(audit[0]!.actor_id).not.toBeNull();

    expect((await checkout()).statusCode).toBe(201);
    expect((await hold()).statusCode).toBe(201);
    const again = await call(
      'POST',
      `/organizations/${atDesk.library.id}/patrons/${card.patronId}/confirmation`,
      staffDesk,
    );
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('CIRCULATION_PATRON_NOT_PENDING');

    const mine = await call('GET', '/me/library-memberships', ben.headers);
    expect(mine.json().items).toMatchObject([{ patronId: card.patronId, status: 'active', mustConfirmAtDesk: false }]);
  });

  it('refuses an unverified e-mail, a library that does not accept it, a category not offered, and a second join', async () => {
    const unverified = await person({ verified: false });
    const res = await call('POST', '/me/library-memberships', unverified.headers, { libraryId: atOnce.library.id });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('CIRCULATION_EMAIL_NOT_VERIFIED');

    const cleo = await person();
    const off = await call('POST', '/me/library-memberships', cleo.headers, { libraryId: closed.library.id });
    expect(off.statusCode).toBe(403);
    expect(off.json().code).toBe('CIRCULATION_SELF_REGISTRATION_CLOSED');
    const senior = await call('POST', '/me/library-memberships', cleo.headers, {
      libraryId: atOnce.library.id,
      category: 'senior',
    });
    expect(senior.statusCode).toBe(422);
    expect(senior.json().code).toBe('CIRCULATION_CATEGORY_NOT_OFFERED');
    const child = await call('POST', '/me/library-memberships', cleo.headers, {
      libraryId: atOnce.library.id,
      category: 'child',
    });
    expect(child.statusCode).toBe(400);
    // Refusals changed nothing.
    expect((await call('GET', '/me/library-memberships', cleo.headers)).json().items).toEqual([]);

    expect(
      (await call('POST', '/me/library-memberships', cleo.headers, { libraryId: atOnce.library.id })).statusCode,
    ).toBe(201);
    const twice = await call('POST', '/me/library-memberships', cleo.headers, { libraryId: atOnce.library.id });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('CIRCULATION_ALREADY_PATRON');

    // A patron the staff registered for this account counts too.
    const dee = await person();
    await buildPatron(env.ctx, atOnce.library.id, { personId: dee.id });
    const staffMade = await call('POST', '/me/library-memberships', dee.headers, { libraryId: atOnce.library.id });
    expect(staffMade.statusCode).toBe(409);
    expect(staffMade.json().code).toBe('CIRCULATION_ALREADY_PATRON');

    // Signed out: no.
    const anonymous = await env.app.inject({
      method: 'POST',
      url: '/api/v1/me/library-memberships',
      payload: { libraryId: atOnce.library.id },
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('lists the person’s cards at every library, pending or not', async () => {
    const eve = await person();
    await call('POST', '/me/library-memberships', eve.headers, { libraryId: atOnce.library.id });
    await call('POST', '/me/library-memberships', eve.headers, { libraryId: atDesk.library.id });
    const mine = await call('GET', '/me/library-memberships', eve.headers);
    expect(mine.statusCode).toBe(200);
    const items = mine.json().items as Array<{ library: { id: string }; status: string; cardNumber: string }>;
    // Both joined at the same clock instant: compare without order.
    expect(items.map((i) => [i.library.id, i.status]).sort((a, b) => a[1]!.localeCompare(b[1]!))).toEqual([
      [atOnce.library.id, 'active'],
      [atDesk.library.id, 'pending'],
    ]);
    const other = await person();
    expect((await call('GET', '/me/library-memberships', other.headers)).json().items).toEqual([]);
  });

  it('makes one patron when the same person joins twice at once', async () => {
    const fay = await person();
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () =>
        joinLibrary(env.ctx, fay.id, { libraryId: atDesk.library.id, category: 'adult' }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason.code).toBe('CIRCULATION_ALREADY_PATRON');
    }
    expect((await call('GET', '/me/library-memberships', fay.headers)).json().items).toHaveLength(1);
  });

  it('draws another card number when the one drawn is already used at the library', async () => {
    const taken = await buildPatron(env.ctx, atOnce.library.id);
    const gus = await person();
    const drawn = [taken.cardNumber, taken.cardNumber, '990000000017'];
    const card = await joinLibrary(
      env.ctx,
      gus.id,
      { libraryId: atOnce.library.id, category: 'adult' },
      { cardNumber: () => drawn.shift()! },
    );
    expect(card.cardNumber).toBe('990000000017');
    expect(drawn).toEqual([]);
  });

  it('generates card numbers with a valid Luhn check digit', () => {
    for (let i = 0; i < 50; i++) {
      const digits = generateCardNumber().split('').map(Number).reverse();
      const sum = digits.reduce((s, d, j) => s + (j % 2 === 1 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d), 0);
      expect(digits).toHaveLength(12);
      expect(sum % 10).toBe(0);
    }
  });
});
