import fc from 'fast-check';
import { describe, expect, test } from 'vitest';

import { readIso2709 } from './iso2709-reader.js';
import { writeIso2709 } from './iso2709-writer.js';
import { type BytePosition, isRecordFailure, type RecordRead } from './read-result.js';
import type { MarcRecord } from './record.js';
import { marcRecord, marcText } from './test/arbitraries.js';
import { concat } from './test/iso-bytes.js';
import { recordRead, recordsRead } from './test/read-items.js';
import { collect, inChunks, readData } from './test/shared-data.js';

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

// Round trips are read as MARC 21: a generated record with a 200 field and no 245 would be taken
// for UNIMARC, whose reading rewrites 100 $a/26-33 (flavour detection is tested with the reader).
async function readOne(bytes: Uint8Array): Promise<RecordRead> {
  const items = await collect(readIso2709(bytes, { flavour: 'marc21' }));
  expect(items).toHaveLength(1);
  const [item] = items;
  if (!item || isRecordFailure(item)) throw new Error(`not read: ${JSON.stringify(item)}`);
  return item;
}

const sample: MarcRecord = {
  leader: '00000cam a2200000 i 4500',
  fields: [
    { tag: '001', value: 'ocm0001' },
    { tag: '008', value: '240101s2024    ru            000 0 rus d' },
    {
      tag: '245',
      ind1: '1',
      ind2: '0',
      subfields: [
        { code: 'a', value: 'Война и мир /' },
        { code: 'c', value: 'Лев Толстой.' },
      ],
    },
    {
      tag: '880',
      ind1: '1',
      ind2: '0',
      subfields: [
        { code: '6', value: '245-01/$1' },
        { code: 'a', value: '紅樓夢 ' },
      ],
    },
    { tag: '500', ind1: ' ', ind2: ' ', subfields: [] },
  ],
};

describe('writeIso2709', () => {
  test('computes the record length, base address and directory, with leader/09 "a"', () => {
    const bytes = writeIso2709(sample);
    const text = latin1(bytes);
    expect(Number(text.slice(0, 5))).toBe(bytes.length);
    const base = Number(text.slice(12, 17));
    expect(base).toBe(24 + 5 * 12 + 1);
    expect(text.slice(5, 12)).toBe('cam a22');
    expect(text.slice(17, 24)).toBe(' i 4500');
    expect(bytes[base - 1]).toBe(0x1e);
    expect(bytes[bytes.length - 1]).toBe(0x1d);
    expect(text.slice(24, 36)).toBe('001000800000');
    const title = new TextEncoder().encode('10\x1faВойна и мир /\x1fcЛев Толстой.\x1e');
    expect(text.slice(48, 60)).toBe(`245${String(title.length).padStart(4, '0')}${String(8 + 41).padStart(5, '0')}`);
  });

  test('reads back to the same record', async () => {
    const read = await readOne(writeIso2709(sample));
    expect(read.record.fields).toEqual(sample.fields);
    expect(read.warnings).toEqual([]);
    expect(read.encoding).toBe('utf-8');
  });

  test('fixes leader/09-11 and 20-23 whatever the record says', () => {
    const text = latin1(writeIso2709({ ...sample, leader: '99999cam  3399999 i 9999' }));
    expect(text.slice(9, 12)).toBe('a22');
    expect(text.slice(20, 24)).toBe('4500');
  });

  test('refuses what ISO 2709 cannot hold', () => {
    const field = (value: string): MarcRecord => ({
      leader: sample.leader,
      fields: [{ tag: '245', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value }] }],
    });
    expect(() => writeIso2709(field('a\x1eb'))).toThrow(/delimiter/);
    expect(() => writeIso2709(field('x'.repeat(10_000)))).toThrow(
      /field 245 is 10005 bytes; ISO 2709 allows at most 9999/,
    );
    const many: MarcRecord = {
      leader: sample.leader,
      fields: Array.from({ length: 20 }, () => field('x'.repeat(5000)).fields[0]!),
    };
    expect(() => writeIso2709(many)).toThrow(/record is \d+ bytes; ISO 2709 allows at most 99999/);
    expect(() => writeIso2709({ ...sample, leader: 'short' })).toThrow(/leader must be 24 printable ASCII characters/);
    expect(() => writeIso2709({ leader: sample.leader, fields: [{ tag: '24', value: 'x' }] })).toThrow(
      /tag "24" must be 3/,
    );
    expect(() =>
      writeIso2709({ leader: sample.leader, fields: [{ tag: '245', ind1: '', ind2: ' ', subfields: [] }] }),
    ).toThrow(/indicator 1/);
    expect(() =>
      writeIso2709({
        leader: sample.leader,
        fields: [{ tag: '245', ind1: ' ', ind2: ' ', subfields: [{ code: 'ab', value: '' }] }],
      }),
    ).toThrow(/subfield code "ab"/);
  });

  test('refuses a subfield code that is not one ASCII byte, naming the field and the code', () => {
    const withCode = (code: string): MarcRecord => ({
      leader: sample.leader,
      fields: [{ tag: '245', ind1: '1', ind2: '0', subfields: [{ code, value: 'Война и мир' }] }],
    });
    // A Cyrillic "а" (U+0430), as a MARCXML record can carry it: two bytes in UTF-8.
    expect(() => writeIso2709(withCode('\u0430'))).toThrow(RangeError);
    expect(() => writeIso2709(withCode('\u0430'))).toThrow(/field 245: subfield code "а" must be one ASCII character/);
    expect(() => writeIso2709(withCode('é'))).toThrow(/field 245: subfield code "é"/);
    expect(() => writeIso2709(withCode('😀'))).toThrow(/field 245: subfield code "😀"/);
    expect(() => writeIso2709(withCode(''))).toThrow(/field 245: subfield code ""/);
    expect(() => writeIso2709(withCode('\x1e'))).toThrow(/delimiter/);
    expect(writeIso2709(withCode('a')).length).toBeGreaterThan(0);
  });

  test('refuses tags and indicators that are not ASCII of the right length', () => {
    const data = (tag: string, ind1 = ' ', ind2 = ' '): MarcRecord => ({
      leader: sample.leader,
      fields: [{ tag, ind1, ind2, subfields: [{ code: 'a', value: 'x' }] }],
    });
    expect(() => writeIso2709(data('24\u0430'))).toThrow(/tag "24а" must be 3 printable ASCII characters/);
    expect(() => writeIso2709(data('2450'))).toThrow(/tag "2450" must be 3/);
    expect(() => writeIso2709({ leader: sample.leader, fields: [{ tag: '00\u0430', value: 'x' }] })).toThrow(
      RangeError,
    );
    expect(() => writeIso2709(data('245', '\u0430'))).toThrow(/field 245 indicator 1 must be 1 printable ASCII/);
    expect(() => writeIso2709(data('245', ' ', 'é'))).toThrow(/field 245 indicator 2 must be 1 printable ASCII/);
    expect(() => writeIso2709(data('245', '10'))).toThrow(/indicator 1/);
  });

  test('rewrites real records losslessly: read → write → read gives the same records', async () => {
    for (const file of [
      'marc/evergreen/jazz_1k.mrc',
      'marc/openlibrary/880_arabic_french_many_linkages.mrc',
      'marc/xbib-marc/periouni.mrc',
    ]) {
      const first = (await collect(readIso2709(readData(file)))).filter(
        (i): i is RecordRead<BytePosition> => !isRecordFailure(i),
      );
      const again = recordsRead(await collect(readIso2709(concat(...first.map((r) => writeIso2709(r.record))))));
      expect(again.map((r) => r.record.fields)).toEqual(first.map((r) => r.record.fields));
      expect(again.every((r) => r.warnings.length === 0)).toBe(true);
    }
  });
});

