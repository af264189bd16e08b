// Worker-thread entry: prepares records (normalization and everything derived from it) for
// imports running on the main thread, which send them in chunks, with the settings of the import
// each chunk belongs to: as ISO 2709 bytes cut out of the input (parsed here), or as the JSON text
// of a record read on the main thread.
import { parseFramedIso2709, type MarcFlavour, type MarcRecord } from '@athenaeum/marc';
import { parentPort } from 'node:worker_threads';
import { prepareRecord, type PrepareSettings } from './prepare-record.js';

/** One record to prepare. */
export type PrepareJob =
  | { marcJson: string; flavour?: MarcFlavour; position: string }
  | { iso2709: Uint8Array; terminated: boolean; position: string };

/**
 * The prepared record (with, for ISO 2709 bytes, the record's JSON text and what parsing found),
 * why it cannot be catalogued (`error`), or why its bytes cannot be read as a record (`unreadable`).
 */
export type PrepareOutcome =
  | { ok: ReturnType<typeof prepareRecord>; marcJson?: string; warnings?: string[] }
  | { error: string }
  | { unreadable: string };

function prepare(job: PrepareJob, settings: PrepareSettings): PrepareOutcome {
  if ('marcJson' in job)
    return {
      ok: prepareRecord(JSON.parse(job.marcJson) as MarcRecord, job.marcJson, job.flavour, job.position, settings),
    };
  const read = parseFramedIso2709(
    { bytes: job.iso2709, terminated: job.terminated, position: { index: 0, byteOffset: 0 } },
    settings.iso2709,
  );
  if ('error' in read) return { unreadable: read.error.reason };
  // The record's JSON is both what is stored and what the content hash is taken of.
  const marcJson = JSON.stringify(read.record);
  return {
    ok: prepareRecord(read.record, marcJson, read.flavour, job.position, settings),
    marcJson,
    warnings: read.warnings,
  };
}

parentPort?.on('message', ({ id, jobs, settings }: { id: number; jobs: PrepareJob[]; settings: PrepareSettings }) => {
  const outcomes = jobs.map((job): PrepareOutcome => {
    try {
      return prepare(job, settings);
    } catch (error) {
      return { error: (error as Error).message };
    }
  });
  parentPort!.postMessage({ id, outcomes });
});
