import { describe, expect, it } from 'vitest';
import { decodeMarcBytes, encodeMarc8 } from './index.js';
import { MARC8_EACC_COUNT, MARC8_TABLE_SOURCE } from './marc8-table.generated.js';
import { marc8Entries, Marc8Set } from './marc8.js';

/** Bytes from a string where \xNN is a byte and every other character is its own code. */
function b(spec: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < spec.length; i++) {
    if (spec[i] === '\\' && spec[i + 1] === 'x') {
      out.push(parseInt(spec.slice(i + 2, i + 4), 16));
      i += 3;
    } else {
      out.push(spec.charCodeAt(i));
    }
  }
  return Uint8Array.from(out);
}

const decode = (spec: string) => decodeMarcBytes(b(spec), 'marc-8');
const text = (spec: string): string => {
  const result = decode(spec);
  expect(result.issues).toEqual([]);
  return result.text;
};

describe('MARC-8 table', () => {
  it('was generated from libmarc-charset-perl and holds every set', () => {
    expect(MARC8_TABLE_SOURCE).toMatch(/^libmarc-charset-perl /);
    const sets = new Map<number, number>();
    for (const e of marc8Entries()) sets.set(e.set, (sets.get(e.set) ?? 0) + 1);
    expect(sets.get(Marc8Set.eacc)).toBe(MARC8_EACC_COUNT);
    expect(MARC8_EACC_COUNT).toBeGreaterThan(15_000);
    for (const set of Object.values(Marc8Set)) expect(sets.get(set), `set ${set.toString(16)}`).toBeGreaterThan(2);
  });
});

