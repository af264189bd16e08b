import { isControlField, type MarcRecord } from './record.js';

const RT = 0x1d;
const MAX_RECORD = 99_999;
const MAX_FIELD = 9_999;
// eslint-disable-next-line no-control-regex -- MARC and XML rules are about control characters
const DELIMITERS = /[\x1d\x1e\x1f]/;

const encoder = new TextEncoder();

function checkText(value: string, where: string): void {
  if (DELIMITERS.test(value))
    throw new RangeError(`${where} contains an ISO 2709 delimiter (U+001D, U+001E or U+001F)`);
}

function checkAscii(value: string, length: number, what: string): void {
  if (value.length !== length || !/^[\x20-\x7e]*$/.test(value)) {
    throw new RangeError(
      `${what} must be ${length} printable ASCII character${length > 1 ? 's' : ''}, got ${JSON.stringify(value)}`,
    );
  }
}

// Leader/11 ('2', written below) declares subfield codes of one byte: a code of another
// length (a Cyrillic "а" from MARCXML is two bytes in UTF-8) would shift every reader off the data.
function checkSubfieldCode(code: string, tag: string): void {
  // eslint-disable-next-line no-control-regex -- any single ASCII byte is one byte in UTF-8
  if (!/^[\x00-\x7f]$/.test(code))
    throw new RangeError(
      `field ${tag}: subfield code ${JSON.stringify(code)} must be one ASCII character (ISO 2709 codes are one byte)`,
    );
  checkText(code, `field ${tag} subfield code`);
}

function digits(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * Encodes a record as ISO 2709 in UTF-8: the leader's record length and base address and the
 * directory are computed, leader/09 is 'a', leader/10-11 '22' and leader/20-23 '4500'.
 * Throws a RangeError for what ISO 2709 cannot hold (a record over 99,999 bytes, a field over
 * 9,999, delimiters inside values, tags or indicators of the wrong shape, subfield codes that
 * are not one ASCII byte).
 */
export function writeIso2709(record: MarcRecord): Uint8Array {
  checkAscii(record.leader, 24, 'leader');
  const parts: Uint8Array[] = [];
  const directory: string[] = [];
  let dataLength = 0;
  for (const field of record.fields) {
    checkAscii(field.tag, 3, `tag ${JSON.stringify(field.tag)}`);
    let text: string;
    if (isControlField(field)) {
      checkText(field.value, `field ${field.tag}`);
      text = field.value;
    } else {
      checkAscii(field.ind1, 1, `field ${field.tag} indicator 1`);
      checkAscii(field.ind2, 1, `field ${field.tag} indicator 2`);
      text = field.ind1 + field.ind2;
      for (const subfield of field.subfields) {
        checkSubfieldCode(subfield.code, field.tag);
        checkText(subfield.value, `field ${field.tag} $${subfield.code}`);
        text += '\x1f' + subfield.code + subfield.value;
      }
    }
    const bytes = encoder.encode(text + '\x1e');
    if (bytes.length > MAX_FIELD)
      throw new RangeError(`field ${field.tag} is ${bytes.length} bytes; ISO 2709 allows at most ${MAX_FIELD}`);
    directory.push(field.tag + digits(bytes.length, 4) + digits(dataLength, 5));
    parts.push(bytes);
    dataLength += bytes.length;
  }
  const base = 24 + directory.length * 12 + 1;
  const total = base + dataLength + 1;
  if (total > MAX_RECORD) throw new RangeError(`record is ${total} bytes; ISO 2709 allows at most ${MAX_RECORD}`);
  const leader =
    digits(total, 5) + record.leader.slice(5, 9) + 'a22' + digits(base, 5) + record.leader.slice(17, 20) + '4500';
  const out = new Uint8Array(total);
  const head = encoder.encode(leader + directory.join('') + '\x1e');
  out.set(head, 0);
  let at = head.length;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  out[at] = RT;
  return out;
}
