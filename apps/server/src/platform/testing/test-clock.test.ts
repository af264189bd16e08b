import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';
import { createTestEnv } from '../../test/context.js';
import { OffsetClock } from './test-clock.js';

describe('test clock', () => {
  it('cannot be turned on in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', TEST_CLOCK: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ TEST_CLOCK: 'true' })).toThrow(/TEST_CLOCK/);
    expect(loadConfig({ NODE_ENV: 'test', TEST_CLOCK: 'true' }).testClock).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).testClock).toBe(false);
  });

  it('moves forward by an offset, and back to the real time when reset', () => {
    const clock = new OffsetClock();
    const before = Date.now();
    clock.advance(72 * 3_600_000);
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(before + 72 * 3_600_000);
    clock.reset();
    expect(clock.now().getTime()).toBeLessThan(before + 3_600_000);
  });

  it('has no route on a server without it', async () => {
    const env = await createTestEnv();
    const res = await env.app.inject({ method: 'POST', url: '/api/v1/testing/clock', payload: { advanceMs: 1 } });
    expect(res.statusCode).toBe(404);
  });
});
