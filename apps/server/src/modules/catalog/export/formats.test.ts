import { readIso2709, readMarcxml, UNIMARC_SLIM_NAMESPACE } from '@athenaeum/marc';
import { beforeAll, describe, expect, it } from 'vitest';
import { xmllintErrors, xmlWellFormedErrors } from '../../../test/xml-schemas.js';
import { bibtexEscape, bibtexRecord, citationKey } from './bibtex.js';
import { DC_ELEMENTS, dublinCore, dublinCoreDocument } from './dublin-core.js';
import { EXPORT_TEST_FILES, realRecords, type RealRecord } from './export-fixtures.js';
import { FORMAT_WRITERS, type ExportableRecord } from './formats.js';
import { numberOfPages, schemaOrgRecord } from './json-ld.js';
import { bcp47, mappedLanguageCodes } from './language-tags.js';
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

/**
 * Whether an entry's braces balance as BibTeX counts them: every brace, a backslash before it
 * or not (BibTeX and btparse know nothing of TeX's \{), never closing more than were opened.
 */
function bibtexBracesBalance(entry: string): boolean {
  let depth = 0;
  for (const c of entry) {
    if (c === '{') depth++;
    else if (c === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

/** An entry's fields as BibTeX reads them: each `name = {…}` value ends at the brace that balances its own. */
function bibtexFields(entry: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const body = entry.slice(entry.indexOf(',') + 1);
  let at = 0;
  for (;;) {
    const head = /\s*([a-z]+)\s*=\s*\{/y;
    head.lastIndex = at;
    const m = head.exec(body);
    if (!m) break;
    let depth = 1;
    let i = head.lastIndex;
    for (; i < body.length && depth > 0; i++) {
      if (body[i] === '{') depth++;
      else if (body[i] === '}') depth--;
    }
    if (m[1]! in fields) throw new Error(`field ${m[1]} twice`);
    fields[m[1]!] = body.slice(head.lastIndex, i - 1);
    at = body[i] === ',' ? i + 1 : i;
  }
  return fields;
}

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
  it('writes every real MARC 21 record as MARCXML that MARC21slim.xsd accepts, in one collection file', async () => {
    const file = FORMAT_WRITERS.marcxml.collection();
    const marc21 = records.filter((r) => r.flavour === 'marc21');
    expect(marc21.length).toBeLessThan(records.length);
    const xml = file.start + marc21.map((r, i) => file.member(exportable(r, i))).join('') + file.end;
    expect(xmllintErrors(xml, 'marcxml')).toBeNull();
  });

  it('writes a UNIMARC record in the UNIMARC slim namespace with its own leader, in a collection too', async () => {
    const unimarc = records.filter((r) => r.flavour === 'unimarc');
    expect(unimarc.length).toBeGreaterThan(0);
    const file = FORMAT_WRITERS.marcxml.collection();
    const xml = file.start + records.map((r, i) => file.member(exportable(r, i))).join('') + file.end;
    expect(xmlWellFormedErrors(xml)).toBeNull();
    expect(xml.split(`<record xmlns="${UNIMARC_SLIM_NAMESPACE}">`)).toHaveLength(unimarc.length + 1);
    for (const r of unimarc) {
      const one = marcxmlDocument(r.marc);
      expect(one).toContain(`<record xmlns="${UNIMARC_SLIM_NAMESPACE}">`);
      expect(one).not.toContain('http://www.loc.gov/MARC21/slim');
      expect(one).toContain(`<leader>${r.marc.leader}</leader>`);
      expect(Buffer.from(iso2709(r.marc)).toString('latin1').slice(20, 23)).toBe('450');
    }
  });

  it('reads back to the same record, repaired only where the schema demands', async () => {
    for (const r of records) {
      const back = [];
      for await (const item of readMarcxml(Buffer.from(marcxmlDocument(r.marc)))) back.push(item);
      expect(back).toHaveLength(1);
      expect('record' in back[0]! && back[0].record).toEqual(r.flavour === 'unimarc' ? r.marc : schemaRecord(r.marc));
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
    const chunks = records.map((r, i) => writer.member(exportable(r, i)) as Uint8Array);
    const back = [];
    for await (const item of readIso2709(Buffer.concat(chunks))) back.push(item);
    expect(back).toHaveLength(records.length);
    // All of them: the 880 alternate scripts, UNIMARC, and the MARCXML records in other scripts too.
    expect(records.some((r) => r.marc.fields.some((f) => f.tag === '880'))).toBe(true);
    expect(records.some((r) => r.file.includes('unimarc'))).toBe(true);
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

  it('refuses a record with a subfield code that is not one ASCII byte with a RangeError, so the export skips it', () => {
    // A Cyrillic "а" typed for "a" in a MARCXML record: two bytes in UTF-8, where the leader declares one.
    const r = find((x) => x.marc.fields.some((f) => f.tag === '880'));
    const marc = {
      ...r.marc,
      fields: r.marc.fields.map((f) =>
        'subfields' in f && f.tag === '880'
          ? { ...f, subfields: f.subfields.map((sf, i) => (i === 1 ? { ...sf, code: '\u0430' } : sf)) }
          : f,
      ),
    };
    const writer = FORMAT_WRITERS.marc21.collection();
    expect(() => writer.member({ ...exportable(r, 0), marc })).toThrow(RangeError);
    expect(() => iso2709(marc)).toThrow(/field 880: subfield code "а" must be one ASCII character/);
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

  it('gives every record its own @id, two editions of one work in two libraries too, and keeps the work page as url', () => {
    const [a, b] = records.filter((x) => x.fields.materialType === 'book');
    const workUrl = 'https://catalogue.example.org/works/11111111-1111-4111-8111-111111111111';
    const file = FORMAT_WRITERS.jsonld.collection();
    const text = [
      file.start,
      file.member({ ...exportable(a!, 1), url: workUrl }),
      file.member({ ...exportable(b!, 2), url: workUrl }),
      file.member({ ...exportable(a!, 3), url: workUrl }),
      file.end,
    ].join('');
    const graph = (JSON.parse(text) as { '@graph': Array<Record<string, unknown>> })['@graph'];
    expect(graph.map((n) => n['@id'])).toEqual([
      'urn:uuid:00000000-0000-4000-8000-000000000001',
      'urn:uuid:00000000-0000-4000-8000-000000000002',
      'urn:uuid:00000000-0000-4000-8000-000000000003',
    ]);
    expect(graph.map((n) => n.url)).toEqual([workUrl, workUrl, workUrl]);
  });

  it('writes inLanguage as BCP 47: two-letter codes where ISO 639-1 has one, else the three-letter code', () => {
    const r = find((x) => x.fields.materialType === 'book');
    const inLanguage = (languages: string[]) =>
      schemaOrgRecord({ id: 'x', fields: { ...r.fields, languages } }).inLanguage;
    expect(inLanguage(['ben', 'tam', 'urd', 'mar', 'san', 'geo', 'arm', 'wel'])).toEqual([
      'bn',
      'ta',
      'ur',
      'mr',
      'sa',
      'ka',
      'hy',
      'cy',
    ]);
    // Bibliographic and terminology forms alike, each language once.
    expect(inLanguage(['ger', 'deu', 'tib', 'bod', 'slo', 'slk', 'may', 'msa'])).toEqual(['de', 'bo', 'sk', 'ms']);
    expect(inLanguage(['haw', 'chr', 'grc', 'ang'])).toEqual(['haw', 'chr', 'grc', 'ang']);
    expect(inLanguage(['und', 'fre', 'zxx', 'mul'])).toBe('fr');
    expect(inLanguage(['und', 'zxx', 'mul'])).toBeUndefined();
    // Withdrawn MARC codes that ISO 639-3 gives to other languages ("tag" is Tagoi there).
    expect(inLanguage(['tag', 'scc', 'scr'])).toEqual(['tl', 'sr', 'hr']);
  });

  it('knows every ISO 639-1 language by both its ISO 639-2 codes', () => {
    const twoLetter = new Set<string>();
    for (const code of mappedLanguageCodes()) twoLetter.add(bcp47(code));
    expect([...twoLetter].every((t) => /^[a-z]{2}$/.test(t))).toBe(true);
    expect(twoLetter.size).toBe(184);
    expect(bcp47('FRE')).toBe('fr');
    expect(bcp47('zza')).toBe('zza');
  });

  it('counts the pages of Latin and Cyrillic extents, and gives printed books no bookFormat', () => {
    expect(numberOfPages('xii, 320 p. : ill. ; 24 cm')).toBe(320);
    expect(numberOfPages('1 score (263 pages) ; 31 cm')).toBe(263);
    expect(numberOfPages('320 с. : ил.')).toBe(320);
    expect(numberOfPages('320 стр.')).toBe(320);
    expect(numberOfPages('XII, 320 С.')).toBe(320);
    expect(numberOfPages('2 v.')).toBeNull();
    expect(numberOfPages('1 map ; 57 x 89 cm')).toBeNull();
    expect(numberOfPages('12 pl.')).toBeNull();
    expect(numberOfPages('3 сб.')).toBeNull();
    expect(numberOfPages(null)).toBeNull();
    const r = find((x) => x.fields.materialType === 'book');
    const book = schemaOrgRecord({ id: 'b', fields: { ...r.fields, extent: '320 с. : ил. ; 21 см' } });
    expect(book.numberOfPages).toBe(320);
    expect(book.bookFormat).toBeUndefined();
    const ebook = schemaOrgRecord({ id: 'e', fields: { ...r.fields, materialType: 'ebook' } });
    expect(ebook.bookFormat).toBe('https://schema.org/EBook');
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

  it('writes corporate and meeting main entries as AU, and names of any kind with an editor role as A2', () => {
    const meeting = find((x) => x.fields.authors.some((a) => a.main && a.kind === 'meeting'));
    const name = meeting.fields.authors.find((a) => a.main)!.name;
    const ris = risRecord({ id: 'm', fields: meeting.fields });
    expect(ris).toContain(`\r\nAU  - ${name}\r\n`);
    expect(ris).not.toContain(`A2  - ${name}`);
    const r = records[0]!;
    const author = (name: string, kind: 'person' | 'organization' | 'meeting', roles: string[], main: boolean) => ({
      name,
      dates: null,
      kind,
      roles,
      main,
      altScript: null,
    });
    const tags = risRecord({
      id: 'o',
      fields: {
        ...r.fields,
        authors: [
          author('Acme Society', 'organization', ['author'], true),
          author('Smith, Jane,', 'person', ['author'], false),
          author('Standards Board', 'organization', ['aut'], false),
          author('Editorial Collective', 'organization', ['editor'], false),
          author('Doe, John.', 'person', ['edt'], false),
        ],
      },
    })
      .split('\r\n')
      .filter((l) => /^(AU|A2) /.test(l));
    expect(tags).toEqual([
      'AU  - Acme Society',
      'AU  - Smith, Jane',
      'AU  - Standards Board',
      'A2  - Editorial Collective',
      'A2  - Doe, John',
    ]);
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
      expect(bibtexBracesBalance(entry), r.file).toBe(true);
      // And with a stray brace in the data, which BibTeX counts like any other.
      for (const title of [`${r.fields.title} {`, `${r.fields.title} }`]) {
        const stray = bibtexRecord({ id: 'x', fields: { ...r.fields, title } });
        expect(bibtexBracesBalance(stray), r.file).toBe(true);
      }
      expect(Object.keys(bibtexFields(entry)).length).toBe(entry.match(/^ {2}[a-z]+ = \{/gm)!.length);
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
      '50\\% of \\textbraceleft{}x\\textbraceright{} \\& \\$y\\_1 \\#2 \\textbackslash{}cmd \\textasciitilde{}\\textasciicircum{}',
    );
  });

  it('keeps a brace in the data from ending a field or opening one that swallows the file', () => {
    const r = find((x) => x.fields.authors.length > 0 && x.fields.year !== null);
    const hijack = bibtexRecord({
      id: 'x',
      fields: { ...r.fields, title: 'A } , title = {hijack', subtitle: null, publisher: 'P }, note = {x' },
    });
    expect(bibtexBracesBalance(hijack)).toBe(true);
    const fields = bibtexFields(hijack);
    expect(fields.title).toBe('A \\textbraceright{} , title = \\textbraceleft{}hijack');
    expect(fields.publisher).toBe('P \\textbraceright{}, note = \\textbraceleft{}x');
    expect(fields.year).toBe(String(r.fields.year));
    // A lone opening brace, in a title and in names of both kinds, leaves the rest of the entry alone.
    const lone = bibtexRecord({
      id: 'y',
      fields: {
        ...r.fields,
        title: 'Open { only',
        subtitle: null,
        authors: [
          { name: 'Smith {, J.', dates: null, kind: 'person', roles: ['author'], main: true, altScript: null },
          { name: 'Acme } Press', dates: null, kind: 'organization', roles: [], main: false, altScript: null },
        ],
      },
    });
    expect(bibtexBracesBalance(lone)).toBe(true);
    expect(bibtexFields(lone)).toMatchObject({
      title: 'Open \\textbraceleft{} only',
      author: 'Smith \\textbraceleft{}, J and {Acme \\textbraceright{} Press}',
      year: String(r.fields.year),
    });
  });

  it('writes the url verbatim, percent-encoding only braces and backslashes', () => {
    const r = records[0]!;
    const withLink = (url: string) =>
      bibtexFields(bibtexRecord({ id: 'x', fields: { ...r.fields, links: [{ kind: 'resource', url, label: null }] } }));
    expect(withLink('https://example.org/a_b%20c#p~1&x=$y^z').url).toBe('https://example.org/a_b%20c#p~1&x=$y^z');
    expect(withLink('https://example.org/{x}\\y}').url).toBe('https://example.org/%7Bx%7D%5Cy%7D');
    expect(
      bibtexFields(
        bibtexRecord({ id: 'x', fields: { ...r.fields, links: [] }, url: 'https://c.example.org/works/a_b' }),
      ).url,
    ).toBe('https://c.example.org/works/a_b');
  });
});
