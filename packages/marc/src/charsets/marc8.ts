// MARC-8 (MARC 21 Specifications, Character Sets, Part 2) to Unicode and back. The mapping is
// the generated table; this file is the ISO 2022-style machinery around it: G0/G1 designation
// by escape sequences, the 24-bit EACC set, and combining marks, which precede their base
// character in MARC-8 and follow it in Unicode. Characters outside MARC-8 travel as numeric
// character references (`&#x200F;`, the Library of Congress's lossless conversion), which the
// decoder turns back into the characters they name and the encoder writes.
import type { DecodeIssue, DecodeResult } from './types.js';
import {
  MARC8_COMBINING,
  MARC8_CONTROLS,
  MARC8_EACC_BASE64,
  MARC8_EACC_COUNT,
  MARC8_GRAPHIC_SETS,
  MARC8_RIGHT_HALVES,
} from './marc8-table.generated.js';
import { affectsNfc, asciiString, composePair, unitBuffer, unitsString } from './text-buffer.js';

// A table entry: the code point in the low 21 bits, then flags.
const CP_MASK = 0x1fffff;
const COMBINING = 1 << 24;
const RIGHT_HALF = 1 << 25;
const NORMALIZE = 1 << 26;

const ESC = 0x1b;
const REPLACEMENT = 0xfffd;

/** Final characters of the MARC-8 graphic sets. */
export const Marc8Set = {
  basicLatin: 0x42,
  extendedLatin: 0x45,
  basicHebrew: 0x32,
  basicArabic: 0x33,
  extendedArabic: 0x34,
  basicCyrillic: 0x4e,
  extendedCyrillic: 0x51,
  basicGreek: 0x53,
  subscripts: 0x62,
  greekSymbols: 0x67,
  superscripts: 0x70,
  eacc: 0x31,
} as const;

/** A single-byte set as 128 entries indexed by the byte's low seven bits; 0 = unassigned. */
type SingleSet = Int32Array;

const singleSets = new Map<number, SingleSet>();
for (const [final, row] of MARC8_GRAPHIC_SETS) {
  const set = new Int32Array(128);
  row.forEach((cp, i) => {
    if (cp === 0) return;
    let entry = cp;
    if (MARC8_COMBINING.has(cp)) entry |= COMBINING;
    if (affectsNfc(cp)) entry |= NORMALIZE;
    set[0x21 + i] = entry;
  });
  singleSets.set(final, set);
}
for (const [final, byte] of MARC8_RIGHT_HALVES) {
  const set = singleSets.get(final);
  if (set) set[byte] = (set[byte] ?? 0) | RIGHT_HALF;
}
const controls = new Int32Array(256);
for (const [byte, cp] of MARC8_CONTROLS) {
  if (byte >= 0x80) controls[byte] = cp;
}

function requireSet(final: number): SingleSet {
  const set = singleSets.get(final);
  if (!set) throw new Error(`MARC-8 table lacks set ${final.toString(16)}`);
  return set;
}
const BASIC_LATIN = requireSet(Marc8Set.basicLatin);
const EXTENDED_LATIN = requireSet(Marc8Set.extendedLatin);

// EACC is decoded from the generated string on first use: two-level pages indexed by the
// low seven bits of the first two bytes, then of the third.
let eaccPageIndex: Int32Array | undefined;
let eaccPages: Int32Array | undefined;

function loadEacc(): { index: Int32Array; pages: Int32Array } {
  if (eaccPageIndex && eaccPages) return { index: eaccPageIndex, pages: eaccPages };
  const binary = atob(MARC8_EACC_BASE64);
  const keys = new Int32Array(MARC8_EACC_COUNT);
  const cps = new Int32Array(MARC8_EACC_COUNT);
  let pos = 0;
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    for (;;) {
      const b = binary.charCodeAt(pos++);
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
    }
  };
  let key = 0;
  let cp = 0;
  const index = new Int32Array(128 * 128).fill(-1);
  let pageCount = 0;
  for (let i = 0; i < MARC8_EACC_COUNT; i++) {
    key += varint();
    const z = varint();
    cp += z & 1 ? -(z + 1) / 2 : z / 2;
    keys[i] = key;
    cps[i] = cp;
    const slot = ((key >> 16) & 0x7f) * 128 + ((key >> 8) & 0x7f);
    if (index[slot] === -1) index[slot] = pageCount++;
  }
  const pages = new Int32Array(pageCount * 128);
  for (let i = 0; i < MARC8_EACC_COUNT; i++) {
    const k = keys[i] as number;
    const c = cps[i] as number;
    const page = index[((k >> 16) & 0x7f) * 128 + ((k >> 8) & 0x7f)] as number;
    pages[page * 128 + (k & 0x7f)] = affectsNfc(c) ? c | NORMALIZE : c;
  }
  eaccPageIndex = index;
  eaccPages = pages;
  return { index, pages };
}

