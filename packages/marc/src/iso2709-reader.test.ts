import { describe, expect, test } from 'vitest';

import { iso2709Start, readIso2709 } from './iso2709-reader.js';
import { writeIso2709 } from './iso2709-writer.js';
import {
  type BytePosition,
  isRecordFailure,
  type ReadItem,
  type RecordFailure,
  type RecordRead,
} from './read-result.js';
import { type DataField, isControlField, type MarcRecord } from './record.js';
import { bytes, concat, isoRecord, patch, utf8 } from './test/iso-bytes.js';
import { recordRead, recordsRead } from './test/read-items.js';
import { collect, filesUnder, inChunks, readData, sourcesRecordCounts } from './test/shared-data.js';

type Item = ReadItem<BytePosition>;

const records = (items: Item[]) => items.filter((i): i is RecordRead<BytePosition> => !isRecordFailure(i));
const failures = (items: Item[]) => items.filter((i): i is RecordFailure<BytePosition> => isRecordFailure(i));
const read = (input: Uint8Array | AsyncIterable<Uint8Array>, options = {}) => collect(readIso2709(input, options));

function field(record: MarcRecord, tag: string): DataField {
  const found = record.fields.find((f) => f.tag === tag);
  if (!found || isControlField(found)) throw new Error(`no data field ${tag}`);
  return found;
}

function controlValue(record: MarcRecord, tag: string): string | undefined {
  const found = record.fields.find((f) => f.tag === tag);
  return found && isControlField(found) ? found.value : undefined;
}

function subfield(record: MarcRecord, tag: string, code: string): string | undefined {
  return field(record, tag).subfields.find((s) => s.code === code)?.value;
}

// Files whose damage shows up as failures; every other file must read without one.
const DAMAGED: Record<string, { records: number; failures: number }> = {
  'marc/evergreen/hebrew.marc': { records: 19, failures: 1 }, // a DEL byte inside Hebrew text
  'marc/pymarc/1251.dat': { records: 0, failures: 6 }, // Windows-1251 under a MARC-8 leader
  'marc/pymarc/bad_eacc_encoding.dat': { records: 0, failures: 1 },
  'marc/pymarc/bad_marc8_escape.dat': { records: 0, failures: 1 },
  'marc/pymarc/bad_records.mrc': { records: 4, failures: 4 },
  'marc/xbib-marc/summerland2.mrc': { records: 0, failures: 2 },
  'marc/xbib-marc/zdblokutf8.mrc': { records: 292, failures: 1 }, // cut off inside the last record
  'marc/xbib-marc/zdbtitutf8.mrc': { records: 7, failures: 1 }, // likewise
};

describe('the files in ../shared/data/marc', () => {
  const counts = sourcesRecordCounts();
  const files = filesUnder('marc');

  test('are all there', () => {
    expect(files.length).toBeGreaterThanOrEqual(140);
  });

  test.each(files)('%s is read without throwing, with the expected records', async (file) => {
    const items = await read(readData(file));
    const damaged = DAMAGED[file];
    if (damaged) {
      expect({ records: records(items).length, failures: failures(items).length }).toEqual(damaged);
    } else {
      expect(failures(items)).toEqual([]);
      expect(records(items).length).toBe(counts.get(file));
    }
    items.forEach((item, i) => expect((isRecordFailure(item) ? item.error : item.position).index).toBe(i));
    for (const { record } of records(items)) {
      expect(record.leader).toHaveLength(24);
      expect(record.leader[9]).toBe('a');
      for (const f of record.fields) {
        const texts = isControlField(f) ? [f.value] : f.subfields.map((s) => s.value);
        for (const text of texts) expect(text === text.normalize('NFC')).toBe(true);
      }
    }
  });
});

