import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { changeItemStatus, describeItems, lockItem } from '../../catalog/index.js';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { buildLentWork } from '../circulation.factories.js';
import { checkIn } from '../loans.service.js';
import { sweep } from '../notifications/notifications.service.js';
import { buildHoldPatron, buildNetwork, buildWork } from './holds.factories.js';
import {
  cancelHold,
  changeHold,
  clearHold,
  holdBlocksCheckout,
  holdBlocksRenewal,
  placeHold,
  trapReturnedItem,
} from './holds.service.js';

let env: TestEnv;
let net: Awaited<ReturnType<typeof buildNetwork>>;
const DAY = 86_400_000;

beforeAll(async () => {
  env = await createTestEnv();
  net = await buildNetwork(env.ctx);
});

const statusOf = async (itemId: string) => (await describeItems(env.ctx.db, [itemId])).get(itemId)!.status;
const holdRow = async (id: string) =>
  (
    await sql<{
      status: string;
      trapped_item_id: string | null;
      expires_at: Date | null;
      cleared_at: Date | null;
    }>`select status, trapped_item_id, expires_at, cleared_at from circulation_holds where id = ${id}`.execute(
      env.ctx.db,
    )
  ).rows[0]!;

const patronOf = async (holdId: string) =>
  (
    await sql<{
      patron_id: string | null;
    }>`select patron_id from circulation_holds where id = ${holdId}`.execute(env.ctx.db)
  ).rows[0]!.patron_id;

/** A title-level hold for a patron, with no acting person recorded. */
const placeTitleHold = (patronId: string, workId: string, pickupBranchId: string) =>
  placeHold(env.ctx, { patronId, workId, pickupBranchId, actorId: null });

describe('placing holds', () => {
  it('sets aside the best free copy: at the pickup branch, then in the library, then in the network — never outside it', async () => {
    const work = await buildWork(env.ctx, [
      { library: net.b, branch: 'main' },
      { library: net.a, branch: 'east' },
      { library: net.a, branch: 'main' },
      { library: net.outsider, branch: 'main' },
    ]);
    const [inB, aEast, aMain] = work.copies;
    const patrons = await Promise.all([1, 2, 3, 4].map(() => buildHoldPatron(env.ctx, net.a.id)));
    const place = (i: number) => placeTitleHold(patrons[i]!.patron.id, work.workId, net.a.main);
    const first = await place(0);
    expect(first).toMatchObject({
      status: 'pull',
      trappedItemId: aMain!.id,
      level: 'title',
      title: expect.stringMatching(/^Held title/),
    });
    expect((await place(1)).trappedItemId).toBe(aEast!.id);
    const third = await place(2);
    expect(third).toMatchObject({ status: 'pull', trappedItemId: inB!.id, trappedLibraryId: net.b.id });
    expect(await place(3)).toMatchObject({ status: 'waiting', trappedItemId: null });
  });

  it('refuses a second open hold on the same work, a pickup branch of another library, and an unknown work', async () => {
    const work = await buildWork(env.ctx, [{ library: net.a }]);
    const { patron } = await buildHoldPatron(env.ctx, net.a.id);
    await placeHold(env.ctx, { patronId: patron.id, workId: work.workId, pickupBranchId: net.a.east, actorId: null });
    await expect(
      placeHold(env.ctx, { patronId: patron.id, workId: work.workId, pickupBranchId: net.a.east, actorId: null }),
    ).rejects.toMatchObject({ code: 'CIRCULATION_HOLD_EXISTS' });
    await expect(
      placeHold(env.ctx, { patronId: patron.id, workId: work.workId, pickupBranchId: net.b.main, actorId: null }),
    ).rejects.toMatchObject({ code: 'CIRCULATION_HOLD_BAD_PICKUP' });
    await expect(
      placeHold(env.ctx, {
        patronId: patron.id,
        workId: '00000000-0000-4000-8000-000000000000',
        pickupBranchId: net.a.main,
        actorId: null,
      }),
    ).rejects.toMatchObject({ code: 'CIRCULATION_HOLD_TARGET_NOT_FOUND' });
  });

  it('places an item-level hold on one copy only', async () => {
    const work = await buildWork(env.ctx, [{ library: net.a, count: 2 }]);
    const { patron } = await buildHoldPatron(env.ctx, net.a.id);
    const hold = await placeHold(env.ctx, {
      patronId: patron.id,
      itemId: work.copies[1]!.id,
      pickupBranchId: net.a.main,
      actorId: null,
    });
    expect(hold).toMatchObject({ level: 'item', itemId: work.copies[1]!.id, trappedItemId: work.copies[1]!.id });
  });
});

