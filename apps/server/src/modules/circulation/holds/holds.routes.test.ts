import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { signInAs } from '../../accounts/accounts.factories.js';
import { signInNewStaff } from '../../../test/api.js';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { expectProblem } from '../../../test/helpers.js';
import { buildLentWork } from '../circulation.factories.js';
import { checkIn } from '../loans.service.js';
import { buildHoldPatron, buildNetwork, buildWork } from './holds.factories.js';

let env: TestEnv;
let net: Awaited<ReturnType<typeof buildNetwork>>;
let staffA: Record<string, string>;
let staffB: Record<string, string>;
let staffOutsider: Record<string, string>;

beforeAll(async () => {
  env = await createTestEnv();
  net = await buildNetwork(env.ctx);
  staffA = await signInNewStaff(env, net.a.id);
  staffB = await signInNewStaff(env, net.b.id);
  staffOutsider = await signInNewStaff(env, net.outsider.id);
});

/** A patron of library A signed in, and a work with one copy at A's main branch that is on loan. */
async function readyHoldSetup() {
  const { work, copy } = await buildLentWork(env.ctx, net.a);
  const reader = await buildHoldPatron(env.ctx, net.a.id);
  const session = await signInAs(env.app, reader.person.email);
  const placed = await env.app.inject({
    method: 'POST',
    url: '/api/v1/me/holds',
    headers: session.headers,
    payload: { workId: work.workId, pickupBranchId: net.a.main },
  });
  expect(placed.statusCode).toBe(201);
  await checkIn(env.ctx, { libraryId: net.a.id, barcode: copy.barcode, branchId: net.a.main, actorId: null });
  return { work, copy, reader, session, holdId: placed.json().id as string };
}

describe('patron holds over HTTP', () => {
  it('places, lists, suspends, moves and cancels a hold; refuses what is wrong with reasons', async () => {
    const work = await buildWork(env.ctx, [{ library: net.b, branch: 'main' }]);
    const { person } = await buildHoldPatron(env.ctx, net.a.id);
    const { headers } = await signInAs(env.app, person.email);
    const placed = await env.app.inject({
      method: 'POST',
      url: '/api/v1/me/holds',
      headers,
      payload: { workId: work.workId, pickupBranchId: net.a.east },
    });
    expect(placed.statusCode).toBe(201);
    // The only copy is in library B (same network): set aside there for pulling.
    expect(placed.json()).toMatchObject({ status: 'pull', trappedLibraryId: net.b.id });

    const list = await env.app.inject({ method: 'GET', url: '/api/v1/me/holds', headers });
    expect(list.json().map((h: { id: string }) => h.id)).toEqual([placed.json().id]);

    const both = await env.app.inject({
      method: 'POST',
      url: '/api/v1/me/holds',
      headers,
      payload: { workId: work.workId, itemId: work.copies[0]!.id, pickupBranchId: net.a.east },
    });
    expectProblem(both, 400, 'VALIDATION_FAILED');

    const wrongPickup = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/me/holds/${placed.json().id}`,
      headers,
      payload: { pickupBranchId: net.b.main },
    });
    expectProblem(wrongPickup, 400, 'CIRCULATION_HOLD_BAD_PICKUP');

    const suspended = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/me/holds/${placed.json().id}`,
      headers,
      payload: { suspendedUntil: '2099-01-01', pickupBranchId: net.a.main },
    });
    expect(suspended.json()).toMatchObject({
      status: 'waiting',
      trappedItemId: null,
      pickupBranchId: net.a.main,
      suspendedUntil: '2099-01-01T00:00:00.000Z',
    });

    const cancelled = await env.app.inject({ method: 'DELETE', url: `/api/v1/me/holds/${placed.json().id}`, headers });
    expect(cancelled.json().status).toBe('cancelled');
    // The patron keeps no reading history: the cancelled hold no longer lists them.
    const closed = await env.app.inject({ method: 'GET', url: '/api/v1/me/holds?closed=true', headers });
    expect(closed.json()).toEqual([]);
  });

  it('does not let one patron touch another’s hold, nor staff of another library', async () => {
    const { holdId } = await readyHoldSetup();
    const other = await buildHoldPatron(env.ctx, net.a.id);
    const { headers } = await signInAs(env.app, other.person.email);
    expectProblem(
      await env.app.inject({ method: 'DELETE', url: `/api/v1/me/holds/${holdId}`, headers }),
      404,
      'CIRCULATION_HOLD_NOT_FOUND',
    );
    expectProblem(
      await env.app.inject({
        method: 'DELETE',
        url: `/api/v1/organizations/${net.b.id}/holds/${holdId}`,
        headers: staffB,
      }),
      404,
      'CIRCULATION_HOLD_NOT_FOUND',
    );
    expectProblem(
      await env.app.inject({
        method: 'GET',
        url: `/api/v1/organizations/${net.a.id}/holds?list=shelf`,
        headers: staffOutsider,
      }),
      403,
      'FORBIDDEN',
    );
    const shelf = await env.app.inject({
      method: 'GET',
      url: `/api/v1/organizations/${net.a.id}/holds?list=shelf`,
      headers: staffA,
    });
    expect(shelf.json().items.map((h: { id: string }) => h.id)).toContain(holdId);
  });
});

