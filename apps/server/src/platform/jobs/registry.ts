import type { JobHandler } from './queue.js';

/**
 * Which worker runs a queue's jobs. Short jobs (e-mail, hold notices, expiries, quarantine
 * releases) must not wait behind a long one (a whole file imported, a harvest), which can take
 * half an hour: each lane has a worker of its own.
 */
export type JobLane = 'short' | 'long';

/**
 * Where modules register the handlers of their queues at start. The maps it gives are live: a
 * worker made before a module registers (the app registers some as it is built) sees its queues.
 */
export class JobRegistry {
  private readonly queues = new Map<string, JobHandler>();
  private readonly lanes: Record<JobLane, Map<string, JobHandler>> = { short: new Map(), long: new Map() };

  register(queue: string, handler: JobHandler, options: { lane?: JobLane } = {}): void {
    if (this.queues.has(queue)) throw new Error(`Job queue ${queue} is registered twice`);
    this.queues.set(queue, handler);
    this.lanes[options.lane ?? 'short'].set(queue, handler);
  }

  /** Every queue's handler, whatever its lane (tests drain them all). */
  all(): ReadonlyMap<string, JobHandler> {
    return this.queues;
  }

  /** The handlers of one lane's queues. */
  lane(lane: JobLane): ReadonlyMap<string, JobHandler> {
    return this.lanes[lane];
  }
}
