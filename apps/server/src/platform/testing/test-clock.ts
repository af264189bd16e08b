// A clock that browser journeys move forward, for time-based behaviour (quarantine, due dates).
// Test-only: the server installs it only when TEST_CLOCK is on, and the configuration refuses
// TEST_CLOCK with NODE_ENV=production. It lives in one process's memory, so it is for a single
// test server, never a deployment.
import { sql } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { AnyDb } from '../db/database.js';
import type { FastifyZodInstance } from '../http/types.js';

/** The real time moved by an offset that grows, until a journey puts it back to the real time. */
export class OffsetClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  reset(): void {
    this.offsetMs = 0;
  }
}

/**
 * Moves the queue's pending jobs `ms` earlier, as if that much time had passed for them too: a
 * job due in three days after a check-in runs once the clock has been moved three days on.
 */
export async function shiftQueuedJobs(db: AnyDb, ms: number): Promise<void> {
  await sql`update jobs set run_at = run_at - make_interval(secs => ${ms / 1000}) where status = 'queued'`.execute(db);
}

/**
 * POST /api/v1/testing/clock { advanceMs } (or { reset: true }, back to the real time, so a
 * journey leaves the shared test server as it found it) and GET /api/v1/testing/clock.
 */
export async function testClockRoutes(app: FastifyZodInstance, deps: { clock: OffsetClock; db: AnyDb }): Promise<void> {
  const Now = z.object({ now: z.string() });
  const config = { access: { kind: 'public' as const } };
  app.get('/testing/clock', { config, schema: { hide: true, response: { 200: Now } } }, async () => ({
    now: deps.clock.now().toISOString(),
  }));
  app.post(
    '/testing/clock',
    {
      config,
      schema: {
        hide: true,
        body: z.union([
          z.strictObject({
            advanceMs: z
              .number()
              .int()
              .min(0)
              .max(10 * 365 * 86_400_000),
          }),
          z.strictObject({ reset: z.literal(true) }),
        ]),
        response: { 200: Now },
      },
    },
    async (request) => {
      if ('reset' in request.body) deps.clock.reset();
      else {
        deps.clock.advance(request.body.advanceMs);
        await shiftQueuedJobs(deps.db, request.body.advanceMs);
      }
      return { now: deps.clock.now().toISOString() };
    },
  );
}