function eaccLookup(b1: number, b2: number, b3: number): number {
  const { index, pages } = eaccPageIndex && eaccPages ? { index: eaccPageIndex, pages: eaccPages } : loadEacc();
  const page = index[(b1 & 0x7f) * 128 + (b2 & 0x7f)] as number;
  return page < 0 ? 0 : (pages[page * 128 + (b3 & 0x7f)] as number);
}

function hex(b: number): string {
  return '0x' + b.toString(16).toUpperCase().padStart(2, '0');
}

/** Designation of a graphic set: a single-byte table, or null for EACC. */
interface Designation {
  g0: boolean;
  set: SingleSet | null;
  length: number;
}

/**
 * Reads an escape sequence at `i` (bytes[i] is ESC). Technique 1: ESC g / b / p / s lock G0 to
 * Greek symbols, subscripts, superscripts or ASCII. Technique 2 (ISO 2022): ESC ( or ESC ,
 * designate a single-byte set into G0, ESC ) or ESC - into G1, ESC $ [ ( , ) - ] a multibyte
 * set. Returns undefined for anything else.
 */
function readEscape(bytes: Uint8Array, i: number): Designation | undefined {
  const n = bytes.length;
  if (i + 1 >= n) return undefined;
  const b1 = bytes[i + 1] as number;
  switch (b1) {
    case 0x67:
    case 0x62:
    case 0x70:
      return { g0: true, set: requireSet(b1), length: 2 };
    case 0x73:
      return { g0: true, set: BASIC_LATIN, length: 2 };
    case 0x28:
    case 0x2c:
    case 0x29:
    case 0x2d: {
      const g0 = b1 === 0x28 || b1 === 0x2c;
      let final = i + 2 < n ? (bytes[i + 2] as number) : -1;
      let length = 3;
      if (final === 0x21 && i + 3 < n && bytes[i + 3] === 0x45) {
        final = 0x45; // '!E', the registered final of ANSEL
        length = 4;
      }
      if (final === Marc8Set.subscripts || final === Marc8Set.greekSymbols || final === Marc8Set.superscripts) {
        return undefined; // technique-1 sets are not ISO 2022 finals
      }
      const set = singleSets.get(final);
      return set ? { g0, set, length } : undefined;
    }
    case 0x24: {
      let g0 = true;
      let at = i + 2;
      const b2 = at < n ? (bytes[at] as number) : -1;
      if (b2 === 0x28 || b2 === 0x2c) at++;
      else if (b2 === 0x29 || b2 === 0x2d) {
        g0 = false;
        at++;
      }
      if (at < n && bytes[at] === Marc8Set.eacc) return { g0, set: null, length: at + 1 - i };
      return undefined;
    }
    default:
      return undefined;
  }
}

function describeEscape(bytes: Uint8Array, i: number): string {
  const shown: string[] = ['ESC'];
  // ESC, then intermediates (0x20–0x2F), then one final byte.
  for (let j = i + 1; j < bytes.length && j < i + 5; j++) {
    const b = bytes[j] as number;
    shown.push(b > 0x20 && b < 0x7f ? `'${String.fromCharCode(b)}'` : hex(b));
    if (b < 0x20 || b > 0x2f) break;
  }
  return shown.join(' ');
}

/**
 * Decodes MARC-8 bytes to NFC Unicode. G0 starts as ASCII and G1 as ANSEL (the defaults at the
 * start of every field), and returns to them after each subfield or field delimiter. Numeric
 * character references become the characters they name (decodeMarc8References). Never
 * throws: an undecodable byte becomes U+FFFD with an issue.
 */
