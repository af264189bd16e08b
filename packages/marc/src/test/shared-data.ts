// Test data from ../shared/data, read in place (never copied into the repository).
import fs from 'node:fs';
import path from 'node:path';

/** ../shared/data, resolved from the repository root (four levels above src/test). */
export const SHARED_DATA = path.resolve(import.meta.dirname, '../../../../../shared/data');

export function dataPath(...parts: string[]): string {
  return path.join(SHARED_DATA, ...parts);
}

export function readData(...parts: string[]): Buffer {
  return fs.readFileSync(dataPath(...parts));
}

/** Every file under a folder of ../shared/data, relative to ../shared/data, sorted. */
export function filesUnder(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(SHARED_DATA, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else out.push(rel);
    }
  };
  walk(folder);
  return out.sort();
}

/** Splits a buffer into chunks of the given size, as a stream would deliver it. */
export async function* inChunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, Math.min(bytes.length, at + size));
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Record counts per file as ../shared/data/SOURCES.md lists them (files with a count only). */
export function sourcesRecordCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  const text = fs.readFileSync(path.join(SHARED_DATA, 'SOURCES.md'), 'utf8');
  for (const match of text.matchAll(/^\| `([^`]+)` \| [^|]+ \| (\d+) \|/gm))
    counts.set(match[1] as string, Number(match[2]));
  return counts;
}
