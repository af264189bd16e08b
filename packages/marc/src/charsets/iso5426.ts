// ISO 5426 (Extended Latin for bibliographic interchange), as UNIMARC uses it: ASCII below
// 0x80, the ISO 5426 set above, and non-spacing diacritics that precede their base letter.
import type { DecodeIssue, DecodeResult } from './types.js';
import { ISO5426_COMBINING, ISO5426_UPPER } from './iso5426-table.generated.js';
import { asciiString, composePair, unitBuffer, unitsString } from './text-buffer.js';

const COMBINING = 1 << 24;
const upper = new Int32Array(128);
for (const [byte, cp] of ISO5426_UPPER) upper[byte - 0x80] = ISO5426_COMBINING.has(cp) ? cp | COMBINING : cp;

let markBuffer = new Int32Array(64);

/** Decodes ISO 5426 bytes to NFC Unicode; unassigned bytes become U+FFFD with an issue. */
export function decodeIso5426(bytes: Uint8Array): DecodeResult {
  const n = bytes.length;
  let i = 0;
  while (i < n && (bytes[i] as number) < 0x80) i++;
  if (i === n) return { text: asciiString(bytes), issues: [] };
  const issues: DecodeIssue[] = [];
  const out = unitBuffer(n); // one unit per byte at most: every ISO 5426 character is in the BMP
  for (let k = 0; k < i; k++) out[k] = bytes[k] as number;
  let o = i;
  if (markBuffer.length < n) markBuffer = new Int32Array(Math.max(n, 2 * markBuffer.length));
  const marks = markBuffer;
  let m = 0;
  let marksAt = -1;
  let normalize = false;
  for (; i < n; i++) {
    const b = bytes[i] as number;
    let cp: number;
    if (b >= 0x20 && b < 0x80) {
      cp = b;
    } else if (b < 0x20) {
      if (m > 0) {
        issues.push({ offset: marksAt, reason: 'diacritic before a control character has no base letter' });
        for (let k = 0; k < m; k++) out[o++] = marks[k] as number;
        m = 0;
        normalize = true;
      }
      if (b !== 0x1b) {
        out[o++] = b;
        continue;
      }
      issues.push({ offset: i, reason: 'escape sequences are not supported in ISO 5426 data' });
      cp = 0xfffd;
    } else {
      const entry = upper[b - 0x80] as number;
      if (entry & COMBINING) {
        if (m === 0) marksAt = i;
        marks[m++] = entry & 0xffffff;
        continue;
      }
      if (entry === 0) {
        issues.push({ offset: i, reason: `byte 0x${b.toString(16).toUpperCase()} is not assigned in ISO 5426` });
        cp = 0xfffd;
      } else {
        cp = entry;
      }
    }
    let first = 0;
    if (m === 1) {
      const c = composePair(cp, marks[0] as number);
      if (c > 0) {
        cp = c;
        first = 1;
      } else if (c < 0) normalize = true;
    } else if (m > 1) normalize = true;
    out[o++] = cp;
    for (let k = first; k < m; k++) out[o++] = marks[k] as number;
    m = 0;
  }
  if (m > 0) {
    issues.push({ offset: marksAt, reason: 'diacritic at the end has no base letter' });
    for (let k = 0; k < m; k++) out[o++] = marks[k] as number;
    normalize = true;
  }
  const text = unitsString(out, o);
  return { text: normalize ? text.normalize('NFC') : text, issues };
}
