import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { signInNewStaff } from '../../test/api.js';
import { createTestEnv, type TestEnv } from '../../test/context.js';
import { buildLentWork, GENERAL_RULE } from './circulation.factories.js';
import { buildHoldPatron, buildNetwork, buildWork } from './holds/holds.factories.js';
import { placeHold } from './holds/holds.service.js';
import { checkIn, checkOut, listLoans, myLoans, renewMyLoan } from './loans.service.js';
import { sendNotice } from './notifications/notifications.service.js';
import { createSlot, slotsForHold } from './pickup/pickup.service.js';
import { createPolicy, getBranchCalendar, putBranchCalendar } from './rules.service.js';

let env: TestEnv;
let net: Awaited<ReturnType<typeof buildNetwork>>;
let staffA: Record<string, string>;
let staffB: Record<string, string>;

const rule = { ...GENERAL_RULE, loanDays: 14 };
// Closed on Sundays; open until 19:00 on weekdays and 16:00 on Saturdays.
const week = [
  null,
  ...Array.from({ length: 5 }, () => ({ open: '09:00', close: '19:00' })),
  { open: '10:00', close: '16:00' },
];

beforeAll(async () => {
  env = await createTestEnv();
  net = await buildNetwork(env.ctx);
  staffA = await signInNewStaff(env, net.a.id);
  staffB = await signInNewStaff(env, net.b.id);
  await createPolicy(env.ctx, net.a.id, rule);
  await putBranchCalendar(env.ctx, net.a.id, net.a.main, {
    weeklyHours: week,
    closedDates: [{ date: '2026-03-17', reason: 'Inventory' }],
    timeZone: 'Europe/Moscow',
  });
});

const calendarUrl = (library: string, branch: string) =>
  `/api/v1/organizations/${library}/circulation-calendars/${branch}`;

