import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { callApi, signInNewStaff, type ApiRequest } from '../../../test/api.js';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { buildPerson, signInAs } from '../../accounts/accounts.factories.js';
import { buildHoldPatron, buildNetwork, buildWork } from '../holds/holds.factories.js';
import { placeHold } from '../holds/index.js';

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

/** A patron of library A with an account, a block, an open loan, a returned loan and a hold. */
async function busyPatron(keepHistory: boolean) {
  const { person, patron } = await buildHoldPatron(env.ctx, net.a.id);
  const headers = (await signInAs(env.app, person.email)).headers;
  await call('PUT', `/me/patrons/${patron.id}/reading-history`, headers, { keepHistory });
  const lent = await buildWork(env.ctx, [{ library: net.a, count: 2 }]);
  const held = await buildWork(env.ctx, [{ library: net.a }]);
  for (const copy of lent.copies) {
    const out = await call('POST', `/organizations/${net.a.id}/checkouts`, staffA, {
      cardNumber: patron.cardNumber,
      barcode: copy.barcode,
      branchId: net.a.main,
    });
    expect(out.statusCode).toBe(201);
  }
  const back = await call('POST', `/organizations/${net.a.id}/checkins`, staffA, {
    barcode: lent.copies[0]!.barcode,
    branchId: net.a.main,
  });
  expect(back.statusCode).toBe(200);
  await placeHold(env.ctx, { patronId: patron.id, workId: held.workId, pickupBranchId: net.a.main, actorId: null });
  await call('POST', `/organizations/${net.a.id}/patrons/${patron.id}/blocks`, staffA, { reason: 'Noisy' });
  return { person, patron, headers, lent, held };
}

describe('patron data download', () => {
  it('gives the patron everything held about them, staff notes and kept history included', async () => {
    const { headers, patron } = await busyPatron(true);
    const res = await call('GET', '/me/patron-data', headers);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('attachment');
    const [record] = res.json().records;
    expect(res.json().records).toHaveLength(1);
    expect(record.patron).toMatchObject({ id: patron.id, cardNumber: patron.cardNumber, keepHistory: true });
    expect(record.patron).toHaveProperty('staffNotes');
    expect(record.blocks).toMatchObject([{ reason: 'Noisy', liftedAt: null }]);
    expect(record.openLoans).toHaveLength(1);
    expect(record.readingHistory).toHaveLength(1);
    expect(record.readingHistory[0].returnedAt).not.toBeNull();
    expect(record.holds).toHaveLength(1);
    expect(record.holds[0].status).toBe('pull');

    const elsewhere = await call('GET', `/me/patron-data?library=${net.b.id}`, headers);
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json().code).toBe('CIRCULATION_NOT_A_PATRON');
  });

  it('keeps no reading history for a patron who did not opt in', async () => {
    const { headers } = await busyPatron(false);
    const [record] = (await call('GET', '/me/patron-data', headers)).json().records;
    expect(record.openLoans).toHaveLength(1);
    expect(record.readingHistory).toEqual([]);
    // An open hold is no history: it stays, and works.
    expect(record.holds.map((h: { status: string }) => h.status)).toEqual(['pull']);
  });

  it("lets the library's staff produce it, and no other library's", async () => {
    const { patron } = await busyPatron(false);
    const mine = await call('GET', `/organizations/${net.a.id}/patrons/${patron.id}/data`, staffA);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().records[0].patron.id).toBe(patron.id);
    const theirs = await call('GET', `/organizations/${net.a.id}/patrons/${patron.id}/data`, staffB);
    expect(theirs.statusCode).toBe(403);
    const throughOwn = await call('GET', `/organizations/${net.b.id}/patrons/${patron.id}/data`, staffB);
    expect(throughOwn.statusCode).toBe(404);
    expect(throughOwn.json().code).toBe('CIRCULATION_PATRON_NOT_FOUND');
    const stranger = (await signInAs(env.app, (await buildPerson(env.ctx)).email)).headers;
    expect((await call('GET', '/me/patron-data', stranger)).json().code).toBe('CIRCULATION_NOT_A_PATRON');
  });
});