export function decodeMarc8(bytes: Uint8Array): DecodeResult {
  const n = bytes.length;
  let i = 0;
  let ampersand = false;
  while (i < n) {
    const kind = ASCII_RUN[bytes[i] as number] as number;
    if (kind !== 0) {
      if (kind === END_OF_RUN) break;
      ampersand = true;
    }
    i++;
  }
  if (i === n) {
    const text = asciiString(bytes);
    return { text: ampersand ? decodeMarc8References(text) : text, issues: [] };
  }
  return decodeMarc8From(bytes, i);
}

// What each byte does to the plain-ASCII scan at the start of decodeMarc8: ESC and the upper
// half end it, '&' may begin a numeric character reference, anything else passes.
const END_OF_RUN = 2;
const ASCII_RUN = new Uint8Array(256).fill(END_OF_RUN, 0x80);
ASCII_RUN[ESC] = END_OF_RUN;
ASCII_RUN[0x26] = 1;

// Combining marks read but not yet written: they wait for their base character.
let markBuffer = new Int32Array(64);

/** The general loop, from the first byte that is not plain ASCII. One pass, no allocation per character. */
function decodeMarc8From(bytes: Uint8Array, start: number): DecodeResult {
  const n = bytes.length;
  const issues: DecodeIssue[] = [];
  // Every byte yields at most one UTF-16 unit, and an EACC triple at most two.
  const out = unitBuffer(n);
  for (let k = 0; k < start; k++) out[k] = bytes[k] as number;
  let o = start;
  if (markBuffer.length < n) markBuffer = new Int32Array(Math.max(n, 2 * markBuffer.length));
  const marks = markBuffer;
  let m = 0;
  let marksAt = -1;
  let g0: SingleSet | null = BASIC_LATIN;
  let g1: SingleSet | null = EXTENDED_LATIN;
  let normalize = false;
  let i = start;

  while (i < n) {
    const b = bytes[i] as number;
    const at = i;
    let value: number;
    if (b >= 0x21 && b < 0x7f && g0 !== null) {
      value = g0[b] as number;
      i++;
      if (value === 0) value = unassigned(issues, at, `byte ${hex(b)} in G0`);
    } else if (b >= 0xa1 && b < 0xff && g1 !== null) {
      value = g1[b & 0x7f] as number;
      i++;
      if (value === 0) value = unassigned(issues, at, `byte ${hex(b)} in G1`);
    } else if (b === 0x20) {
      value = 0x20;
      i++;
    } else if (b === ESC) {
      const d = readEscape(bytes, i);
      if (d) {
        if (d.g0) g0 = d.set;
        else g1 = d.set;
        i += d.length;
        continue;
      }
      issues.push({ offset: i, reason: `unrecognised escape sequence ${describeEscape(bytes, i)}` });
      value = REPLACEMENT;
      i++;
    } else if (b < 0x20) {
      if (m > 0) {
        o = flushOrphans(issues, marks, m, marksAt, out, o, `before control character ${hex(b)}`);
        m = 0;
        normalize = true;
      }
      // Subfield, field and record delimiters end the designations, as they do in YAZ, which
      // converts subfield by subfield: a whole field decodes as its subfields one by one.
      if (b >= 0x1d && b <= 0x1f) {
        g0 = BASIC_LATIN;
        g1 = EXTENDED_LATIN;
      }
      out[o++] = b;
      i++;
      continue;
    } else if (b >= 0x80 && b < 0xa1) {
      const cp = controls[b] as number;
      i++;
      if (cp !== 0) {
        out[o++] = cp; // NSB, NSE, ZWJ, ZWNJ: not characters marks could sit on
        continue;
      }
      issues.push({ offset: at, reason: `byte ${hex(b)} is not a MARC-8 character` });
      value = REPLACEMENT;
    } else if (b < 0x80 ? g0 === null && b > 0x20 : g1 === null && b !== 0xff) {
      // EACC: three bytes (G0 0x21–0x7F, G1 the same with the high bit).
      const high = b & 0x80;
      value = 0;
      if (i + 2 < n) {
        const b2 = bytes[i + 1] as number;
        const b3 = bytes[i + 2] as number;
        // The table has a few codes with a byte outside 0x21–0x7E (0x7F2014, em dash).
        if (((b2 ^ high) | (b3 ^ high)) < 0x80) value = eaccLookup(b, b2, b3);
      }
      if (value !== 0) {
        i += 3;
      } else {
        let len = 1;
        while (len < 3 && i + len < n) {
          const c = (bytes[i + len] as number) ^ high;
          if (c < 0x20 || c > 0x7f) break;
          len++;
        }
        if (len === 3) {
          const code = `${hex(b)}${hex(bytes[i + 1] as number).slice(2)}${hex(bytes[i + 2] as number).slice(2)}`;
          value = unassigned(issues, at, `EACC character ${code}`);
        } else {
          issues.push({ offset: at, reason: `incomplete EACC character (${len} of 3 bytes)` });
          value = REPLACEMENT;
        }
        i += len;
      }
    } else {
      issues.push({ offset: at, reason: `byte ${hex(b)} is not a MARC-8 character` });
      value = REPLACEMENT;
      i++;
    }

    if (value & COMBINING) {
      if (!(value & RIGHT_HALF)) {
        if (m === 0) marksAt = at;
        marks[m++] = value & CP_MASK;
      }
      continue;
    }
    let cp = value & CP_MASK;
    let composedWith = 0;
    if (value & NORMALIZE) normalize = true;
    else if (m === 1) {
      const c = composePair(cp, marks[0] as number);
      if (c > 0) {
        cp = c;
        composedWith = 1;
      } else if (c < 0) normalize = true;
    } else if (m > 1) normalize = true;
    if (cp < 0x10000) {
      out[o++] = cp;
    } else {
      out[o++] = 0xd800 + ((cp - 0x10000) >> 10);
      out[o++] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
    }
    if (m > 0) {
      for (let k = composedWith; k < m; k++) out[o++] = marks[k] as number;
      m = 0;
    }
  }
  if (m > 0) {
    o = flushOrphans(issues, marks, m, marksAt, out, o, 'at the end');
    normalize = true;
  }
  const text = unitsString(out, o);
  return { text: decodeMarc8References(normalize ? text.normalize('NFC') : text), issues };
}

