import type { JobHandler } from './queue.js';

/** Where modules register the handlers of their queues at start. */
export class JobRegistry {
  private readonly handlers = new Map<string, JobHandler>();

  register(queue: string, handler: JobHandler): void {
    if (this.handlers.has(queue)) throw new Error(`Job queue ${queue} is registered twice`);
    this.handlers.set(queue, handler);
  }

  all(): ReadonlyMap<string, JobHandler> {
    return this.handlers;
  }
}
