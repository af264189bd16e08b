import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/context.js';
import { buildLentWork } from '../circulation.factories.js';
import { buildHoldPatron, buildNetwork, buildWork } from '../holds/holds.factories.js';
import { placeHold } from '../holds/holds.service.js';
import { checkIn, checkOut } from '../loans.service.js';
import { setPrefs, sweep } from './notifications.service.js';

let env: TestEnv;
let net: Awaited<ReturnType<typeof buildNetwork>>;
const DAY = 86_400_000;

beforeAll(async () => {
  env = await createTestEnv();
  net = await buildNetwork(env.ctx);
});

const subjects = async (email: string) =>
  (
    await sql<{ subject: string }>`select subject from emails where to_address = ${email} order by created_at`.execute(
      env.ctx.db,
    )
  ).rows.map((r) => r.subject);

describe('notices sent by the sweep', () => {
  it('sends due-soon once within the chosen days, then overdue once, in the patron’s language; nothing turned off', async () => {
    const work = await buildWork(env.ctx, [{ library: net.a, count: 2 }]);
    const reader = await buildHoldPatron(env.ctx, net.a.id, { language: 'pt' });
    const quiet = await buildHoldPatron(env.ctx, net.a.id);
    await setPrefs(env.ctx, reader.patron.id, { dueSoonDays: 5 });
    await setPrefs(env.ctx, quiet.patron.id, { dueSoon: false, overdue: false });
    for (const [who, copy] of [
      [reader, work.copies[0]!],
      [quiet, work.copies[1]!],
    ] as const) {
      await checkOut(env.ctx, {
        libraryId: net.a.id,
        cardNumber: who.patron.cardNumber,
        barcode: copy.barcode,
        branchId: net.a.main,
        actorId: null,
      });
    }
    const due = await sql<{ due_at: Date }>`
      select due_at from circulation_loans where item_id = ${work.copies[0]!.id} and returned_at is null`.execute(
      env.ctx.db,
    );
    const dueAt = new Date(due.rows[0]!.due_at);

    env.clock.set(new Date(dueAt.getTime() - 6 * DAY));
    await sweep(env.ctx);
    await env.drainJobs();
    expect(await subjects(reader.person.email)).toEqual([]);

    env.clock.set(new Date(dueAt.getTime() - 4 * DAY));
    await sweep(env.ctx);
    await sweep(env.ctx);
    await env.drainJobs();
    expect(await subjects(reader.person.email)).toEqual([expect.stringMatching(/^Devolução próxima: /)]);

    env.clock.set(new Date(dueAt.getTime() + 2 * DAY));
    await sweep(env.ctx);
    await env.drainJobs();
    await sweep(env.ctx);
    await env.drainJobs();
    expect(await subjects(reader.person.email)).toEqual([
      expect.stringMatching(/^Devolução próxima: /),
      expect.stringMatching(/^Em atraso: /),
    ]);
    expect(await subjects(quiet.person.email)).toEqual([]);
  });

  it('reminds once before the end of the pickup window', async () => {
    env.clock.set(new Date());
    const { work, copy } = await buildLentWork(env.ctx, net.a);
    const reader = await buildHoldPatron(env.ctx, net.a.id);
    await placeHold(env.ctx, {
      patronId: reader.patron.id,
      workId: work.workId,
      pickupBranchId: net.a.main,
      actorId: null,
    });
    await checkIn(env.ctx, { libraryId: net.a.id, barcode: copy.barcode, branchId: net.a.main, actorId: null });
    await env.drainJobs();
    expect(await subjects(reader.person.email)).toEqual([expect.stringMatching(/^Your hold is ready: /)]);
    env.clock.advance(6 * DAY);
    await sweep(env.ctx);
    await env.drainJobs();
    await sweep(env.ctx);
    await env.drainJobs();
    expect(await subjects(reader.person.email)).toEqual([
      expect.stringMatching(/^Your hold is ready: /),
      expect.stringMatching(/^Reminder: /),
    ]);
  });
});