describe('damaged records', () => {
  test('bad_records.mrc: bad leaders and directories are reported with their offsets; the good records around them are read', async () => {
    const items = await read(readData('marc/pymarc/bad_records.mrc'));
    expect(items).toHaveLength(8);
    const summary = items.map((item) =>
      isRecordFailure(item)
        ? { failure: item.error.byteOffset, reason: item.error.reason }
        : { record: item.position.byteOffset },
    );
    expect(summary).toEqual([
      { record: 0 },
      { record: 127 }, // base address 99937: recovered from where the directory ends, with a warning
      { record: 254 }, // base address 0: likewise
      { failure: 381, reason: 'directory is 13 bytes long, not a multiple of 12' },
      { failure: 509, reason: 'directory is 13 bytes long, not a multiple of 12' },
      { failure: 637, reason: 'leader/12-16 (base address of data) is not a number: "f0037"' },
      { failure: 764, reason: 'record has no fields (empty directory)' },
      { record: 790 },
    ]);
    const [second, third] = [recordRead(items[1]), recordRead(items[2])];
    expect(second.warnings[0]).toMatch(/base address of data 99937 is beyond the end of the record/);
    expect(third.warnings[0]).toMatch(/base address of data 0 lies inside the leader/);
    expect(subfield(second.record, '245', 'a')).toBe('The pragmatic programmer : ');
    expect(failures(items)[0]?.raw).toHaveLength(128);
  });

  test('bad_leaders_10_11.mrc: blank structural leader positions are read as 2, 2, 4, 5, 0 and reported', async () => {
    const [item] = records(await read(readData('marc/xbib-marc/bad_leaders_10_11.mrc')));
    expect(item?.record.leader).toBe('01794    a2200445   450 ');
    expect(item?.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^leader\/10 \(indicator count\) is " ", read as '2'/),
        expect.stringMatching(/^leader\/22/),
      ]),
    );
    expect(subfield(item!.record, '020', 'a')).toBe('3926154780 (Museumsausg.)');
  });

  test('bad_too_long_plus_2.mrc: a record longer than its leader says is read to its terminator, and the next ones follow', async () => {
    const items = await read(readData('marc/xbib-marc/bad_too_long_plus_2.mrc'));
    expect(items.map((i) => (isRecordFailure(i) ? 'failure' : i.position.byteOffset))).toEqual([0, 123375, 124682]);
    const first = recordRead(items[0]);
    expect(first.warnings[0]).toBe(
      'leader gives the record length as 23375 bytes; the record is 123375 bytes up to its terminator',
    );
    expect(first.record.fields).toHaveLength(1517);
  });

  test('error.mrc: directory lengths off by one are repaired from the field terminators and reported', async () => {
    const [item] = records(await read(readData('marc/xbib-marc/error.mrc')));
    expect(item?.warnings.join('\n')).toMatch(
      /does not end with a field terminator where the directory says it ends; the 15 fields were read in directory order/,
    );
    expect(subfield(item!.record, '250', 'a')).toBe('1st ed.');
    expect(subfield(item!.record, '245', 'a')).toBe('Summerland /');
  });

  test('bad_indicator.dat: a data field without indicators is read with blanks and reported', async () => {
    const [item] = records(await read(readData('marc/pymarc/bad_indicator.dat')));
    const odd = field(item!.record, '0 2');
    expect(odd).toEqual({
      tag: '0 2',
      ind1: ' ',
      ind2: ' ',
      subfields: [{ code: 'a', value: '9780253325525 (alk. paper)' }],
    });
    expect(item?.warnings).toContain('field 0 2: indicators missing, read as blanks');
  });

  test('bad_subfield_code.dat: a subfield code that is not ASCII is kept whole and reported', async () => {
    const [item] = records(await read(readData('marc/pymarc/bad_subfield_code.dat')));
    expect(field(item!.record, '245').subfields[0]).toEqual({ code: 'á', value: 'ActivePerl with ASP and ADO /' });
    expect(item?.warnings).toContain('field 245: subfield code "á" is not ASCII');
  });

  test('utf8_invalid.mrc: a replacement character standing in for a subfield code is reported', async () => {
    const [item] = records(await read(readData('marc/pymarc/utf8_invalid.mrc')));
    expect(item?.warnings).toContain('field 260: subfield code "\uFFFD" is not ASCII');
  });

  test('an invalid byte sequence rejects the record with its position and reason; the next record is read', async () => {
    const good = isoRecord({
      fields: [
        ['001', 'one'],
        ['245', '10\x1faGood'],
      ],
    });
    const bad = isoRecord({
      fields: [
        ['001', 'two'],
        ['245', '10\x1faBad \xff\xfe bytes'],
      ],
    });
    const items = await read(concat(good, bad, good));
    expect(items.map((i) => isRecordFailure(i))).toEqual([false, true, false]);
    const failure = items[1] as RecordFailure<BytePosition>;
    expect(failure.error.byteOffset).toBe(good.length);
    expect(failure.error.reason).toMatch(
      /^invalid byte sequence in field 245 \$a: .* at byte \d+ of the record \(utf-8\)/,
    );
    expect(failure.raw).toEqual(bad);
  });

  test("with invalidBytes: 'replace' such a record is kept, with U+FFFD and a warning", async () => {
    const bad = isoRecord({ fields: [['245', '10\x1faBad \xff bytes']] });
    const [item] = await read(bad, { invalidBytes: 'replace' });
    const kept = recordRead(item);
    expect(subfield(kept.record, '245', 'a')).toBe('Bad \uFFFD bytes');
    expect(kept.warnings[0]).toMatch(/^field 245 \$a: /);
  });

  test('a bad directory entry is reported', async () => {
    const record = isoRecord({
      fields: [
        ['001', 'x'],
        ['245', '10\x1faTitle'],
      ],
    });
    const nonNumeric = patch(record, 24 + 12 + 3, '00x9');
    // Two entries, one field: the second entry points past the data and nothing can stand in.
    const directory = '001000200000' + '245001000002';
    const base = 24 + directory.length + 1;
    const text = `${String(base + 3).padStart(5, '0')}nam a22${String(base).padStart(5, '0')}   4500${directory}\x1ex\x1e\x1d`;
    const [a] = failures(await read(nonNumeric));
    const [b] = failures(await read(bytes(text)));
    expect(a?.error.reason).toBe('directory entry 2 (tag 245) is not numeric: "24500x900002"');
    expect(b?.error.reason).toBe(
      'directory entry 2 (tag 245) points outside the record: data bytes 2-11, but the data area is 2 bytes, and the data area holds 1 fields for 2 directory entries',
    );
  });

  test('a non-numeric record length is reported', async () => {
    const record = patch(isoRecord({ fields: [['001', 'x']] }), 0, '0a0x1');
    expect(failures(await read(record))[0]?.error.reason).toBe('leader/00-04 (record length) is not a number: "0a0x1"');
  });

  test('a missing final record terminator is reported and the record kept (SWB1.marc21)', async () => {
    const [item] = records(await read(readData('marc/xbib-marc/SWB1.marc21')));
    expect(item?.warnings).toContain('record terminator (0x1D) missing at the end of the input');
    expect(subfield(item!.record, '245', 'a')).toBe('Nature');
  });

  test('a file cut off inside a record reports that record with its offset (zdblokutf8.mrc)', async () => {
    const items = await read(readData('marc/xbib-marc/zdblokutf8.mrc'));
    const [failure] = failures(items);
    expect(failure?.error.index).toBe(292);
    expect(failure?.error.byteOffset).toBe(127785);
    expect(failure?.error.reason).toMatch(
      /points outside the record.*; the input ends inside this record, without a record terminator$/,
    );
  });

  test('a long run without a record terminator is given up after maxRecordBytes and reading resumes', async () => {
    const good = isoRecord({ fields: [['001', 'after']] });
    const junk = new Uint8Array(5000).fill(0x41);
    const items = await read(inChunks(concat(junk, new Uint8Array([0x1d]), good), 700), { maxRecordBytes: 2000 });
    expect(items).toHaveLength(2);
    expect((items[0] as RecordFailure).error).toMatchObject({
      index: 0,
      byteOffset: 0,
      reason: expect.stringMatching(/no record terminator \(0x1D\) within 2000 bytes/),
    });
    expect(recordRead(items[1]).position).toEqual({ index: 1, byteOffset: 5001 });
  });

  test('a record terminator inside a record is passed over when the leader length says the record goes on', async () => {
    const record = isoRecord({
      fields: [
        ['001', 'a'],
        ['245', '10\x1faOne\x1dtwo'],
      ],
    });
    const next = isoRecord({ fields: [['001', 'b']] });
    const items = await read(inChunks(concat(record, next), 10));
    expect(recordsRead(items).map((i) => i.position.byteOffset)).toEqual([0, record.length]);
    const first = recordRead(items[0]);
    expect(subfield(first.record, '245', 'a')).toBe('One\x1dtwo');
    expect(first.warnings).toEqual([
      `a record terminator (0x1D) occurs inside the record at byte ${record.indexOf(0x1d)}; the leader's record length was followed past it`,
    ]);
  });

  test('line breaks and stray terminators between records are skipped', async () => {
    const one = isoRecord({ fields: [['001', '1']] });
    const two = isoRecord({ fields: [['001', '2']] });
    const items = await read(concat(one, bytes('\r\n'), two, bytes('\x1d\n')));
    expect(recordsRead(items).map((i) => i.position)).toEqual([
      { index: 0, byteOffset: 0 },
      { index: 1, byteOffset: one.length + 2 },
    ]);
  });

  test('a data field without any subfield delimiter is kept whole, as text, and reported (mytwocountries)', async () => {
    const [item] = records(await read(readData('marc/openlibrary/mytwocountries1954asto_meta.mrc')));
    expect(item?.record.fields.find((f) => f.tag === '903')).toEqual({ tag: '903', value: '  002857678' });
    expect(item?.warnings).toContain(
      'field 903 has no subfield delimiter; its data was kept whole, as for a control field',
    );
  });
});