describe('decodeMarcBytes, MARC-8', () => {
  it('passes ASCII through untouched, controls included', () => {
    expect(text('Jazz: a history, 1917-1990 / \x1fa x\x1e')).toBe('Jazz: a history, 1917-1990 / \x1fa x\x1e');
    expect(text('')).toBe('');
  });

  it('moves ANSEL diacritics after their base and composes to NFC', () => {
    expect(text('M\\xE8uller')).toBe('Müller');
    expect(text('Soci\\xE2et\\xE2e')).toBe('Société');
    expect(text('\\xE3\\xE2a')).toBe('ấ'); // circumflex then acute, both on a
    expect(text('\\xF2S\\xE5a')).toBe('Ṣā');
  });

  it('decodes ANSEL spacing characters', () => {
    expect(text('\\xA1\\xA2\\xA5\\xB5\\xC3\\xC7\\xC5')).toBe('ŁØÆæ©ß¿');
  });

  it('puts a diacritic before a space on the space, as YAZ does', () => {
    expect(text('a\\xE2 b')).toBe('a \u0301b');
  });

  it('writes a double diacritic once and drops its right half', () => {
    expect(text('\\xEBt\\xECs')).toBe('t\u0361s');
    expect(text('\\xFAn\\xFBg')).toBe('n\u0360g');
  });

  it('maps the MARC-8 C1 controls: non-sort begin/end and the joiners', () => {
    expect(text('\\x88The \\x89end')).toBe('\u0098The \u009Cend');
    expect(text('a\\x8Db\\x8Ec')).toBe('a\u200Db\u200Cc');
  });

  it('switches to Greek symbols, subscripts and superscripts with ESC g / b / p and back with ESC s', () => {
    expect(text('\x1Bgabc\x1Bs!')).toBe('αβγ!');
    expect(text('H\x1Bb2\x1BsO')).toBe('H₂O');
    expect(text('x\x1Bp2\x1Bs+1')).toBe('x²+1');
  });

  it('designates single-byte sets into G0 with ESC ( and ESC ,', () => {
    expect(text('\x1B(NMOSKWA\x1B(B.')).toBe('москва.');
    expect(text('\x1B(Nmoskwa')).toBe('МОСКВА');
    expect(text('\x1B,Nabc\x1B(B')).toBe('АБЦ');
    expect(text('\x1B(Q\x41\x42')).toBe('ђѓ');
    expect(text('\x1B(SABD')).toBe('ΑΒΓ');
    expect(text('\x1B(3\x41\x42')).toBe('ءآ');
    expect(text('\x1B(4\x41\x42')).toBe('ڕږ');
    expect(text('\x1B(2\x60\x61')).toBe('אב');
  });

  it('designates sets into G1 with ESC ) and ESC -, and ANSEL back with !E or E', () => {
    expect(text('x\x1B)2\\xE0\\xE1y')).toBe('xאבy');
    expect(text('\x1B-N\\xC1')).toBe('а');
    expect(text('\x1B)2\\xE1e\x1B)!E\\xE1e')).toBe('בeè');
    expect(text('\x1B)2\\xE1\x1B)E\\xE1e')).toBe('בè');
  });

  it('reads ANSEL designated into G0', () => {
    expect(text('\x1B(!E\x21\x62\x1B(Bx')).toBe('Łx\u0301');
  });

  it('moves Hebrew points after their letter', () => {
    expect(text('\x1B(2\x40\x60')).toBe('\u05D0\u05B7'.normalize('NFC'));
    expect(text('\x1B(2\x4D\x79\x45\x6C')).toBe('\u05E9\u05C1\u05DC\u05B9'); // shin dot, holam
  });

  it('decodes EACC with ESC $ 1, ESC $ , 1 and in G1 with ESC $ ) 1', () => {
    expect(text('\x1B$1\x21\x30\x64\x1B(B')).toBe('人');
    expect(text('\x1B$,1\x21\x30\x21\x1B(Bq')).toBe('一q');
    expect(text('\x1B$)1\\xA1\\xB0\\xA1q')).toBe('一q');
    expect(text('\x1B$1!0! !0!\x1B(B')).toBe('一 一'); // a single space stays a space
    expect(text('\x1B$1\x21\x23\x20')).toBe('\u3000'); // the ideographic space has a 0x20 byte
    expect(text('\x1B$1\x6F\x53\x71\x1B(B')).toBe('슈'); // Hangul
  });

  it('keeps G1 ANSEL while G0 is EACC, and a diacritic before EACC waits for its base', () => {
    expect(text('\x1B$1\x21\x30\x21\x1B(B\\xE1a')).toBe('一à');
    expect(text('\\xE2\x1B(Nabc')).toBe('А\u0301БЦ');
  });

  it('normalizes Greek characters that NFC replaces', () => {
    expect(text('\x1B(S\x3F')).toBe(';'); // U+037E GREEK QUESTION MARK
  });
});

