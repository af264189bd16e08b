import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { readMarcxml } from './marcxml-reader.js';
import {
  type LinePosition,
  isRecordFailure,
  type ReadItem,
  type RecordFailure,
  type RecordRead,
} from './read-result.js';
import { isControlField } from './record.js';
import { recordsRead } from './test/read-items.js';
import { collect, filesUnder, inChunks, readData, sourcesRecordCounts } from './test/shared-data.js';

type Item = ReadItem<LinePosition>;
const read = (input: string | Uint8Array | AsyncIterable<Uint8Array>) => collect(readMarcxml(input));
const records = (items: Item[]) => items.filter((i): i is RecordRead<LinePosition> => !isRecordFailure(i));
const failures = (items: Item[]) => items.filter((i): i is RecordFailure<LinePosition> => isRecordFailure(i));
const controlValue = (item: RecordRead, tag: string) => {
  const f = item.record.fields.find((x) => x.tag === tag);
  return f && isControlField(f) ? f.value : undefined;
};

const SLIM = 'http://www.loc.gov/MARC21/slim';
const record = (id: string, extra = '') =>
  `<record><leader>00000nam a2200000   4500</leader><controlfield tag="001">${id}</controlfield>${extra}</record>\n`;
const collection = (body: string) => `<collection xmlns="${SLIM}">\n${body}</collection>\n`;

// SOURCES.md counts <record> elements, wrappers included; where that is not the number of MARC
// records, the right number is given here with the reason.
const MARC_RECORDS: Record<string, number> = {
  'marcxml/evergreen/README.datasets.txt': 0, // not XML
  'marcxml/xbib-marc/HT006944711.xml': 0, // an OAI-PMH record holding MAB, not MARC (and not well-formed)
  'marcxml/xbib-marc/HT016424175.xml': 0, // likewise, well-formed
  'marcxml/xbib-marc/lvi.xml': 5, // SRU: 5 zs:record wrappers around 5 MARC records
};
const FAILURES: Record<string, number> = {
  'marcxml/evergreen/README.datasets.txt': 1,
  'marcxml/evergreen/serials_marc21.xml': 1, // seven <record> roots without a <collection>
  'marcxml/xbib-marc/HT006944711.xml': 1, // "<San José, Costa Rica>" inside text
};

describe('the files in ../shared/data/marcxml', () => {
  const counts = sourcesRecordCounts();
  test.each(filesUnder('marcxml'))('%s is read without throwing, with the expected records', async (file) => {
    const items = await read(readData(file));
    expect(records(items)).toHaveLength(MARC_RECORDS[file] ?? (counts.get(file) as number));
    expect(failures(items)).toHaveLength(FAILURES[file] ?? 0);
    for (const item of records(items)) {
      expect(item.record.leader).toHaveLength(24);
      expect(item.record.leader[9]).toBe('a');
    }
  });

  test('the same, fed one byte at a time', async () => {
    for (const file of [
      'marcxml/xbib-marc/cyrillic_capital_e.mrc.xml',
      'marcxml/evergreen/concerto_bibs_graphic_880.xml',
    ]) {
      expect(await read(inChunks(readData(file), 1))).toEqual(await read(readData(file)));
    }
  });
});