describe('deletion request', () => {
  it('is refused while a loan is open, then anonymizes the record, unlinks history and cancels holds', async () => {
    const { headers, patron, lent, held } = await busyPatron(true);
    const refused = await call('POST', '/me/patron-data/deletion', headers, { patronId: patron.id });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'CIRCULATION_DELETION_REFUSED', openLoans: 1, finesOwed: 0 });
    expect(refused.json().detail).toContain('1 loan(s) still open');
    const unchanged = await call('GET', `/organizations/${net.a.id}/patrons/${patron.id}`, staffA);
    expect(unchanged.json()).toMatchObject({ cardNumber: patron.cardNumber, familyName: patron.familyName });

    await call('POST', `/organizations/${net.a.id}/checkins`, staffA, {
      barcode: lent.copies[1]!.barcode,
      branchId: net.a.main,
    });
    const done = await call('POST', '/me/patron-data/deletion', headers, { patronId: patron.id });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toEqual({ patronId: patron.id, anonymized: true, holdsCancelled: 1, historyLoansUnlinked: 2 });

    const after = (await call('GET', `/organizations/${net.a.id}/patrons/${patron.id}`, staffA)).json();
    expect(after).toMatchObject({
      cardNumber: `deleted-${patron.id}`,
      givenName: '',
      familyName: '',
      email: null,
      personId: null,
      staffNotes: '',
      status: 'closed',
      blocks: [],
    });
    // The loans stay for statistics, without the patron.
    const loans = await sql<{ n: number; linked: number }>`
      select count(*)::int as n, count(patron_id)::int as linked from circulation_loans
      where item_id in (${sql.join(lent.copies.map((c) => c.id))})`.execute(env.ctx.db);
    expect(loans.rows[0]).toEqual({ n: 2, linked: 0 });
    // The cancelled hold stays too (for statistics), without the patron.
    const holds = await sql<{
      status: string;
      patron_id: string | null;
    }>`select status, patron_id from circulation_holds where work_id = ${held.workId}`.execute(env.ctx.db);
    expect(holds.rows).toEqual([{ status: 'cancelled', patron_id: null }]);
    const audit = await sql<{ action: string; actor_id: string }>`
      select action, actor_id from audit_log where subject->>'patronId' = ${patron.id}`.execute(env.ctx.db);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]!.action).toBe('circulation.patron.deleted');

    expect((await call('GET', '/me/patron-data', headers)).json().code).toBe('CIRCULATION_NOT_A_PATRON');
    const again = await call('POST', `/organizations/${net.a.id}/patrons/${patron.id}/deletion`, staffA);
    expect(again.statusCode).toBe(404);
  });

  it("is done by the library's staff for its patron, never by another library's or another person", async () => {
    const { patron } = await buildHoldPatron(env.ctx, net.a.id);
    const other = (await signInAs(env.app, (await buildPerson(env.ctx)).email)).headers;
    expect((await call('POST', '/me/patron-data/deletion', other, { patronId: patron.id })).statusCode).toBe(404);
    expect((await call('POST', `/organizations/${net.a.id}/patrons/${patron.id}/deletion`, staffB)).statusCode).toBe(
      403,
    );
    expect((await call('POST', `/organizations/${net.b.id}/patrons/${patron.id}/deletion`, staffB)).statusCode).toBe(
      404,
    );
    const still = await call('GET', `/organizations/${net.a.id}/patrons/${patron.id}`, staffA);
    expect(still.json().cardNumber).toBe(patron.cardNumber);
    const done = await call('POST', `/organizations/${net.a.id}/patrons/${patron.id}/deletion`, staffA);
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ holdsCancelled: 0, historyLoansUnlinked: 0 });
  });

  it('never leaves an open loan on a deleted record when a check-out races the deletion', async () => {
    for (let round = 0; round < 4; round++) {
      const { patron } = await buildHoldPatron(env.ctx, net.a.id);
      const { copies } = await buildWork(env.ctx, [{ library: net.a }]);
      const [out, deletion] = await Promise.all([
        call('POST', `/organizations/${net.a.id}/checkouts`, staffA, {
          cardNumber: patron.cardNumber,
          barcode: copies[0]!.barcode,
          branchId: net.a.main,
        }),
        call('POST', `/organizations/${net.a.id}/patrons/${patron.id}/deletion`, staffA),
      ]);
      if (out.statusCode === 201) {
        expect(deletion.statusCode).toBe(409);
        expect(deletion.json().code).toBe('CIRCULATION_DELETION_REFUSED');
      } else {
        expect(deletion.statusCode).toBe(200);
        expect(out.statusCode).toBe(404);
      }
      const open = await sql<{ n: number }>`
        select count(*)::int as n from circulation_loans l join circulation_patrons p on p.id = l.patron_id
        where l.returned_at is null and p.status = 'closed' and p.id = ${patron.id}`.execute(env.ctx.db);
      expect(open.rows[0]!.n).toBe(0);
    }
  });
});

