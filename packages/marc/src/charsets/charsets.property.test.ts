// Property tests: no input makes a decoder throw, and MARC-8 encoding round-trips: for the
// MARC-8 repertoire directly, for any other text through numeric character references.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMarcBytes, encodeMarc8, looksLikeUtf8, type MarcEncoding } from './index.js';
import { isMarc8Encodable, marc8Entries } from './marc8.js';

const ENCODINGS: MarcEncoding[] = ['marc-8', 'utf-8', 'iso-5426', 'windows-1251', 'iso-8859-1'];

// Bytes that exercise MARC-8's machinery: escapes and their intermediates, finals, EACC bytes,
// C0/C1 controls and the upper half, mixed with anything at all.
const marcish = fc.array(
  fc.oneof(
    fc.integer({ min: 0, max: 255 }),
    fc.constantFrom(0x1b, 0x28, 0x29, 0x2c, 0x2d, 0x24, 0x21, 0x45, 0x31, 0x32, 0x33, 0x34, 0x42, 0x4e, 0x51, 0x53),
    fc.constantFrom(0x62, 0x67, 0x70, 0x73, 0x20, 0x1f, 0x1e, 0x88, 0x89, 0xe1, 0xe2, 0xeb, 0xec, 0xfa, 0xfb, 0xff),
  ),
  { maxLength: 64 },
);

describe('decodeMarcBytes on arbitrary bytes', () => {
  it.each(ENCODINGS)('%s: never throws, returns NFC text and issues with offsets inside the input', (encoding) => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 80 }),
          marcish.map((a) => Uint8Array.from(a)),
        ),
        (bytes) => {
          const r = decodeMarcBytes(bytes, encoding);
          expect(typeof r.text).toBe('string');
          expect(r.text).toBe(r.text.normalize('NFC'));
          for (const issue of r.issues) {
            expect(issue.offset).toBeGreaterThanOrEqual(0);
            expect(issue.offset).toBeLessThan(bytes.length);
            expect(issue.reason.length).toBeGreaterThan(0);
          }
          // A decoder that reports nothing has produced no replacement character of its own.
          if (encoding !== 'utf-8' && r.issues.length === 0) expect(r.text).not.toContain('\uFFFD');
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('utf-8: replaces exactly as the WHATWG decoder does, and reports iff something was replaced', () => {
    const whatwg = new TextDecoder('utf-8', { ignoreBOM: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const r = decodeMarcBytes(bytes, 'utf-8');
        expect(r.text).toBe(whatwg.decode(bytes).normalize('NFC'));
        let valid = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          valid = false;
        }
        expect(r.issues.length === 0).toBe(valid);
      }),
      { numRuns: 3000 },
    );
  });

  it('looksLikeUtf8 holds for the UTF-8 of any text with a non-ASCII character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1 }), (s) => {
        const bytes = new TextEncoder().encode(s);
        expect(looksLikeUtf8(bytes)).toBe(/[^\0-\x7f]/.test(s));
      }),
    );
  });
});

describe('encodeMarc8', () => {
  // The repertoire: characters MARC-8 writes and NFC leaves alone, as bases; its combining marks.
  const entries = marc8Entries().filter((e) => !e.rightHalf && isMarc8Encodable(e.codePoint));
  // NFC leaves the base alone, and Unicode does not count it a mark: U+0670, spacing in MARC-8,
  // is a mark to NFC, which would reorder the marks written after it.
  const isStable = (cp: number): boolean => {
    const c = String.fromCodePoint(cp);
    return c.normalize('NFC') === c && !/\p{M}/u.test(c);
  };
  const bases = [
    0x20,
    ...new Set(entries.filter((e) => !e.combining && isStable(e.codePoint)).map((e) => e.codePoint)),
  ];
  const marks = [...new Set(entries.filter((e) => e.combining).map((e) => e.codePoint))];
  const cluster = fc
    .tuple(fc.constantFrom(...bases), fc.array(fc.constantFrom(...marks), { maxLength: 2 }))
    .map(([base, ms]) => String.fromCodePoint(base, ...ms));
  const text = fc.array(cluster, { maxLength: 12 }).map((parts) => parts.join(''));

  it('has a repertoire of every set', () => {
    expect(bases.length).toBeGreaterThan(15_000);
    expect(marks.length).toBeGreaterThan(40);
  });

  it('decode(encode(s)) is s in NFC for strings of the MARC-8 repertoire', () => {
    fc.assert(
      fc.property(text, (s) => {
        const encoded = encodeMarc8(s);
        expect(encoded.unmapped).toEqual([]);
        const decoded = decodeMarcBytes(encoded.bytes, 'marc-8');
        expect(decoded.issues).toEqual([]);
        expect(decoded.text).toBe(s.normalize('NFC'));
      }),
      { numRuns: 3000 },
    );
  });

  // Any Unicode text (fast-check's 'binary' strings are well-formed: no lone surrogates), and
  // text built from what references are made of, so that reference-like text, references
  // beside marks and escapes, and '&' before '#x' are common rather than one in a million.
  const referenceParts = fc.constantFrom(
    '&',
    '#',
    'x',
    'X',
    '#x',
    '&#x',
    '&#',
    ';',
    '0',
    '41',
    'F',
    'f',
    '200F',
    '&#x26;',
    '&#x41;',
    '&#x200F;',
    '&#xD800;',
    '&#x110000;',
    '&#8207;',
    '&#x1E;',
    '\u0301', // a MARC-8 combining mark
    '\u0358', // a combining mark MARC-8 lacks
    '\u200F', // characters MARC-8 lacks
    '😀',
    'ǅ',
    'é',
    'ж',
    '人',
    'א',
    '\u0361',
    ' ',
    '\x1f',
  );
  const anyText = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc
      .array(fc.oneof(referenceParts, fc.string({ unit: 'binary', maxLength: 2 }), cluster), { maxLength: 16 })
      .map((parts) => parts.join('')),
  );

  it('decode(encode(s)) is s in NFC for any text: what MARC-8 lacks travels as references it lists', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const encoded = encodeMarc8(s);
        const decoded = decodeMarcBytes(encoded.bytes, 'marc-8');
        expect(decoded.issues).toEqual([]);
        expect(decoded.text).toBe(s.normalize('NFC'));
        const nfc = Array.from(s.normalize('NFC'), (c) => c.codePointAt(0) as number);
        for (const { index, codePoint } of encoded.unmapped) {
          expect(nfc[index]).toBe(codePoint);
          expect(isMarc8Encodable(codePoint) && !/\p{M}/u.test(String.fromCodePoint(codePoint))).toBe(false);
        }
      }),
      { numRuns: 4000 },
    );
  });
});