function unassigned(issues: DecodeIssue[], offset: number, what: string): number {
  issues.push({ offset, reason: `${what} is not assigned in MARC-8` });
  return REPLACEMENT;
}

/** Writes marks that never met a base character (they are all in the BMP) and reports them. */
function flushOrphans(
  issues: DecodeIssue[],
  marks: Int32Array,
  m: number,
  offset: number,
  out: Uint16Array,
  o: number,
  where: string,
): number {
  issues.push({ offset, reason: `combining mark ${where} has no base character` });
  for (let k = 0; k < m; k++) out[o++] = marks[k] as number;
  return o;
}

// ---------------------------------------------------------------------------------------------
// Numeric character references (MARC 21 Specifications, Character Sets, Part 4: "Lossless
// conversion to MARC-8 encoding"). A Unicode character outside the MARC-8 repertoire is written
// as `&#x` + the hexadecimal scalar value of its code point (four digits, more when needed) +
// `;`, in ASCII. The convention names hexadecimal only, with the digits 0-9A-F; lower-case
// digits are read too (the same number; hand-typed references have them), while a decimal
// `&#8207;` or `&#X200F;` is not the convention's and stays as it is. The references are
// text, so they are found in the decoded text (after the escape sequences have been applied).

const AMPERSAND = 0x26;
const REFERENCE = /&#x([0-9A-Fa-f]+);/g;

/**
 * The code point a reference's hex digits name, or -1 when the reference stays literal: beyond
 * U+10FFFF, a surrogate (not a character), or NUL or an ISO 2709 delimiter (U+001D-U+001F),
 * which would change the record's structure and which no conversion writes as a reference.
 */
function referencedCodePoint(digits: string): number {
  const cp = parseInt(digits, 16); // leading zeros allowed; very long digit strings exceed the range
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp === 0 || (cp >= 0x1d && cp <= 0x1f)) return -1;
  return cp;
}

/**
 * Text of MARC-8 data (decoded, or ASCII read as it is) with its numeric character references
 * replaced by the characters they name, in NFC. A malformed or out-of-range reference stays as
 * it is. Costs one search for '&#' when there is none.
 */
