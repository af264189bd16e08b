import { readIso2709, readMarcxml } from '@athenaeum/marc';
import { beforeAll, describe, expect, it } from 'vitest';
import { xmllintErrors } from '../../../test/xml-schemas.js';
import { bibtexEscape, bibtexRecord, citationKey } from './bibtex.js';
import { DC_ELEMENTS, dublinCore, dublinCoreDocument } from './dublin-core.js';
import { EXPORT_TEST_FILES, realRecords, type RealRecord } from './export-fixtures.js';
import { FORMAT_WRITERS, type ExportableRecord } from './formats.js';
import { schemaOrgRecord } from './json-ld.js';
import { iso2709, marcxmlDocument, schemaLeader, schemaRecord } from './marc.js';
import { risRecord } from './ris.js';

let records: RealRecord[];
const exportable = (r: RealRecord, i: number): ExportableRecord => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  marc: r.marc,
  fields: r.fields,
  url: `https://catalogue.example.org/works/${i}`,
});
const find = (pred: (r: RealRecord) => boolean) => {
  const found = records.find(pred);
  if (!found) throw new Error('fixture record not found');
  return found;
};

beforeAll(async () => {
  records = await realRecords(...EXPORT_TEST_FILES);
});

describe('the test data', () => {
  it('covers the material types the formats tell apart', () => {
    const types = new Set(records.map((r) => r.fields.materialType));
    for (const t of ['book', 'map', 'score', 'music', 'video', 'serial']) expect(types).toContain(t);
    expect(records.length).toBeGreaterThan(40);
  });
});

describe('MARCXML', () => {
  it('writes every real record as MARCXML that MARC21slim.xsd accepts, in one collection file', async () => {
    const file = FORMAT_WRITERS.marcxml.collection();
    const xml = file.start + records.map((r, i) => file.member(exportable(r, i))).join('') + file.end;
    expect(xmllintErrors(xml, 'marcxml')).toBeNull();
  });

  it('reads back to the same record, repaired only where the schema demands', async () => {
    for (const r of records) {
      const back = [];
      for await (const item of readMarcxml(Buffer.from(marcxmlDocument(r.marc)))) back.push(item);
      expect(back).toHaveLength(1);
      expect('record' in back[0]! && back[0].record).toEqual(schemaRecord(r.marc));
    }
  });

  it('repairs a leader and indicators the schema refuses, and drops what cannot be repaired', () => {
    expect(schemaLeader('01234nam|a3300051#i 4500')).toBe('01234nam a2200051 i 4500');
    expect(schemaLeader('short')).toMatch(
      /^[\d ]{5}[\dA-Za-z ][\dA-Za-z][\dA-Za-z ]{3}[2 ]{2}[\d ]{5}[\dA-Za-z ]{3}4500$/,
    );
    const fixed = schemaRecord({
      leader: 'xxxxxnam#a22xxxxx#a#4500',
      fields: [
        { tag: '001', value: 'id' },
        { tag: '000', value: 'not a control tag' },
        {
          tag: '245',
          ind1: '#',
          ind2: 'A',
          subfields: [
            { code: 'a', value: 'Title' },
            { code: 'é', value: 'bad code' },
          ],
        },
        { tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'é', value: 'nothing left' }] },
      ],
    });
    expect(fixed.leader).toBe('00000nam a2200000 a 4500');
    expect(fixed.fields).toEqual([
      { tag: '001', value: 'id' },
      { tag: '245', ind1: ' ', ind2: 'a', subfields: [{ code: 'a', value: 'Title' }] },
    ]);
  });
});

describe('MARC 21 (ISO 2709)', () => {
  it('writes records that read back identical, with lengths and directory computed', async () => {
    const writer = FORMAT_WRITERS.marc21.collection();
    const chunks = records.slice(0, 30).map((r, i) => writer.member(exportable(r, i)) as Uint8Array);
    const back = [];
    for await (const item of readIso2709(Buffer.concat(chunks))) back.push(item);
    expect(back).toHaveLength(30);
    back.forEach((item, i) => {
      expect('record' in item).toBe(true);
      if (!('record' in item)) return;
      expect(item.record.fields).toEqual(records[i]!.marc.fields);
      expect(item.record.leader.slice(0, 5)).toBe(String(chunks[i]!.length).padStart(5, '0'));
      expect(item.record.leader[9]).toBe('a');
    });
  });

  it('refuses a record ISO 2709 cannot hold with a RangeError', () => {
    const huge = {
      leader: '00000nam a2200000 a 4500',
      fields: [{ tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'x'.repeat(10_000) }] }],
    };
    expect(() => iso2709(huge)).toThrow(RangeError);
  });
});

