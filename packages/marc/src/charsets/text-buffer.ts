// Output buffers shared by the table-driven decoders. A decoder writes UTF-16 code units into
// one reusable Uint16Array and makes the string once at the end: no allocation per character.
// JavaScript runs one decoder at a time, so one shared buffer is safe as long as no decoder
// calls another while it holds it.

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const utf16 = new TextDecoder('utf-16le', { ignoreBOM: true });
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
// Below this many units String.fromCharCode beats a TextDecoder call (measured on Node 20).
const SHORT = 24;
const CHUNK = 4096;

let units = new Uint16Array(4096);

/** A buffer of at least `size` UTF-16 units; its contents are garbage. */
export function unitBuffer(size: number): Uint16Array {
  if (units.length < size) units = new Uint16Array(Math.max(size, units.length * 2));
  return units;
}

/** The string of the first `length` units of a buffer. */
export function unitsString(buffer: Uint16Array, length: number): string {
  if (length <= SHORT) return String.fromCharCode.apply(null, buffer.subarray(0, length) as unknown as number[]);
  if (littleEndian) return utf16.decode(buffer.subarray(0, length));
  let text = '';
  for (let k = 0; k < length; k += CHUNK) {
    text += String.fromCharCode.apply(null, buffer.subarray(k, Math.min(length, k + CHUNK)) as unknown as number[]);
  }
  return text;
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

// NFC of a base character and one combining mark, computed once per pair: most diacritics in
// MARC data are single marks, and this spares normalizing the whole string for them.
const pairs = new Map<number, number>();

/**
 * The code point NFC makes of `base` + `mark` (a starter that NFC leaves alone and one mark),
 * 0 when NFC leaves the pair as it is, -1 when it does something else.
 */
export function composePair(base: number, mark: number): number {
  const key = base * 0x110000 + mark;
  let composed = pairs.get(key);
  if (composed === undefined) {
    const pair = String.fromCodePoint(base, mark);
    const nfc = pair.normalize('NFC');
    const cp = nfc.codePointAt(0) as number;
    composed = nfc === pair ? 0 : nfc.length === (cp > 0xffff ? 2 : 1) ? cp : -1;
    if (pairs.size < 65536) pairs.set(key, composed);
  }
  return composed;
}
