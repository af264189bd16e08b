import { beforeAll, describe, expect, it } from 'vitest';
import { callApi, signInNewStaff, type ApiRequest } from '../../../test/api.js';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { signInAs } from '../../accounts/accounts.factories.js';
import { buildHoldPatron, buildNetwork, buildWork } from '../holds/holds.factories.js';

let env: TestEnv;
let net: Awaited<ReturnType<typeof buildNetwork>>;
let staffA: Record<string, string>;
let staffB: Record<string, string>;

beforeAll(async () => {
  env = await createTestEnv();
  net = await buildNetwork(env.ctx);
  staffA = await signInNewStaff(env, net.a.id);
  staffB = await signInNewStaff(env, net.b.id);
});

const call = (...request: ApiRequest) => callApi(env, ...request);

describe('guardians', () => {
  it("lets a guardian see and renew their child's loans, and nobody else", async () => {
    const parent = await buildHoldPatron(env.ctx, net.a.id);
    const child = await buildHoldPatron(env.ctx, net.a.id);
    const stranger = await buildHoldPatron(env.ctx, net.a.id);
    const parentIn = (await signInAs(env.app, parent.person.email)).headers;
    const strangerIn = (await signInAs(env.app, stranger.person.email)).headers;
    const { copies } = await buildWork(env.ctx, [{ library: net.a }]);
    const out = await call('POST', `/organizations/${net.a.id}/checkouts`, staffA, {
      cardNumber: child.patron.cardNumber,
      barcode: copies[0]!.barcode,
      branchId: net.a.main,
    });
    expect(out.statusCode).toBe(201);
    const loanId = out.json().id as string;
    const childLoans = `/me/children/${child.patron.id}/loans`;

    // Before the link: refused, as for anyone else.
    expect((await call('GET', childLoans, parentIn)).json().code).toBe('CIRCULATION_PATRON_NOT_FOUND');

    const linked = await call('POST', `/organizations/${net.a.id}/patrons/${child.patron.id}/guardians`, staffA, {
      guardianPatronId: parent.patron.id,
    });
    expect(linked.statusCode).toBe(200);
    expect(linked.json().items.map((g: { id: string }) => g.id)).toEqual([parent.patron.id]);

    expect((await call('GET', '/me/children', parentIn)).json().items).toMatchObject([{ id: child.patron.id }]);
    expect((await call('GET', '/me/children', strangerIn)).json().items).toEqual([]);
    const list = await call('GET', childLoans, parentIn);
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toMatchObject([{ id: loanId, renewals: 0 }]);
    expect(list.json().items[0]).not.toHaveProperty('patronId');
    const renewed = await call('POST', `${childLoans}/${loanId}/renewal`, parentIn);
    expect(renewed.statusCode).toBe(200);
    expect(renewed.json().renewals).toBe(1);

    // Anyone else: not a guardian, whatever they know.
    for (const path of [childLoans, `${childLoans}/${loanId}/renewal`]) {
      const res = await call(path.endsWith('renewal') ? 'POST' : 'GET', path, strangerIn);
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('CIRCULATION_PATRON_NOT_FOUND');
    }
    // The child's own loans are theirs; a guardian renews only the child's, not someone else's loan.
    const strangerLoan = await call('POST', `/organizations/${net.a.id}/checkouts`, staffA, {
      cardNumber: stranger.patron.cardNumber,
      barcode: (await buildWork(env.ctx, [{ library: net.a }])).copies[0]!.barcode,
      branchId: net.a.main,
    });
    const wrong = await call('POST', `${childLoans}/${strangerLoan.json().id}/renewal`, parentIn);
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json().code).toBe('CIRCULATION_LOAN_NOT_FOUND');
    expect((await call('GET', `/me/loans`, parentIn)).json().items).toEqual([]);

    const unlinked = await call(
      'DELETE',
      `/organizations/${net.a.id}/patrons/${child.patron.id}/guardians/${parent.patron.id}`,
      staffA,
    );
    expect(unlinked.statusCode).toBe(204);
    expect((await call('GET', childLoans, parentIn)).statusCode).toBe(404);
  });

  it("is managed by the child's library only, between its own patrons", async () => {
    const parent = await buildHoldPatron(env.ctx, net.a.id);
    const child = await buildHoldPatron(env.ctx, net.a.id);
    const elsewhere = await buildHoldPatron(env.ctx, net.b.id);
    const url = `/organizations/${net.a.id}/patrons/${child.patron.id}/guardians`;
    expect((await call('POST', url, staffB, { guardianPatronId: parent.patron.id })).statusCode).toBe(403);
    const viaB = await call('POST', `/organizations/${net.b.id}/patrons/${child.patron.id}/guardians`, staffB, {
      guardianPatronId: elsewhere.patron.id,
    });
    expect(viaB.statusCode).toBe(404);
    const crossLibrary = await call('POST', url, staffA, { guardianPatronId: elsewhere.patron.id });
    expect(crossLibrary.statusCode).toBe(404);
    const self = await call('POST', url, staffA, { guardianPatronId: child.patron.id });
    expect(self.statusCode).toBe(409);
    expect(self.json().code).toBe('CIRCULATION_GUARDIAN_SELF');
    expect((await call('GET', url, staffA)).json().items).toEqual([]);
    await call('POST', url, staffA, { guardianPatronId: parent.patron.id });
    const twice = await call('POST', url, staffA, { guardianPatronId: parent.patron.id });
    expect(twice.json().items).toHaveLength(1);
    expect((await call('GET', url, staffB)).statusCode).toBe(403);
    // Deleting the child's data on request ends the links too.
    expect(
      (await call('POST', `/organizations/${net.a.id}/patrons/${child.patron.id}/deletion`, staffA)).statusCode,
    ).toBe(200);
    expect((await call('GET', url, staffA)).json().items).toEqual([]);
    const parentIn = (await signInAs(env.app, parent.person.email)).headers;
    expect((await call('GET', '/me/children', parentIn)).json().items).toEqual([]);
  });

  it("lets a guardian place, list, suspend, resume and cancel their child's holds, and nobody else", async () => {
    const parent = await buildHoldPatron(env.ctx, net.a.id);
    const child = await buildHoldPatron(env.ctx, net.a.id);
    const stranger = await buildHoldPatron(env.ctx, net.a.id);
    const parentIn = (await signInAs(env.app, parent.person.email)).headers;
    const childIn = (await signInAs(env.app, child.person.email)).headers;
    const strangerIn = (await signInAs(env.app, stranger.person.email)).headers;
    const { workId } = await buildWork(env.ctx, [{ library: net.a }]);
    const holds = `/me/children/${child.patron.id}/holds`;
    const body = { workId, pickupBranchId: net.a.main };

    // Before the link the parent is anyone: nothing is placed.
    const early = await call('POST', holds, parentIn, body);
    expect(early.statusCode).toBe(404);
    expect(early.json().code).toBe('CIRCULATION_PATRON_NOT_FOUND');
    expect((await call('GET', '/me/holds', childIn)).json()).toEqual([]);

    await call('POST', `/organizations/${net.a.id}/patrons/${child.patron.id}/guardians`, staffA, {
      guardianPatronId: parent.patron.id,
    });
    expect((await call('GET', holds, parentIn)).json()).toEqual([]);
    const placed = await call('POST', holds, parentIn, body);
    expect(placed.statusCode).toBe(201);
    const hold = placed.json() as { id: string; patronId: string; status: string };
    expect(hold.patronId).toBe(child.patron.id);
    // The hold is the child's: the child sees it, the parent's own list does not have it.
    expect((await call('GET', '/me/holds', childIn)).json()).toMatchObject([{ id: hold.id }]);
    expect((await call('GET', '/me/holds', parentIn)).json()).toEqual([]);
    expect((await call('GET', holds, parentIn)).json()).toMatchObject([{ id: hold.id }]);

    // A pickup branch of another library is refused, and nothing is placed.
    const elsewhere = await call('POST', holds, parentIn, { workId, pickupBranchId: net.b.main });
    expect(elsewhere.json().code).toBe('CIRCULATION_HOLD_BAD_PICKUP');
    expect((await call('GET', holds, parentIn)).json()).toHaveLength(1);

    const suspended = await call('PATCH', `${holds}/${hold.id}`, parentIn, { suspendedUntil: '2099-01-01' });
    expect(suspended.statusCode).toBe(200);
    expect(suspended.json().suspendedUntil).toBe('2099-01-01T00:00:00.000Z');
    const resumed = await call('PATCH', `${holds}/${hold.id}`, parentIn, { suspendedUntil: null });
    expect(resumed.json().suspendedUntil).toBeNull();

    // Someone who is not the child's guardian learns nothing and changes nothing.
    for (const [method, url, payload] of [
      ['GET', holds, undefined],
      ['POST', holds, body],
      ['PATCH', `${holds}/${hold.id}`, { suspendedUntil: '2099-01-01' }],
      ['DELETE', `${holds}/${hold.id}`, undefined],
    ] as const) {
      const res = await call(method, url, strangerIn, payload);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json().code).toBe('CIRCULATION_PATRON_NOT_FOUND');
    }
    // The guardian reaches only the child's holds, not another patron's through the child's address.
    const strangers = await call('POST', '/me/holds', strangerIn, body);
    expect(strangers.statusCode).toBe(201);
    const wrong = await call('DELETE', `${holds}/${strangers.json().id}`, parentIn);
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json().code).toBe('CIRCULATION_HOLD_NOT_FOUND');
    expect((await call('GET', '/me/holds', strangerIn)).json()).toMatchObject([{ status: strangers.json().status }]);

    const cancelled = await call('DELETE', `${holds}/${hold.id}`, parentIn);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
    expect((await call('GET', holds, parentIn)).json()).toEqual([]);
    // The child keeps no reading history: the cancelled hold no longer lists them (and is theirs no more).
    expect((await call('GET', `${holds}?closed=true`, parentIn)).json()).toEqual([]);
    expect((await call('DELETE', `${holds}/${hold.id}`, parentIn)).json().code).toBe('CIRCULATION_HOLD_NOT_FOUND');
  });

  it("keeps each library's children to their own guardians and pickup branches", async () => {
    const parentA = await buildHoldPatron(env.ctx, net.a.id);
    const parentB = await buildHoldPatron(env.ctx, net.b.id);
    const childB = await buildHoldPatron(env.ctx, net.b.id);
    const childA = await buildHoldPatron(env.ctx, net.a.id);
    await call('POST', `/organizations/${net.a.id}/patrons/${childA.patron.id}/guardians`, staffA, {
      guardianPatronId: parentA.patron.id,
    });
    await call('POST', `/organizations/${net.b.id}/patrons/${childB.patron.id}/guardians`, staffB, {
      guardianPatronId: parentB.patron.id,
    });
    const parentAIn = (await signInAs(env.app, parentA.person.email)).headers;
    const parentBIn = (await signInAs(env.app, parentB.person.email)).headers;
    const { workId } = await buildWork(env.ctx, [{ library: net.a }, { library: net.b }]);
    const holdsB = `/me/children/${childB.patron.id}/holds`;

    // A guardian at library A is nobody to library B's child.
    const foreign = await call('POST', holdsB, parentAIn, { workId, pickupBranchId: net.b.main });
    expect(foreign.statusCode).toBe(404);
    expect((await call('GET', holdsB, parentAIn)).statusCode).toBe(404);
    expect((await call('GET', '/me/children', parentAIn)).json().items).toMatchObject([{ id: childA.patron.id }]);

    // The child's own guardian places it, at a branch of the child's library only.
    const atA = await call('POST', holdsB, parentBIn, { workId, pickupBranchId: net.a.main });
    expect(atA.json().code).toBe('CIRCULATION_HOLD_BAD_PICKUP');
    const placed = await call('POST', holdsB, parentBIn, { workId, pickupBranchId: net.b.east });
    expect(placed.statusCode).toBe(201);
    expect(placed.json()).toMatchObject({ patronId: childB.patron.id, libraryId: net.b.id });
    // Library A's staff cannot cancel it; its guardian can.
    expect((await call('DELETE', `/organizations/${net.a.id}/holds/${placed.json().id}`, staffA)).statusCode).toBe(404);
    expect((await call('DELETE', `${holdsB}/${placed.json().id}`, parentBIn)).json().status).toBe('cancelled');
  });
});
