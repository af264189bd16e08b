// A reusable UTF-8 output buffer for the table-driven decoders. Decoders write UTF-8 bytes and
// turn them into a string with one TextDecoder call: measured faster than String.fromCharCode
// over a code-point array for the field lengths MARC records have, and it allocates nothing
// per character. JavaScript runs one decoder at a time, so one shared buffer is safe as long as
// no decoder calls another while it holds it.

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

let scratch = new Uint8Array(4096);

/** A buffer of at least `size` bytes; its contents are garbage. */
export function outputBuffer(size: number): Uint8Array {
  if (scratch.length < size) scratch = new Uint8Array(Math.max(size, scratch.length * 2));
  return scratch;
}

/** Writes one code point as UTF-8 at `o`; returns the new offset. */
export function putCodePoint(out: Uint8Array, o: number, cp: number): number {
  if (cp < 0x80) {
    out[o] = cp;
    return o + 1;
  }
  if (cp < 0x800) {
    out[o] = 0xc0 | (cp >> 6);
    out[o + 1] = 0x80 | (cp & 0x3f);
    return o + 2;
  }
  if (cp < 0x10000) {
    out[o] = 0xe0 | (cp >> 12);
    out[o + 1] = 0x80 | ((cp >> 6) & 0x3f);
    out[o + 2] = 0x80 | (cp & 0x3f);
    return o + 3;
  }
  out[o] = 0xf0 | (cp >> 18);
  out[o + 1] = 0x80 | ((cp >> 12) & 0x3f);
  out[o + 2] = 0x80 | ((cp >> 6) & 0x3f);
  out[o + 3] = 0x80 | (cp & 0x3f);
  return o + 4;
}

/** The string of the first `length` bytes of a buffer that holds well-formed UTF-8. */
export function utf8String(out: Uint8Array, length: number): string {
  return utf8.decode(out.subarray(0, length));
}

/** Decodes bytes that are known to be ASCII (or well-formed UTF-8). */
export function asciiString(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/**
 * True when a code point can change under NFC next to its neighbours (a mark, a conjoining
 * Hangul vowel or final, or a character NFC replaces), so output holding it must be normalized.
 */
export function affectsNfc(cp: number): boolean {
  const s = String.fromCodePoint(cp);
  return /\p{M}/u.test(s) || (cp >= 0x1161 && cp <= 0x11c2) || s.normalize('NFC') !== s;
}
