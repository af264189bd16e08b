import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/context.js';
import { freePort } from '../../test/processes.js';

interface Received {
  from: string;
  to: string[];
  data: string;
}

// A real SMTP peer on loopback: nodemailer speaks the protocol to it as it would to a relay.
let server: SMTPServer;
const received: Received[] = [];
let env: TestEnv;

beforeAll(async () => {
  const port = await freePort();
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  env = await createTestEnv({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Athenaeum <noreply@lib.example.org>' });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('e-mail through SMTP when SMTP_URL is set', () => {
  it('delivers the verification e-mail to the SMTP server and marks it sent', async () => {
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      payload: {
        email: 'smtp-reader@example.org',
        password: 'long-enough-password',
        displayName: 'Reader',
        locale: 'fr',
      },
    });
    expect(res.statusCode).toBe(201);
    expect(received).toHaveLength(0);
    await env.drainJobs();
    expect(received).toHaveLength(1);
    expect(received[0]!.to).toEqual(['smtp-reader@example.org']);
    expect(received[0]!.from).toBe('noreply@lib.example.org');
    expect(received[0]!.data).toMatch(/verify-email\?token=/);
    const row = await env.database.db.selectFrom('emails').select(['status', 'delivered_at']).executeTakeFirstOrThrow();
    expect(row.status).toBe('sent');
    expect(row.delivered_at).not.toBeNull();
  });

  it('keeps a message queued for retry while the SMTP server is down', async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await env.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      payload: { email: 'smtp-later@example.org', password: 'long-enough-password', displayName: 'Later' },
    });
    await env.drainJobs();
    const email = await env.database.db
      .selectFrom('emails')
      .selectAll()
      .where('to_address', '=', 'smtp-later@example.org')
      .executeTakeFirstOrThrow();
    expect(email.status).toBe('queued');
    expect(email.error).toBeTruthy();
    const job = await env.database.db
      .selectFrom('jobs')
      .selectAll()
      .where('queue', '=', 'mail.deliver')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(job.status).toBe('queued');
    expect(job.attempts).toBe(1);
  });
});
