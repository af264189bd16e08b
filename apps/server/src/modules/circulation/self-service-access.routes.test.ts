import { beforeAll, describe, expect, it } from 'vitest';
import { callApi, signInNewStaff, type ApiRequest } from '../../test/api.js';
import { createTestEnv, type TestEnv } from '../../test/context.js';
import { buildPerson, signInAs } from '../accounts/accounts.factories.js';
import { buildHoldPatron, buildNetwork, buildWork } from './holds/holds.factories.js';
import { registerPatron } from './patrons.service.js';

let env: TestEnv;
let net: Awaited<ReturnType<typeof buildNetwork>>;
let staffA: Record<string, string>;

beforeAll(async () => {
  env = await createTestEnv();
  net = await buildNetwork(env.ctx);
  staffA = await signInNewStaff(env, net.a.id);
});

const call = (...request: ApiRequest) => callApi(env, ...request);

/**
 * A librarian of A who is also a patron of A and the guardian of a child there, signed in, with an
 * API token made for catalogue work at A (scope: staff at A); the child has a loan and a hold.
 */
async function librarianParent() {
  const person = await buildPerson(env.ctx, { roles: [[net.a.id, 'staff']] });
  const patron = await registerPatron(env.ctx, net.a.id, {
    cardNumber: `LP-${person.id.slice(0, 8)}`,
    category: 'adult',
    givenName: 'Lena',
    familyName: 'Librarian',
    preferredLanguage: 'en',
    staffNotes: '',
    keepHistory: true,
    personId: person.id,
    email: person.email,
  });
  const session = (await signInAs(env.app, person.email)).headers;
  const created = await call('POST', '/tokens', session, {
    name: 'Catalogue sync',
    scopes: [{ organizationId: net.a.id, role: 'staff' }],
  });
  expect(created.statusCode).toBe(201);
  const token = { authorization: `Bearer ${created.json().token as string}` };

  const child = await buildHoldPatron(env.ctx, net.a.id);
  const linked = await call('POST', `/organizations/${net.a.id}/patrons/${child.patron.id}/guardians`, staffA, {
    guardianPatronId: patron.id,
  });
  expect(linked.statusCode).toBe(200);
  const lent = await buildWork(env.ctx, [{ library: net.a }]);
  const out = await call('POST', `/organizations/${net.a.id}/checkouts`, staffA, {
    cardNumber: child.patron.cardNumber,
    barcode: lent.copies[0]!.barcode,
    branchId: net.a.main,
  });
  expect(out.statusCode).toBe(201);
  const wanted = await buildWork(env.ctx, [{ library: net.a }]);
  const hold = await call('POST', `/me/children/${child.patron.id}/holds`, session, {
    workId: wanted.workId,
    pickupBranchId: net.a.main,
  });
  expect(hold.statusCode, hold.body).toBe(201);
  return { patron, session, token, child: child.patron, loanId: out.json().id as string, holdId: hold.json().id };
}

describe('patron self-service with an API token', () => {
  it("refuses a token on the person's patron data, reading history and guardian actions, and changes nothing", async () => {
    const { patron, session, token, child, loanId, holdId } = await librarianParent();
    const other = await buildWork(env.ctx, [{ library: net.a }]);
    const kids = `/me/children/${child.id}`;
    const attempts: Array<[ApiRequest[0], string, object?]> = [
      ['GET', '/me/patron-data'],
      ['GET', `/me/patron-data?library=${net.a.id}`],
      ['POST', '/me/patron-data/deletion', { patronId: patron.id }],
      ['PUT', `/me/patrons/${patron.id}/reading-history`, { keepHistory: false }],
      ['GET', '/me/children'],
      ['GET', `${kids}/loans`],
      ['POST', `${kids}/loans/${loanId}/renewal`],
      ['GET', `${kids}/holds`],
      ['POST', `${kids}/holds`, { workId: other.workId, pickupBranchId: net.a.main }],
      ['PATCH', `${kids}/holds/${holdId}`, { suspendedUntil: '2099-01-01' }],
      ['DELETE', `${kids}/holds/${holdId}`],
      // The rest of patron self-service: what the person reads and their card numbers.
      ['GET', '/me/loans'],
      ['GET', '/me/holds'],
      ['POST', '/me/holds', { workId: other.workId, pickupBranchId: net.a.main }],
      ['GET', '/me/hold-options'],
      ['GET', '/me/fines'],
      ['GET', '/me/ill-requests'],
      ['GET', '/me/library-memberships'],
      ['GET', `/me/patrons/${patron.id}/notifications`],
    ];
    for (const [method, url, payload] of attempts) {
      const res = await call(method, url, token, payload);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json().code, `${method} ${url}`).toBe('SESSION_REQUIRED');
    }
    // The token still does the staff work it was made for at A.
    expect((await call('GET', `/organizations/${net.a.id}/patrons/${patron.id}`, token)).statusCode).toBe(200);

    // Nothing changed: the record is whole, history still kept, the child's loan and hold as they were.
    const data = await call('GET', '/me/patron-data', session);
    expect(data.statusCode).toBe(200);
    expect(data.json().records).toHaveLength(1);
    expect(data.json().records[0].patron).toMatchObject({ id: patron.id, familyName: 'Librarian', keepHistory: true });
    const loans = await call('GET', `${kids}/loans`, session);
    expect(loans.json().items).toMatchObject([{ id: loanId, renewals: 0 }]);
    const holds = await call('GET', `${kids}/holds`, session);
    expect(holds.json()).toMatchObject([{ id: holdId, suspendedUntil: null }]);
  });

  it('lets the same person do all of it with their session', async () => {
    const { patron, session, child, loanId, holdId } = await librarianParent();
    const kids = `/me/children/${child.id}`;
    expect((await call('GET', '/me/children', session)).json().items).toMatchObject([{ id: child.id }]);
    expect((await call('POST', `${kids}/loans/${loanId}/renewal`, session)).json().renewals).toBe(1);
    const suspended = await call('PATCH', `${kids}/holds/${holdId}`, session, { suspendedUntil: '2099-01-01' });
    expect(suspended.statusCode, suspended.body).toBe(200);
    const cancelled = await call('DELETE', `${kids}/holds/${holdId}`, session);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
    expect((await call('GET', '/me/loans', session)).statusCode).toBe(200);
    expect((await call('GET', '/me/library-memberships', session)).statusCode).toBe(200);
    const history = await call('PUT', `/me/patrons/${patron.id}/reading-history`, session, { keepHistory: false });
    expect(history.statusCode, history.body).toBe(200);
    expect(history.json().keepHistory).toBe(false);
    const deleted = await call('POST', '/me/patron-data/deletion', session, { patronId: patron.id });
    expect(deleted.statusCode, deleted.body).toBe(200);
  });
});
