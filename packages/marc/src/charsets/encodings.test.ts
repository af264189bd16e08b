// UTF-8, ISO 5426, Windows-1251 and ISO-8859-1. ISO 5426 and Windows-1251 are checked against
// YAZ and glibc's iconv where those are installed; test data is read in place from ../shared/data.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeMarcBytes, looksLikeUtf8 } from './index.js';
import { ISO5426_COMBINING, ISO5426_UPPER } from './iso5426-table.generated.js';

const sharedData = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../shared/data');
const pymarcData = path.join(sharedData, 'marc', 'pymarc');
const hasSharedData = existsSync(pymarcData);
const has = (command: string, args: string[]): boolean => {
  try {
    execFileSync(command, args, { stdio: 'ignore', input: '' });
    return true;
  } catch {
    return false;
  }
};
const hasYazIconv = has('yaz-iconv', ['-f', 'iso5426', '-t', 'utf8']);
const hasIconv = has('iconv', ['-f', 'CP1251', '-t', 'UTF-8']);

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('UTF-8', () => {
  it('decodes well-formed UTF-8 and composes to NFC', () => {
    expect(decodeMarcBytes(utf8('Müller'), 'utf-8')).toEqual({ text: 'Müller', issues: [] });
    expect(decodeMarcBytes(utf8('Mu\u0308ller S\u0323an\u02BBa\u0304'), 'utf-8').text).toBe('Müller Ṣanʻā');
    expect(decodeMarcBytes(utf8('人 𠀀 ש'), 'utf-8').text).toBe('人 𠀀 ש');
    expect(decodeMarcBytes(bytes(0xef, 0xbb, 0xbf, 0x61), 'utf-8').text).toBe('\uFEFFa'); // a BOM is kept
  });

  it('replaces each ill-formed sequence by U+FFFD and reports it with its offset', () => {
    const r = decodeMarcBytes(bytes(0x61, 0xc3, 0x28, 0x62, 0xe2, 0x82, 0xac, 0xff, 0xfe, 0x63), 'utf-8');
    expect(r.text).toBe('a\uFFFD(b€\uFFFD\uFFFDc');
    expect(r.issues).toEqual([
      { offset: 1, reason: 'invalid UTF-8 C3' },
      { offset: 7, reason: 'invalid UTF-8 FF FE' },
    ]);
  });

  it('rejects overlong forms, surrogates and code points past U+10FFFF', () => {
    for (const bad of [
      [0xc0, 0xaf],
      [0xe0, 0x80, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xf8, 0x88, 0x80, 0x80, 0x80],
    ]) {
      const r = decodeMarcBytes(bytes(0x41, ...bad), 'utf-8');
      expect(
        r.issues.map((i) => i.offset),
        bad.join(' '),
      ).toEqual([1]);
      expect(r.text.startsWith('A\uFFFD')).toBe(true);
      expect(r.text).toBe(new TextDecoder().decode(bytes(0x41, ...bad))); // WHATWG's U+FFFD count
    }
  });

  it('reports a sequence cut short at the end', () => {
    const r = decodeMarcBytes(bytes(0x61, 0xf0, 0x9f, 0x98), 'utf-8');
    expect(r.text).toBe('a\uFFFD');
    expect(r.issues).toEqual([{ offset: 1, reason: 'truncated UTF-8 sequence F0 9F 98 at the end' }]);
  });

  it('tells UTF-8 from MARC-8 and Latin-1', () => {
    expect(looksLikeUtf8(utf8('Société'))).toBe(true);
    expect(looksLikeUtf8(utf8('plain ASCII'))).toBe(false);
    expect(looksLikeUtf8(bytes(0x53, 0x6f, 0x63, 0x69, 0xe2, 0x65, 0x74, 0xe2, 0x65))).toBe(false); // MARC-8 Sociéte
    expect(looksLikeUtf8(bytes(0x4d, 0xfc, 0x6c))).toBe(false); // Latin-1 Mül
    expect(looksLikeUtf8(bytes(0xc3))).toBe(false);
  });
});