describe('the queue when a copy comes back', () => {
  it('serves its own library’s patrons first, then first come first served; in transit, then ready at the pickup branch; expires and serves the next', async () => {
    const { work, copy, borrower } = await buildLentWork(env.ctx, net.a);
    const fromB = await buildHoldPatron(env.ctx, net.b.id);
    const a2 = await buildHoldPatron(env.ctx, net.a.id, { language: 'fr' });
    const a3 = await buildHoldPatron(env.ctx, net.a.id);
    const hB = await placeTitleHold(fromB.patron.id, work.workId, net.b.main);
    env.clock.advance(1000);
    const h2 = await placeTitleHold(a2.patron.id, work.workId, net.a.east);
    env.clock.advance(1000);
    const h3 = await placeTitleHold(a3.patron.id, work.workId, net.a.main);
    expect([hB.status, h2.status, h3.status]).toEqual(['waiting', 'waiting', 'waiting']);

    // The other patron's waiting hold blocks a renewal (where the rule says so).
    const loanRow = (
      await sql<{
        id: string;
      }>`select id from circulation_loans where item_id = ${copy.id} and returned_at is null`.execute(env.ctx.db)
    ).rows[0]!;
    expect(
      await holdBlocksRenewal(env.ctx.db, { itemId: copy.id, patronId: borrower.patron.id }, env.clock.now()),
    ).toBe(true);
    expect(loanRow.id).toBeTruthy();

    await checkIn(env.ctx, { libraryId: net.a.id, barcode: copy.barcode, branchId: net.a.main, actorId: null });
    expect(await holdRow(h2.id)).toMatchObject({ status: 'in_transit', trapped_item_id: copy.id });
    expect(await statusOf(copy.id)).toBe('in_transit');
    expect((await holdRow(hB.id)).status).toBe('waiting');

    await checkIn(env.ctx, { libraryId: net.a.id, barcode: copy.barcode, branchId: net.a.east, actorId: null });
    const ready = await holdRow(h2.id);
    expect(ready.status).toBe('ready');
    // Ready until the end of the seventh day (the branch has no calendar: open every day, in UTC).
    const lastDay = new Date(env.clock.now().getTime() + 7 * DAY).toISOString().slice(0, 10);
    expect(new Date(ready.expires_at!).toISOString()).toBe(`${lastDay}T23:59:59.000Z`);
    expect(await statusOf(copy.id)).toBe('on_hold_shelf');
    // Someone else cannot borrow it; the patron it waits for can.
    expect(await holdBlocksCheckout(env.ctx.db, copy.id, a3.patron.id)).toBe(true);
    expect(await holdBlocksCheckout(env.ctx.db, copy.id, a2.patron.id)).toBe(false);

    // The e-mail "hold ready" goes out in the patron's language.
    await env.drainJobs();
    const mail = (
      await sql<{
        subject: string;
        locale: string;
      }>`select subject, locale from emails where to_address = ${a2.person.email}`.execute(env.ctx.db)
    ).rows;
    expect(mail).toEqual([{ subject: expect.stringMatching(/^Votre réservation est disponible/), locale: 'fr' }]);

    // After the pickup window (by the app clock) the sweep expires it; the next hold (a3, pickup
    // at another branch) waits for staff to clear the shelf.
    env.clock.set(new Date(new Date(ready.expires_at!).getTime() + 1000));
    expect((await sweep(env.ctx)).expired).toBeGreaterThanOrEqual(1);
    expect((await holdRow(h2.id)).status).toBe('expired');
    // Its copy still waits on the hold shelf: it keeps its patron (staff's expired list) until cleared,
    // then forgets them (the patron keeps no reading history).
    expect(await patronOf(h2.id)).toBe(a2.patron.id);
    const cleared = await clearHold(env.ctx, h2.id, net.a.id, null);
    expect(cleared).toMatchObject({ status: 'expired', patronId: a2.patron.id });
    expect(await patronOf(h2.id)).toBeNull();
    expect(await holdRow(h3.id)).toMatchObject({ status: 'in_transit', trapped_item_id: copy.id });
    expect(await statusOf(copy.id)).toBe('in_transit');
  });

  it('passes over a suspended hold and serves it again once resumed', async () => {
    const work = await buildWork(env.ctx, [{ library: net.a, branch: 'main' }]);
    const copy = work.copies[0]!;
    await env.ctx.db.transaction().execute(async (tx) => {
      const item = (await lockItem(tx, copy.id))!;
      await changeItemStatus(tx, item, 'missing', { actorId: null, reason: 'test' });
    });
    const p1 = await buildHoldPatron(env.ctx, net.a.id);
    const p2 = await buildHoldPatron(env.ctx, net.a.id);
    const h1 = await placeTitleHold(p1.patron.id, work.workId, net.a.main);
    env.clock.advance(1000);
    const h2 = await placeTitleHold(p2.patron.id, work.workId, net.a.main);
    await changeHold(
      env.ctx,
      h1.id,
      { patronIds: [p1.patron.id] },
      { suspendedUntil: new Date(env.clock.now().getTime() + 3 * DAY) },
    );
    await expect(
      changeHold(env.ctx, h1.id, { patronIds: [p2.patron.id] }, { suspendedUntil: null }),
    ).rejects.toMatchObject({ code: 'CIRCULATION_HOLD_NOT_FOUND' });
    const trap = await env.ctx.db.transaction().execute(async (tx) => {
      const item = (await lockItem(tx, copy.id))!;
      return trapReturnedItem(tx, item, net.a.main, env.clock.now());
    });
    expect(trap).toEqual({ holdId: h2.id, pickupBranchId: net.a.main });
    expect((await holdRow(h1.id)).status).toBe('waiting');
    await cancelHold(env.ctx, h2.id, { patronIds: [p2.patron.id] }, null);
    await expect(cancelHold(env.ctx, h2.id, { patronIds: [p2.patron.id] }, null)).rejects.toMatchObject({
      code: 'CIRCULATION_HOLD_WRONG_STATUS',
    });
  });
});

