import { sql } from 'kysely';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/context.js';
import { expectProblem, outboxFor, rowCounts, tokenFromEmail } from '../../test/helpers.js';
import { buildOrganization, buildPerson, signInAs, TEST_PASSWORD } from './accounts.factories.js';

let env: TestEnv;
let adminHeaders: Record<string, string>;
let startedAt: Date;
let ipCounter = 0;
// POST /password-resets is rate-limited per address; each request comes from its own.
const freshIp = () => `10.20.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

beforeAll(async () => {
  env = await createTestEnv();
  startedAt = env.clock.now();
  const root = await buildPerson(env.ctx, { platformAdmin: true });
  adminHeaders = (await signInAs(env.app, root.email)).headers;
});

afterEach(() => {
  env.clock.set(startedAt);
});

let emailCounter = 0;
const newEmail = (tag: string) => `${tag}-${++emailCounter}-${Date.now().toString(36)}@example.org`;

function signUp(email: string, extra: Record<string, unknown> = {}) {
  return env.app.inject({
    method: 'POST',
    url: '/api/v1/accounts',
    payload: { email, password: 'first-password-123', displayName: 'Reader', ...extra },
  });
}

const verify = (token: string) =>
  env.app.inject({ method: 'POST', url: '/api/v1/accounts/verification', payload: { token } });
const requestReset = (email: string) =>
  env.app.inject({ method: 'POST', url: '/api/v1/password-resets', payload: { email }, remoteAddress: freshIp() });
const completeReset = (token: string, password: string) =>
  env.app.inject({ method: 'POST', url: '/api/v1/password-resets/complete', payload: { token, password } });
const signIn = (email: string, password: string) =>
  env.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email, password }, remoteAddress: freshIp() });
const whoAmI = (headers: Record<string, string>) =>
  env.app.inject({ method: 'GET', url: '/api/v1/sessions/current', headers });

async function mailedToken(email: string, subject: RegExp): Promise<string> {
  await env.drainJobs();
  const mails = (await outboxFor(env.app, adminHeaders, email)).filter((m) => subject.test(m.subject));
  expect(mails.length).toBeGreaterThan(0);
  return tokenFromEmail(mails[0]!.bodyText);
}

describe('sign-up and e-mail verification', () => {
  it('registers an unverified person and puts a verification e-mail in the outbox', async () => {
    const email = newEmail('signup');
    const res = await signUp(email, { displayName: 'Nadia Reader' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      email,
      displayName: 'Nadia Reader',
      emailVerified: false,
      isPlatformAdmin: false,
      roles: [],
    });
    expect(res.body).not.toContain('first-password-123');

    const queued = await env.ctx.db
      .selectFrom('emails')
      .select(['status', 'subject'])
      .where('to_address', '=', email)
      .execute();
    expect(queued).toEqual([{ status: 'queued', subject: 'Confirm your e-mail address for Athenaeum' }]);

    await env.drainJobs();
    const mails = await outboxFor(env.app, adminHeaders, email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: email, status: 'outbox', locale: 'en' });
    expect(mails[0]!.bodyText).toContain('Hello Nadia Reader');
    expect(mails[0]!.bodyText).toMatch(/http:\/\/localhost:8080\/verify-email\?token=/);
  });

  it('confirms the address with the token from the e-mail, once', async () => {
    const email = newEmail('verify');
    await signUp(email);
    const token = await mailedToken(email, /Confirm/);
    const session = await signInAs(env.app, email, 'first-password-123');
    expect((await whoAmI(session.headers)).json().person.emailVerified).toBe(false);

    const res = await verify(token);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    expect((await whoAmI(session.headers)).json().person.emailVerified).toBe(true);

    expectProblem(await verify(token), 400, 'ACCOUNTS_TOKEN_INVALID');
  });

  it('stores only a hash of the mailed token', async () => {
    const email = newEmail('hash');
    await signUp(email);
    const token = await mailedToken(email, /Confirm/);
    const rows = await env.ctx.db
      .withTables<{ person_tokens: { token_hash: string; person_id: string } }>()
      .selectFrom('person_tokens')
      .select('token_hash')
      .execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('accepts the link just before 48 hours and refuses it after', async () => {
    const early = newEmail('early');
    const late = newEmail('late');
    await signUp(early);
    await signUp(late);
    const earlyToken = await mailedToken(early, /Confirm/);
    const lateToken = await mailedToken(late, /Confirm/);

    env.clock.advance(48 * 3600_000 - 60_000);
    expect((await verify(earlyToken)).statusCode).toBe(200);

    env.clock.advance(2 * 60_000);
    const body = expectProblem(await verify(lateToken), 400, 'ACCOUNTS_TOKEN_INVALID');
    expect(body.detail).toMatch(/expired/);
    const person = await env.ctx.db
      .withTables<{ people: { email: string; email_verified_at: Date | null } }>()
      .selectFrom('people')
      .select('email_verified_at')
      .where('email', '=', late)
      .executeTakeFirstOrThrow();
    expect(person.email_verified_at).toBeNull();
  });

  it('refuses an unknown token', async () => {
    expectProblem(await verify('this-token-was-never-issued'), 400, 'ACCOUNTS_TOKEN_INVALID');
  });

  it('refuses a second account for the same address, in any letter case, and writes nothing', async () => {
    const email = newEmail('twice');
    expect((await signUp(email)).statusCode).toBe(201);
    await env.drainJobs();
    const before = await rowCounts(env.ctx.db);
    const res = await signUp(email.toUpperCase());
    expectProblem(res, 409, 'ACCOUNTS_EMAIL_TAKEN');
    expect(await rowCounts(env.ctx.db)).toEqual(before);
  });

  it('refuses a short password, naming the field, and writes nothing', async () => {
    const before = await rowCounts(env.ctx.db);
    const body = expectProblem(await signUp(newEmail('short'), { password: 'short' }), 400, 'VALIDATION_FAILED');
    expect(body.errors).toEqual([{ path: 'body.password', message: 'must be at least 10 characters' }]);
    expect(await rowCounts(env.ctx.db)).toEqual(before);
  });

  it('resends a verification link on request, and nothing to an address already confirmed', async () => {
    const email = newEmail('resend');
    await signUp(email);
    await env.drainJobs();
    const session = await signInAs(env.app, email, 'first-password-123');
    const resend = () =>
      env.app.inject({ method: 'POST', url: '/api/v1/accounts/verification/resend', headers: session.headers });

    expect((await resend()).statusCode).toBe(200);
    await env.drainJobs();
    const mails = await outboxFor(env.app, adminHeaders, email);
    expect(mails).toHaveLength(2);
    expect((await verify(tokenFromEmail(mails[0]!.bodyText))).statusCode).toBe(200);

    expect((await resend()).statusCode).toBe(200);
    await env.drainJobs();
    expect(await outboxFor(env.app, adminHeaders, email)).toHaveLength(2);
  });
});

describe('password reset', () => {
  it('sets the new password, ends every session of the person, and the old password stops working', async () => {
    const person = await buildPerson(env.ctx, { verified: false });
    const laptop = await signInAs(env.app, person.email);
    const phone = await signInAs(env.app, person.email);
    const bystander = await signInAs(env.app, (await buildPerson(env.ctx)).email);

    const asked = await requestReset(person.email);
    expect(asked.statusCode).toBe(202);
    expect(asked.json()).toEqual({ ok: true });
    const token = await mailedToken(person.email, /Reset your Athenaeum password/);

    const done = await completeReset(token, 'brand-new-password-1');
    expect(done.statusCode).toBe(200);

    for (const session of [laptop, phone]) expectProblem(await whoAmI(session.headers), 401, 'AUTHENTICATION_REQUIRED');
    expect((await whoAmI(bystander.headers)).statusCode).toBe(200);

    expectProblem(await signIn(person.email, TEST_PASSWORD), 401, 'ACCOUNTS_INVALID_CREDENTIALS');
    const fresh = await signIn(person.email, 'brand-new-password-1');
    expect(fresh.statusCode).toBe(201);
    // Whoever read the e-mail owns the inbox: the address counts as confirmed.
    expect(fresh.json().person.emailVerified).toBe(true);

    expectProblem(await completeReset(token, 'another-password-2'), 400, 'ACCOUNTS_TOKEN_INVALID');
    expect((await signIn(person.email, 'brand-new-password-1')).statusCode).toBe(201);
  });

  it("revokes the person's API tokens too (an intruder's among them), and no one else's", async () => {
    const lib = await buildOrganization(env.ctx);
    const person = await buildPerson(env.ctx, { roles: [[lib.id, 'staff']] });
    const other = await buildPerson(env.ctx, { roles: [[lib.id, 'staff']] });
    const makeToken = async (headers: Record<string, string>, name: string) => {
      const res = await env.app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers,
        payload: { name, scopes: [{ organizationId: lib.id, role: 'staff' }] },
      });
      expect(res.statusCode).toBe(201);
      return { authorization: `Bearer ${res.json().token as string}` };
    };
    const intruder = (await signInAs(env.app, person.email)).headers;
    const intruders = await makeToken(intruder, 'intruder');
    const owners = await makeToken(intruder, 'owner');
    const bystanders = await makeToken((await signInAs(env.app, other.email)).headers, 'bystander');
    for (const token of [intruders, owners]) expect((await whoAmI(token)).statusCode).toBe(200);

    await requestReset(person.email);
    expect((await completeReset(await mailedToken(person.email, /Reset/), 'taken-back-password')).statusCode).toBe(200);

    for (const token of [intruders, owners]) expectProblem(await whoAmI(token), 401, 'AUTHENTICATION_REQUIRED');
    expect((await whoAmI(bystanders)).statusCode).toBe(200);
    // The account page lists them as revoked, and the library's audit log says why.
    const fresh = await signInAs(env.app, person.email, 'taken-back-password');
    const listed = await env.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: fresh.headers });
    expect(
      listed.json().items.map((t: { name: string; revokedAt: string | null }) => [t.name, Boolean(t.revokedAt)]),
    ).toEqual(
      expect.arrayContaining([
        ['intruder', true],
        ['owner', true],
      ]),
    );
    const audit = await sql<{ action: string; subject: { name: string; reason?: string } }>`
      select action, subject from audit_log where organization_id = ${lib.id} and action = 'token.revoked'
      order by subject->>'name'`.execute(env.ctx.db);
    expect(audit.rows).toEqual([
      { action: 'token.revoked', subject: expect.objectContaining({ name: 'intruder', reason: 'password_reset' }) },
      { action: 'token.revoked', subject: expect.objectContaining({ name: 'owner', reason: 'password_reset' }) },
    ]);
  });

  it('answers an unknown address exactly like a known one, and sends nothing', async () => {
    const known = await buildPerson(env.ctx);
    const knownRes = await requestReset(known.email);
    await env.drainJobs();

    const before = await rowCounts(env.ctx.db);
    const unknownRes = await requestReset(newEmail('nobody'));
    await env.drainJobs();
    expect(await rowCounts(env.ctx.db)).toEqual(before);

    expect(unknownRes.statusCode).toBe(202);
    expect(unknownRes.statusCode).toBe(knownRes.statusCode);
    expect(unknownRes.body).toBe(knownRes.body);
    expect(unknownRes.headers['content-type']).toBe(knownRes.headers['content-type']);
  });

  it('refuses a reset link after one hour', async () => {
    const person = await buildPerson(env.ctx);
    await requestReset(person.email);
    const token = await mailedToken(person.email, /Reset/);
    env.clock.advance(3600_000 + 1_000);
    expectProblem(await completeReset(token, 'too-late-password'), 400, 'ACCOUNTS_TOKEN_INVALID');
    expect((await signIn(person.email, TEST_PASSWORD)).statusCode).toBe(201);
  });

  it('does not accept a verification token as a reset token', async () => {
    const email = newEmail('purpose');
    await signUp(email);
    const token = await mailedToken(email, /Confirm/);
    expectProblem(await completeReset(token, 'hijacked-password'), 400, 'ACCOUNTS_TOKEN_INVALID');
    expect((await signIn(email, 'first-password-123')).statusCode).toBe(201);
  });

  it('lifts a sign-in lock: the owner of the inbox gets back in at once', async () => {
    const person = await buildPerson(env.ctx);
    for (let i = 0; i < 5; i++) await signIn(person.email, 'wrong-password');
    expectProblem(await signIn(person.email, TEST_PASSWORD), 429, 'ACCOUNTS_LOGIN_LOCKED');
    await requestReset(person.email);
    await completeReset(await mailedToken(person.email, /Reset/), 'recovered-password');
    expect((await signIn(person.email, 'recovered-password')).statusCode).toBe(201);
  });
});