describe.skipIf(!hasSharedData)('UTF-8 records of pymarc', () => {
  it('decodes utf8_errors.dat (decomposed UTF-8) to NFC without issues', () => {
    const file = readFileSync(path.join(pymarcData, 'utf8_errors.dat'));
    const r = decodeMarcBytes(file, 'utf-8');
    expect(r.issues).toEqual([]);
    expect(r.text).toContain('Ṣanʻāʼ'.slice(0, 4));
    expect(r.text).toBe(r.text.normalize('NFC'));
  });

  it('keeps the literal U+FFFD of utf8_invalid.mrc, which is well-formed UTF-8', () => {
    const file = readFileSync(path.join(pymarcData, 'utf8_invalid.mrc'));
    const r = decodeMarcBytes(file, 'utf-8');
    expect(r.issues).toEqual([]);
    expect(r.text).toContain('D.C.:\x1F\uFFFDbAsso');
  });

  it('reads the MARC-8 record that is really UTF-8 as UTF-8 once looksLikeUtf8 says so', () => {
    const file = readFileSync(path.join(pymarcData, 'utf8_without_leader_flag.dat'));
    expect(String.fromCharCode(file[9]!)).toBe(' ');
    expect(looksLikeUtf8(file)).toBe(true);
    expect(decodeMarcBytes(file, 'utf-8').issues).toEqual([]);
    expect(decodeMarcBytes(file, 'marc-8').issues.length).toBeGreaterThan(0);
  });
});

describe('ISO-8859-1', () => {
  it('maps every byte to the code point of the same value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const r = decodeMarcBytes(all, 'iso-8859-1');
    expect(r.issues).toEqual([]);
    expect(Array.from(r.text, (c) => c.codePointAt(0))).toEqual(Array.from(all));
  });
});

describe('Windows-1251', () => {
  it('decodes Cyrillic', () => {
    expect(decodeMarcBytes(bytes(0xcc, 0xee, 0xf1, 0xea, 0xe2, 0xe0, 0x20, 0xb8, 0xa8), 'windows-1251').text).toBe(
      'Москва ёЁ',
    );
  });

  it.skipIf(!hasSharedData || !hasIconv)("decodes pymarc's 1251.dat as glibc's iconv does", () => {
    const file = readFileSync(path.join(pymarcData, '1251.dat'));
    const expected = execFileSync('iconv', ['-f', 'CP1251', '-t', 'UTF-8'], { input: file }).toString('utf8');
    const r = decodeMarcBytes(file, 'windows-1251');
    expect(r.issues).toEqual([]);
    expect(r.text).toBe(expected.normalize('NFC'));
    expect(r.text).toContain('Ильина, Татьяна Николаевна');
  });
});

describe('ISO 5426', () => {
  it('moves diacritics after their base and decodes the letters of the upper half', () => {
    expect(decodeMarcBytes(bytes(0x53, 0x6f, 0x63, 0x69, 0xc2, 0x65, 0x74, 0xc2, 0x65), 'iso-5426')).toEqual({
      text: 'Société',
      issues: [],
    });
    expect(decodeMarcBytes(bytes(0xe8, 0xc2, 0x6f, 0x64, 0xc2, 0x7a), 'iso-5426').text).toBe('Łódź');
    expect(decodeMarcBytes(bytes(0x88, 0x4c, 0x27, 0x89, 0x61), 'iso-5426').text).toBe("\u0098L'\u009Ca");
  });

  it('reports unassigned bytes, escapes and a diacritic with no base', () => {
    const r = decodeMarcBytes(bytes(0x61, 0xa0, 0xff, 0x1b, 0x62, 0xc2), 'iso-5426');
    expect(r.text).toBe('a\uFFFD\uFFFD\uFFFDb\u0301'.normalize('NFC'));
    expect(r.issues.map((i) => i.offset)).toEqual([1, 2, 3, 5]);
  });

  it.skipIf(!hasYazIconv)('decodes every assigned byte as yaz-iconv does', () => {
    // Each byte with a base letter after it. yaz-iconv converts its input in blocks and can
    // lose a diacritic that straddles two, so it gets a few bytes at a time.
    for (let b = 0x21; b <= 0xff; b++) {
      if (b >= 0x7f && !ISO5426_UPPER.has(b)) continue;
      const input = Uint8Array.from([0x78, b, 0x6f, 0x20]);
      const expected = execFileSync('yaz-iconv', ['-f', 'iso5426', '-t', 'utf8'], { input }).toString('utf8');
      expect(decodeMarcBytes(input, 'iso-5426'), `byte ${b.toString(16)}`).toEqual({
        text: expected.normalize('NFC'),
        issues: [],
      });
    }
    expect(ISO5426_COMBINING.size).toBeGreaterThan(20);
  });
});
