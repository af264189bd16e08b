// fast-check generators of valid records: tags, indicators and codes of the right shape, and
// text drawn from Latin, combining marks, CJK, Arabic, Cyrillic, astral characters and XML's
// special characters, normalised to NFC as every reader returns it.
import fc from 'fast-check';
import type { MarcField, MarcRecord } from '../record.js';

const printable = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
const fromRange = (min: number, max: number) => fc.integer({ min, max }).map((c) => String.fromCodePoint(c));

const character = fc.oneof(
  { weight: 6, arbitrary: printable },
  { weight: 1, arbitrary: fc.constantFrom('&', '<', '>', '"', "'", '\t', '\n', ']]>', '\u00a0') },
  { weight: 2, arbitrary: fromRange(0xc0, 0x24f) }, // Latin-1 supplement, Latin extended
  { weight: 1, arbitrary: fromRange(0x300, 0x36f) }, // combining diacritics
  { weight: 2, arbitrary: fromRange(0x4e00, 0x9fff) }, // CJK
  { weight: 1, arbitrary: fromRange(0xac00, 0xd7a3) }, // Hangul
  { weight: 2, arbitrary: fromRange(0x600, 0x6ff) }, // Arabic
  { weight: 2, arbitrary: fromRange(0x400, 0x4ff) }, // Cyrillic
  { weight: 1, arbitrary: fromRange(0x5d0, 0x5ea) }, // Hebrew
  { weight: 1, arbitrary: fromRange(0x1f300, 0x1f5ff) }, // astral (emoji)
);

export const marcText = (maxLength = 30) =>
  fc.array(character, { maxLength }).map((cs) => cs.join('').normalize('NFC'));

const digit = fc.integer({ min: 0, max: 9 }).map(String);
export const controlTag = fc.integer({ min: 1, max: 9 }).map((n) => `00${n}`);
export const dataTag = fc.oneof(
  fc.integer({ min: 10, max: 999 }).map((n) => String(n).padStart(3, '0')),
  fc.stringMatching(/^[A-Z]{3}$/),
);
export const indicator = fc.oneof(fc.constant(' '), digit, fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'));
export const subfieldCode = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789');

export const marcField: fc.Arbitrary<MarcField> = fc.oneof(
  fc.record({ tag: controlTag, value: marcText(40) }),
  fc.record({
    tag: dataTag,
    ind1: indicator,
    ind2: indicator,
    subfields: fc.array(fc.record({ code: subfieldCode, value: marcText() }), { maxLength: 5 }),
  }),
);

// Leader positions the ISO 2709 writer computes (0-4, 12-16) or fixes (9, 10-11, 20-23) are
// drawn already in their fixed form; the rest is any printable ASCII.
export const leader = fc
  .tuple(fc.array(printable, { minLength: 4, maxLength: 4 }), fc.array(printable, { minLength: 3, maxLength: 3 }))
  .map(([a, b]) => `00000${a.join('')}a2200000${b.join('')}4500`);

export const marcRecord: fc.Arbitrary<MarcRecord> = fc.record({
  leader,
  fields: fc.array(marcField, { minLength: 1, maxLength: 20 }),
});