describe('character sets', () => {
  test('leader/09 blank with valid UTF-8 bytes is read as UTF-8 and flagged (Evergreen FSL.marc)', async () => {
    const items = records(await read(readData('marc/evergreen/FSL.marc')));
    expect(items).toHaveLength(52);
    for (const item of items) {
      expect(item.encoding).toBe('utf-8');
      expect(item.warnings).toContain("leader/09 says MARC-8 but the record's bytes are valid UTF-8; read as UTF-8");
    }
    const text = JSON.stringify(items.map((i) => i.record));
    expect(text).toMatch(/[\u0531-\u058f]/); // Armenian
    expect(text).toMatch(/[\u0400-\u04ff]/); // Cyrillic
  });

  test('leader/09 blank means MARC-8: ANSEL diacritics become precomposed Unicode', async () => {
    const record = isoRecord({ leader: '00000nam  2200000   4500', fields: [['245', '10\x1faCaf\xe2e']] });
    const [item] = records(await read(record));
    expect(item?.encoding).toBe('marc-8');
    expect(subfield(item!.record, '245', 'a')).toBe('Café');
    expect(item?.record.leader[9]).toBe('a');
  });

  test("MARC-8 numeric character references become their characters (IRMARC8.bin record 3's 880s)", async () => {
    const file = readData('marc/xbib-marc/IRMARC8.bin');
    const item = records(await read(file))[3]!;
    expect(item.encoding).toBe('marc-8');
    expect(item.warnings).toEqual([]);
    const raw = file.subarray(item.position.byteOffset);
    expect(raw.indexOf(Buffer.from('\x1fa&#x200F;', 'latin1'))).toBeGreaterThan(0); // the file has the reference
    const title = item.record.fields.find(
      (f): f is DataField => f.tag === '880' && !isControlField(f) && f.subfields[0]?.value.startsWith('245') === true,
    )!;
    expect(title.subfields.find((s) => s.code === 'a')?.value).toBe('\u200Fلقاءات وشهادات أدبية /\u200F');
    const text = JSON.stringify(item.record);
    expect(text).not.toContain('&#x200F;');
    // Written while Arabic was in G0 (its digits and semicolon), one is Arabic text, not a reference.
    expect(text).toContain('&#٬٢٠٠ئ؛');
  });

  test('references are read in ASCII-only MARC-8 records too, and never in UTF-8 ones', async () => {
    const fields: Array<[string, string]> = [
      ['001', 'id&#x41;'],
      ['245', '10\x1faJazz&#x2013;a history&#x1F3B7;\x1fc&#xD800; &#x200F'],
    ];
    const [marc8] = records(await read(isoRecord({ leader: '00000nam  2200000   4500', fields })));
    expect(marc8?.encoding).toBe('marc-8');
    expect(controlValue(marc8!.record, '001')).toBe('idA');
    expect(subfield(marc8!.record, '245', 'a')).toBe('Jazz\u2013a history\u{1F3B7}');
    expect(subfield(marc8!.record, '245', 'c')).toBe('&#xD800; &#x200F');
    const [unicode] = records(await read(isoRecord({ leader: '00000nam a2200000   4500', fields, utf8: true })));
    expect(unicode?.encoding).toBe('utf-8');
    expect(subfield(unicode!.record, '245', 'a')).toBe('Jazz&#x2013;a history&#x1F3B7;');
    expect(controlValue(unicode!.record, '001')).toBe('id&#x41;');
  });

  test('UTF-8 text is returned in NFC', async () => {
    const record = isoRecord({ utf8: true, fields: [['245', '10\x1faCafe\u0301 \u1100\u1161']] });
    const [item] = records(await read(record));
    expect(subfield(item!.record, '245', 'a')).toBe('Café \uac00');
  });

  test('Windows-1251 records are read when the encoding is given (pymarc 1251.dat)', async () => {
    const items = await read(readData('marc/pymarc/1251.dat'), { encoding: 'windows-1251' });
    expect(failures(items)).toEqual([]);
    expect(records(items)).toHaveLength(6);
    expect(subfield(records(items)[0]!.record, '245', 'a')).toMatch(/^[\u0400-\u04ff]/);
  });

  test('UNIMARC is detected from field 100, and 100 $a/26-27 "50" means UTF-8 (testunimarc.dat)', async () => {
    const [item] = records(await read(readData('marc/pymarc/testunimarc.dat')));
    expect(item?.flavour).toBe('unimarc');
    expect(item?.encoding).toBe('utf-8');
    expect(item?.warnings).toEqual([]);
  });

  const unimarc = (codes: string, title: string) =>
    isoRecord({
      leader: '00000nam0 2200000   450 ',
      fields: [
        ['100', `  \x1fa20240101d2024    u  y0rusy${codes}    ba`],
        ['200', `1 \x1fa${title}`],
      ],
    });

  test('UNIMARC 100 $a/26-29 "89" (RUSMARC) means Windows-1251', async () => {
    const [item] = records(await read(unimarc('89  ', '\xcf\xf0\xe8\xe2\xe5\xf2')));
    expect(item?.encoding).toBe('windows-1251');
    expect(subfield(item!.record, '200', 'a')).toBe('Привет');
  });

  test('UNIMARC 100 $a/26-29 "0103" means ISO 5426', async () => {
    const [item] = records(await read(unimarc('0103', '\xc2ecole')));
    expect(item?.encoding).toBe('iso-5426');
    expect(subfield(item!.record, '200', 'a')).toBe('école');
  });

  test('UNIMARC records whose 100 names ISO 5426 but whose bytes are UTF-8 are read as UTF-8 and flagged (periouni.mrc)', async () => {
    const items = await read(readData('marc/xbib-marc/periouni.mrc'));
    expect(records(items)).toHaveLength(3064);
    expect(new Set(records(items).map((i) => i.flavour))).toEqual(new Set(['unimarc']));
    expect(
      records(items).some((i) => i.warnings.some((w) => /names iso-5426, but the bytes are valid UTF-8/.test(w))),
    ).toBe(true);
  });

  test('the flavour can be forced', async () => {
    const [item] = records(await read(readData('marc/pymarc/one.dat'), { flavour: 'unimarc' }));
    expect(item?.flavour).toBe('unimarc');
  });
});

