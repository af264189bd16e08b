import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { createTestDatabase } from '../test/database.js';
import { tokenFromEmail } from '../test/helpers.js';
import { ManualClock } from './clock.js';
import type { AppContext } from './context/context.js';
import type { Database } from './db/database.js';
import { JobWorker } from './jobs/queue.js';
import { JobRegistry } from './jobs/registry.js';
import { createLogger, redactUrl } from './logger.js';
import { registerMailDelivery } from './mail/mailer.js';

function memoryLogger(level = 'trace') {
  const lines: string[] = [];
  const logger = createLogger(level, { write: (line: string) => void lines.push(line) });
  return { logger, lines, text: () => lines.join('') };
}

describe('redactUrl', () => {
  it.each([
    ['/verify-email?token=abc.DEF-123', '/verify-email?token=[redacted]'],
    ['/x?a=1&password=hunter2&b=2', '/x?a=1&password=[redacted]&b=2'],
    ['/x?TOKEN=abc#frag', '/x?TOKEN=[redacted]#frag'],
    ['/x?secret=s&key=k', '/x?secret=[redacted]&key=[redacted]'],
    ['/x?page=2&q=token', '/x?page=2&q=token'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});

describe('the logger', () => {
  it('redacts credentials in logged objects, at the top level and one level down', () => {
    const { logger, text } = memoryLogger();
    logger.info({ password: 'top-password', token: 'top-token', csrfToken: 'top-csrf' }, 'top level');
    logger.info(
      { body: { password: 'nested-password', token: 'nested-token' }, user: { csrfToken: 'nested-csrf' } },
      'nested',
    );
    logger.info(
      {
        req: {
          method: 'GET',
          url: '/x',
          headers: { authorization: 'Bearer header-token', cookie: 'athenaeum_session=header-cookie' },
        },
      },
      'headers',
    );
    const out = text();
    for (const secret of [
      'top-password',
      'top-token',
      'top-csrf',
      'nested-password',
      'nested-token',
      'nested-csrf',
      'header-token',
      'header-cookie',
    ]) {
      expect(out, secret).not.toContain(secret);
    }
    expect(out.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(6);
  });
});

describe('request logs of the app', () => {
  let database: Database;
  let app: FastifyInstance;
  let worker: JobWorker;
  const log = memoryLogger('trace');

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = loadConfig({ NODE_ENV: 'test', SEED_DEMO: 'false', LOG_LEVEL: 'trace' });
    const jobs = new JobRegistry();
    const ctx: AppContext = {
      db: database.db,
      config,
      logger: log.logger,
      clock: new ManualClock(),
      jobs,
      databaseKind: database.kind,
    };
    registerMailDelivery(jobs, { db: database.db, smtpUrl: undefined, from: config.mailFrom, logger: log.logger });
    app = await buildApp({ ctx, database, version: 'test' });
    worker = new JobWorker({ db: database.db, handlers: jobs.all(), logger: log.logger });
  });

  afterAll(async () => {
    await app.close();
    await database.close();
  });

  async function mailedToken(to: string): Promise<string> {
    while ((await worker.runOnce()) > 0);
    const mail = await database.db
      .selectFrom('emails')
      .select('body_text')
      .where('to_address', '=', to)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    return tokenFromEmail(mail.body_text);
  }

  it('never writes passwords, session cookies, CSRF tokens, bearer tokens or mailed tokens', async () => {
    const email = 'logged@example.org';
    const secrets: Record<string, string> = {
      signUpPassword: 'Signup-Secret-Password-111',
      wrongPassword: 'Wrong-Secret-Password-222',
      urlToken: 'Url-Secret-Token-333',
      newPassword: 'Reset-Secret-Password-444',
      brokenJsonPassword: 'Broken-Json-Secret-555',
    };
    const inject = app.inject.bind(app);

    expect(
      (
        await inject({
          method: 'POST',
          url: '/api/v1/accounts',
          payload: { email, password: secrets.signUpPassword, displayName: 'Logged' },
        })
      ).statusCode,
    ).toBe(201);
    secrets.verifyToken = await mailedToken(email);
    expect(
      (await inject({ method: 'POST', url: '/api/v1/accounts/verification', payload: { token: secrets.verifyToken } }))
        .statusCode,
    ).toBe(200);

    expect(
      (await inject({ method: 'POST', url: '/api/v1/sessions', payload: { email, password: secrets.wrongPassword } }))
        .statusCode,
    ).toBe(401);
    const signedIn = await inject({
      method: 'POST',
      url: '/api/v1/sessions',
      payload: { email, password: secrets.signUpPassword },
    });
    expect(signedIn.statusCode).toBe(201);
    secrets.cookie = signedIn.cookies.find((c) => c.name === 'athenaeum_session')!.value;
    secrets.csrf = signedIn.json().csrfToken;
    const session = { cookie: `athenaeum_session=${secrets.cookie}`, 'x-csrf-token': secrets.csrf };

    expect((await inject({ method: 'GET', url: '/api/v1/sessions/current', headers: session })).statusCode).toBe(200);
    const created = await inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: session,
      payload: { name: 'logged', scopes: [] },
    });
    expect(created.statusCode).toBe(201);
    secrets.bearer = created.json().token;
    const bearer = { authorization: `Bearer ${secrets.bearer}` };
    expect((await inject({ method: 'GET', url: '/api/v1/sessions/current', headers: bearer })).statusCode).toBe(200);
    // A token may not change the account; the refusal is logged without the token too.
    expect(
      (await inject({ method: 'PATCH', url: '/api/v1/me', headers: bearer, payload: { displayName: 'Renamed' } }))
        .statusCode,
    ).toBe(403);

    // Secrets in URLs: a page link, a query string the API refuses, and a 404.
    expect((await inject({ method: 'GET', url: `/api/v1/organizations?token=${secrets.urlToken}` })).statusCode).toBe(
      400,
    );
    expect(
      (
        await inject({
          method: 'GET',
          url: `/verify-email?token=${secrets.urlToken}`,
          headers: { accept: 'text/html' },
        })
      ).statusCode,
    ).toBe(404);
    expect((await inject({ method: 'GET', url: `/api/v1/nothing?password=${secrets.urlToken}` })).statusCode).toBe(404);

    // A secret inside a body that fails to parse.
    const broken = await inject({
      method: 'POST',
      url: '/api/v1/sessions',
      headers: { 'content-type': 'application/json' },
      payload: `{"email":"${email}","password":${secrets.brokenJsonPassword}}`,
    });
    expect(broken.statusCode).toBe(400);

    expect((await inject({ method: 'POST', url: '/api/v1/password-resets', payload: { email } })).statusCode).toBe(202);
    secrets.resetToken = await mailedToken(email);
    const reset = await inject({
      method: 'POST',
      url: '/api/v1/password-resets/complete',
      payload: { token: secrets.resetToken, password: secrets.newPassword },
    });
    expect(reset.statusCode).toBe(200);

    const out = log.text();
    // The log really recorded these requests, so its silence about secrets means something.
    expect(out).toContain('"url":"/api/v1/organizations?token=[redacted]"');
    expect(out).toContain('"url":"/verify-email?token=[redacted]"');
    expect(out).toContain('/api/v1/password-resets/complete');
    expect(log.lines.length).toBeGreaterThan(20);
    for (const [what, secret] of Object.entries(secrets)) {
      expect(secret.length, what).toBeGreaterThan(8);
      expect(out.includes(secret), `${what} appears in the log`).toBe(false);
    }
  });
});