describe('reading history choice', () => {
  it('turns the history on and off (off forgets it); only for the patron themself', async () => {
    const { headers, patron } = await busyPatron(true);
    const other = (await signInAs(env.app, (await buildPerson(env.ctx)).email)).headers;
    const refused = await call('PUT', `/me/patrons/${patron.id}/reading-history`, other, { keepHistory: false });
    expect(refused.statusCode).toBe(404);
    const bad = await call('PUT', `/me/patrons/${patron.id}/reading-history`, headers, { keepHistory: 'no' });
    expect(bad.statusCode).toBe(400);
    const off = await call('PUT', `/me/patrons/${patron.id}/reading-history`, headers, { keepHistory: false });
    expect(off.json()).toEqual({ keepHistory: false, historyLoansUnlinked: 1 });
    const [record] = (await call('GET', '/me/patron-data', headers)).json().records;
    expect(record.patron.keepHistory).toBe(false);
    expect(record.readingHistory).toEqual([]);
    const on = await call('PUT', `/me/patrons/${patron.id}/reading-history`, headers, { keepHistory: true });
    expect(on.json()).toEqual({ keepHistory: true, historyLoansUnlinked: 0 });
  });
});

/**
 * A patron who placed a hold that was fulfilled at check-out (the loan since returned), cancelled
 * another hold, and borrowed a copy from library B through an inter-library loan now checked in.
 */
async function patronWithClosedRequests(keepHistory: boolean) {
  const { person, patron } = await buildHoldPatron(env.ctx, net.a.id);
  const headers = (await signInAs(env.app, person.email)).headers;
  await call('PUT', `/me/patrons/${patron.id}/reading-history`, headers, { keepHistory });
  const collected = await buildWork(env.ctx, [{ library: net.a }]);
  const dropped = await buildWork(env.ctx, [{ library: net.a }]);
  const borrowed = await buildWork(env.ctx, [{ library: net.b }]);
  const place = (workId: string) =>
    placeHold(env.ctx, { patronId: patron.id, workId, pickupBranchId: net.a.main, actorId: person.id });
  const hold = await place(collected.workId);
  expect(hold.status).toBe('pull');
  const barcode = collected.copies[0]!.barcode;
  const out = await call('POST', `/organizations/${net.a.id}/checkouts`, staffA, {
    cardNumber: patron.cardNumber,
    barcode,
    branchId: net.a.main,
  });
  expect(out.statusCode).toBe(201);
  expect(
    (await call('POST', `/organizations/${net.a.id}/checkins`, staffA, { barcode, branchId: net.a.main })).statusCode,
  ).toBe(200);
  const other = await place(dropped.workId);
  expect((await call('DELETE', `/me/holds/${other.id}`, headers)).statusCode).toBeLessThan(300);

  const created = await call('POST', '/me/ill-requests', headers, {
    workId: borrowed.workId,
    lenderLibraryId: net.b.id,
  });
  expect(created.statusCode).toBe(201);
  const illId = created.json().id as string;
  const steps: Array<[string, Record<string, string>, string]> = [
    [net.b.id, staffB, 'approve'],
    [net.b.id, staffB, 'ship'],
    [net.a.id, staffA, 'receive'],
    [net.a.id, staffA, 'lend'],
    [net.a.id, staffA, 'return'],
    [net.a.id, staffA, 'ship_back'],
    [net.b.id, staffB, 'check_in'],
  ];
  for (const [lib, h, action] of steps) {
    const res = await call('POST', `/organizations/${lib}/ill-requests/${illId}/actions`, h, { action });
    expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
  }
  // The patron is told of each step; then the finished request may forget them.
  await env.drainJobs();
  return { person, patron, headers, holdIds: [hold.id, other.id], illId, works: [collected, dropped, borrowed] };
}