export function decodeMarc8References(text: string): string {
  if (text.indexOf('&#') < 0) return text;
  let decoded = false;
  const out = text.replace(REFERENCE, (whole: string, digits: string) => {
    const cp = referencedCodePoint(digits);
    if (cp < 0) return whole;
    decoded = true;
    return String.fromCodePoint(cp);
  });
  // A reference may name a mark or another character NFC changes next to its neighbours.
  return decoded ? out.normalize('NFC') : text;
}

/** True when code points from `at` on are `#x`, hex digits and `;` naming a character decodeMarc8References would decode. */
function referenceFollows(cps: number[], at: number): boolean {
  if (cps[at] !== 0x23 || cps[at + 1] !== 0x78) return false;
  let digits = '';
  for (let k = at + 2; k < cps.length; k++) {
    const c = cps[k] as number;
    if (c === 0x3b) return digits.length > 0 && referencedCodePoint(digits) >= 0;
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66))) return false;
    digits += String.fromCharCode(c);
  }
  return false;
}

/** One mapping of the MARC-8 table. */
export interface Marc8Entry {
  /** Final character of the set (0x31 for EACC). */
  set: number;
  /** The code in G0 form: one byte 0x21..0x7E, or three EACC bytes as a 24-bit number. */
  code: number;
  codePoint: number;
  combining: boolean;
  /** The second half of a double diacritic: decodes to nothing. */
  rightHalf: boolean;
}

/** Every mapping of the MARC-8 table, single-byte sets first, then EACC by code. */
export function marc8Entries(): Marc8Entry[] {
  const entries: Marc8Entry[] = [];
  for (const [set, table] of singleSets) {
    for (let b = 0x21; b < 0x7f; b++) {
      const value = table[b] as number;
      if (value === 0) continue;
      const codePoint = value & CP_MASK;
      entries.push({
        set,
        code: b,
        codePoint,
        combining: (value & COMBINING) !== 0,
        rightHalf: (value & RIGHT_HALF) !== 0,
      });
    }
  }
  const { index, pages } = loadEacc();
  for (let b1 = 0; b1 < 0x80; b1++) {
    for (let b2 = 0; b2 < 0x80; b2++) {
      const page = index[b1 * 128 + b2] as number;
      if (page < 0) continue;
      for (let b3 = 0; b3 < 0x80; b3++) {
        const value = pages[page * 128 + b3] as number;
        if (value === 0) continue;
        const code = (b1 << 16) | (b2 << 8) | b3;
        entries.push({ set: Marc8Set.eacc, code, codePoint: value & CP_MASK, combining: false, rightHalf: false });
      }
    }
  }
  return entries;
}

// ---------------------------------------------------------------------------------------------
// Encoding

/** Where a code point lives in MARC-8: its set and its byte(s) in G0 form (0x21..0x7E). */
interface Marc8Code {
  set: number;
  bytes: number;
  combining: boolean;
}

// When several sets hold a character, the earlier set here wins: no switching for Latin,
// and the Greek symbols set last, as LC discourages it.
const ENCODE_PRIORITY = [
  Marc8Set.basicLatin,
  Marc8Set.extendedLatin,
  Marc8Set.basicHebrew,
  Marc8Set.basicCyrillic,
  Marc8Set.extendedCyrillic,
  Marc8Set.basicArabic,
  Marc8Set.extendedArabic,
  Marc8Set.basicGreek,
  Marc8Set.subscripts,
  Marc8Set.superscripts,
  Marc8Set.greekSymbols,
];

let reverse: Map<number, Marc8Code> | undefined;
const ANY_SET = 0;
const CONTROL_BYTES = new Map([...MARC8_CONTROLS].filter(([b]) => b >= 0x80).map(([b, cp]) => [cp, b]));