describe('properties', () => {
  test('writeIso2709 then readIso2709 is the identity (leader lengths aside)', async () => {
    await fc.assert(
      fc.asyncProperty(marcRecord, async (record) => {
        const bytes = writeIso2709(record);
        const read = await readOne(bytes);
        expect(read.warnings).toEqual([]);
        expect(read.record.fields).toEqual(record.fields);
        // Only the record length and base address differ from the leader given.
        const expected =
          latin1(bytes.subarray(0, 5)) +
          record.leader.slice(5, 12) +
          latin1(bytes.subarray(12, 17)) +
          record.leader.slice(17);
        expect(read.record.leader).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  test('UNIMARC records (100 $a naming Unicode) round-trip and are recognised as UNIMARC', async () => {
    const processing = fc
      .tuple(fc.integer({ min: 19000101, max: 20991231 }), fc.stringMatching(/^[a-z ]{17}$/))
      .map(([date, middle]) => `${date}d${middle}50      ba`);
    const unimarc = fc.tuple(marcRecord, processing, marcText()).map(([record, a, title]): MarcRecord => ({
      leader: record.leader,
      fields: [
        { tag: '100', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: a }] },
        { tag: '200', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: title }] },
        ...record.fields.filter((f) => !['008', '100', '200', '245'].includes(f.tag)),
      ],
    }));
    await fc.assert(
      fc.asyncProperty(unimarc, async (record) => {
        const read = recordRead((await collect(readIso2709(writeIso2709(record))))[0]);
        expect(read?.flavour).toBe('unimarc');
        expect(read?.encoding).toBe('utf-8');
        expect(read?.warnings).toEqual([]);
        expect(read?.record.fields).toEqual(record.fields);
      }),
      { numRuns: 200 },
    );
  });

  test('many records in one stream, cut into arbitrary chunks, come back in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(marcRecord, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 300 }),
        async (records, chunk) => {
          const items = await collect(
            readIso2709(inChunks(concat(...records.map(writeIso2709)), chunk), { flavour: 'marc21' }),
          );
          expect(items.map((i) => (isRecordFailure(i) ? i.error : i.record.fields))).toEqual(
            records.map((r) => r.fields),
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  test('the reader never throws on arbitrary bytes: it yields records or failures', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 1, max: 500 }), async (bytes, chunk) => {
        const items = await collect(readIso2709(inChunks(bytes, chunk)));
        for (const item of items)
          expect(isRecordFailure(item) ? item.error.reason.length : item.record.leader.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  test('the reader never throws on damaged real records (random bytes overwritten, inserted or removed)', async () => {
    const original = readData('marc/evergreen/jazz_1k.mrc').subarray(0, 5000);
    const edit = fc.record({
      at: fc.nat({ max: original.length - 1 }),
      kind: fc.constantFrom('set', 'insert', 'delete'),
      byte: fc.integer({ min: 0, max: 255 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 8 }), async (edits) => {
        let bytes: Uint8Array = original.slice();
        for (const { at, kind, byte } of edits) {
          const i = Math.min(at, bytes.length - 1);
          if (kind === 'set') bytes[i] = byte;
          else if (kind === 'insert') bytes = concat(bytes.subarray(0, i), new Uint8Array([byte]), bytes.subarray(i));
          else bytes = concat(bytes.subarray(0, i), bytes.subarray(i + 1));
        }
        const items = await collect(readIso2709(bytes));
        expect(items.length).toBeGreaterThan(0);
        items.forEach((item, i) => expect(isRecordFailure(item) ? item.error.index : item.position.index).toBe(i));
      }),
      { numRuns: 300 },
    );
  });
});