/** What links the patron (or their person) to a work through holds, bookings and ILL requests. */
async function linksOf(patronId: string, personId: string) {
  const { rows } = await sql<{
    holds: number;
    placed: number;
    bookings: number;
    ill: number;
    requested: number;
    acted: number;
  }>`
    select
      (select count(*)::int from circulation_holds where patron_id = ${patronId}) as holds,
      (select count(*)::int from circulation_holds where placed_by = ${personId}) as placed,
      (select count(*)::int from circulation_pickup_bookings where patron_id = ${patronId}) as bookings,
      (select count(*)::int from circulation_ill_requests where patron_id = ${patronId}) as ill,
      (select count(*)::int from circulation_ill_requests where requested_by = ${personId}) as requested,
      (select count(*)::int from circulation_ill_events where actor_id = ${personId}) as acted`.execute(env.ctx.db);
  return rows[0]!;
}

/** A patron and their person linked to no hold, booking or inter-library request. */
const NO_LINKS = { holds: 0, placed: 0, bookings: 0, ill: 0, requested: 0, acted: 0 };

describe('closed holds and inter-library loans', () => {
  it('forget a patron who keeps no reading history, once fulfilled, cancelled or returned; the rows stay for statistics', async () => {
    const { patron, person, headers, holdIds, illId } = await patronWithClosedRequests(false);
    expect(await linksOf(patron.id, person.id)).toEqual(NO_LINKS);
    const [record] = (await call('GET', `/organizations/${net.a.id}/patrons/${patron.id}/data`, staffA)).json().records;
    expect(record.holds).toEqual([]);
    expect(record.readingHistory).toEqual([]);
    const [own] = (await call('GET', '/me/patron-data', headers)).json().records;
    expect(own.holds).toEqual([]);
    expect((await call('GET', '/me/ill-requests', headers)).json()).toEqual([]);

    const kept = await sql<{ status: string; patron_id: string | null }>`
      select status, patron_id from circulation_holds where id in (${sql.join(holdIds)}) order by status desc`.execute(
      env.ctx.db,
    );
    expect(kept.rows).toEqual([
      { status: 'fulfilled', patron_id: null },
      { status: 'cancelled', patron_id: null },
    ]);
    // Both libraries still see the request, without the patron.
    const lender = await call('GET', `/organizations/${net.b.id}/ill-requests?role=lender&pageSize=100`, staffB);
    expect(lender.statusCode).toBe(200);
    expect(lender.json().items.find((r: { id: string }) => r.id === illId)).toMatchObject({
      status: 'completed',
      patronId: null,
    });
  });

  it('stay in the history of a patron who keeps one, until they turn it off', async () => {
    const { patron, person, headers, illId } = await patronWithClosedRequests(true);
    const [record] = (await call('GET', `/organizations/${net.a.id}/patrons/${patron.id}/data`, staffA)).json().records;
    expect(record.holds.map((h: { status: string }) => h.status).sort()).toEqual(['cancelled', 'fulfilled']);
    expect(record.readingHistory).toHaveLength(1);
    const mine = (await call('GET', '/me/ill-requests', headers)).json();
    expect(mine).toMatchObject([{ id: illId, status: 'completed', patronId: patron.id }]);
    expect(await linksOf(patron.id, person.id)).toMatchObject({ holds: 2, placed: 2, ill: 1, requested: 1 });

    const off = await call('PUT', `/me/patrons/${patron.id}/reading-history`, headers, { keepHistory: false });
    expect(off.json()).toEqual({ keepHistory: false, historyLoansUnlinked: 1 });
    expect(await linksOf(patron.id, person.id)).toEqual(NO_LINKS);
    const [after] = (await call('GET', `/organizations/${net.a.id}/patrons/${patron.id}/data`, staffA)).json().records;
    expect(after.holds).toEqual([]);
    expect(after.readingHistory).toEqual([]);
    expect((await call('GET', '/me/ill-requests', headers)).json()).toEqual([]);
  });
});