describe('namespaces and embedding', () => {
  test('MARCXchange, RUSMARC and namespace-less records are found; flavours come from the namespace or format', async () => {
    const [xchange] = records(await read(readData('marcxml/xbib-marc/0.xml')));
    expect(xchange?.flavour).toBe('marc21');
    const [rusmarc] = records(await read(readData('marcxml/xbib-marc/rusmarc.xml')));
    expect(rusmarc?.flavour).toBe('unimarc');
    expect(rusmarc?.warnings).toEqual(['record has no leader; a blank one was supplied']);
    const [alma] = records(await read(readData('marcxml/xbib-marc/alma.xml')));
    expect(controlValue(alma!, '001')).toBe('990214600110206441');
  });

  test('UNIMARC slim records are UNIMARC; records in other namespaces are not MARC', async () => {
    const unimarc = `<collection xmlns="http://www.bncf.firenze.sbn.it/unimarc/slim">${record('u1')}</collection>`;
    expect(records(await read(unimarc)).map((i) => i.flavour)).toEqual(['unimarc']);
    expect(await read(`<collection xmlns="http://example.org/not-marc">${record('x')}</collection>`)).toEqual([]);
  });

  test('a prefixed namespace (marc:record) is read', async () => {
    const items = records(await read(readData('marcxml/pymarc/batch.xml')));
    expect(items).toHaveLength(2);
    expect(items[0]?.position.line).toBeGreaterThan(1);
  });

  test('records inside an SRU response are found by namespace, the wrappers ignored', async () => {
    const items = await read(readData('other/sru/xbib__zdb-sru-marcxmlplus.xml'));
    expect(failures(items)).toEqual([]);
    expect(records(items)).toHaveLength(24); // 10 bibliographic and 14 holdings records
  });

  test('records inside an OAI-PMH ListRecords response are found; its oai_dc records are not MARC', async () => {
    const oai = `<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
  <ListRecords>
    <record><header><identifier>oai:x:1</identifier></header>
      <metadata><marc:record xmlns:marc="${SLIM}"><marc:leader>00000nam a2200000   4500</marc:leader>
        <marc:controlfield tag="001">one</marc:controlfield></marc:record></metadata></record>
    <record><header><identifier>oai:x:2</identifier></header>
      <metadata><record xmlns="${SLIM}"><leader>00000nam a2200000   4500</leader>
        <datafield tag="245" ind1="1" ind2="0"><subfield code="a">Two</subfield></datafield></record></metadata></record>
    <resumptionToken>abc</resumptionToken>
  </ListRecords>
</OAI-PMH>`;
    const items = await read(oai);
    expect(recordsRead(items).map((i) => i.position)).toEqual([
      { index: 0, line: 5 },
      { index: 1, line: 8 },
    ]);
    for (const file of filesUnder('oai')) {
      expect(records(await read(readData(file)))).toEqual([]);
    }
  });

  test('text is NFC, entities and character references are decoded, CDATA is text', async () => {
    const xml = collection(
      record(
        'x',
        `<datafield tag="245" ind1="0" ind2="0"><subfield code="a">Cafe&#x301; &amp; &lt;b&gt; <![CDATA[<raw> & ]]>done</subfield></datafield>`,
      ),
    );
    const [item] = records(await read(xml));
    expect(item?.record.fields[1]).toEqual({
      tag: '245',
      ind1: '0',
      ind2: '0',
      subfields: [{ code: 'a', value: 'Café & <b> <raw> & done' }],
    });
  });

  test("MARC-8 references left as text ('&amp;#x200F;') are decoded when MARC 21 leader/09 is blank", async () => {
    const field = `<datafield tag="245" ind1="0" ind2="0"><subfield code="a">&amp;#x200F;Jazz&amp;#x2013;e&amp;#x301; &amp;#xD800;</subfield></datafield>`;
    const withLeader = (leader: string) =>
      collection(
        `<record><leader>${leader}</leader><controlfield tag="001">a&amp;#x41;</controlfield>` +
          `<controlfield tag="008">${' '.repeat(40)}</controlfield>${field}</record>\n`,
      );
    const [marc8] = records(await read(withLeader('00000nam  2200000   4500')));
    expect(marc8?.record.leader[9]).toBe('a');
    expect(controlValue(marc8!, '001')).toBe('aA');
    expect(marc8?.record.fields[2]).toMatchObject({ subfields: [{ code: 'a', value: '\u200FJazz\u2013é &#xD800;' }] });
    // leader/09 'a': the text is Unicode already, and '&#x2013;' in it is just text.
    const [unicode] = records(await read(withLeader('00000nam a2200000   4500')));
    expect(controlValue(unicode!, '001')).toBe('a&#x41;');
    expect(unicode?.record.fields[2]).toMatchObject({
      subfields: [{ code: 'a', value: '&#x200F;Jazz&#x2013;e&#x301; &#xD800;' }],
    });
  });

  test("xbib-marc's IRMARC8.bin.xml record 3 (MARC-8 converted, leader/09 blank) has U+200F where the file has '&#x200F;'", async () => {
    const xml = readData('marcxml/xbib-marc/IRMARC8.bin.xml');
    expect(xml.toString('utf8')).toContain('<subfield code="a">&amp;#x200F;لقاءات');
    const item = records(await read(xml))[3]!;
    const title = item.record.fields.find(
      (f) => f.tag === '880' && !isControlField(f) && f.subfields[0]?.value.startsWith('245'),
    );
    expect(title && !isControlField(title) && title.subfields.find((s) => s.code === 'a')?.value).toBe(
      '\u200Fلقاءات وشهادات أدبية /\u200F',
    );
    expect(JSON.stringify(item.record)).not.toContain('&#x200F;');
  });

  test('odd tags, indicators and codes are repaired or dropped, and reported (pymarc bad_tag.xml)', async () => {
    const [item] = records(await read(readData('marcxml/pymarc/bad_tag.xml')));
    expect(item?.record.fields.map((f) => f.tag)).toContain('042');
    expect(item?.warnings).toContain('tag "42" is not three characters; read as 042');
    const xml = collection(
      record(
        '1',
        '<datafield tag="ABCD" ind1="0" ind2="0"><subfield code="a">x</subfield></datafield>' +
          '<datafield tag="500" ind1="" ind2="12"><subfield>no code</subfield><subfield code="ab">y</subfield></datafield>',
      ),
    );
    const [odd] = records(await read(xml));
    expect(odd?.record.fields.slice(1)).toEqual([
      { tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'y' }] },
    ]);
    expect(odd?.warnings).toEqual([
      'a <datafield> with tag "ABCD" (not three characters) was dropped',
      'field 500: indicator 1 is ""; read as a blank',
      'field 500: indicator 2 is "12"; read as a blank',
      'field 500: a subfield without a code at line 2 was dropped',
      'field 500: subfield code "ab" is longer than one character; read as "a"',
    ]);
  });
});