describe('Dublin Core', () => {
  it('maps a book after the LoC crosswalk: title with subtitle, creators, subjects, identifiers as URNs, type', () => {
    const r = find((x) => x.fields.isbns.length > 0 && x.fields.subjects.length > 0 && x.fields.authors.length > 0);
    const dc = dublinCore(r.fields, { identifiers: ['https://catalogue.example.org/works/1'] });
    expect(dc.title[0]).toContain(r.fields.title);
    expect(dc.creator.length + dc.contributor.length).toBe(
      new Set(r.fields.authors.map((a) => (a.dates ? `${a.name}, ${a.dates}` : a.name))).size,
    );
    expect(dc.subject).toEqual(expect.arrayContaining(r.fields.subjects.map((s) => s.heading)));
    expect(dc.identifier).toContain(`urn:isbn:${r.fields.isbns[0]}`);
    expect(dc.identifier).toContain('https://catalogue.example.org/works/1');
    expect(dc.type).toEqual(['Text']);
    expect(dc.language).toEqual(r.fields.languages);
  });

  it('types maps, sound and video with the DCMI vocabulary', () => {
    expect(dublinCore(find((r) => r.fields.materialType === 'map').fields).type).toEqual(['Image']);
    expect(dublinCore(find((r) => r.fields.materialType === 'music').fields).type).toEqual(['Sound']);
    expect(dublinCore(find((r) => r.fields.materialType === 'video').fields).type).toEqual(['MovingImage']);
  });

  it('writes oai_dc documents that oai_dc.xsd accepts, for every real record', () => {
    for (const r of records) {
      const xml = dublinCoreDocument(dublinCore(r.fields));
      expect(xmllintErrors(xml, 'oaiDc'), r.file).toBeNull();
    }
    const file = FORMAT_WRITERS.dc.collection();
    const xml = file.start + records.map((r, i) => file.member(exportable(r, i))).join('') + file.end;
    expect(xml.match(/<oai_dc:dc /g)).toHaveLength(records.length);
  });

  it('escapes markup in the data, so a title cannot inject elements', () => {
    const r = records[0]!;
    const xml = dublinCoreDocument(
      dublinCore({ ...r.fields, title: 'A </dc:title><dc:rights>owned</dc:rights> & <b>', subtitle: null }),
    );
    expect(xml).toContain(
      '<dc:title>A &lt;/dc:title&gt;&lt;dc:rights&gt;owned&lt;/dc:rights&gt; &amp; &lt;b&gt;</dc:title>',
    );
    expect(xml).not.toContain('<dc:rights>');
    expect(xmllintErrors(xml, 'oaiDc')).toBeNull();
  });

  it('lists the fifteen elements in oai_dc order', () => {
    expect(DC_ELEMENTS).toHaveLength(15);
  });
});

describe('schema.org JSON-LD', () => {
  it('describes a book as a Book with author, isbn, inLanguage, datePublished and publisher', () => {
    const r = find(
      (x) =>
        x.fields.materialType === 'book' && x.fields.isbns.length > 0 && x.fields.year !== null && !!x.fields.publisher,
    );
    const doc = schemaOrgRecord({ id: 'a1', fields: r.fields, url: 'https://c.example.org/works/a1' });
    expect(doc['@context']).toBe('https://schema.org');
    expect(doc['@type']).toBe('Book');
    expect([doc.isbn].flat()).toContain(r.fields.isbns[0]);
    expect(doc.datePublished).toBe(String(r.fields.year));
    expect(doc.publisher).toMatchObject({ '@type': 'Organization', name: r.fields.publisher });
    expect(doc.inLanguage).toBeDefined();
    expect(doc.offers).toBeUndefined();
    if (r.fields.authors.length) expect((doc.author as Array<{ name: string }>)[0]!.name).toBeTruthy();
  });

  it('uses another CreativeWork type for other materials, and offers per library with availability', () => {
    const map = find((x) => x.fields.materialType === 'map');
    const doc = schemaOrgRecord({ id: 'm1', fields: map.fields }, [
      { libraryId: 'l1', name: 'Central', available: 2, total: 3 },
      { libraryId: 'l2', name: 'North', available: 0, total: 1 },
    ]);
    expect(doc['@type']).toBe('Map');
    expect(doc.isbn).toBeUndefined();
    expect(doc.offers).toEqual([
      expect.objectContaining({
        '@type': 'Offer',
        availability: 'https://schema.org/InStock',
        offeredBy: expect.objectContaining({ '@type': 'Library', name: 'Central' }),
      }),
      expect.objectContaining({
        availability: 'https://schema.org/OutOfStock',
        offeredBy: expect.objectContaining({ name: 'North' }),
      }),
    ]);
    const video = schemaOrgRecord({ id: 'v', fields: find((x) => x.fields.materialType === 'video').fields });
    expect(video['@type']).toBe('Movie');
  });

  it('writes a file as one JSON-LD document with a @graph of every record', () => {
    const file = FORMAT_WRITERS.jsonld.collection();
    const text = file.start + records.map((r, i) => file.member(exportable(r, i))).join('') + file.end;
    const doc = JSON.parse(text) as { '@context': string; '@graph': Array<Record<string, unknown>> };
    expect(doc['@context']).toBe('https://schema.org');
    expect(doc['@graph']).toHaveLength(records.length);
    expect(doc['@graph'][0]!['@context']).toBeUndefined();
  });
});

