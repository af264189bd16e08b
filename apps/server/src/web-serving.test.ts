import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { createTestEnv, type TestEnv } from './test/context.js';
import { tempDir } from './test/processes.js';

// A stand-in build of the web app: what matters here is how the server serves one.
let env: TestEnv;
let app: FastifyInstance;
const root = tempDir('web-root');
beforeAll(async () => {
  fs.mkdirSync(path.join(root, 'assets'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><html><body><div id="root"></div></body></html>');
  fs.writeFileSync(path.join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
  env = await createTestEnv();
  app = await buildApp({
    ctx: { ...env.ctx, logger: pino({ level: 'silent' }) },
    database: env.database,
    version: 'test',
    webRoot: root,
  });
});
afterAll(async () => {
  await app.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('serving the web app', () => {
  it('serves the app at / and at any page URL, not cached', async () => {
    for (const url of ['/', '/organizations/123', '/sign-in?next=%2Faccount']) {
      const res = await app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('<div id="root">');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves hashed assets as immutable', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it("keeps a file server's own client error (a range past the end: 416)", async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/index-abc123.js', headers: { range: 'bytes=9999-' } });
    expect(res.statusCode, res.body).toBe(416);
  });

  it('answers unknown API paths with a problem, not the page', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
