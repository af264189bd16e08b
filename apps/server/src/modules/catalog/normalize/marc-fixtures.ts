// Test helpers: a MARC record from a compact, readable notation, and the records of a file of
// ../shared/data, read in place (never copied).
//   record('00000nam a2200000 a 4500', ['001 ocm123', '245 14 $aThe title :$bsub /$cby X.'])
import fs from 'node:fs';
import path from 'node:path';
import { readRecords, type MarcRecord } from '@athenaeum/marc';
import { SERVER_ROOT } from '../../../platform/version.js';

/** ../shared/data beside the clone (part of the build, so not the test harness's constant). */
export const SHARED_DATA = path.resolve(SERVER_ROOT, '../../../shared/data');

export function record(leader: string, lines: string[]): MarcRecord {
  return {
    leader,
    fields: lines.map((line) => {
      const tag = line.slice(0, 3);
      if (tag < '010' && tag !== '880' && /^\d+$/.test(tag)) return { tag, value: line.slice(4) };
      const ind1 = line[4] === '_' ? ' ' : line[4]!;
      const ind2 = line[5] === '_' ? ' ' : line[5]!;
      const subfields = line
        .slice(7)
        .split('$')
        .filter(Boolean)
        .map((part) => ({ code: part[0]!, value: part.slice(1) }));
      return { tag, ind1, ind2, subfields };
    }),
  };
}

/** The records of a file under ../shared/data (path relative to it), in order; one that cannot be read fails the test. */
export async function sharedRecords(file: string): Promise<MarcRecord[]> {
  const out: MarcRecord[] = [];
  for await (const item of readRecords(fs.readFileSync(path.join(SHARED_DATA, file)))) {
    if (!('record' in item) || !item.record) throw new Error(`${file}: a record could not be read`);
    out.push(item.record);
  }
  return out;
}