describe('click-and-collect', () => {
  it('books a slot of the pickup branch before the deadline, and never past its capacity, even when bookings race', async () => {
    const now = env.clock.now();
    const tomorrow = new Date(now.getTime() + 86_400_000);
    const date = tomorrow.toISOString().slice(0, 10);
    const slot = await env.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${net.a.id}/pickup-slots`,
      headers: staffA,
      payload: {
        branchId: net.a.main,
        weekday: tomorrow.getUTCDay(),
        startTime: '10:00',
        endTime: '10:30',
        capacity: 2,
      },
    });
    expect(slot.statusCode).toBe(201);
    expectProblem(
      await env.app.inject({
        method: 'POST',
        url: `/api/v1/organizations/${net.a.id}/pickup-slots`,
        headers: staffB,
        payload: { branchId: net.a.main, weekday: 1, startTime: '10:00', endTime: '10:30', capacity: 2 },
      }),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await env.app.inject({
        method: 'POST',
        url: `/api/v1/organizations/${net.a.id}/pickup-slots`,
        headers: staffA,
        payload: { branchId: net.a.main, weekday: 1, startTime: '11:00', endTime: '10:30', capacity: 2 },
      }),
      400,
      'CIRCULATION_PICKUP_SLOT_INVALID',
    );

    const setups = [];
    for (let i = 0; i < 6; i++) setups.push(await readyHoldSetup());
    const offered = await env.app.inject({
      method: 'GET',
      url: `/api/v1/me/holds/${setups[0]!.holdId}/pickup-slots`,
      headers: setups[0]!.session.headers,
    });
    expect(offered.json().occurrences).toContainEqual(
      expect.objectContaining({ slotId: slot.json().id, date, capacity: 2, booked: 0 }),
    );

    const results = await Promise.all(
      setups.map((s) =>
        env.app.inject({
          method: 'PUT',
          url: `/api/v1/me/holds/${s.holdId}/pickup-booking`,
          headers: s.session.headers,
          payload: { slotId: slot.json().id, date },
        }),
      ),
    );
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(2);
    for (const refused of results.filter((r) => r.statusCode !== 200)) {
      expectProblem(refused, 409, 'CIRCULATION_PICKUP_SLOT_FULL');
    }
    const booked = await sql<{ n: number }>`
      select count(*)::int as n from circulation_pickup_bookings where slot_id = ${slot.json().id} and cancelled_at is null`.execute(
      env.ctx.db,
    );
    expect(booked.rows[0]!.n).toBe(2);

    const late = new Date(now.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
    expectProblem(
      await env.app.inject({
        method: 'PUT',
        url: `/api/v1/me/holds/${setups[5]!.holdId}/pickup-booking`,
        headers: setups[5]!.session.headers,
        payload: { slotId: slot.json().id, date: late },
      }),
      409,
      'CIRCULATION_PICKUP_NOT_BOOKABLE',
    );
  });
});

describe('inter-library loan', () => {
  it('goes through every step by the right party, visible to both libraries and the patron; others are refused', async () => {
    const work = await buildWork(env.ctx, [{ library: net.b, branch: 'east' }]);
    const reader = await buildHoldPatron(env.ctx, net.a.id, { language: 'es' });
    const { headers } = await signInAs(env.app, reader.person.email);
    const created = await env.app.inject({
      method: 'POST',
      url: '/api/v1/me/ill-requests',
      headers,
      payload: { workId: work.workId, lenderLibraryId: net.b.id, note: 'for my thesis' },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expectProblem(
      await env.app.inject({
        method: 'POST',
        url: '/api/v1/me/ill-requests',
        headers,
        payload: { workId: work.workId, lenderLibraryId: net.outsider.id },
      }),
      409,
      'CIRCULATION_ILL_NOT_ALLOWED',
    );

    const act = (lib: string, h: Record<string, string>, payload: Record<string, unknown>) =>
      env.app.inject({
        method: 'POST',
        url: `/api/v1/organizations/${lib}/ill-requests/${id}/actions`,
        headers: h,
        payload,
      });
    // The borrower cannot approve its own request; an outsider does not even see it.
    expectProblem(await act(net.a.id, staffA, { action: 'approve' }), 403, 'CIRCULATION_ILL_STEP_NOT_YOURS');
    expectProblem(await act(net.outsider.id, staffOutsider, { action: 'approve' }), 404, 'CIRCULATION_ILL_NOT_FOUND');
    expectProblem(await act(net.a.id, staffB, { action: 'approve' }), 403, 'FORBIDDEN');
    expectProblem(await act(net.b.id, staffB, { action: 'ship' }), 409, 'CIRCULATION_ILL_WRONG_STATUS');

    const approved = await act(net.b.id, staffB, { action: 'approve', loanDays: 14 });
    expect(approved.json()).toMatchObject({ status: 'approved', itemId: work.copies[0]!.id, loanDays: 14 });
    const steps: Array<[string, Record<string, string>, string, string]> = [
      [net.b.id, staffB, 'ship', 'in_transit'],
      [net.a.id, staffA, 'receive', 'on_hold_shelf'],
      [net.a.id, staffA, 'lend', 'on_loan'],
      [net.a.id, staffA, 'return', 'on_hold_shelf'],
      [net.a.id, staffA, 'ship_back', 'in_transit'],
      [net.b.id, staffB, 'check_in', 'available'],
    ];
    for (const [lib, h, action, itemStatus] of steps) {
      const res = await act(lib, h, { action });
      // The patron is told of each step as it happens.
      await env.drainJobs();
      expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
      const item = await sql<{
        status: string;
      }>`select status from catalog_items where id = ${work.copies[0]!.id}`.execute(env.ctx.db);
      expect(item.rows[0]!.status).toBe(itemStatus);
      if (action === 'lend') {
        expect(new Date(res.json().dueAt).getTime()).toBe(env.clock.now().getTime() + 14 * 86_400_000);
      }
    }

    const asLender = await env.app.inject({
      method: 'GET',
      url: `/api/v1/organizations/${net.b.id}/ill-requests?role=lender`,
      headers: staffB,
    });
    // Once the copy was returned, the request forgot its patron (who keeps no reading history).
    expect(asLender.json().items[0]).toMatchObject({ id, status: 'completed', actions: [], patronId: null });
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/me/ill-requests', headers })).json()).toEqual([]);
    expect(asLender.json().items[0].events.map((e: { to: string }) => e.to)).toEqual([
      'requested',
      'approved',
      'shipped',
      'received',
      'on_loan',
      'returned',
      'shipped_back',
      'completed',
    ]);
    // The patron was told of each step of their part, in Spanish; once the copy was returned they
    // were forgotten, so nothing is sent about the copy's way back.
    const mails = await sql<{
      subject: string;
    }>`select subject from emails where to_address = ${reader.person.email}`.execute(env.ctx.db);
    expect(mails.rows.length).toBe(5);
    expect(mails.rows.every((m) => m.subject.startsWith('Préstamo interbibliotecario'))).toBe(true);
  });

  it('lets the lender decline with a reason only', async () => {
    const work = await buildWork(env.ctx, [{ library: net.b }]);
    const reader = await buildHoldPatron(env.ctx, net.a.id);
    const created = await env.app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${net.a.id}/ill-requests`,
      headers: staffA,
      payload: { workId: work.workId, lenderLibraryId: net.b.id, patronId: reader.patron.id },
    });
    const url = `/api/v1/organizations/${net.b.id}/ill-requests/${created.json().id}/actions`;
    expectProblem(
      await env.app.inject({ method: 'POST', url, headers: staffB, payload: { action: 'decline' } }),
      400,
      'CIRCULATION_ILL_REASON_REQUIRED',
    );
    const declined = await env.app.inject({
      method: 'POST',
      url,
      headers: staffB,
      payload: { action: 'decline', reason: 'Reference copy' },
    });
    expect(declined.json()).toMatchObject({ status: 'declined', declineReason: 'Reference copy' });
  });
});

