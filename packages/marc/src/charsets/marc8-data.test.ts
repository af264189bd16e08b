/* eslint-disable no-console -- these tests print their match counts on purpose */
// MARC-8 decoding checked against YAZ (yaz-marcdump) and pymarc's conversion table on the real
// files in ../shared/data, read in place. The ISO 2709 splitter here is deliberately minimal
// so that these tests depend on nothing but the charsets. yaz leaves MARC-8's numeric character
// references as text; they are decoded in yaz's output only (decodeYazReferences), so records
// holding them (IRMARC8.bin) are compared too.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeYazReferences } from '../test/yaz.js';
import { decodeMarcBytes, looksLikeUtf8 } from './index.js';
import { marc8Entries, Marc8Set } from './marc8.js';

/** ../shared/data, resolved from the repository root (four levels above this folder). */
const sharedData = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../shared/data');
const hasSharedData = existsSync(path.join(sharedData, 'marc'));
const hasYaz = (() => {
  try {
    execFileSync('yaz-marcdump', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasSharedData) console.warn(`charsets: ${sharedData} is missing; the data tests are skipped`);
if (!hasYaz) console.warn('charsets: yaz-marcdump is missing (apt-get install yaz); the YAZ comparison is skipped');

interface RawField {
  tag: string;
  /** Control field: the whole value. Data field: two indicators, then subfields. */
  data: Uint8Array;
}
interface RawRecord {
  offset: number;
  leader: string;
  fields: RawField[];
}

const latin1 = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

/** Splits ISO 2709 records; a record whose leader or directory cannot be read is counted and skipped. */
function splitRecords(file: Uint8Array): { records: RawRecord[]; unreadable: number } {
  const records: RawRecord[] = [];
  let unreadable = 0;
  let pos = 0;
  while (pos + 24 <= file.length) {
    const leader = latin1(file.subarray(pos, pos + 24));
    const length = Number(leader.slice(0, 5));
    const base = Number(leader.slice(12, 17));
    const next = file.indexOf(0x1d, pos);
    if (!/^\d{5}$/.test(leader.slice(0, 5)) || length < 24 || !/^\d{5}$/.test(leader.slice(12, 17))) {
      unreadable++;
      if (next < 0) break;
      pos = next + 1;
      continue;
    }
    const record = file.subarray(pos, pos + length);
    const fields: RawField[] = [];
    let ok = record[length - 1] === 0x1d && base <= length;
    for (let d = 24; ok && record[d] !== 0x1e; d += 12) {
      const entry = latin1(record.subarray(d, d + 12));
      const flen = Number(entry.slice(3, 7));
      const start = Number(entry.slice(7, 12));
      if (d + 12 > base || !/^\d{9}$/.test(entry.slice(3)) || base + start + flen > length || flen < 1) {
        ok = false;
        break;
      }
      fields.push({ tag: entry.slice(0, 3), data: record.subarray(base + start, base + start + flen - 1) });
    }
    if (ok) {
      records.push({ offset: pos, leader, fields });
      pos += length;
    } else {
      unreadable++;
      if (next < 0) break;
      pos = next + 1;
    }
  }
  return { records, unreadable };
}

const isControlTag = (tag: string): boolean => /^00\d$/.test(tag);

/** The pieces a reader decodes one by one: a control field whole, a data field per subfield. */
function pieces(field: RawField): Uint8Array[] {
  if (isControlTag(field.tag)) return [field.data];
  const parts: Uint8Array[] = [];
  let start = -1;
  for (let i = 2; i <= field.data.length; i++) {
    if (i === field.data.length || field.data[i] === 0x1f) {
      if (start >= 0) parts.push(field.data.subarray(start, i));
      start = i + 1;
    }
  }
  return parts;
}

const utf8 = new TextDecoder();
const marcData = (...p: string[]): string => path.join(sharedData, 'marc', ...p);

/** Every file under ../shared/data/marc with at least one record whose leader/09 says MARC-8. */
const MARC8_FILES = [
  'evergreen/jazz_1k.mrc',
  'evergreen/lul_fre_100.mrc',
  'evergreen/lul_fre_500.mrc',
  'evergreen/hebrew.marc',
  'evergreen/FSL.marc',
  'evergreen/map_data.mrc',
  'evergreen/oss.marc',
  'xbib-marc/IRMARC8.bin',
  'xbib-marc/brkrtest.mrc',
  'xbib-marc/makrtest.mrc',
  'xbib-marc/cyrillic_capital_e.mrc',
  'xbib-marc/diacritic4.mrc',
  'xbib-marc/185258.mrc',
  'xbib-marc/chabon-loc.mrc',
  'pymarc/marc8.dat',
  'pymarc/marc.dat',
  'pymarc/test.dat',
  'pymarc/bad_marc8_escape.dat',
  'pymarc/bad_eacc_encoding.dat',
  'openlibrary/880_table_of_contents.mrc',
  'openlibrary/uoft_4351105_1626.mrc',
  'openlibrary/lesnoirsetlesrou0000garl_meta.mrc',
  'openlibrary/histoirereligieu05cr_meta.mrc',
  'openlibrary/memoirsofjosephf00fouc_meta.mrc',
  'openlibrary/lc_0444897283.mrc',
];

/** Files with no undecodable byte: every one of their records must match. */
const CLEAN_MARC8 = [
  'evergreen/jazz_1k.mrc',
  'evergreen/lul_fre_500.mrc',
  'xbib-marc/IRMARC8.bin',
  'xbib-marc/brkrtest.mrc',
  'xbib-marc/makrtest.mrc',
  'pymarc/marc8.dat',
];

describe.skipIf(!hasSharedData || !hasYaz)('MARC-8 against yaz-marcdump', () => {
  it('decodes every field of every record YAZ reads cleanly exactly as YAZ does (NFC)', () => {
    const totals = { records: 0, matched: 0, skipped: 0, utf8: 0, fields: 0, wholeFields: 0, mismatched: 0 };
    const report: string[] = [];
    const mismatches: string[] = [];
    for (const name of MARC8_FILES) {
      const file = marcData(name);
      const ours = splitRecords(readFileSync(file)).records.filter((r) => r.leader[9] === ' ');
      const theirs = splitRecords(
        execFileSync('yaz-marcdump', ['-f', 'MARC-8', '-t', 'UTF-8', '-o', 'marc', file], {
          maxBuffer: 256 * 1024 * 1024,
        }),
      ).records;
      let matched = 0;
      let skipped = 0;
      let utf8InDisguise = 0;
      ours.forEach((record, r) => {
        const yaz = theirs[r];
        // YAZ re-emits every record it reads, in order, with the same directory of tags.
        expect(
          yaz?.fields.map((f) => f.tag),
          `${name} record ${r}: tags`,
        ).toEqual(record.fields.map((f) => f.tag));
        let clean = true;
        const diffs: string[] = [];
        record.fields.forEach((field, f) => {
          const mine = pieces(field);
          const yours = pieces(yaz!.fields[f]!);
          mine.forEach((bytes, p) => {
            const decoded = decodeMarcBytes(bytes, 'marc-8');
            if (decoded.issues.length > 0) {
              // Undecodable bytes: YAZ silently drops them or stops the field; not comparable.
              clean = false;
              return;
            }
            totals.fields++;
            const expected = decodeYazReferences(utf8.decode(yours[p] ?? new Uint8Array()));
            if (decoded.text !== expected) {
              diffs.push(`${field.tag}[${p}] ours ${JSON.stringify(decoded.text)} yaz ${JSON.stringify(expected)}`);
            }
          });
          // The whole field in one call (delimiters reset the character sets) reads the same.
          // (Indicators are codes, not text: YAZ copies them as bytes.)
          const skip = isControlTag(field.tag) ? 0 : 2;
          const whole = decodeMarcBytes(field.data.subarray(skip), 'marc-8');
          if (whole.issues.length === 0) {
            totals.wholeFields++;
            // YAZ drops empty subfields (a trailing delimiter); so does the comparison.
            const dropEmpty = (t: string): string =>
              t
                .split('\x1f')
                .filter((part, k) => k === 0 || part !== '')
                .join('\x1f');
            const expected = decodeYazReferences(utf8.decode(yaz!.fields[f]!.data.subarray(skip)));
            if (dropEmpty(whole.text) !== dropEmpty(expected)) {
              diffs.push(`${field.tag} whole field ours ${JSON.stringify(whole.text)} yaz ${JSON.stringify(expected)}`);
            }
          }
        });
        // Subfields without issues are compared even in a record that has some with issues.
        if (diffs.length > 0) {
          mismatches.push(`${name} record ${r} (offset ${record.offset}): ${diffs.slice(0, 3).join('; ')}`);
        } else if (!clean) {
          skipped++;
          if (record.fields.some((f) => looksLikeUtf8(f.data))) utf8InDisguise++;
        } else matched++;
      });
      totals.records += ours.length;
      totals.matched += matched;
      totals.skipped += skipped;
      totals.utf8 += utf8InDisguise;
      report.push(
        `${name}: ${matched}/${ours.length} matched` +
          (skipped
            ? `, ${skipped} skipped (undecodable bytes; ${utf8InDisguise} of them UTF-8 under a blank leader/09)`
            : ''),
      );
      if (CLEAN_MARC8.includes(name)) expect(matched, `${name}: records matched`).toBe(ours.length);
    }
    totals.mismatched = mismatches.length;
    console.log(
      `MARC-8 vs yaz-marcdump: ${totals.matched} of ${totals.records} records matched field by field ` +
        `(${totals.fields} subfields compared, and ${totals.wholeFields} whole fields), ` +
        `${totals.skipped} skipped for undecodable bytes ` +
        `(${totals.utf8} of them UTF-8 under a blank leader/09), ` +
        `${totals.mismatched} mismatched\n  ${report.join('\n  ')}`,
    );
    expect(mismatches).toEqual([]);
    expect(totals.matched).toBeGreaterThanOrEqual(1700);
  });
});

describe.skipIf(!hasSharedData)("MARC-8 against pymarc's conversion table", () => {
  it('converts test_marc8.txt to test_utf8.txt line by line', () => {
    const dir = path.join(sharedData, 'other', 'pymarc');
    const split = (bytes: Uint8Array): Uint8Array[] => {
      const lines: Uint8Array[] = [];
      let start = 0;
      for (let i = 0; i < bytes.length; i++) {
        if (bytes[i] === 0x0a) {
          lines.push(bytes.subarray(start, i));
          start = i + 1;
        }
      }
      if (start < bytes.length) lines.push(bytes.subarray(start));
      return lines;
    };
    const marc8 = split(readFileSync(path.join(dir, 'test_marc8.txt')));
    const expected = split(readFileSync(path.join(dir, 'test_utf8.txt')));
    expect(marc8.length).toBe(expected.length);
    const mismatches: string[] = [];
    let withIssues = 0;
    marc8.forEach((line, i) => {
      const decoded = decodeMarcBytes(line, 'marc-8');
      if (decoded.issues.length > 0) withIssues++;
      const want = utf8.decode(expected[i]).normalize('NFC');
      if (decoded.text !== want)
        mismatches.push(`line ${i + 1}: ours ${JSON.stringify(decoded.text)} pymarc ${JSON.stringify(want)}`);
    });
    console.log(`MARC-8 vs pymarc test_utf8.txt: ${marc8.length - mismatches.length} of ${marc8.length} lines equal`);
    expect(withIssues).toBe(0);
    expect(mismatches).toEqual([]);
  });
});

/** A minimal ISO 2709 record of 900 fields, one $a per value. */
function recordOf(values: number[][]): Uint8Array {
  const directory: string[] = [];
  const data: number[] = [];
  for (const value of values) {
    const start = data.length;
    data.push(0x20, 0x20, 0x1f, 0x61, ...value, 0x1e);
    directory.push(`900${String(data.length - start).padStart(4, '0')}${String(start).padStart(5, '0')}`);
  }
  const base = 24 + directory.length * 12 + 1;
  const leader = `${String(base + data.length + 1).padStart(5, '0')}nam  22${String(base).padStart(5, '0')}   4500`;
  return Uint8Array.from([...Buffer.from(leader + directory.join('') + '\x1e', 'latin1'), ...data, 0x1d]);
}

describe.skipIf(!hasYaz)('the generated MARC-8 table against YAZ', () => {
  it('decodes each of its 16,000-odd entries as yaz-marcdump does', () => {
    const entries = marc8Entries().filter((e) => !e.rightHalf);
    const values = entries.map((e) => {
      if (e.set === Marc8Set.eacc) return [0x1b, 0x24, 0x31, e.code >> 16, (e.code >> 8) & 0xff, e.code & 0xff];
      const code = e.set === Marc8Set.extendedLatin ? e.code | 0x80 : e.code; // ANSEL in G1, as records use it
      const designate =
        e.set === Marc8Set.extendedLatin
          ? []
          : e.set === Marc8Set.subscripts || e.set === Marc8Set.superscripts || e.set === Marc8Set.greekSymbols
            ? [0x1b, e.set]
            : [0x1b, 0x28, e.set];
      return [...designate, code, 0x20]; // a combining mark lands on the space
    });
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < values.length; i += 2000) chunks.push(recordOf(values.slice(i, i + 2000)));
    const dir = mkdtempSync(path.join(tmpdir(), 'marc8-table-'));
    const file = path.join(dir, 'table.mrc');
    writeFileSync(file, Buffer.concat(chunks));
    let converted: Buffer;
    try {
      converted = execFileSync('yaz-marcdump', ['-f', 'MARC-8', '-t', 'UTF-8', '-o', 'marc', file], {
        maxBuffer: 64 * 1024 * 1024,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const yaz = splitRecords(converted).records.flatMap((r) =>
      r.fields.map((f) => utf8.decode(pieces(f)[0]!.subarray(1)).normalize('NFC')),
    );
    expect(yaz.length).toBe(entries.length);
    const differ: string[] = [];
    entries.forEach((e, i) => {
      const ours = decodeMarcBytes(Uint8Array.from(values[i]!), 'marc-8');
      expect(ours.issues).toEqual([]);
      if (ours.text !== yaz[i]) differ.push(`${e.set.toString(16)}:${e.code.toString(16)}`);
    });
    console.log(`MARC-8 table vs YAZ: ${entries.length - differ.length} of ${entries.length} entries equal`);
    // The only differences: EACC codes holding a byte outside 0x21–0x7E, which YAZ cannot read
    // (pymarc's conversion table, checked above, agrees with ours on them).
    expect(differ.sort()).toEqual(['31:21203d', '31:212040', '31:7f2014', '31:7f2019', '31:7f2020', '31:7f2122']);
  });
});

describe.skipIf(!hasSharedData)('damaged MARC-8 from pymarc', () => {
  const fieldsOf = (name: string): RawField[] => {
    const { records } = splitRecords(readFileSync(marcData('pymarc', name)));
    expect(records).toHaveLength(1);
    return records[0]!.fields;
  };

  it('bad_marc8_escape.dat: every stray ESC is reported at its offset, the text around it kept', () => {
    let reported = 0;
    for (const field of fieldsOf('bad_marc8_escape.dat')) {
      for (const piece of pieces(field)) {
        const r = decodeMarcBytes(piece, 'marc-8');
        for (const issue of r.issues) {
          expect(piece[issue.offset], `${field.tag}: ${issue.reason}`).toBe(0x1b);
          expect(issue.reason).toMatch(/^unrecognised escape sequence ESC/);
        }
        reported += r.issues.length;
      }
    }
    expect(reported).toBeGreaterThanOrEqual(10);
    const title = fieldsOf('bad_marc8_escape.dat').find((f) => f.tag === '222')!;
    const r = decodeMarcBytes(pieces(title)[0]!.subarray(1), 'marc-8');
    expect(r.text).toBe('Bulletin de la Soci\uFFFDté linn\uFFFDenne de Bordeaux');
    expect(r.issues.map((i) => i.offset)).toEqual([19, 28]);
  });

  it('bad_eacc_encoding.dat: the EACC text decodes up to the damage, which is reported', () => {
    const field = fieldsOf('bad_eacc_encoding.dat').find((f) => f.tag === '880')!;
    const [, a] = pieces(field);
    const r = decodeMarcBytes(a!.subarray(1), 'marc-8');
    expect(r.text.startsWith('米国の統治の仕組')).toBe(true);
    expect(r.text).toContain('\uFFFD');
    expect(r.issues.length).toBeGreaterThan(0);
    for (const issue of r.issues) expect(issue.reason).toMatch(/EACC/);
    expect(r.issues[0]!.offset).toBe(a!.subarray(1).indexOf(0x7b)); // the '{' of '{6924f6}'
  });
});