describe('streaming', () => {
  test('any chunking gives the same records and positions as the whole buffer', async () => {
    const whole = concat(
      readData('marc/pymarc/bad_records.mrc'),
      readData('marc/evergreen/jazz_1k.mrc').subarray(0, 20000),
      readData('marc/xbib-marc/SWB2.marc21'),
    );
    const expected = await read(whole);
    for (const size of [1, 7, 64, 1000, 4096]) {
      expect(await read(inChunks(whole, size))).toEqual(expected);
    }
  });

  test('records come out while the input is still being read, each after at most one more chunk', async () => {
    const file = readData('marc/evergreen/jazz_1k.mrc');
    const ends: number[] = [];
    for (let at = file.indexOf(0x1d); at >= 0; at = file.indexOf(0x1d, at + 1)) ends.push(at + 1);
    let delivered = 0;
    async function* source() {
      for (let at = 0; at < file.length; at += 1024) {
        const chunk = file.subarray(at, Math.min(file.length, at + 1024));
        delivered += chunk.length;
        yield chunk;
      }
    }
    let count = 0;
    for await (const item of readIso2709(source())) {
      expect(isRecordFailure(item)).toBe(false);
      // The reader has not needed more than the record itself plus the chunk it ended in.
      expect(delivered).toBeLessThanOrEqual((ends[count] as number) + 1024);
      count++;
    }
    expect(count).toBe(1000);
    expect(ends[0]).toBeLessThan(file.length / 100);
  });

  test('positions count bytes across the whole stream', async () => {
    const parts = [
      isoRecord({ fields: [['001', 'a']] }),
      writeIso2709({ leader: '00000nam a2200000   4500', fields: [{ tag: '001', value: 'Ünïcödé' }] }),
    ];
    const items = records(await read(inChunks(concat(...parts, ...parts), 5)));
    expect(items.map((i) => i.position.byteOffset)).toEqual([
      0,
      parts[0]!.length,
      parts[0]!.length + parts[1]!.length,
      2 * parts[0]!.length + parts[1]!.length,
    ]);
  });

  test('keepRaw attaches each record its own bytes', async () => {
    const one = isoRecord({ fields: [['001', '1']] });
    const two = isoRecord({ fields: [['001', '22']] });
    const items = records(await read(concat(one, two), { keepRaw: true }));
    expect(items.map((i) => i.raw)).toEqual([one, two]);
  });

  test('a Node file stream can be read directly', async () => {
    const { createReadStream } = await import('node:fs');
    const { dataPath } = await import('./test/shared-data.js');
    const items = await read(createReadStream(dataPath('marc/evergreen/lul_fre_100.mrc'), { highWaterMark: 4096 }));
    expect(records(items)).toHaveLength(100);
  });

  test('empty input yields nothing', async () => {
    expect(await read(new Uint8Array(0))).toEqual([]);
    expect(await read(utf8('\n\n'))).toEqual([]);
  });
});

describe('iso2709Start', () => {
  test('finds the first record past the filler the reader skips, and not past a record', () => {
    expect(iso2709Start(new Uint8Array([0x0d, 0x0a, 0x00, 0x1a, 0x1d, 0x20, 0x09, 0x30, 0x30]))).toBe(7);
    expect(iso2709Start(utf8('00042nam'))).toBe(0);
    expect(iso2709Start(new Uint8Array([0x0a, 0x0a]))).toBe(2);
    expect(iso2709Start(new Uint8Array([0x0a, 0x44, 0x65, 0x61, 0x72]))).toBe(1);
  });
});
