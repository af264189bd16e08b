import fs from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';

// Starting real servers takes a while on a busy 2-core machine.
vi.setConfig({ testTimeout: 180_000 });
import { freePort, spawnServer, tempDir, waitHealthy, type ServerProcess } from './test/processes.js';

// These run the real server as its own process on the embedded database, as `npm start` does.
describe('server process on the embedded database', () => {
  const dataDir = tempDir('lifecycle');
  const running: ServerProcess[] = [];
  afterAll(() => {
    for (const s of running) s.child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const signUp = (url: string, email: string) =>
    fetch(`${url}/api/v1/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'long-enough-password', displayName: 'Kill Nine' }),
    });
  const signIn = (url: string, email: string) =>
    fetch(`${url}/api/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'long-enough-password' }),
    });

  it('keeps every committed change after kill -9 and a restart', async () => {
    const port = String(await freePort());
    const first = spawnServer({ ATHENAEUM_DATA_DIR: dataDir, PORT: port });
    running.push(first);
    await waitHealthy(first);
    expect((await signUp(first.url, 'survivor@example.org')).status).toBe(201);
    first.child.kill('SIGKILL');
    await first.exited;

    const second = spawnServer({ ATHENAEUM_DATA_DIR: dataDir, PORT: port });
    running.push(second);
    await waitHealthy(second);
    const res = await signIn(second.url, 'survivor@example.org');
    expect(res.status).toBe(201);
  });

  it('stops a second server on the same data directory at once with a message naming it; the first keeps serving', async () => {
    const first = running.at(-1)!;
    const intruder = spawnServer({ ATHENAEUM_DATA_DIR: dataDir, PORT: String(await freePort()) });
    running.push(intruder);
    const code = await intruder.exited;
    expect(code).not.toBe(0);
    expect(intruder.output()).toContain(`The data directory ${dataDir} is in use by process ${first.child.pid}`);
    expect((await fetch(`${first.url}/api/health`)).status).toBe(200);
  });

  it('on SIGTERM finishes the request in flight, then closes the database and exits 0', async () => {
    const server = running.at(-2)!;
    const inFlight = signUp(server.url, 'last-one@example.org');
    await new Promise((r) => setTimeout(r, 15));
    server.child.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(201);
    const code = await server.exited;
    expect(code, server.output()).toBe(0);
    // The lock is released: the directory opens again and the last write is there.
    const after = spawnServer({ ATHENAEUM_DATA_DIR: dataDir, PORT: String(await freePort()) });
    running.push(after);
    await waitHealthy(after);
    expect((await signIn(after.url, 'last-one@example.org')).status).toBe(201);
    after.child.kill('SIGTERM');
    expect(await after.exited).toBe(0);
  });
});