describe('damaged XML', () => {
  test('a broken record is reported with line, column and reason; the records around it are read', async () => {
    const xml = collection(
      record('1') +
        '<record><leader>00000nam a2200000   4500</leader>\n<datafield tag="245" ind1="0" ind2="0"><subfield code="a">broken</subfeld></datafield></record>\n' +
        record('3') +
        record('4'),
    );
    const items = await read(xml);
    expect(items.map((i) => (isRecordFailure(i) ? i.error : controlValue(i, '001')))).toEqual([
      '1',
      {
        index: 1,
        line: 4,
        column: 75,
        reason: 'record starting at line 3: not well-formed XML: unexpected close tag.',
      },
      '3',
      '4',
    ]);
  });

  test('an undefined entity, a stray "<" and a cut-off end are each reported', async () => {
    const entity = await read(collection(record('1') + record('a &nbsp; b') + record('3')));
    expect(entity.map((i) => (isRecordFailure(i) ? i.error.reason : controlValue(i, '001')))).toEqual([
      '1',
      'record starting at line 3: not well-formed XML: undefined entity.',
      '3',
    ]);
    const lt = await read(collection(record('1') + record('a <San José> b') + record('3')));
    expect(lt.map((i) => isRecordFailure(i))).toEqual([false, true, false]);
    const cut = await read(
      `<collection xmlns="${SLIM}">\n${record('1')}${record('2')}<record><leader>00000nam a2200000   4500</leader><controlfield tag="001">x`,
    );
    expect(cut.map((i) => (isRecordFailure(i) ? i.error.reason : controlValue(i, '001')))).toEqual([
      '1',
      '2',
      'record starting at line 4: not well-formed XML: unclosed tag: controlfield',
    ]);
  });

  test('records written one after another without a root are read, with one error for the document (serials_marc21.xml)', async () => {
    const items = await read(readData('marcxml/evergreen/serials_marc21.xml'));
    expect(records(items)).toHaveLength(7);
    expect(failures(items).map((f) => f.error)).toEqual([
      { index: 1, line: 117, column: 11, reason: 'not well-formed XML: documents may contain only one root.' },
    ]);
  });

  test('a document that is not XML at all gives one error (sickle ListRecordsBroken.xml)', async () => {
    expect(await read(readData('oai/sickle/ListRecordsBroken.xml'))).toEqual([
      { error: { index: 0, line: 1, column: 11, reason: 'not well-formed XML: text data outside of root node.' } },
    ]);
  });
});

