import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { readMarcxml } from './marcxml-reader.js';
import { marcxmlCollection, marcxmlRecord } from './marcxml-writer.js';
import { isRecordFailure, type RecordRead } from './read-result.js';
import type { MarcRecord } from './record.js';
import { marcRecord } from './test/arbitraries.js';
import { collect } from './test/shared-data.js';

const sample: MarcRecord = {
  leader: '00000nam a2200000   4500',
  fields: [
    { tag: '001', value: 'a&b<c>d"e\'f' },
    {
      tag: '245',
      ind1: '1',
      ind2: '0',
      subfields: [
        { code: 'a', value: 'Tom & "Jerry" <3' },
        { code: 'b', value: '' },
      ],
    },
  ],
};

// Read as MARC 21, as generated records are (see iso2709-writer.test.ts).
async function readBack(xml: string): Promise<MarcRecord[]> {
  const items = await collect(readMarcxml(xml, { flavour: 'marc21' }));
  return items.map((item) => {
    if (isRecordFailure(item)) throw new Error(item.error.reason);
    expect((item as RecordRead).warnings).toEqual([]);
    return item.record;
  });
}

describe('marcxmlRecord', () => {
  test('lays a record out as yaz-marcdump does, escaping the five XML specials', () => {
    expect(marcxmlRecord(sample)).toBe(
      '<record>\n' +
        '  <leader>00000nam a2200000   4500</leader>\n' +
        '  <controlfield tag="001">a&amp;b&lt;c&gt;d&quot;e&apos;f</controlfield>\n' +
        '  <datafield tag="245" ind1="1" ind2="0">\n' +
        '    <subfield code="a">Tom &amp; &quot;Jerry&quot; &lt;3</subfield>\n' +
        '    <subfield code="b"></subfield>\n' +
        '  </datafield>\n' +
        '</record>\n',
    );
  });

  test('can declare the namespace on a record that stands alone', () => {
    expect(marcxmlRecord(sample, { xmlns: true })).toMatch(/^<record xmlns="http:\/\/www\.loc\.gov\/MARC21\/slim">\n/);
  });

  test('leaves out characters XML cannot carry and keeps CR, tab and newline through a parser', async () => {
    const record: MarcRecord = {
      leader: sample.leader,
      fields: [{ tag: '500', ind1: ' ', ind2: '\t', subfields: [{ code: 'a', value: 'a\u0001b\r\nc\td\ufffe' }] }],
    };
    const xml = marcxmlRecord(record, { xmlns: true });
    expect(xml).toContain('<subfield code="a">ab&#13;\nc\td</subfield>');
    const [back] = await readBack(xml);
    expect(back?.fields[0]).toEqual({
      tag: '500',
      ind1: ' ',
      ind2: '\t',
      subfields: [{ code: 'a', value: 'ab\r\nc\td' }],
    });
  });
});

describe('marcxmlCollection', () => {
  test('streams a declaration, the collection element, one string per record and the footer', async () => {
    async function* two() {
      yield sample;
      yield sample;
    }
    const parts = await collect(marcxmlCollection(two()));
    expect(parts).toEqual([
      '<?xml version="1.0" encoding="UTF-8"?>\n',
      '<collection xmlns="http://www.loc.gov/MARC21/slim">\n',
      marcxmlRecord(sample),
      marcxmlRecord(sample),
      '</collection>\n',
    ]);
    expect((await collect(marcxmlCollection([], { declaration: false })))[0]).toBe(
      '<collection xmlns="http://www.loc.gov/MARC21/slim">\n',
    );
  });
});

describe('properties', () => {
  test('marcxmlCollection then readMarcxml is the identity', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(marcRecord, { maxLength: 5 }), async (records) => {
        const xml = (await collect(marcxmlCollection(records))).join('');
        expect(await readBack(xml)).toEqual(records);
      }),
      { numRuns: 300 },
    );
  });

  test('a record written alone reads back the same', async () => {
    await fc.assert(
      fc.asyncProperty(marcRecord, async (record) => {
        expect(await readBack(marcxmlRecord(record, { xmlns: true }))).toEqual([record]);
      }),
      { numRuns: 200 },
    );
  });

  test('the reader never throws on arbitrary text or on damaged MARCXML', async () => {
    const xml = marcxmlRecord(sample, { xmlns: true }).repeat(3);
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 300 }),
        fc.nat({ max: xml.length }),
        fc.nat({ max: 40 }),
        async (junk, at, cut) => {
          await collect(readMarcxml(junk));
          const damaged = xml.slice(0, at) + junk + xml.slice(at + cut);
          const items = await collect(
            readMarcxml(`<collection xmlns="http://www.loc.gov/MARC21/slim">${damaged}</collection>`),
          );
          items.forEach((item, i) => expect(isRecordFailure(item) ? item.error.index : item.position.index).toBe(i));
        },
      ),
      { numRuns: 300 },
    );
  });
});