describe('RIS', () => {
  it('writes tagged CRLF lines from TY to ER with authors, year, publisher and ISBN', () => {
    const r = find(
      (x) =>
        x.fields.materialType === 'book' &&
        x.fields.isbns.length > 0 &&
        x.fields.authors.some((a) => a.kind === 'person'),
    );
    const ris = risRecord({ id: 'r1', fields: r.fields, url: null });
    const lines = ris.split('\r\n');
    expect(lines[0]).toBe('TY  - BOOK');
    expect(lines.at(-2)).toBe('ER  - ');
    expect(lines.at(-1)).toBe('');
    for (const l of lines.slice(0, -1)) expect(l).toMatch(/^[A-Z][A-Z0-9] {2}- /);
    expect(ris).toContain(`SN  - ${r.fields.isbns[0]}\r\n`);
    expect(ris).toMatch(/\r\nAU {2}- \S/);
    if (r.fields.year) expect(ris).toContain(`PY  - ${r.fields.year}\r\n`);
  });

  it('keeps each value on one line', () => {
    const r = records[0]!;
    const ris = risRecord({ id: 'x', fields: { ...r.fields, title: 'Line one\nTY  - JOUR' }, url: null });
    expect(ris.split('\r\n').filter((l) => l.startsWith('TY  -'))).toHaveLength(1);
  });

  it('types maps, videos and serials', () => {
    expect(risRecord({ id: 'm', fields: find((x) => x.fields.materialType === 'map').fields })).toMatch(
      /^TY {2}- MAP\r\n/,
    );
    expect(risRecord({ id: 'v', fields: find((x) => x.fields.materialType === 'video').fields })).toMatch(
      /^TY {2}- VIDEO\r\n/,
    );
    expect(risRecord({ id: 's', fields: find((x) => x.fields.materialType === 'serial').fields })).toMatch(
      /^TY {2}- JFULL\r\n/,
    );
  });
});

describe('BibTeX', () => {
  it('writes an @book entry with a readable key and balanced braces for every real record', () => {
    const keys = new Set<string>();
    for (const r of records) {
      const entry = bibtexRecord({ id: 'x', fields: r.fields }, keys);
      expect(entry).toMatch(/^@[a-z]+\{[a-z0-9]+,\n/);
      let depth = 0;
      for (let i = 0; i < entry.length; i++) {
        if (entry[i] === '\\') i++;
        else if (entry[i] === '{') depth++;
        else if (entry[i] === '}') depth--;
        expect(depth).toBeGreaterThanOrEqual(0);
      }
      expect(depth).toBe(0);
    }
    expect(keys.size).toBe(records.length);
  });

  it('builds the key from surname, year and first significant title word, and makes repeats unique', () => {
    const r = find((x) => x.fields.materialType === 'book' && x.fields.authors.length > 0 && x.fields.year !== null);
    const key = citationKey(r.fields);
    expect(key).toMatch(new RegExp(`${r.fields.year}`));
    const keys = new Set<string>();
    const first = bibtexRecord({ id: 'a', fields: r.fields }, keys);
    const second = bibtexRecord({ id: 'b', fields: r.fields }, keys);
    expect(first.startsWith(`@book{${key},`)).toBe(true);
    expect(second.startsWith(`@book{${key}b,`)).toBe(true);
  });

  it('escapes the characters that would end a value or start a command', () => {
    expect(bibtexEscape('50% of {x} & $y_1 #2 \\cmd ~^')).toBe(
      '50\\% of \\{x\\} \\& \\$y\\_1 \\#2 \\textbackslash{}cmd \\textasciitilde{}\\textasciicircum{}',
    );
    const r = records[0]!;
    const entry = bibtexRecord({ id: 'x', fields: { ...r.fields, title: 'A } , title = {hijack' } });
    expect(entry).toContain('title = {A \\} , title = \\{hijack');
  });
});