describe('no DTDs, no external entities', () => {
  test('a DOCTYPE with an external entity (XXE) is refused and the file it names is never read', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'athenaeum-xxe-'));
    const secret = path.join(dir, 'secret.txt');
    fs.writeFileSync(secret, 'TOP-SECRET-CONTENT');
    try {
      const xml = `<?xml version="1.0"?>
<!DOCTYPE collection [ <!ENTITY xxe SYSTEM "file://${secret}"> ]>
<collection xmlns="${SLIM}">${record('1', '<datafield tag="500" ind1=" " ind2=" "><subfield code="a">&xxe;</subfield></datafield>')}</collection>`;
      const items = await read(xml);
      expect(items).toEqual([
        {
          error: {
            index: 0,
            line: 2,
            column: expect.any(Number),
            reason:
              'the document declares a DOCTYPE; DTDs and entity declarations are not accepted, so it was not read',
          },
        },
      ]);
      expect(JSON.stringify(items)).not.toContain('TOP-SECRET');
      // Without the DOCTYPE the reference is simply undefined: the record is refused, nothing read.
      const bare = await read(
        collection(
          record('1', '<datafield tag="500" ind1=" " ind2=" "><subfield code="a">&xxe;</subfield></datafield>'),
        ),
      );
      expect(failures(bare)[0]?.error.reason).toMatch(/undefined entity/);
      expect(JSON.stringify(bare)).not.toContain('TOP-SECRET');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an entity expansion bomb is refused at the DOCTYPE', async () => {
    const lol = Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('');
    const items = await read(
      `<!DOCTYPE r [<!ENTITY l0 "lol">${lol}]><collection xmlns="${SLIM}">${record('&l9;')}</collection>`,
    );
    expect(items).toHaveLength(1);
    expect(failures(items)[0]?.error.reason).toMatch(/DOCTYPE/);
  });
});

describe("keepRaw: each record's own text", () => {
  const readRaw = (input: string | Uint8Array | AsyncIterable<Uint8Array>) =>
    collect(readMarcxml(input, { keepRaw: true }));
  const textOf = (item: RecordRead<LinePosition>) => new TextDecoder().decode(item.raw);

  test.each(filesUnder('marcxml'))('%s: every record comes with its element as written, in order', async (file) => {
    const bytes = readData(file);
    const document = new TextDecoder().decode(bytes);
    const read = records(await readRaw(bytes));
    let from = 0;
    for (const item of read) {
      const text = textOf(item);
      expect(text).toMatch(/^<([\w.-]+:)?record[\s>/]/);
      expect(text).toMatch(/(record>|\/>)$/);
      const at = document.indexOf(text, from);
      expect(at).toBeGreaterThanOrEqual(from);
      from = at + text.length;
    }
  });

  test('is the same however the input is cut, and reads back as the same record', async () => {
    const file = 'marcxml/evergreen/concerto_bibs_graphic_880.xml';
    const whole = records(await readRaw(readData(file)));
    expect(records(await readRaw(inChunks(readData(file), 1))).map(textOf)).toEqual(whole.map(textOf));
    expect(whole.length).toBeGreaterThan(0);
    for (const item of whole.slice(0, 20)) {
      const again = records(await read(collection(textOf(item))));
      expect(again.map((r) => r.record)).toEqual([item.record]);
    }
  });

  test('a record after a damaged one, a prefixed one and a self-closed one keep their own text', async () => {
    const prefixed = `<marc:record xmlns:marc="${SLIM}"><marc:leader>00000nam a2200000   4500</marc:leader></marc:record>`;
    const items = await readRaw(collection(`${record('a &nbsp; b')}${record('2')}${prefixed}\n<record/>\n`));
    expect(failures(items)).toHaveLength(1);
    expect(records(items).map(textOf)).toEqual([record('2').trimEnd(), prefixed, '<record/>']);
  });
});