describe('notification choices', () => {
  it('keeps a patron’s choices and sends nothing they turned off', async () => {
    const setup = await readyHoldSetupWithPrefs();
    await env.drainJobs();
    const mails = await sql<{
      n: number;
    }>`select count(*)::int as n from emails where to_address = ${setup.email}`.execute(env.ctx.db);
    expect(mails.rows[0]!.n).toBe(0);
  });
});

async function readyHoldSetupWithPrefs() {
  const { work, copy, borrower } = await buildLentWork(env.ctx, net.a);
  const reader = await buildHoldPatron(env.ctx, net.a.id);
  const { headers } = await signInAs(env.app, reader.person.email);
  const prefs = await env.app.inject({
    method: 'PATCH',
    url: `/api/v1/me/patrons/${reader.patron.id}/notifications`,
    headers,
    payload: { holdReady: false, dueSoonDays: 5 },
  });
  expect(prefs.json()).toEqual({
    holdReady: false,
    pickupReminder: true,
    dueSoon: true,
    overdue: true,
    illStatus: true,
    dueSoonDays: 5,
  });
  expectProblem(
    await env.app.inject({
      method: 'GET',
      url: `/api/v1/me/patrons/${borrower.patron.id}/notifications`,
      headers,
    }),
    404,
    'CIRCULATION_HOLD_NOT_FOUND',
  );
  await env.app.inject({
    method: 'POST',
    url: '/api/v1/me/holds',
    headers,
    payload: { workId: work.workId, pickupBranchId: net.a.main },
  });
  await checkIn(env.ctx, { libraryId: net.a.id, barcode: copy.barcode, branchId: net.a.main, actorId: null });
  return { email: reader.person.email };
}
