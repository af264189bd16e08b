import type { JobHandler } from './queue.js';

/**
 * Which worker runs a queue's jobs. Short jobs (e-mail, hold notices, expiries, quarantine
 * releases) must not wait behind a long one (a whole file imported, a harvest), which can take
 * half an hour: each lane has a worker of its own.
 */
export type JobLane = 'short' | 'long';

/** Where modules register the handlers of their queues at start. */
export class JobRegistry {
  private readonly handlers = new Map<string, { handler: JobHandler; lane: JobLane }>();

  register(queue: string, handler: JobHandler, options: { lane?: JobLane } = {}): void {
    if (this.handlers.has(queue)) throw new Error(`Job queue ${queue} is registered twice`);
    this.handlers.set(queue, { handler, lane: options.lane ?? 'short' });
  }

  /** Every queue's handler, whatever its lane (tests drain them all). */
  all(): ReadonlyMap<string, JobHandler> {
    return new Map([...this.handlers].map(([queue, { handler }]) => [queue, handler]));
  }

  /** The handlers of one lane's queues. */
  lane(lane: JobLane): ReadonlyMap<string, JobHandler> {
    return new Map(
      [...this.handlers].filter(([, entry]) => entry.lane === lane).map(([queue, { handler }]) => [queue, handler]),
    );
  }
}
