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

/** Worker threads that prepare records, chunk by chunk, answering each chunk in its order. */
export class PreparePool {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, { resolve: (o: PrepareOutcome[]) => void; reject: (e: Error) => void }>();
  private next = 0;
  private failure: Error | null = null;

  constructor(size: number, settings: PrepareSettings) {
    const entry = workerEntry();
    for (let i = 0; i < size; i++) {
      const worker = new Worker(entry.file, { workerData: settings, eval: entry.eval });
      worker.on('message', ({ id, outcomes }: { id: number; outcomes: PrepareOutcome[] }) => {
        this.waiting.get(id)?.resolve(outcomes);
        this.waiting.delete(id);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`a record preparation worker stopped (exit code ${code})`));
      });
      this.workers.push(worker);
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const w of this.waiting.values()) w.reject(error);
    this.waiting.clear();
  }

  /** Prepares a chunk of records on the next worker. */
  run(jobs: PrepareJob[]): Promise<PrepareOutcome[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.next++;
    const worker = this.workers[id % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, jobs });
    });
  }

  async close(): Promise<void> {
    this.failure ??= new Error('the record preparation pool is closed');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
