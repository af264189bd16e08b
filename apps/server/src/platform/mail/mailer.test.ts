import net from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/context.js';
import { MAIL_QUEUE, queueEmail } from './mailer.js';

/** A tiny SMTP server: enough of the protocol for nodemailer, keeping what it receives. */
function fakeSmtp() {
  const received: Array<{ from: string; to: string[]; data: string }> = [];
  const state = { rejectRecipients: false };
  const server = net.createServer((socket) => {
    let buffer = '';
    let inData = false;
    let current = { from: '', to: [] as string[], data: '' };
    socket.write('220 fake ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          current.data = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          received.push(current);
          current = { from: '', to: [], data: '' };
          socket.write('250 queued\r\n');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250-fake\r\n250 8BITMIME\r\n');
        else if (verb === 'MAIL') {
          current.from = line;
          socket.write('250 ok\r\n');
        } else if (verb === 'RCPT') {
          if (state.rejectRecipients) socket.write('451 try again later\r\n');
          else {
            current.to.push(line);
            socket.write('250 ok\r\n');
          }
        } else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go on\r\n');
        } else if (verb === 'QUIT') {
          socket.end('221 bye\r\n');
          return;
        } else socket.write('250 ok\r\n');
      }
    });
    socket.on('error', () => undefined);
  });
  return {
    received,
    state,
    listen: () =>
      new Promise<number>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('without SMTP_URL: the outbox', () => {
  let env: TestEnv;

  beforeAll(async () => {
    env = await createTestEnv();
  });

  it('keeps a queued e-mail in the outbox once its delivery job runs, once', async () => {
    const id = await env.ctx.db
      .transaction()
      .execute((trx) => queueEmail(trx, { to: 'reader@example.org', subject: 'Hello', text: 'Body', locale: 'en' }));
    const email = () => env.ctx.db.selectFrom('emails').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect((await email()).status).toBe('queued');
    const job = await env.ctx.db
      .selectFrom('jobs')
      .selectAll()
      .where('queue', '=', MAIL_QUEUE)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(job.payload).toEqual({ emailId: id });

    await env.drainJobs();
    const delivered = await email();
    expect(delivered.status).toBe('outbox');
    expect(delivered.delivered_at).not.toBeNull();
    const jobs = await env.ctx.db.selectFrom('jobs').select('status').where('queue', '=', MAIL_QUEUE).execute();
    expect(jobs.every((j) => j.status === 'done')).toBe(true);
  });

  it('records nothing when the change that caused the e-mail rolls back', async () => {
    const count = async () =>
      Number(
        (
          await sql<{ n: number }>`select (select count(*) from emails) + (select count(*) from jobs) as n`.execute(
            env.ctx.db,
          )
        ).rows[0]!.n,
      );
    const before = await count();
    await expect(
      env.ctx.db.transaction().execute(async (trx) => {
        await queueEmail(trx, { to: 'x@example.org', subject: 's', text: 't', locale: 'en' });
        throw new Error('use case failed after queueing');
      }),
    ).rejects.toThrow();
    expect(await count()).toBe(before);
  });
});

describe('with SMTP_URL: delivery through the mail server', () => {
  const smtp = fakeSmtp();
  let env: TestEnv;

  beforeAll(async () => {
    const port = await smtp.listen();
    env = await createTestEnv({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Library <library@example.org>' });
  });

  afterAll(async () => {
    await smtp.close();
  });

  const statusOf = async (id: string) =>
    env.ctx.db.selectFrom('emails').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('sends through SMTP and marks the e-mail sent', async () => {
    const id = await queueEmail(env.ctx.db, {
      to: 'reader@example.org',
      subject: 'Your hold is ready',
      text: 'Come and get it.',
      locale: 'en',
    });
    await env.drainJobs();
    const row = await statusOf(id);
    expect(row.status).toBe('sent');
    expect(row.error).toBeNull();
    const message = smtp.received.at(-1)!;
    expect(message.from).toContain('<library@example.org>');
    expect(message.to).toEqual([expect.stringContaining('<reader@example.org>')]);
    expect(message.data).toMatch(/^Subject: Your hold is ready$/m);
    expect(message.data).toContain('Come and get it.');
  });

  it('retries a failed delivery, keeping the error, and marks the e-mail failed after the last attempt', async () => {
    smtp.state.rejectRecipients = true;
    try {
      const id = await queueEmail(env.ctx.db, {
        to: 'bounce@example.org',
        subject: 'Never arrives',
        text: '…',
        locale: 'en',
      });
      await env.drainJobs();
      const afterFirst = await statusOf(id);
      expect(afterFirst.status).toBe('queued');
      expect(afterFirst.error).toMatch(/451/);

      const job = async () =>
        env.ctx.db
          .selectFrom('jobs')
          .selectAll()
          .where('queue', '=', MAIL_QUEUE)
          .where(sql<boolean>`payload->>'emailId' = ${id}`)
          .executeTakeFirstOrThrow();
      expect(await job()).toMatchObject({ status: 'queued', attempts: 1 });
      for (let attempt = 2; attempt <= 8; attempt++) {
        await sql`update jobs set run_at = now() - interval '1 second' where payload->>'emailId' = ${id}`.execute(
          env.ctx.db,
        );
        await env.drainJobs();
      }
      expect(await job()).toMatchObject({ status: 'failed', attempts: 8 });
      const final = await statusOf(id);
      expect(final.status).toBe('failed');
      expect(final.error).toMatch(/451/);
    } finally {
      smtp.state.rejectRecipients = false;
    }
  });
});
