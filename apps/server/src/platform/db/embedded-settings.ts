// The embedded database's server settings, beyond PGlite's defaults.
import { PGlite } from '@electric-sql/pglite';
import os from 'node:os';

/**
 * PGlite's start parameters with larger buffers. Its 128 MB of shared buffers held a quarter of
 * a 100,000-record catalogue: an import and its repeat wrote 1.9 GB of evicted pages and read
 * 2.3 GB back, each page one call through Node's file system (268,000 reads, 247,000 writes).
 * With 512 MB they wrote 0.9 GB and read 0.2 GB. An eighth of the memory at most (the machine's,
 * or a container's limit), and never less than PGlite's own. WAL buffers of 64 MB let a batch's
 * WAL go out in fewer, larger writes (54,000 against 85,000). docs/BENCHMARKS.md, catalog-import,
 * 2026-11-24.
 */
export function embeddedStartParams(totalMemory = machineMemory()): string[] {
  const buffersMb = Math.max(128, Math.min(512, Math.floor(totalMemory / 2 ** 20 / 8)));
  return [...PGlite.defaultStartParams, '-c', `shared_buffers=${buffersMb}MB`, '-c', 'wal_buffers=64MB'];
}

/** The memory this process may use: the machine's, or a container's limit if lower. */
function machineMemory(): number {
  const limit = process.constrainedMemory?.();
  return Math.min(os.totalmem(), limit && limit > 0 ? limit : Infinity);
}
