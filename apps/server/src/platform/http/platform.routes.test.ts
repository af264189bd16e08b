import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { createTestEnv, type TestEnv } from '../../test/context.js';
import { connect } from '../db/database.js';
import { listErrorCodes } from '../errors.js';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});

describe('platform routes', () => {
  it('answers /api/health with the database kind and version', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: env.database.kind, version: 'test' });
  });

  describe('when the database cannot be reached', () => {
    const dead = connect('postgres://postgres@127.0.0.1:1/none', 1);
    afterAll(() => dead.db.destroy());
    it('answers /api/health with 503', async () => {
      const app = await buildApp({
        ctx: { ...env.ctx, db: dead.db, logger: pino({ level: 'silent' }) },
        database: {
          ping: async () => {
            try {
              await dead.pool.query('select 1');
              return true;
            } catch {
              return false;
            }
          },
        },
        version: 'test',
      });
      const res = await app.inject({ method: 'GET', url: '/api/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'unavailable' });
      await app.close();
    });
  });

  it('publishes an OpenAPI 3.1 document generated from the route schemas', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/organizations', '/api/v1/sessions', '/api/health']),
    );
    const list = doc.paths['/api/v1/organizations'].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['kind', 'country', 'page', 'pageSize']),
    );
    expect(doc.paths['/api/v1/accounts'].post.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['email', 'password', 'displayName']),
    );
  });

  it('serves the browsable API docs', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
  });

  it('lists every registered error code with its status', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/v1/errors' });
    const codes = res.json().items.map((e: { code: string }) => e.code);
    expect(codes).toEqual(listErrorCodes().map(([code]) => code));
    expect(codes).toEqual(expect.arrayContaining(['VALIDATION_FAILED', 'ACCOUNTS_LOGIN_LOCKED']));
  });
});
