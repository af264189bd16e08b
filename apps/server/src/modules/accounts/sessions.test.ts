import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/context.js';
import { expectProblem } from '../../test/helpers.js';
import { buildPerson, TEST_PASSWORD } from './accounts.factories.js';
import { LOGIN_LIMITS, SESSION_TTL_MS } from './sessions.service.js';

let env: TestEnv;
let startedAt: Date;
let ipCounter = 0;
const freshIp = () => `10.30.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

beforeAll(async () => {
  env = await createTestEnv();
  startedAt = env.clock.now();
});

afterEach(() => {
  env.clock.set(startedAt);
});

interface SignedIn {
  id: string;
  headers: { cookie: string; 'x-csrf-token': string };
}

function signIn(email: string, password: string, options: { ip?: string; userAgent?: string; host?: string } = {}) {
  return env.app.inject({
    method: 'POST',
    url: '/api/v1/sessions',
    payload: { email, password },
    remoteAddress: options.ip ?? freshIp(),
    headers: {
      ...(options.userAgent ? { 'user-agent': options.userAgent } : {}),
      ...(options.host ? { host: options.host } : {}),
    },
  });
}

async function session(email: string, userAgent?: string): Promise<SignedIn> {
  const res = await signIn(email, TEST_PASSWORD, userAgent ? { userAgent } : {});
  expect(res.statusCode).toBe(201);
  const cookie = res.cookies.find((c) => c.name === 'athenaeum_session')!;
  const headers = { cookie: `athenaeum_session=${cookie.value}`, 'x-csrf-token': res.json().csrfToken as string };
  const list = await env.app.inject({ method: 'GET', url: '/api/v1/sessions', headers });
  const current = (list.json().items as Array<{ id: string; current: boolean }>).find((s) => s.current)!;
  return { id: current.id, headers };
}

const whoAmI = (headers: Record<string, string>) =>
  env.app.inject({ method: 'GET', url: '/api/v1/sessions/current', headers });

describe('sessions', () => {
  it('signs in with a session cookie and answers who I am', async () => {
    const person = await buildPerson(env.ctx, { displayName: 'Ada' });
    const res = await signIn(person.email, TEST_PASSWORD);
    expect(res.statusCode).toBe(201);
    expect(res.json().person).toMatchObject({ id: person.id, displayName: 'Ada' });
    expect(res.json().csrfToken).toEqual(expect.any(String));
    const cookie = res.cookies.find((c) => c.name === 'athenaeum_session')!;
    const me = await whoAmI({ cookie: `athenaeum_session=${cookie.value}` });
    expect(me.json()).toMatchObject({ person: { id: person.id }, csrfToken: res.json().csrfToken });
  });

  it('stores only a hash of the session secret', async () => {
    const person = await buildPerson(env.ctx);
    const res = await signIn(person.email, TEST_PASSWORD);
    const secret = res.cookies.find((c) => c.name === 'athenaeum_session')!.value;
    const rows = await env.ctx.db
      .withTables<{ sessions: { person_id: string; token_hash: string } }>()
      .selectFrom('sessions')
      .selectAll()
      .where('person_id', '=', person.id)
      .execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(secret);
  });

  it('refuses a wrong password and an unknown address with the same answer', async () => {
    const person = await buildPerson(env.ctx);
    const wrong = expectProblem(await signIn(person.email, 'not-the-password'), 401, 'ACCOUNTS_INVALID_CREDENTIALS');
    const unknown = expectProblem(
      await signIn('nobody-here@example.org', 'not-the-password'),
      401,
      'ACCOUNTS_INVALID_CREDENTIALS',
    );
    expect(wrong.detail).toBe(unknown.detail);
  });

  it('signs out: the cookie stops working at once and is cleared', async () => {
    const person = await buildPerson(env.ctx);
    const s = await session(person.email);
    const res = await env.app.inject({ method: 'DELETE', url: '/api/v1/sessions/current', headers: s.headers });
    expect(res.statusCode).toBe(200);
    const cleared = res.cookies.find((c) => c.name === 'athenaeum_session')!;
    expect(cleared.value).toBe('');
    expect(cleared.expires!.getTime()).toBeLessThan(Date.now());
    expectProblem(await whoAmI(s.headers), 401, 'AUTHENTICATION_REQUIRED');
  });

  it('lists my sessions and marks the current one; nobody else’s appear', async () => {
    const person = await buildPerson(env.ctx);
    const other = await buildPerson(env.ctx);
    const laptop = await session(person.email, 'Laptop Browser');
    const phone = await session(person.email, 'Phone Browser');
    await session(other.email, 'Someone Else');

    const res = await env.app.inject({ method: 'GET', url: '/api/v1/sessions', headers: phone.headers });
    const items = res.json().items as Array<{ id: string; current: boolean; userAgent: string; ip: string }>;
    expect(items.map((s) => s.id).sort()).toEqual([laptop.id, phone.id].sort());
    expect(items.filter((s) => s.current).map((s) => s.id)).toEqual([phone.id]);
    expect(items.find((s) => s.id === laptop.id)).toMatchObject({ userAgent: 'Laptop Browser', current: false });
    expect(items.every((s) => /^10\.30\./.test(s.ip))).toBe(true);
  });

  it('revokes the other sessions but keeps the current one', async () => {
    const person = await buildPerson(env.ctx);
    const keep = await session(person.email);
    const others = [await session(person.email), await session(person.email)];
    const bystander = await session((await buildPerson(env.ctx)).email);

    const res = await env.app.inject({ method: 'POST', url: '/api/v1/sessions/revoke-others', headers: keep.headers });
    expect(res.json()).toEqual({ ended: 2 });
    expect((await whoAmI(keep.headers)).statusCode).toBe(200);
    for (const s of others) expectProblem(await whoAmI(s.headers), 401, 'AUTHENTICATION_REQUIRED');
    expect((await whoAmI(bystander.headers)).statusCode).toBe(200);
  });

  it('ends one named session of mine, but not someone else’s (404, and it keeps working)', async () => {
    const person = await buildPerson(env.ctx);
    const mine = await session(person.email);
    const spare = await session(person.email);
    const theirs = await session((await buildPerson(env.ctx)).email);

    const foreign = await env.app.inject({
      method: 'DELETE',
      url: `/api/v1/sessions/${theirs.id}`,
      headers: mine.headers,
    });
    expectProblem(foreign, 404, 'ACCOUNTS_SESSION_NOT_FOUND');
    expect((await whoAmI(theirs.headers)).statusCode).toBe(200);

    const own = await env.app.inject({ method: 'DELETE', url: `/api/v1/sessions/${spare.id}`, headers: mine.headers });
    expect(own.statusCode).toBe(200);
    expectProblem(await whoAmI(spare.headers), 401, 'AUTHENTICATION_REQUIRED');
    expect((await whoAmI(mine.headers)).statusCode).toBe(200);
  });

  it('expires after 30 days without use, and slides forward while used', async () => {
    const person = await buildPerson(env.ctx);
    const idle = await session(person.email);
    const active = await session(person.email);

    env.clock.advance(SESSION_TTL_MS - 3600_000);
    expect((await whoAmI(active.headers)).statusCode).toBe(200);
    env.clock.advance(2 * 3600_000);
    expectProblem(await whoAmI(idle.headers), 401, 'AUTHENTICATION_REQUIRED');
    expect((await whoAmI(active.headers)).statusCode).toBe(200);

    env.clock.advance(SESSION_TTL_MS + 1_000);
    expectProblem(await whoAmI(active.headers), 401, 'AUTHENTICATION_REQUIRED');
  });

  describe('cookie flags', () => {
    it.each(['library.example.org', 'library.example.org:8443', '192.0.2.10'])(
      'sets HttpOnly, SameSite=Lax and Secure for host %s',
      async (host) => {
        const person = await buildPerson(env.ctx);
        const res = await signIn(person.email, TEST_PASSWORD, { host });
        const cookie = res.cookies.find((c) => c.name === 'athenaeum_session')!;
        expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true, path: '/' });
        const setCookie = String(res.headers['set-cookie']);
        expect(setCookie).toMatch(/HttpOnly/);
        expect(setCookie).toMatch(/SameSite=Lax/);
        expect(setCookie).toMatch(/Secure/);
      },
    );

    it.each(['localhost', 'localhost:8080', '127.0.0.1:8080', '[::1]:8080'])(
      'leaves out Secure on %s (plain http in development)',
      async (host) => {
        const person = await buildPerson(env.ctx);
        const res = await signIn(person.email, TEST_PASSWORD, { host });
        const cookie = res.cookies.find((c) => c.name === 'athenaeum_session')!;
        expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
        expect(cookie.secure).toBeFalsy();
        expect(String(res.headers['set-cookie'])).not.toMatch(/Secure/);
      },
    );

    it('expires the cookie with the session', async () => {
      const person = await buildPerson(env.ctx);
      const res = await signIn(person.email, TEST_PASSWORD);
      const cookie = res.cookies.find((c) => c.name === 'athenaeum_session')!;
      expect(cookie.expires!.getTime()).toBe(Math.floor((env.clock.now().getTime() + SESSION_TTL_MS) / 1000) * 1000);
    });
  });
});

describe('sign-in throttling', () => {
  it('locks an account after 5 failures, even for the right password, and tells when to retry', async () => {
    const person = await buildPerson(env.ctx);
    for (let i = 0; i < LOGIN_LIMITS.perAccount; i++) {
      expectProblem(await signIn(person.email, `wrong-${i}`), 401, 'ACCOUNTS_INVALID_CREDENTIALS');
    }
    const locked = await signIn(person.email, TEST_PASSWORD);
    const body = expectProblem(locked, 429, 'ACCOUNTS_LOGIN_LOCKED');
    expect(body.detail).toMatch(/Try again in 15 minutes\./);
    expect(locked.headers['retry-after']).toBe('900');
    expect(body.retryAfterSeconds).toBe(900);
    expect(locked.cookies.find((c) => c.name === 'athenaeum_session')).toBeUndefined();

    // The lock is on the account, wherever the next attempt comes from.
    expectProblem(await signIn(person.email, TEST_PASSWORD, { ip: '203.0.113.77' }), 429, 'ACCOUNTS_LOGIN_LOCKED');

    env.clock.advance(14 * 60_000);
    const almost = await signIn(person.email, TEST_PASSWORD);
    expect(expectProblem(almost, 429, 'ACCOUNTS_LOGIN_LOCKED').detail).toMatch(/Try again in 1 minute\./);
    expect(almost.headers['retry-after']).toBe('60');

    env.clock.advance(60_000);
    expect((await signIn(person.email, TEST_PASSWORD)).statusCode).toBe(201);
  });

  it('lets no more than 5 wrong passwords be tried when they arrive at once', async () => {
    const person = await buildPerson(env.ctx);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signIn(person.email, `wrong-${i}`, { ip: `10.31.0.${i + 1}` })),
    );
    const codes = answers.map((r) => (r.json() as { code: string }).code);
    expect(codes.filter((c) => c === 'ACCOUNTS_INVALID_CREDENTIALS')).toHaveLength(LOGIN_LIMITS.perAccount);
    expect(codes.filter((c) => c === 'ACCOUNTS_LOGIN_LOCKED')).toHaveLength(20 - LOGIN_LIMITS.perAccount);
    expectProblem(await signIn(person.email, TEST_PASSWORD), 429, 'ACCOUNTS_LOGIN_LOCKED');
  });

  it('lets no more than 30 failures come from one address when they arrive at once', async () => {
    const ip = '198.51.100.99';
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => signIn(`burst-${i}@example.org`, 'guess', { ip })),
    );
    const codes = answers.map((r) => (r.json() as { code: string }).code);
    expect(codes.filter((c) => c === 'ACCOUNTS_INVALID_CREDENTIALS')).toHaveLength(LOGIN_LIMITS.perIp);
    expect(codes.filter((c) => c === 'ACCOUNTS_LOGIN_LOCKED')).toHaveLength(40 - LOGIN_LIMITS.perIp);
  });

  it('does not count a successful sign-in as a failure', async () => {
    const person = await buildPerson(env.ctx);
    for (let i = 0; i < 8; i++) expect((await signIn(person.email, TEST_PASSWORD)).statusCode).toBe(201);
    const rows = await env.ctx.db
      .withTables<{ login_failures: { email: string } }>()
      .selectFrom('login_failures')
      .select('email')
      .where('email', '=', person.email)
      .execute();
    expect(rows).toEqual([]);
  });

  it('answers for an unknown address the same way, so locks do not reveal who is registered', async () => {
    for (let i = 0; i < LOGIN_LIMITS.perAccount; i++) await signIn('ghost@example.org', 'whatever-1');
    const body = expectProblem(await signIn('ghost@example.org', 'whatever-1'), 429, 'ACCOUNTS_LOGIN_LOCKED');
    expect(body.detail).toMatch(/for this account\. Try again in 15 minutes\./);
  });

  it('forgets failures after a successful sign-in', async () => {
    const person = await buildPerson(env.ctx);
    for (let i = 0; i < LOGIN_LIMITS.perAccount - 1; i++) await signIn(person.email, 'wrong');
    expect((await signIn(person.email, TEST_PASSWORD)).statusCode).toBe(201);
    for (let i = 0; i < LOGIN_LIMITS.perAccount - 1; i++) await signIn(person.email, 'wrong');
    expect((await signIn(person.email, TEST_PASSWORD)).statusCode).toBe(201);
  });

  it('counts only failures inside the 15-minute window', async () => {
    const person = await buildPerson(env.ctx);
    for (let i = 0; i < LOGIN_LIMITS.perAccount - 1; i++) await signIn(person.email, 'wrong');
    env.clock.advance(LOGIN_LIMITS.windowMs);
    await signIn(person.email, 'wrong');
    expect((await signIn(person.email, TEST_PASSWORD)).statusCode).toBe(201);
  });

  it('locks one network address after 30 failures across accounts, but not another address', async () => {
    const attacker = '198.51.100.7';
    const neighbour = '198.51.100.8';
    for (let i = 0; i < LOGIN_LIMITS.perIp; i++) {
      expectProblem(
        await signIn(`target-${i}@example.org`, 'guess', { ip: attacker }),
        401,
        'ACCOUNTS_INVALID_CREDENTIALS',
      );
    }
    const person = await buildPerson(env.ctx);
    const blocked = await signIn(person.email, TEST_PASSWORD, { ip: attacker });
    const body = expectProblem(blocked, 429, 'ACCOUNTS_LOGIN_LOCKED');
    expect(body.detail).toMatch(/this network address\. Try again in 15 minutes\./);
    expect(blocked.headers['retry-after']).toBe('900');

    expect((await signIn(person.email, TEST_PASSWORD, { ip: neighbour })).statusCode).toBe(201);

    env.clock.advance(LOGIN_LIMITS.windowMs);
    expect((await signIn(person.email, TEST_PASSWORD, { ip: attacker })).statusCode).toBe(201);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY says a proxy is in front (no spoofed addresses)', async () => {
    expect(await sessionAddressesSignedInThroughProxy(env)).toEqual([{ ip: '127.0.0.1' }]);
  });

  it('takes the client address from X-Forwarded-For behind a trusted proxy', async () => {
    const proxied = await createTestEnv({ TRUST_PROXY: '127.0.0.1' });
    expect(await sessionAddressesSignedInThroughProxy(proxied)).toEqual([{ ip: '192.0.2.55' }]);
  });
});

/**
 * Signs a new person in from 127.0.0.1 (a proxy) with `X-Forwarded-For: 192.0.2.55`; returns the
 * addresses their sessions recorded.
 */
async function sessionAddressesSignedInThroughProxy(target: TestEnv): Promise<Array<{ ip: string }>> {
  const person = await buildPerson(target.ctx);
  const res = await target.app.inject({
    method: 'POST',
    url: '/api/v1/sessions',
    payload: { email: person.email, password: TEST_PASSWORD },
    remoteAddress: '127.0.0.1',
    headers: { 'x-forwarded-for': '192.0.2.55' },
  });
  expect(res.statusCode).toBe(201);
  return target.ctx.db
    .withTables<{ sessions: { person_id: string; ip: string } }>()
    .selectFrom('sessions')
    .select('ip')
    .where('person_id', '=', person.id)
    .execute();
}
