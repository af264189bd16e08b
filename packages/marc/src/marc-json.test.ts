import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { marcJsonCollection, marcJsonRecord, readMarcJson, toMarcJson } from './marc-json.js';
import { readMarcxml } from './marcxml-reader.js';
import { isRecordFailure, type LinePosition, type ReadItem, type RecordRead } from './read-result.js';
import type { MarcRecord } from './record.js';
import { marcRecord } from './test/arbitraries.js';
import { recordRead } from './test/read-items.js';
import { collect, inChunks, readData } from './test/shared-data.js';

type Item = ReadItem<LinePosition>;
const read = (input: string | Uint8Array | AsyncIterable<Uint8Array>) => collect(readMarcJson(input));
const records = (items: Item[]) =>
  items.filter((i): i is RecordRead<LinePosition> => !isRecordFailure(i)).map((i) => i.record);
const summary = (items: Item[]) => items.map((i) => (isRecordFailure(i) ? i.error : i.position));

const sample: MarcRecord = {
  leader: '00000nam a2200000   4500',
  fields: [
    { tag: '001', value: 'x1' },
    {
      tag: '245',
      ind1: '1',
      ind2: '0',
      subfields: [{ code: 'a', value: 'Title "quoted" {braces} [brackets], commas' }],
    },
  ],
};

describe('MARC-in-JSON writer', () => {
  test('writes the pymarc shape', () => {
    expect(toMarcJson(sample)).toEqual({
      leader: '00000nam a2200000   4500',
      fields: [
        { '001': 'x1' },
        { '245': { ind1: '1', ind2: '0', subfields: [{ a: 'Title "quoted" {braces} [brackets], commas' }] } },
      ],
    });
    expect(marcJsonRecord(sample)).not.toContain('\n');
  });

  test('streams an array or newline-delimited records', async () => {
    expect((await collect(marcJsonCollection([sample, sample]))).join('')).toBe(
      `[\n${marcJsonRecord(sample)},\n${marcJsonRecord(sample)}\n]\n`,
    );
    expect((await collect(marcJsonCollection([sample, sample], { lines: true }))).join('')).toBe(
      `${marcJsonRecord(sample)}\n${marcJsonRecord(sample)}\n`,
    );
    expect(JSON.parse((await collect(marcJsonCollection([]))).join(''))).toEqual([]);
  });
});

describe('MARC-in-JSON reader', () => {
  test("reads pymarc's files: one record, and arrays of records, the same as their MARCXML", async () => {
    const one = await read(readData('other/pymarc/one.json'));
    expect(summary(one)).toEqual([{ index: 0, line: 1 }]);
    const batch = records(await read(readData('other/pymarc/batch.json')));
    const batchXml = (await collect(readMarcxml(readData('marcxml/pymarc/batch.xml')))).map(
      (i) => recordRead(i).record,
    );
    expect(batch).toEqual(batchXml);
    const [tested] = await read(readData('other/pymarc/test.json'));
    expect(recordRead(tested).warnings).toEqual(['raw control characters inside JSON strings were read as if escaped']);
  });

  test('reads newline-delimited records and records one after another, with their lines', async () => {
    const text = `${marcJsonRecord(sample)}\n\n${marcJsonRecord(sample)}\n${JSON.stringify(toMarcJson(sample), null, 2)}${marcJsonRecord(sample)}\n`;
    const items = await read(text);
    expect(summary(items)).toEqual([
      { index: 0, line: 1 },
      { index: 1, line: 3 },
      { index: 2, line: 4 },
      { index: 3, line: 22 },
    ]);
    expect(records(items)).toEqual([sample, sample, sample, sample]);
  });

  test('any chunking gives the same result', async () => {
    const bytes = readData('other/pymarc/batch.json');
    const expected = await read(bytes);
    for (const size of [1, 3, 50, 4096]) expect(await read(inChunks(bytes, size))).toEqual(expected);
  });

  test('bad JSON and things that are not records are reported with their line; reading goes on', async () => {
    const text = [
      marcJsonRecord(sample),
      '{"leader": "00000nam a2200000   4500", "fields": [ {"001": "x" ]}',
      '{"leader": "00000nam a2200000   4500"}',
      '{"leader": 5, "fields": []}',
      '{"leader": "00000nam a2200000   4500", "fields": [{"245": {"ind1": " ", "ind2": " ", "subfields": [{"a": 1}]}}]}',
      '{"leader": "00000nam a2200000   4500", "fields": [{"245": 3}]}',
      '{"leader": "00000nam a2200000   4500", "fields": [{"001": "a", "002": "b"}]}',
      '42',
      '[[1]]',
      marcJsonRecord(sample),
    ].join('\n');
    const items = await read(text);
    expect(
      items.map((i) =>
        isRecordFailure(i)
          ? `${i.error.line}: ${i.error.reason.replace(/ in JSON at.*| \(line.*/, '')}`
          : `${i.position.line}: ok`,
      ),
    ).toEqual([
      '1: ok',
      "2: not valid JSON: Expected ',' or '}' after property value",
      '3: record has no "fields" array',
      '4: "leader" is not a string',
      '5: field 245 subfield 1 ($a) is not a string',
      '6: field 1 (245) is neither a string nor an object with a "subfields" array',
      '7: field 1 has 2 keys; MARC-in-JSON gives it exactly one',
      '8: a number is not a MARC-in-JSON record',
      '9: a nested array is not a MARC-in-JSON record',
      '10: ok',
    ]);
  });

  test('a cut-off array reports the unfinished record, with its column and byte offset', async () => {
    const items = await read(`[${marcJsonRecord(sample)},\n{"leader": "00000`);
    expect(summary(items)).toEqual([
      { index: 0, line: 1 },
      {
        index: 1,
        line: 2,
        column: 1,
        byteOffset: marcJsonRecord(sample).length + 3,
        reason: expect.stringMatching(/^not valid JSON: /),
      },
    ]);
  });

  test("other projects' JSON (xbib's) is refused record by record, not thrown", async () => {
    const items = await read(readData('other/xbib-marc/json_multi.json'));
    expect(items.length).toBeGreaterThan(0);
    expect(items.every(isRecordFailure)).toBe(true);
  });

  test('repairs are reported: missing indicators, short tags, long codes; text comes back NFC with leader/09 "a"', async () => {
    const text = JSON.stringify({
      leader: '00000nam  2200000   4500',
      fields: [{ '42': 'x' }, { '245': { subfields: [{ ab: 'Cafe\u0301' }] } }],
    });
    const item = recordRead((await read(text))[0]);
    expect(item.record).toEqual({
      leader: '00000nam a2200000   4500',
      fields: [
        { tag: '042', value: 'x' },
        { tag: '245', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'Café' }] },
      ],
    });
    expect(item?.warnings).toHaveLength(4);
  });
});

describe('properties', () => {
  test('marcJsonCollection then readMarcJson is the identity, as an array and as lines', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(marcRecord, { maxLength: 5 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 200 }),
        async (input, lines, chunk) => {
          const text = (await collect(marcJsonCollection(input, { lines }))).join('');
          const items = await collect(
            readMarcJson(inChunks(new TextEncoder().encode(text), chunk), { flavour: 'marc21' }),
          );
          expect(items.every((i) => !isRecordFailure(i) && i.warnings.length === 0)).toBe(true);
          expect(records(items)).toEqual(input);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('the reader never throws on arbitrary text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 200 }), fc.json()), async (text) => {
        const items = await read(text);
        items.forEach((item, i) => expect(isRecordFailure(item) ? item.error.index : item.position.index).toBe(i));
      }),
      { numRuns: 500 },
    );
  });
});
