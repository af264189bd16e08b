import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, signInAs } from '../../modules/accounts/accounts.factories.js';
import { createTestEnv, type TestEnv } from '../../test/context.js';
import { expectProblem, rowCounts } from '../../test/helpers.js';

const BODY_LIMIT = 2048;
let env: TestEnv;
let admin: Awaited<ReturnType<typeof signInAs>>;

const signUp = (payload: unknown) =>
  env.app.inject({ method: 'POST', url: '/api/v1/accounts', payload: payload as Record<string, unknown> });

beforeAll(async () => {
  env = await createTestEnv({ BODY_LIMIT_BYTES: String(BODY_LIMIT) });
  const person = await buildPerson(env.ctx, { platformAdmin: true });
  admin = await signInAs(env.app, person.email);
});

/** Runs a request that must fail and proves the database is exactly as before. */
async function refusedWithoutWrites(run: () => Promise<LightMyRequestResponse>) {
  const before = await rowCounts(env.ctx.db);
  const res = await run();
  expect(await rowCounts(env.ctx.db)).toEqual(before);
  return res;
}

describe('problem+json answers', () => {
  it('answers a malformed JSON body with 400 MALFORMED_JSON and writes nothing', async () => {
    const res = await refusedWithoutWrites(() =>
      env.app.inject({
        method: 'POST',
        url: '/api/v1/accounts',
        headers: { 'content-type': 'application/json' },
        payload: '{"email": "a@example.org", "password": ',
      }),
    );
    const body = expectProblem(res, 400, 'MALFORMED_JSON');
    expect(body.detail).toMatch(/not valid JSON/);
    expect(body.instance).toBe('/api/v1/accounts');
  });

  it('answers an empty body that claims to be JSON with 400 MALFORMED_JSON', async () => {
    const res = await refusedWithoutWrites(() =>
      env.app.inject({
        method: 'POST',
        url: '/api/v1/accounts',
        headers: { 'content-type': 'application/json' },
        payload: '',
      }),
    );
    expectProblem(res, 400, 'MALFORMED_JSON');
  });

  it('answers an unknown field with 400 VALIDATION_FAILED naming the field, and writes nothing', async () => {
    const res = await refusedWithoutWrites(() =>
      signUp({
        email: 'sneaky@example.org',
        password: 'long-enough-password',
        displayName: 'Sneaky',
        isPlatformAdmin: true,
      }),
    );
    const body = expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(body.detail).toContain('isPlatformAdmin');
    expect(body.errors).toEqual([
      expect.objectContaining({ path: 'body', message: expect.stringContaining('isPlatformAdmin') }),
    ]);
  });

  it('answers a wrong type with 400 naming the path of the field', async () => {
    const res = await refusedWithoutWrites(() =>
      signUp({ email: 'typed@example.org', password: 'long-enough-password', displayName: 42 }),
    );
    const body = expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(body.errors?.map((e) => e.path)).toEqual(['body.displayName']);
    expect(body.detail).toMatch(/^body\.displayName: /);
  });

  it('names nested paths and lists every invalid field at once', async () => {
    const res = await refusedWithoutWrites(() =>
      env.app.inject({
        method: 'POST',
        url: '/api/v1/organizations',
        headers: admin.headers,
        payload: { code: 'lower-case', kind: 'library', country: 'RU', names: { en: 'Nested' }, address: { city: 5 } },
      }),
    );
    const body = expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(body.errors?.map((e) => e.path).sort()).toEqual(['body.address.city', 'body.code']);
  });

  it('names query-string and path parameters too', async () => {
    const query = expectProblem(
      await env.app.inject({ method: 'GET', url: '/api/v1/organizations?pageSize=1000' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(query.errors?.map((e) => e.path)).toEqual(['querystring.pageSize']);
    const params = expectProblem(
      await env.app.inject({ method: 'GET', url: '/api/v1/organizations/not-a-uuid' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(params.errors?.map((e) => e.path)).toEqual(['params.id']);
  });

  it(`answers a body over BODY_LIMIT_BYTES (${BODY_LIMIT}) with 413 PAYLOAD_TOO_LARGE and writes nothing`, async () => {
    const payload = { email: 'big@example.org', password: 'long-enough-password', displayName: 'x'.repeat(BODY_LIMIT) };
    const res = await refusedWithoutWrites(() => signUp(payload));
    expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('accepts a body just under the limit (the limit is the setting, not a constant)', async () => {
    const res = await signUp({ email: 'small@example.org', password: 'long-enough-password', displayName: 'Small' });
    expect(res.statusCode).toBe(201);
  });

  it('answers an unsupported content type with 415, and plain text where an object belongs with 400', async () => {
    const xml = await refusedWithoutWrites(() =>
      env.app.inject({
        method: 'POST',
        url: '/api/v1/accounts',
        headers: { 'content-type': 'application/xml' },
        payload: '<a/>',
      }),
    );
    expectProblem(xml, 415, 'UNSUPPORTED_MEDIA_TYPE');
    const text = await refusedWithoutWrites(() =>
      env.app.inject({
        method: 'POST',
        url: '/api/v1/accounts',
        headers: { 'content-type': 'text/plain' },
        payload: 'hello',
      }),
    );
    expect(expectProblem(text, 400, 'VALIDATION_FAILED').errors?.map((e) => e.path)).toEqual(['body']);
  });

  it.each(['GET', 'POST', 'DELETE'] as const)(
    'answers %s on an unknown /api route with a 404 problem',
    async (method) => {
      const res = await env.app.inject({ method, url: '/api/v1/no-such-thing?token=secret-value' });
      const body = expectProblem(res, 404, 'NOT_FOUND');
      expect(body.detail).toBe(`Nothing at ${method} /api/v1/no-such-thing.`);
      // The query string (which may carry a secret) is not echoed back.
      expect(res.body).not.toContain('secret-value');
    },
  );

  it('answers an unknown page with a 404 problem too when no web app is served', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/some/page', headers: { accept: 'text/html' } });
    expectProblem(res, 404, 'NOT_FOUND');
  });

  it('answers an application error with its registered status and code', async () => {
    const res = await env.app.inject({
      method: 'GET',
      url: '/api/v1/organizations/00000000-0000-4000-8000-000000000000',
    });
    const body = expectProblem(res, 404, 'ACCOUNTS_ORGANIZATION_NOT_FOUND');
    expect(body.type).toBe('/api/docs#error-ACCOUNTS_ORGANIZATION_NOT_FOUND');
  });

  describe('request ids', () => {
    it('echoes a well-formed incoming x-request-id in the header and in the problem', async () => {
      const res = await env.app.inject({
        method: 'GET',
        url: '/api/v1/nowhere',
        headers: { 'x-request-id': 'trace-1234abcd' },
      });
      expect(res.headers['x-request-id']).toBe('trace-1234abcd');
      expect(expectProblem(res, 404, 'NOT_FOUND').requestId).toBe('trace-1234abcd');
    });

    it('replaces a malformed incoming x-request-id with a fresh one', async () => {
      const res = await env.app.inject({
        method: 'GET',
        url: '/api/v1/nowhere',
        headers: { 'x-request-id': 'bad id<script>' },
      });
      const body = expectProblem(res, 404, 'NOT_FOUND');
      expect(body.requestId).not.toContain('script');
      expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('gives each request its own id, also on success', async () => {
      const a = await env.app.inject({ method: 'GET', url: '/api/health' });
      const b = await env.app.inject({ method: 'GET', url: '/api/health' });
      expect(a.statusCode).toBe(200);
      expect(a.headers['x-request-id']).toBeTruthy();
      expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
    });
  });

  it('lists every error code with its status at /api/v1/errors', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/v1/errors' });
    const items = (res.json() as { items: Array<{ code: string; status: number }> }).items;
    expect(items).toContainEqual(expect.objectContaining({ code: 'MALFORMED_JSON', status: 400 }));
    expect(items).toContainEqual(expect.objectContaining({ code: 'ACCOUNTS_LAST_ADMIN', status: 409 }));
    expect(items.map((i) => i.code)).toEqual([...items.map((i) => i.code)].sort());
  });
});