describe('decodeMarcBytes, MARC-8 errors (never thrown, reported with offsets)', () => {
  it('reports an unknown escape sequence at its offset and reads on', () => {
    const r = decode('Soci\x1Bt\\xE2e');
    expect(r.text).toBe('Soci\uFFFDté');
    expect(r.issues).toEqual([{ offset: 4, reason: expect.stringContaining("escape sequence ESC 't'") }]);
    const z = decode('ab\x1B(Zcd');
    expect(z.text).toBe('ab\uFFFD(Zcd');
    expect(z.issues.map((i) => i.offset)).toEqual([2]);
  });

  it('reports a truncated escape sequence at the end', () => {
    for (const spec of ['a\x1B', 'a\x1B(', 'a\x1B$', 'a\x1B$,', 'a\x1B(!']) {
      const r = decode(spec);
      expect(r.issues[0]?.offset, spec).toBe(1);
      expect(r.text.startsWith('a\uFFFD'), spec).toBe(true);
    }
  });

  it('reports unassigned bytes in G0 and G1 and bytes outside MARC-8', () => {
    const r = decode('\x1BbX\x1Bs\\xAF\\x80\\xFF\\xA0\x7F');
    expect(r.text).toBe('\uFFFD'.repeat(6));
    expect(r.issues.map((i) => i.offset)).toEqual([2, 5, 6, 7, 8, 9]);
  });

  it('reports an EACC code that is not in the table and an EACC character cut short', () => {
    const r = decode('\x1B$1!0!{69\x1B(B');
    expect(r.text).toBe('一\uFFFD');
    expect(r.issues).toEqual([{ offset: 6, reason: expect.stringContaining('0x7B3639') }]);
    const short = decode('\x1B$1!0!!0');
    expect(short.text).toBe('一\uFFFD');
    expect(short.issues).toEqual([{ offset: 6, reason: expect.stringContaining('incomplete EACC') }]);
    const interrupted = decode('\x1B$1!0\x1B(Bx');
    expect(interrupted.text).toBe('\uFFFDx');
    expect(interrupted.issues.map((i) => i.offset)).toEqual([3]);
  });

  it('reports a diacritic with no base character, keeping it', () => {
    const end = decode('ab\\xE2');
    expect(end.text).toBe('ab\u0301'.normalize('NFC'));
    expect(end.issues).toEqual([{ offset: 2, reason: expect.stringContaining('no base') }]);
    const beforeControl = decode('a\\xE2\x1Fb');
    expect(beforeControl.text).toBe('á\x1Fb');
    expect(beforeControl.issues.map((i) => i.offset)).toEqual([1]);
  });

  it('returns to the default sets at each subfield delimiter, so a field decodes as its subfields', () => {
    expect(text('\x1FaМосква'.replace('Москва', '\x1B(NmOSKWA') + '\x1FbKSMO')).toBe('\x1FaМосква\x1FbKSMO');
    expect(text('\x1B)2\x1F\\xE1e')).toBe('\x1Fè');
  });

  it('starts every call from the default sets', () => {
    expect(text('\x1B(N')).toBe('');
    expect(text('abc')).toBe('abc');
  });
});

describe('decodeMarcBytes, MARC-8 numeric character references (LC lossless conversion)', () => {
  it('decodes &#x…; to the code point it names: four digits, more, lower-case digits, leading zeros', () => {
    expect(text('&#x200F;\xE2e&#x200F;')).toBe('\u200Fé\u200F');
    expect(text('a&#x1F600;b')).toBe('a\u{1F600}b');
    expect(text('&#x2A6D6;')).toBe('\u{2A6D6}'); // a CJK ideograph beyond the BMP: five digits
    expect(text('&#x200f;')).toBe('\u200F');
    expect(text('&#x0041;&#x41;')).toBe('AA');
    expect(text('&#x10FFFF;')).toBe('\u{10FFFF}');
  });

  it('reads references between escape sequences, and in a field after each delimiter', () => {
    // Hebrew in G0, back to ASCII, a reference, Cyrillic, back, a reference at the very end.
    expect(text('\x1B(2\x60\x61\x1B(B&#x200F; \x1B(NMOSKWA\x1B(B&#x4E8;')).toBe('אב\u200F москва\u04E8');
    expect(text('\x1FaJazz&#x2013;\x1Fb&#x200E;x\x1E')).toBe('\x1FaJazz\u2013\x1Fb\u200Ex\x1E');
    // EACC in G0, then ASCII again for the reference.
    expect(text('\x1B$1\x21\x30\x64\x1B(B&#x3400;')).toBe('人\u3400');
  });

  it('keeps references beside combining marks in Unicode order and NFC', () => {
    // An ANSEL acute before 'e' composes; a reference naming a mark after its base composes too.
    expect(text('\xE2e e&#x301;e&#x304;')).toBe('é \u00E9\u0113');
    // A mark MARC-8 lacks (combining double inverted breve) written as a reference after its base.
    expect(text('\xE2oo&#x361;')).toBe('óo\u0361');
    // A MARC-8 diacritic before '&' sits on the '&' (as yaz reads it), so no reference is left.
    expect(text('\xE2&#x41;')).toBe('&\u0301#x41;');
    // Reference to a mark after a precomposed letter: NFC orders the marks.
    expect(text('a&#x301;&#x323;')).toBe('ạ\u0301');
  });

  it('leaves malformed and out-of-range references as text, without issues', () => {
    for (const literal of [
      '&#xD800;', // a surrogate
      '&#xDFFF;',
      '&#x110000;', // beyond Unicode
      '&#xFFFFFFFFFFFFFFFFFFFF;',
      '&#x200F', // no ';'
      '&#x200F ;',
      '&#x;', // no digits
      '&#xG1;',
      '&#X200F;', // not the convention's form
      '&#8207;', // decimal: not the convention's form
      '&#x0;', // NUL and the ISO 2709 delimiters would change the record's structure
      '&#x1D;',
      '&#x1E;',
      '&#x1F;',
      '&#',
      '&',
    ]) {
      expect(text(literal), literal).toBe(literal);
    }
    expect(text('&#xD800;&#x41;&#x200F')).toBe('&#xD800;A&#x200F');
    expect(text('&#x26;#x41;')).toBe('&#x41;'); // one pass: what a reference gives is not read again
  });

  it('does not read as a reference bytes that are not ASCII in the set in force', () => {
    // Basic Arabic in G0 holds its own digits and semicolon at 0x30-0x3B, so this is Arabic text.
    const r = text('\x1B(3&#x200F;');
    expect(r).not.toContain('\u200F');
    expect(r.startsWith('&#')).toBe(true);
  });
});

