import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { readMarcxml } from './marcxml-reader.js';
import { readIso2709 } from './iso2709-reader.js';
import { marcxmlCollection, marcxmlNamespaceOf, marcxmlRecord, UNIMARC_SLIM_NAMESPACE } from './marcxml-writer.js';
import { isRecordFailure } from './read-result.js';
import type { MarcRecord } from './record.js';
import { marcRecord } from './test/arbitraries.js';
import { collect, readData } from './test/shared-data.js';

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
    expect(item.warnings).toEqual([]);
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

describe('UNIMARC slim', () => {
  /** Records read from MARCXML, with the flavour the reader gave each (none forced). */
  async function readFlavoured(xml: string) {
    return (await collect(readMarcxml(xml))).map((item) => {
      if (isRecordFailure(item)) throw new Error(item.error.reason);
      return { record: item.record, flavour: item.flavour };
    });
  }

  test('UNIMARC records written in the UNIMARC slim namespace read back the same, as UNIMARC (testunimarc.dat)', async () => {
    const read = (await collect(readIso2709(readData('marc/pymarc/testunimarc.dat')))).map((item) => {
      if (isRecordFailure(item)) throw new Error(item.error.reason);
      return item;
    });
    expect(read[0]?.flavour).toBe('unimarc');
    const records = read.map((item) => item.record);
    const namespace = marcxmlNamespaceOf('unimarc');
    expect(namespace).toBe(UNIMARC_SLIM_NAMESPACE);
    const xml = (await collect(marcxmlCollection(records, { namespace }))).join('');
    expect(xml).toContain(`<collection xmlns="${UNIMARC_SLIM_NAMESPACE}">`);
    expect(await readFlavoured(xml)).toEqual(records.map((record) => ({ record, flavour: 'unimarc' })));
    const alone = marcxmlRecord(records[0]!, { xmlns: true, namespace });
    expect(alone).toMatch(/^<record xmlns="http:\/\/www\.bncf\.firenze\.sbn\.it\/unimarc\/slim">\n/);
    expect(await readFlavoured(alone)).toEqual([{ record: records[0], flavour: 'unimarc' }]);
  });

  test('a UNIMARC record in a MARC 21 slim collection declares its own namespace and keeps its flavour', async () => {
    const marc21 = { ...sample, fields: [{ tag: '001', value: 'm21' }] };
    const xml = [
      ...(await collect(marcxmlCollection([marc21]))).slice(0, -1),
      marcxmlRecord(sample, { xmlns: true, namespace: marcxmlNamespaceOf('unimarc') }),
      '</collection>\n',
    ].join('');
    expect((await readFlavoured(xml)).map((r) => r.flavour)).toEqual(['marc21', 'unimarc']);
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

  test('a record written in the UNIMARC slim namespace reads back the same', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(marcRecord, { maxLength: 3 }), async (records) => {
        const xml = (await collect(marcxmlCollection(records, { namespace: UNIMARC_SLIM_NAMESPACE }))).join('');
        expect(await readBack(xml)).toEqual(records);
      }),
      { numRuns: 100 },
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
