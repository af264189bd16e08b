import { isControlField, type MarcRecord } from '@athenaeum/marc';
import type { ExtractedItem } from './holdings.js';

// What the database cannot take, checked before a record goes into a batch, so that it is
// rejected with its position and a reason a cataloguer can act on, and the rest of the file is
// stored. (A B-tree entry is limited to about 2.7 KB; PostgreSQL text cannot hold U+0000, and its
// JSON cannot hold an unpaired surrogate.)

/** The longest record identity (003/001 or 035 $a) the catalogue keeps. */
export const MAX_RECORD_KEY = 500;
/** The longest barcode an item may have. */
export const MAX_BARCODE = 200;

// JSON.stringify writes U+0000 as \u0000 and an unpaired surrogate as \udXXX; nothing else in
// its output looks like either.
const UNSTORABLE_ESCAPE = /\\u0000|\\ud[89a-f][0-9a-f]{2}/;
// eslint-disable-next-line no-control-regex -- U+0000 is what is looked for
const UNSTORABLE_CHAR = /\u0000|\p{Cs}/u;

const describeCharacter = (text: string) =>
  text.includes('\u0000') ? 'a NUL character (U+0000)' : 'an unpaired surrogate (not valid Unicode)';

/** Where in the record a character the database cannot store is: "field 245 $a", "the leader". */
function whereUnstorable(record: MarcRecord): { where: string; text: string } | null {
  if (UNSTORABLE_CHAR.test(record.leader)) return { where: 'the leader', text: record.leader };
  for (const field of record.fields) {
    if (isControlField(field)) {
      if (UNSTORABLE_CHAR.test(field.value)) return { where: `field ${field.tag}`, text: field.value };
      continue;
    }
    const indicators = field.ind1 + field.ind2;
    if (UNSTORABLE_CHAR.test(indicators)) return { where: `the indicators of field ${field.tag}`, text: indicators };
    for (const s of field.subfields) {
      if (UNSTORABLE_CHAR.test(s.code + s.value)) return { where: `field ${field.tag} $${s.code}`, text: s.value };
    }
  }
  return null;
}

/**
 * Why the database could not store this record, or null when it can: a character it cannot hold,
 * an identity or a barcode longer than its indexes take. `marcJson` is the record's
 * JSON.stringify text, which is searched first (the common case costs one scan of it).
 */
export function unstorable(record: MarcRecord, marcJson: string, key: string, items: ExtractedItem[]): string | null {
  if (UNSTORABLE_ESCAPE.test(marcJson)) {
    const found = whereUnstorable(record);
    if (found) return `${found.where} contains ${describeCharacter(found.text)}, which cannot be stored`;
  }
  if (key.length > MAX_RECORD_KEY)
    return `its identifier (001 with 003, or 035 $a) is ${key.length} characters long; at most ${MAX_RECORD_KEY} are supported`;
  const long = items.find((i) => i.barcode.length > MAX_BARCODE);
  if (long) return `a holdings barcode is ${long.barcode.length} characters long; at most ${MAX_BARCODE} are supported`;
  return null;
}