describe('a copy never fills two holds', () => {
  it('gives the last copy to exactly one of many concurrent placements', async () => {
    const work = await buildWork(env.ctx, [{ library: net.a, branch: 'main' }]);
    const patrons = await Promise.all(Array.from({ length: 12 }, () => buildHoldPatron(env.ctx, net.a.id)));
    const holds = await Promise.all(patrons.map(({ patron }) => placeTitleHold(patron.id, work.workId, net.a.main)));
    expect(holds.filter((h) => h.status === 'pull')).toHaveLength(1);
    expect(holds.filter((h) => h.status === 'waiting')).toHaveLength(11);
  });

  it('traps a returned copy for one hold however many check-ins race', async () => {
    const work = await buildWork(env.ctx, [{ library: net.a, branch: 'main' }]);
    const copy = work.copies[0]!;
    await env.ctx.db.transaction().execute(async (tx) => {
      await changeItemStatus(tx, (await lockItem(tx, copy.id))!, 'on_loan', { actorId: null, reason: 'test' });
    });
    const patrons = await Promise.all(Array.from({ length: 5 }, () => buildHoldPatron(env.ctx, net.a.id)));
    for (const { patron } of patrons) {
      await placeTitleHold(patron.id, work.workId, net.a.east);
    }
    const traps = await Promise.all(
      Array.from({ length: 10 }, () =>
        env.ctx.db.transaction().execute(async (tx) => {
          const item = (await lockItem(tx, copy.id))!;
          return trapReturnedItem(tx, item, net.a.main, env.clock.now());
        }),
      ),
    );
    expect(new Set(traps.map((t) => t!.holdId)).size).toBe(1);
    const trapped = await sql<{ n: number }>`
      select count(*)::int as n from circulation_holds where trapped_item_id = ${copy.id} and status in ('pull', 'in_transit', 'ready')`.execute(
      env.ctx.db,
    );
    expect(trapped.rows[0]!.n).toBe(1);
  });

  it('is a database constraint, not only the code', async () => {
    const work = await buildWork(env.ctx, [{ library: net.a, branch: 'main' }]);
    const p1 = await buildHoldPatron(env.ctx, net.a.id);
    const p2 = await buildHoldPatron(env.ctx, net.a.id);
    await placeTitleHold(p1.patron.id, work.workId, net.a.main);
    const h2 = await placeTitleHold(p2.patron.id, work.workId, net.a.main);
    await expect(
      sql`update circulation_holds set status = 'pull', trapped_item_id = ${work.copies[0]!.id} where id = ${h2.id}`.execute(
        env.ctx.db,
      ),
    ).rejects.toMatchObject({ code: '23505' });
  });
});