describe('encodeMarc8', () => {
  const roundTrip = (s: string): string => decodeMarcBytes(encodeMarc8(s).bytes, 'marc-8').text;

  it('writes ASCII as ASCII and ANSEL letters in G1', () => {
    expect(Array.from(encodeMarc8('Łódź').bytes)).toEqual([0xa1, 0xe2, 0x6f, 0x64, 0xe2, 0x7a]);
    expect(encodeMarc8('plain').bytes).toEqual(b('plain'));
  });

  it('writes diacritics before their base and decomposes what MARC-8 has no precomposed code for', () => {
    expect(Array.from(encodeMarc8('é').bytes)).toEqual([0xe2, 0x65]);
    expect(roundTrip('Nguyễn ở Đà Nẵng')).toBe('Nguyễn ở Đà Nẵng');
  });

  it('switches sets with escape sequences and returns to ASCII at the end', () => {
    const bytes = encodeMarc8('Жук 人 שלום H₂O x²').bytes;
    expect(Array.from(bytes.slice(-3))).toEqual([0x1b, 0x28, 0x42]);
    expect(roundTrip('Жук 人 שלום H₂O x²')).toBe('Жук 人 שלום H₂O x²');
  });

  it('writes a double diacritic with both halves', () => {
    expect(Array.from(encodeMarc8('t\u0361s').bytes)).toEqual([0xeb, 0x74, 0xec, 0x73]);
    expect(roundTrip('t\u0361s')).toBe('t\u0361s');
  });

  it('writes characters outside MARC-8 as numeric character references and lists them', () => {
    const r = encodeMarc8('a😀b');
    expect(new TextDecoder().decode(r.bytes)).toBe('a&#x1F600;b');
    expect(r.unmapped).toEqual([{ index: 1, codePoint: 0x1f600 }]);
    expect(roundTrip('a😀b \u200F\u0627\u200F ǅ')).toBe('a😀b \u200F\u0627\u200F ǅ');
  });

  it("writes an '&' that would read back as a reference as '&#x26;', and only then", () => {
    const r = encodeMarc8('&#x41; & &#8207; &#xD800; &x');
    expect(new TextDecoder().decode(r.bytes)).toBe('&#x26;#x41; & &#8207; &#xD800; &x');
    expect(r.unmapped).toEqual([]);
    for (const s of ['&#x41;', '&#x26;', '&&#x200F;', '&#x4\u00C1;', '&\u0301#x41;', '&#x41;\u0301', 'x&#x1F600;😀']) {
      expect(roundTrip(s), s).toBe(s.normalize('NFC'));
    }
  });
});
