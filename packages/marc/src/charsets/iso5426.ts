// ISO 5426 (Extended Latin for bibliographic interchange), as UNIMARC uses it: ASCII below
// 0x80, the ISO 5426 set above, and non-spacing diacritics that precede their base letter.
import type { DecodeIssue, DecodeResult } from './types.js';
import { ISO5426_COMBINING, ISO5426_UPPER } from './iso5426-table.generated.js';
import { asciiString, unitBuffer, unitsString } from './text-buffer.js';

const COMBINING = 1 << 24;
const upper = new Int32Array(128);
for (const [byte, cp] of ISO5426_UPPER) upper[byte - 0x80] = ISO5426_COMBINING.has(cp) ? cp | COMBINING : cp;

/** Decodes ISO 5426 bytes to NFC Unicode; unassigned bytes become U+FFFD with an issue. */
export function decodeIso5426(bytes: Uint8Array): DecodeResult {
  const n = bytes.length;
  let i = 0;
  while (i < n && (bytes[i] as number) < 0x80) i++;
  if (i === n) return { text: asciiString(bytes), issues: [] };
  const issues: DecodeIssue[] = [];
  const out = unitBuffer(n); // one unit per byte: every ISO 5426 character is in the BMP
  for (let k = 0; k < i; k++) out[k] = bytes[k] as number;
  let o = i;
  const marks: number[] = [];
  let marksAt = -1;
  let normalize = false;
  const orphans = (where: string): void => {
    issues.push({ offset: marksAt, reason: `diacritic ${where} has no base letter` });
    for (const m of marks) out[o++] = m;
    marks.length = 0;
    normalize = true;
  };
  for (; i < n; i++) {
    const b = bytes[i] as number;
    let cp: number;
    if (b < 0x80) {
      if (b < 0x20) {
        if (marks.length > 0) orphans('before a control character');
        if (b === 0x1b) {
          issues.push({ offset: i, reason: 'escape sequences are not supported in ISO 5426 data' });
          cp = 0xfffd;
        } else {
          out[o++] = b;
          continue;
        }
      } else {
        cp = b;
      }
    } else {
      const entry = upper[b - 0x80] as number;
      if (entry === 0) {
        issues.push({ offset: i, reason: `byte 0x${b.toString(16).toUpperCase()} is not assigned in ISO 5426` });
        cp = 0xfffd;
      } else if (entry & COMBINING) {
        if (marks.length === 0) marksAt = i;
        marks.push(entry & 0xffffff);
        continue;
      } else {
        cp = entry;
      }
    }
    out[o++] = cp;
    if (marks.length > 0) {
      for (const m of marks) out[o++] = m;
      marks.length = 0;
      normalize = true;
    }
  }
  if (marks.length > 0) orphans('at the end');
  const text = unitsString(out, o);
  return { text: normalize ? text.normalize('NFC') : text, issues };
}
