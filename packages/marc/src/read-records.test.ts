import { describe, expect, test } from 'vitest';

import { detectFormat } from './detect-format.js';
import { isRecordFailure } from './read-result.js';
import { readRecords } from './read-records.js';
import { recordRead } from './test/read-items.js';
import { collect, inChunks, readData } from './test/shared-data.js';
import { utf8 } from './test/iso-bytes.js';

const fields = async (source: Parameters<typeof readRecords>[0], options?: Parameters<typeof readRecords>[1]) =>
  (await collect(readRecords(source, options))).map((item) => recordRead(item).record);

describe('detectFormat', () => {
  test.each([
    ['marc/pymarc/one.dat', 'iso2709'],
    ['marc/xbib-marc/periouni.mrc', 'iso2709'],
    ['marcxml/pymarc/batch.xml', 'marcxml'],
    ['marcxml/openlibrary/39002054008678_yale_edu_marc.xml', 'marcxml'], // starts with a BOM
    ['marcxml/openlibrary/00schlgoog_marc.xml', 'marcxml'], // no XML declaration
    ['other/pymarc/one.json', 'json'],
    ['other/pymarc/batch.json', 'json'],
  ])('%s is %s', (file, format) => {
    expect(detectFormat(readData(file).subarray(0, 512))).toBe(format);
  });

  test('leading whitespace and short input', () => {
    expect(detectFormat(utf8('\n\n  <collection/>'))).toBe('marcxml');
    expect(detectFormat(utf8(' \r\n[{"leader"'))).toBe('json');
    expect(detectFormat(new Uint8Array([0xff, 0xfe, 0x3c, 0x00]))).toBe('marcxml');
    expect(detectFormat(new Uint8Array(0))).toBe('iso2709');
  });
});

describe('readRecords', () => {
  test('auto-detects each format, also when the stream arrives in small chunks', async () => {
    const iso = await fields(readData('marc/pymarc/one.dat'));
    const xml = await fields(inChunks(readData('marcxml/pymarc/batch.xml'), 13));
    const json = await fields(inChunks(readData('other/pymarc/batch.json'), 3));
    expect(iso).toHaveLength(1);
    expect(xml).toEqual(json);
    expect(xml).toHaveLength(2);
  });

  test('the same record read from ISO 2709, MARCXML and MARC-in-JSON is the same', async () => {
    const iso = await fields(readData('marc/pymarc/one.dat'));
    const json = await fields(readData('other/pymarc/one.json'));
    expect(json.map((r) => r.fields)).toEqual(iso.map((r) => r.fields));
  });

  test("'marc21' and 'unimarc' mean ISO 2709 of that flavour; the encoding can be forced", async () => {
    const items = await collect(
      readRecords(readData('marc/pymarc/1251.dat'), { format: 'unimarc', encoding: 'windows-1251' }),
    );
    expect(items).toHaveLength(6);
    expect(items.every((i) => !isRecordFailure(i) && i.flavour === 'unimarc' && i.encoding === 'windows-1251')).toBe(
      true,
    );
  });

  test('an explicit format is not second-guessed', async () => {
    const items = await collect(readRecords(readData('other/pymarc/one.json'), { format: 'iso2709' }));
    expect(items.every(isRecordFailure)).toBe(true);
  });

  test('keepRaw is passed on to the ISO 2709 reader', async () => {
    const bytes = readData('marc/pymarc/one.dat');
    const [item] = await collect(readRecords(inChunks(bytes, 100), { keepRaw: true }));
    expect(recordRead(item).raw).toEqual(new Uint8Array(bytes));
  });

  test('an empty source yields nothing', async () => {
    expect(await collect(readRecords(inChunks(new Uint8Array(0), 1)))).toEqual([]);
  });
});