function reverseTable(): Map<number, Marc8Code> {
  if (reverse) return reverse;
  const rank = (set: number): number => {
    const r = ENCODE_PRIORITY.indexOf(set as (typeof ENCODE_PRIORITY)[number]);
    return r < 0 ? ENCODE_PRIORITY.length : r;
  };
  // Six EACC codes in the table hold a byte outside 0x21–0x7E (0x7F2014 for the em dash);
  // YAZ cannot read them, so they are decoded but never written.
  const inRange = (b: number): boolean => b >= 0x21 && b <= 0x7e;
  const writable = (e: Marc8Entry): boolean =>
    e.set !== Marc8Set.eacc || (inRange(e.code >> 16) && inRange((e.code >> 8) & 0xff) && inRange(e.code & 0xff));
  const entries = marc8Entries()
    .filter((e) => !e.rightHalf && writable(e))
    .sort((a, b) => rank(a.set) - rank(b.set) || a.code - b.code);
  const map = new Map<number, Marc8Code>();
  // The space is the same byte in every set (even with EACC in G0) and can carry diacritics.
  map.set(0x20, { set: ANY_SET, bytes: 0x20, combining: false });
  for (const e of entries) {
    if (!map.has(e.codePoint)) map.set(e.codePoint, { set: e.set, bytes: e.code, combining: e.combining });
  }
  reverse = map;
  return map;
}

/** True when encodeMarc8 can write the code point (as itself, not as a character reference). */
export function isMarc8Encodable(codePoint: number): boolean {
  return reverseTable().has(codePoint);
}

/** The result of encoding text as MARC-8. */
export interface Marc8EncodeResult {
  bytes: Uint8Array;
  /**
   * Characters MARC-8 cannot hold, written as `&#xXXXX;` (LC's lossless convention); `index`
   * counts code points of the text in NFC.
   */
  unmapped: { index: number; codePoint: number }[];
}

/**
 * Codes for a cluster MARC-8 has no direct code for: decompose it (NFD), then look for marks
 * that NFC folds into the base to make a character MARC-8 has (ư for u + horn), writing the
 * other marks separately, as long as the split is canonically equivalent to the cluster.
 */
function decomposedCodes(
  cluster: number[],
  codesOf: (cps: number[]) => Marc8Code[] | undefined,
): Marc8Code[] | undefined {
  const nfd = Array.from(String.fromCodePoint(...cluster).normalize('NFD'), (c) => c.codePointAt(0) as number);
  const [base, ...marks] = nfd as [number, ...number[]];
  const target = String.fromCodePoint(...cluster).normalize('NFC');
  if (marks.length > 8) return codesOf(nfd);
  // Larger folds first: prefer precomposed MARC-8 characters to separate diacritics.
  const masks = Array.from({ length: 1 << marks.length }, (_, m) => m).sort(
    (a, b) => popcount(b) - popcount(a) || a - b,
  );
  for (const mask of masks) {
    const folded = marks.filter((_, k) => mask & (1 << k));
    const head = Array.from(String.fromCodePoint(base, ...folded).normalize('NFC'), (c) => c.codePointAt(0) as number);
    if (head.length !== 1) continue;
    const split = [head[0] as number, ...marks.filter((_, k) => !(mask & (1 << k)))];
    // Marks of equal combining class do not commute: keep only splits NFC maps back to the cluster.
    if (String.fromCodePoint(...split).normalize('NFC') !== target) continue;
    const codes = codesOf(split);
    if (codes) return codes;
  }
  return undefined;
}

function popcount(n: number): number {
  let c = 0;
  for (let m = n; m; m &= m - 1) c++;
  return c;
}

/**
 * Encodes Unicode text as MARC-8, starting and ending with G0 = ASCII and G1 = ANSEL.
 * Combining marks are written before their base character; a character without a MARC-8 code
 * of its own is decomposed (NFD) when its parts have codes. Characters outside MARC-8 become
 * numeric character references and are listed in `unmapped`; an '&' that would read back as
 * the start of one is written '&#x26;'. decodeMarc8 gives back the text in NFC.
 */
