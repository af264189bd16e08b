import { sql } from 'kysely';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/context.js';
import { queueEmail } from './mailer.js';
import { MAIL_RETENTION_QUEUE, purgeOldEmails } from './retention.js';

const DAY = 86_400_000;

describe('e-mail retention (MAIL_RETENTION_DAYS)', () => {
  let env: TestEnv;

  beforeAll(async () => {
    env = await createTestEnv({ MAIL_RETENTION_DAYS: '30' });
  });

  beforeEach(async () => {
    await sql`delete from emails`.execute(env.ctx.db);
    await sql`delete from jobs`.execute(env.ctx.db);
  });

  /** A stored e-mail as it would be after delivery: created and delivered days ago by the test clock. */
  async function storedEmail(
    to: string,
    status: 'queued' | 'sent' | 'outbox' | 'failed',
    createdDaysAgo: number,
    deliveredDaysAgo: number | null,
  ): Promise<string> {
    const now = env.clock.now().getTime();
    const row = await env.ctx.db
      .insertInto('emails')
      .values({
        to_address: to,
        subject: 'Your hold on The Hobbit is ready',
        body_text: '…',
        body_html: null,
        locale: 'en',
        status,
        error: status === 'failed' ? '451 try again later' : null,
        created_at: new Date(now - createdDaysAgo * DAY),
        delivered_at: deliveredDaysAgo === null ? null : new Date(now - deliveredDaysAgo * DAY),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  const addresses = async () =>
    (await env.ctx.db.selectFrom('emails').select('to_address').orderBy('to_address').execute()).map(
      (r) => r.to_address,
    );

  const retentionJobs = () =>
    env.ctx.db
      .selectFrom('jobs')
      .select(['id', 'status', 'payload', 'run_at', 'dedupe_key'])
      .where('queue', '=', MAIL_RETENTION_QUEUE)
      .orderBy('id')
      .execute();

  /** Makes the queued purge due now and runs the queue. */
  async function runPurgeNow(): Promise<void> {
    await sql`update jobs set run_at = now() - interval '1 second'
              where queue = ${MAIL_RETENTION_QUEUE} and status = 'queued'`.execute(env.ctx.db);
    await env.drainJobs();
  }

  it('deletes delivered, outbox and failed mail older than the retention, and keeps recent and queued mail', async () => {
    await storedEmail('old-sent@example.org', 'sent', 31, 31);
    await storedEmail('old-outbox@example.org', 'outbox', 45, 45);
    await storedEmail('old-failed@example.org', 'failed', 31, null);
    await storedEmail('recent-sent@example.org', 'sent', 29, 29);
    await storedEmail('recent-outbox@example.org', 'outbox', 1, 1);
    await storedEmail('recent-failed@example.org', 'failed', 2, null);
    // Created long ago but delivered recently: the retention counts from delivery.
    await storedEmail('late-delivery@example.org', 'sent', 40, 5);
    // Never delivered (still retrying, or waiting for a worker): kept however old.
    await storedEmail('old-queued@example.org', 'queued', 90, null);

    // Queueing mail starts the purge's chain, once however many e-mails are queued.
    await env.ctx.db.transaction().execute(async (trx) => {
      await queueEmail(trx, { to: 'new@example.org', subject: 's', text: 't', locale: 'en' });
      await queueEmail(trx, { to: 'new2@example.org', subject: 's', text: 't', locale: 'en' });
    });
    const started = await retentionJobs();
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ status: 'queued', dedupe_key: 'retention-a' });
    expect(new Date(started[0]!.run_at).getTime()).toBeGreaterThan(Date.now());
    await env.drainJobs(); // delivers the new mail; the purge is not yet due
    expect(await addresses()).toHaveLength(10);

    await runPurgeNow();
    expect(await addresses()).toEqual([
      'late-delivery@example.org',
      'new2@example.org',
      'new@example.org',
      'old-queued@example.org',
      'recent-failed@example.org',
      'recent-outbox@example.org',
      'recent-sent@example.org',
    ]);
  });

  it('reschedules itself, alternating between its two keys, hours later', async () => {
    await env.ctx.db
      .transaction()
      .execute((trx) => queueEmail(trx, { to: 'chain@example.org', subject: 's', text: 't', locale: 'en' }));
    await runPurgeNow();
    let jobs = await retentionJobs();
    expect(jobs.map((j) => [j.status, j.dedupe_key])).toEqual([
      ['done', 'retention-a'],
      ['queued', 'retention-b'],
    ]);
    const waitMs = new Date(jobs[1]!.run_at).getTime() - Date.now();
    expect(waitMs).toBeGreaterThan(60 * 60_000);

    // Queueing more mail while the chain is alive adds no second chain.
    await env.ctx.db
      .transaction()
      .execute((trx) => queueEmail(trx, { to: 'chain2@example.org', subject: 's', text: 't', locale: 'en' }));
    expect(await retentionJobs()).toHaveLength(2);

    // Time passes by the app clock: the next run deletes what is now older than the retention.
    env.clock.advance(31 * DAY);
    await runPurgeNow();
    jobs = await retentionJobs();
    expect(jobs.map((j) => [j.status, j.dedupe_key])).toEqual([
      ['done', 'retention-a'],
      ['done', 'retention-b'],
      ['queued', 'retention-a'],
    ]);
    expect(await addresses()).toEqual([]);
    env.clock.set(new Date());
  });

  it('deletes in bounded statements and says when a run stopped at its cap', async () => {
    for (let i = 0; i < 5; i++) await storedEmail(`bulk-${i}@example.org`, 'outbox', 60, 60);
    await storedEmail('queued@example.org', 'queued', 60, null);
    const before = new Date(env.clock.now().getTime() - 30 * DAY);
    expect(await purgeOldEmails(env.ctx.db, before, { chunkSize: 2, maxChunks: 2 })).toEqual({
      deleted: 4,
      more: true,
    });
    expect(await purgeOldEmails(env.ctx.db, before, { chunkSize: 2, maxChunks: 2 })).toEqual({
      deleted: 1,
      more: false,
    });
    expect(await addresses()).toEqual(['queued@example.org']);
  });
});