describe('the calendar API', () => {
  it('answers UTC for a branch without a calendar, keeps the zone given in canonical spelling', async () => {
    const empty = await env.app.inject({ method: 'GET', url: calendarUrl(net.a.id, net.a.east), headers: staffA });
    expect(empty.statusCode).toBe(200);
    expect(empty.json().timeZone).toBe('UTC');

    const put = await env.app.inject({
      method: 'PUT',
      url: calendarUrl(net.a.id, net.a.east),
      headers: staffA,
      payload: {
        weeklyHours: week,
        closedDates: [{ date: '2026-05-01', reason: 'Dia do Trabalho' }],
        timeZone: 'america/sao_paulo',
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ timeZone: 'America/Sao_Paulo', closedDates: [{ date: '2026-05-01' }] });

    // A change without a zone keeps the zone.
    const again = await env.app.inject({
      method: 'PUT',
      url: calendarUrl(net.a.id, net.a.east),
      headers: staffA,
      payload: { weeklyHours: week, closedDates: [] },
    });
    expect(again.json()).toMatchObject({ timeZone: 'America/Sao_Paulo', closedDates: [] });
  });

  it('refuses a zone that is not one with 422 naming it, and changes nothing', async () => {
    for (const bad of ['Mars/Olympus_Mons', '+03:00', 'Moscow time']) {
      const res = await env.app.inject({
        method: 'PUT',
        url: calendarUrl(net.a.id, net.a.main),
        headers: staffA,
        payload: { weeklyHours: Array(7).fill(null), closedDates: [], timeZone: bad },
      });
      expect(res.statusCode).toBe(422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json().code).toBe('CIRCULATION_BAD_TIME_ZONE');
      expect(res.json().detail).toContain(bad);
    }
    const kept = await env.app.inject({ method: 'GET', url: calendarUrl(net.a.id, net.a.main), headers: staffA });
    expect(kept.json()).toMatchObject({ timeZone: 'Europe/Moscow', weeklyHours: week });
  });

  it("never lets another library's staff read or change a branch's calendar", async () => {
    const read = await env.app.inject({ method: 'GET', url: calendarUrl(net.a.id, net.a.main), headers: staffB });
    expect(read.statusCode).toBe(403);
    const write = await env.app.inject({
      method: 'PUT',
      url: calendarUrl(net.a.id, net.a.main),
      headers: staffB,
      payload: { weeklyHours: week, closedDates: [], timeZone: 'UTC' },
    });
    expect(write.statusCode).toBe(403);
    // Through its own library, the other branch is not theirs either.
    const sideways = await env.app.inject({
      method: 'PUT',
      url: calendarUrl(net.b.id, net.a.main),
      headers: staffB,
      payload: { weeklyHours: week, closedDates: [], timeZone: 'UTC' },
    });
    expect(sideways.statusCode).toBe(404);
    const kept = await env.app.inject({ method: 'GET', url: calendarUrl(net.a.id, net.a.main), headers: staffA });
    expect(kept.json().timeZone).toBe('Europe/Moscow');
  });
});

describe('due dates at a branch in Moscow', () => {
  const lend = async (at: string, language: 'en' | 'ru' = 'en', branch: 'main' | 'east' = 'main') => {
    env.clock.set(new Date(at));
    const patron = await buildHoldPatron(env.ctx, net.a.id, { language });
    const work = await buildWork(env.ctx, [{ library: net.a, branch }]);
    const loan = await checkOut(env.ctx, {
      libraryId: net.a.id,
      cardNumber: patron.patron.cardNumber,
      barcode: work.copies[0]!.barcode,
      branchId: net.a[branch],
      actorId: null,
    });
    return { loan, patron, work };
  };

  it('fall at closing time, local, counted in local days', async () => {
    // Monday 2026-03-02 23:30 in Moscow (20:30 UTC): due Monday the 16th at 19:00 Moscow = 16:00 UTC.
    expect((await lend('2026-03-02T20:30:00Z')).loan.dueAt).toBe('2026-03-16T16:00:00.000Z');
    // 00:30 on Tuesday the 3rd in Moscow, still Monday in UTC: due on the 17th, a closed date, so the 18th.
    expect((await lend('2026-03-02T21:30:00Z')).loan.dueAt).toBe('2026-03-18T16:00:00.000Z');
    // From Saturday the 7th, due Saturday the 21st: closing at 16:00 Moscow.
    expect((await lend('2026-03-07T09:00:00Z')).loan.dueAt).toBe('2026-03-21T13:00:00.000Z');
    // From Sunday the 8th (a day without hours, the desk lends anyway), due Sunday the 22nd: Monday then.
    expect((await lend('2026-03-08T09:00:00Z')).loan.dueAt).toBe('2026-03-23T16:00:00.000Z');
  });

  it("carry the lending branch's zone wherever a loan is shown", async () => {
    const { loan, patron, work } = await lend('2026-03-02T20:30:00Z');
    expect(loan.timeZone).toBe('Europe/Moscow');
    const listed = await listLoans(env.ctx, net.a.id, {
      patronId: patron.patron.id,
      open: true,
      page: 1,
      pageSize: 10,
    });
    expect(listed.items.map((l) => [l.id, l.timeZone])).toEqual([[loan.id, 'Europe/Moscow']]);
    expect(await myLoans(env.ctx, patron.person.id)).toMatchObject([{ id: loan.id, timeZone: 'Europe/Moscow' }]);
    expect(await renewMyLoan(env.ctx, patron.person.id, loan.id)).toMatchObject({ timeZone: 'Europe/Moscow' });
    const returned = await checkIn(env.ctx, {
      libraryId: net.a.id,
      barcode: work.copies[0]!.barcode,
      branchId: net.a.east,
      actorId: null,
    });
    // Returned elsewhere, the loan's dates are still the lending branch's.
    expect(returned.loan).toMatchObject({ id: loan.id, timeZone: 'Europe/Moscow' });

    const east = (await lend('2026-03-10T09:00:00Z', 'en', 'east')).loan;
    // (The east branch's calendar is in São Paulo since the first test.)
    expect(east.timeZone).toBe((await getBranchCalendar(env.ctx, net.a.id, net.a.east)).timeZone);
    expect(east.timeZone).not.toBe('Europe/Moscow');
  });

  it("are told in the branch's zone in the due-soon notice", async () => {
    const { loan, patron } = await lend('2026-03-02T20:30:00Z', 'ru');
    env.clock.set(new Date('2026-03-14T09:00:00Z'));
    expect(await sendNotice(env.ctx, { kind: 'due_soon', subjectId: loan.id })).toBe('sent');
    const mail = await sql<{ body_text: string }>`
      select body_text from emails where to_address = ${patron.person.email}`.execute(env.ctx.db);
    // 16:00 UTC is 19:00 in Moscow; the zone is named.
    expect(mail.rows[0]!.body_text).toMatch(/16 марта 2026.* 19:00 GMT\+3/);
    expect(mail.rows[0]!.body_text).not.toContain('16:00');
  });
});

describe('holds at a branch in Moscow', () => {
  it('are ready until closing time on the last day of the window, and pickup slots are local', async () => {
    env.clock.set(new Date('2026-04-01T07:00:00Z')); // Wednesday, 10:00 in Moscow
    const { work } = await buildLentWork(env.ctx, net.a);
    const waiting = await buildHoldPatron(env.ctx, net.a.id);
    const hold = await placeHold(env.ctx, {
      patronId: waiting.patron.id,
      workId: work.workId,
      pickupBranchId: net.a.main,
      actorId: null,
    });
    // A Saturday slot, 10:00–11:00 Moscow time.
    await createSlot(env.ctx, net.a.id, {
      branchId: net.a.main,
      weekday: 6,
      startTime: '10:00',
      endTime: '11:00',
      capacity: 2,
    });
    env.clock.set(new Date('2026-04-01T20:30:00Z')); // 23:30 in Moscow, after closing
    await checkIn(env.ctx, {
      libraryId: net.a.id,
      barcode: work.copies[0]!.barcode,
      branchId: net.a.main,
      actorId: null,
    });
    const row = await sql<{ status: string; expires_at: Date }>`
      select status, expires_at from circulation_holds where id = ${hold.id}`.execute(env.ctx.db);
    expect(row.rows[0]!.status).toBe('ready');
    // Seven Moscow days after Wednesday the 1st is Wednesday the 8th, closing at 19:00 Moscow.
    expect(new Date(row.rows[0]!.expires_at).toISOString()).toBe('2026-04-08T16:00:00.000Z');

    // Staff and patrons get the zone the deadline is closing time in.
    const shelf = await env.app.inject({
      method: 'GET',
      url: `/api/v1/organizations/${net.a.id}/holds?list=shelf&pageSize=100`,
      headers: staffA,
    });
    expect(shelf.statusCode, shelf.body).toBe(200);
    const listed = (shelf.json().items as Array<{ id: string }>).find((h) => h.id === hold.id);
    expect(listed).toMatchObject({ expiresAt: '2026-04-08T16:00:00.000Z', pickupTimeZone: 'Europe/Moscow' });

    const slots = await slotsForHold(env.ctx, hold.id, { libraryId: net.a.id });
    expect(slots.occurrences.map((o) => [o.date, o.startsAt])).toEqual([['2026-04-04', '2026-04-04T07:00:00.000Z']]);

    const notice = await sendNotice(env.ctx, { kind: 'hold_ready', subjectId: hold.id });
    expect(notice).toBe('sent');
    const mail = await sql<{ body_text: string }>`
      select body_text from emails where to_address = ${waiting.person.email}`.execute(env.ctx.db);
    expect(mail.rows[0]!.body_text).toMatch(/April 8, 2026.* 07:00\sPM GMT\+3/);
  });
});

describe('concurrent changes', () => {
  it('replace a calendar whole: after many at once it is exactly one of them, and a zone set is never lost', async () => {
    const variants = Array.from({ length: 8 }, (_, i) => ({
      weeklyHours: week,
      closedDates: Array.from({ length: 5 }, (_, j) => ({ date: `2027-0${i + 1}-1${j}`, reason: `variant ${i}` })),
      ...(i % 2 ? {} : { timeZone: i % 4 ? 'Europe/Moscow' : 'America/Sao_Paulo' }),
    }));
    await Promise.all(variants.map((v) => putBranchCalendar(env.ctx, net.b.id, net.b.main, v)));
    const final = await getBranchCalendar(env.ctx, net.b.id, net.b.main);
    expect(final.closedDates).toHaveLength(5);
    expect(new Set(final.closedDates.map((c) => c.reason)).size).toBe(1);
    expect(['Europe/Moscow', 'America/Sao_Paulo']).toContain(final.timeZone);
  });
});
