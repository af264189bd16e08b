// Test helper: a MARC record from a compact, readable notation.
//   record('00000nam a2200000 a 4500', ['001 ocm123', '245 14 $aThe title :$bsub /$cby X.'])
import type { MarcRecord } from '@athenaeum/marc';

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
