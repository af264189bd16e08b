import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PrepareSettings } from './prepare-record.js';
import type { PrepareJob, PrepareOutcome } from './prepare-worker.js';

// From sources (tests, `npm run dev`) the worker is TypeScript too: a small script registers tsx
// in the worker, then loads it.
function workerEntry(): { file: string | URL; eval: boolean } {
  const self = fileURLToPath(import.meta.url);
  if (!self.endsWith('.ts')) return { file: self.replace(/prepare-pool\.js$/, 'prepare-worker.js'), eval: false };
  const worker = pathToFileURL(self.replace(/prepare-pool\.ts$/, 'prepare-worker.ts')).href;
  return {
    file: `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}); })`,
    eval: true,
  };
}

/**
 * How many preparation workers an import or harvest uses by default: one per core beyond the
 * first (at least one, at most four). The first core is the serial path's: the main thread, which
 * clusters and drives the database, and the database itself. On the 2-core bench machine one
 * worker imported 100,000 records on PostgreSQL about 7 % faster than two, with less CPU in all
 * (docs/BENCHMARKS.md, catalog-import, 2026-11-23 08:30).
 */
export const defaultPrepareWorkers = (): number => Math.min(4, Math.max(1, os.availableParallelism() - 1));

/** Worker threads that prepare records, chunk by chunk, answering each chunk in its order. */
export class PreparePool {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, { resolve: (o: PrepareOutcome[]) => void; reject: (e: Error) => void }>();
  private next = 0;
  private failure: Error | null = null;

  constructor(readonly size: number) {
    const entry = workerEntry();
    for (let i = 0; i < size; i++) {
      const worker = new Worker(entry.file, { eval: entry.eval });
      worker.on('message', ({ id, outcomes }: { id: number; outcomes: PrepareOutcome[] }) => {
        this.waiting.get(id)?.resolve(outcomes);
        this.waiting.delete(id);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`a record preparation worker stopped (exit code ${code})`));
      });
      // An idle pool never keeps the process alive.
      worker.unref();
      this.workers.push(worker);
    }
  }

  get failed(): boolean {
    return this.failure !== null;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const w of this.waiting.values()) w.reject(error);
    this.waiting.clear();
  }

  /** Prepares a chunk of records of an import with these settings on the next worker. */
  run(jobs: PrepareJob[], settings: PrepareSettings): Promise<PrepareOutcome[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.next++;
    const worker = this.workers[id % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // Referenced while a chunk is out, so the process waits for its answer.
      if (this.waiting.size === 1) for (const w of this.workers) w.ref();
      worker.postMessage({ id, jobs, settings });
    }).finally(() => {
      if (this.waiting.size === 0) for (const w of this.workers) w.unref();
    }) as Promise<PrepareOutcome[]>;
  }

  async close(): Promise<void> {
    this.fail(new Error('the record preparation pool is closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

// Workers outlive an import: a new worker spends its first ten thousand records or so compiling
// (V8 optimizes the normalization code in every new thread), which for a file of a few tens of
// thousands of records cost as much as preparing them all. Imports one after the other (a CLI
// run of several files, or upload jobs) share them; they stop after a while unused.
const IDLE_MS = 60_000;
let shared: PreparePool | null = null;
let users = 0;
let idleTimer: NodeJS.Timeout | null = null;

/** The process's preparation pool of `size` workers, until `release`d by every user. */
export function acquirePreparePool(size: number): PreparePool {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  if (shared && (shared.failed || shared.size !== size) && users === 0) {
    void shared.close();
    shared = null;
  }
  // A pool of another size in use by a concurrent import is shared as it is. (The holders of a
  // failed pool give it back through the `pool !== shared` branch of releasePreparePool.)
  if (!shared || shared.failed) {
    shared = new PreparePool(size);
    users = 0;
  }
  users++;
  return shared;
}

/** Gives a pool back; the last user of the shared pool leaves it to stop when idle. */
export function releasePreparePool(pool: PreparePool): void {
  if (pool !== shared) {
    void pool.close();
    return;
  }
  users = Math.max(0, users - 1);
  if (users > 0) return;
  if (pool.failed) {
    shared = null;
    void pool.close();
    return;
  }
  idleTimer = setTimeout(() => {
    if (shared === pool && users === 0) {
      shared = null;
      void pool.close();
    }
  }, IDLE_MS);
  idleTimer.unref();
}
