// Worker-thread entry: prepares records (normalization and everything derived from it) for
// imports running on the main thread, which send them as their JSON text, in chunks, with the
// settings of the import each chunk belongs to.
import type { MarcFlavour, MarcRecord } from '@athenaeum/marc';
import { parentPort } from 'node:worker_threads';
import { prepareRecord, type PrepareSettings } from './prepare-record.js';

/** One record to prepare. */
export interface PrepareJob {
  marcJson: string;
  flavour?: MarcFlavour;
  position: string;
}

/** The prepared record, or why it cannot be catalogued. */
export type PrepareOutcome = { ok: ReturnType<typeof prepareRecord> } | { error: string };

parentPort?.on('message', ({ id, jobs, settings }: { id: number; jobs: PrepareJob[]; settings: PrepareSettings }) => {
  const outcomes = jobs.map((job): PrepareOutcome => {
    try {
      return {
        ok: prepareRecord(JSON.parse(job.marcJson) as MarcRecord, job.marcJson, job.flavour, job.position, settings),
      };
    } catch (error) {
      return { error: (error as Error).message };
    }
  });
  parentPort!.postMessage({ id, outcomes });
});