export function encodeMarc8(text: string): Marc8EncodeResult {
  const table = reverseTable();
  const bytesOut: number[] = [];
  const unmapped: { index: number; codePoint: number }[] = [];
  let g0 = Marc8Set.basicLatin as number;
  // A double diacritic's right half, due before the next base character.
  let pendingRightHalf = 0;

  const designate = (set: number): void => {
    if (set === g0 || set === Marc8Set.extendedLatin || set === ANY_SET) return;
    if (set === Marc8Set.subscripts || set === Marc8Set.greekSymbols || set === Marc8Set.superscripts) {
      bytesOut.push(ESC, set);
    } else if (set === Marc8Set.eacc) {
      bytesOut.push(ESC, 0x24, 0x31);
    } else if (set === Marc8Set.basicLatin) {
      bytesOut.push(ESC, 0x28, 0x42);
    } else {
      bytesOut.push(ESC, 0x28, set);
    }
    g0 = set;
  };
  const put = (code: Marc8Code): void => {
    designate(code.set);
    if (code.set === Marc8Set.extendedLatin) bytesOut.push(code.bytes | 0x80);
    else if (code.set === Marc8Set.eacc) bytesOut.push(code.bytes >> 16, (code.bytes >> 8) & 0xff, code.bytes & 0xff);
    else bytesOut.push(code.bytes);
  };
  const reference = (cp: number, index: number): void => {
    unmapped.push({ index, codePoint: cp });
    designate(Marc8Set.basicLatin);
    for (const c of `&#x${cp.toString(16).toUpperCase()};`) bytesOut.push(c.charCodeAt(0));
  };
  const codesOf = (cps: number[]): Marc8Code[] | undefined => {
    const head = table.get(cps[0] as number);
    if (!head || head.combining) return undefined;
    const codes = [head];
    for (let k = 1; k < cps.length; k++) {
      const code = table.get(cps[k] as number);
      if (!code || !code.combining) return undefined;
      codes.push(code);
    }
    return codes;
  };
  const isMark = (cp: number): boolean => MARC8_COMBINING.has(cp) || /\p{M}/u.test(String.fromCodePoint(cp));
  // Whether a code point belongs to the cluster before it: MARC-8's own combining marks, and
  // other Unicode marks, except those MARC-8 writes as spacing characters (U+0670).
  const attaches = (cp: number): boolean => {
    const code = table.get(cp);
    return code ? code.combining : isMark(cp);
  };

  const cps = Array.from(text.normalize('NFC'), (c) => c.codePointAt(0) as number);
  let k = 0;
  while (k < cps.length) {
    const start = k;
    const cp = cps[k++] as number;
    if (cp < 0x20 && cp !== ESC) {
      bytesOut.push(cp); // C0 controls are the same in every set
      // A subfield, field or record delimiter gives the default sets back (as decodeMarc8 and
      // YAZ read it): what follows starts from ASCII in G0.
      if (cp >= 0x1d) g0 = Marc8Set.basicLatin;
      continue;
    }
    const control = CONTROL_BYTES.get(cp);
    if (control !== undefined) {
      bytesOut.push(control);
      continue;
    }
    // A cluster: a base character and the marks that follow it (marks MARC-8 treats as
    // spacing, such as U+0670, stand alone).
    const direct = table.get(cp);
    if (direct?.combining || (!direct && isMark(cp))) {
      reference(cp, start); // a mark with no base before it
      continue;
    }
    while (k < cps.length && attaches(cps[k] as number)) k++;
    const cluster = cps.slice(start, k);
    let codes = codesOf(cluster);
    if (!codes) codes = decomposedCodes(cluster, codesOf);
    if (!codes) {
      for (let j = 0; j < cluster.length; j++) {
        const code = table.get(cluster[j] as number);
        if (j === 0 && code && !code.combining) put(code);
        else reference(cluster[j] as number, start + j);
      }
      continue;
    }
    const [baseCode, ...markCodes] = codes as [Marc8Code, ...Marc8Code[]];
    if (pendingRightHalf !== 0) {
      bytesOut.push(pendingRightHalf);
      pendingRightHalf = 0;
    }
    for (const m of markCodes) {
      put(m);
      if (m.set === Marc8Set.extendedLatin && m.bytes === 0x6b) pendingRightHalf = 0xec;
      if (m.set === Marc8Set.extendedLatin && m.bytes === 0x7a) pendingRightHalf = 0xfb;
    }
    if (cp === AMPERSAND && k === start + 1 && referenceFollows(cps, k)) {
      // Text that reads as a reference ('&#x41;' itself) keeps its '&' as '&#x26;', so that
      // decoding gives the text back rather than the character it names.
      designate(Marc8Set.basicLatin);
      for (const c of '&#x26;') bytesOut.push(c.charCodeAt(0));
    } else put(baseCode);
  }
  // A right half with no second letter after it is left out: decoders drop it anyway.
  designate(Marc8Set.basicLatin);
  return { bytes: Uint8Array.from(bytesOut), unmapped };
}
