// UTF-8 with every ill-formed sequence reported by offset. Well-formed input (the common case)
// goes through one validation pass and the platform decoder.
import type { DecodeIssue, DecodeResult } from './types.js';

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Length of the well-formed sequence at `i` (1–4), or the negated length of its maximal
 * ill-formed subpart (Unicode's "U+FFFD substitution of maximal subparts").
 */
function sequenceAt(bytes: Uint8Array, i: number): number {
  const b = bytes[i] as number;
  if (b < 0x80) return 1;
  let need: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) need = 1;
  else if (b >= 0xe0 && b <= 0xef) {
    need = 2;
    if (b === 0xe0) lo = 0xa0;
    else if (b === 0xed) hi = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    need = 3;
    if (b === 0xf0) lo = 0x90;
    else if (b === 0xf4) hi = 0x8f;
  } else return -1;
  for (let k = 1; k <= need; k++) {
    const c = bytes[i + k];
    if (c === undefined || c < lo || c > hi) return -k;
    lo = 0x80;
    hi = 0xbf;
  }
  return need + 1;
}

/** Offset of the first ill-formed sequence at or after `from`, or -1; also whether NFC may matter. */
function scan(bytes: Uint8Array, from: number): { bad: number; multibyte: boolean; mayCompose: boolean } {
  let multibyte = false;
  let mayCompose = false;
  let i = from;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    const len = sequenceAt(bytes, i);
    if (len < 0) return { bad: i, multibyte, mayCompose };
    multibyte = true;
    // Everything below U+0300 is NFC-stable whatever follows; from there on, leave it to NFC.
    if (b >= 0xcc) mayCompose = true;
    i += len;
  }
  return { bad: -1, multibyte, mayCompose };
}

function hexBytes(bytes: Uint8Array, from: number, to: number): string {
  const shown = Array.from(bytes.subarray(from, Math.min(to, from + 8)), (b) =>
    b.toString(16).toUpperCase().padStart(2, '0'),
  );
  return shown.join(' ') + (to - from > 8 ? ' …' : '');
}

/** Decodes UTF-8 to NFC; each run of ill-formed bytes becomes U+FFFD per maximal subpart and one issue. */
export function decodeUtf8(bytes: Uint8Array): DecodeResult {
  let i = 0;
  const n = bytes.length;
  while (i < n && (bytes[i] as number) < 0x80) i++;
  if (i === n) return { text: decoder.decode(bytes), issues: [] };
  const first = scan(bytes, i);
  if (first.bad < 0) {
    const text = decoder.decode(bytes);
    return { text: first.mayCompose ? text.normalize('NFC') : text, issues: [] };
  }
  const issues: DecodeIssue[] = [];
  const parts: string[] = [decoder.decode(bytes.subarray(0, first.bad))];
  i = first.bad;
  while (i < n) {
    const runStart = i;
    let replacements = 0;
    let len = sequenceAt(bytes, i);
    while (len < 0) {
      replacements++;
      i += -len;
      if (i >= n) break;
      len = sequenceAt(bytes, i);
    }
    const truncated = i >= n && replacements === 1 && (bytes[runStart] as number) >= 0xc2;
    issues.push({
      offset: runStart,
      reason: truncated
        ? `truncated UTF-8 sequence ${hexBytes(bytes, runStart, i)} at the end`
        : `invalid UTF-8 ${hexBytes(bytes, runStart, i)}`,
    });
    parts.push('\uFFFD'.repeat(replacements));
    if (i >= n) break;
    const next = scan(bytes, i);
    const end = next.bad < 0 ? n : next.bad;
    parts.push(decoder.decode(bytes.subarray(i, end)));
    i = end;
  }
  return { text: parts.join('').normalize('NFC'), issues };
}

/** True when the bytes are well-formed UTF-8 containing at least one multi-byte sequence. */
export function looksLikeUtf8(bytes: Uint8Array): boolean {
  let i = 0;
  const n = bytes.length;
  while (i < n && (bytes[i] as number) < 0x80) i++;
  if (i === n) return false;
  const { bad, multibyte } = scan(bytes, i);
  return bad < 0 && multibyte;
}
