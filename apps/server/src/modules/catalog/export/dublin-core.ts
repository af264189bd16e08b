import type { MaterialType, NormalizedRecord } from '@athenaeum/contracts';
import { xmlElement } from '../../../platform/xml.js';

/** The fifteen elements of simple Dublin Core (DCMES 1.1), in the order oai_dc lists them. */
export const DC_ELEMENTS = [
  'title',
  'creator',
  'subject',
  'description',
  'publisher',
  'contributor',
  'date',
  'type',
  'format',
  'identifier',
  'source',
  'language',
  'relation',
  'coverage',
  'rights',
] as const;
export type DcElement = (typeof DC_ELEMENTS)[number];
export type DublinCore = Record<DcElement, string[]>;

export const OAI_DC_NAMESPACE = 'http://www.openarchives.org/OAI/2.0/oai_dc/';
export const DC_NAMESPACE = 'http://purl.org/dc/elements/1.1/';
export const OAI_DC_SCHEMA = 'http://www.openarchives.org/OAI/2.0/oai_dc.xsd';

// DCMI Type Vocabulary from the leader's type of record, as the LoC crosswalk's appendix does
// (a, c, d, t → Text; e, f, g, k → Image; i, j → Sound; m → Software; r → PhysicalObject),
// with moving images and collections told apart as the vocabulary allows.
const DCMI_TYPE: Record<MaterialType, string | null> = {
  book: 'Text',
  ebook: 'Text',
  serial: 'Text',
  article: 'Text',
  manuscript: 'Text',
  score: 'Text',
  map: 'Image',
  image: 'StillImage',
  video: 'MovingImage',
  sound: 'Sound',
  music: 'Sound',
  audiobook: 'Sound',
  software: 'Software',
  object: 'PhysicalObject',
  kit: 'Collection',
  mixed: 'Collection',
  other: null,
};

const AUTHOR_ROLES =
  /^(aut|author|cre|creator|composer|cmp|art|artist|pht|photographer|ctg|cartographer|auteur|автор)$/i;

const uniq = (values: Array<string | null | undefined>) => [
  ...new Set(values.map((v) => v?.trim()).filter((v): v is string => !!v)),
];

/**
 * Simple Dublin Core from the catalogue's fields, after the Library of Congress MARC to Dublin
 * Core crosswalk: title 245 (+ 246 as further titles), names of 1XX/7XX (the main entry and
 * authors as creator, other roles — editor, translator … — as contributor, as LoC's
 * MARC21slim2OAIDC stylesheet separates them), subjects 6XX plus classification numbers,
 * description 5XX and 520, publisher 260/264 $b, date 008/07-10 or 260/264 $c, type from the
 * leader, format 300, identifiers 020/022 as URNs and 856 $u, language 008/35-37 and 041,
 * relation 490/8XX series. `extra` adds identifiers such as the record's own URL.
 */
export function dublinCore(fields: NormalizedRecord, extra: { identifiers?: string[] } = {}): DublinCore {
  const title = fields.subtitle ? `${fields.title} : ${fields.subtitle}` : fields.title;
  const isCreator = (a: NormalizedRecord['authors'][number]) =>
    a.main || a.roles.length === 0 || a.roles.some((r) => AUTHOR_ROLES.test(r));
  const name = (a: NormalizedRecord['authors'][number]) => (a.dates ? `${a.name}, ${a.dates}` : a.name);
  const classification = [
    ...fields.classification.ddc.map((c) => `DDC ${c}`),
    ...fields.classification.lcc.map((c) => `LCC ${c}`),
    ...fields.classification.udc.map((c) => `UDC ${c}`),
    ...fields.classification.bbk.map((c) => `BBK ${c}`),
  ];
  return {
    title: uniq([title, ...fields.altTitles]),
    creator: uniq(fields.authors.filter(isCreator).map(name)),
    subject: uniq([...fields.subjects.map((s) => s.heading), ...classification]),
    description: uniq([fields.summary, ...fields.notes]),
    publisher: uniq([fields.publisher]),
    contributor: uniq(fields.authors.filter((a) => !isCreator(a)).map(name)),
    date: uniq([fields.year !== null ? String(fields.year) : fields.dateText]),
    type: uniq([DCMI_TYPE[fields.materialType]]),
    format: uniq([fields.extent]),
    identifier: uniq([
      ...fields.isbns.map((i) => `urn:isbn:${i}`),
      ...fields.issns.map((i) => `urn:issn:${i}`),
      fields.lccn ? `https://lccn.loc.gov/${fields.lccn.replace(/\s+/g, '')}` : null,
      ...fields.links.filter((l) => l.kind === 'resource').map((l) => l.url),
      ...(extra.identifiers ?? []),
    ]),
    source: [],
    language: uniq(fields.languages),
    relation: uniq(fields.series),
    coverage: uniq(fields.subjects.filter((s) => s.kind === 'place').map((s) => s.heading)),
    rights: [],
  };
}

/** The `<oai_dc:dc>` element (namespaces declared on it), as OAI-PMH and SRU carry it. */
export function oaiDcElement(dc: DublinCore, indent = ''): string {
  let out = `${indent}<oai_dc:dc xmlns:oai_dc="${OAI_DC_NAMESPACE}" xmlns:dc="${DC_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${OAI_DC_NAMESPACE} ${OAI_DC_SCHEMA}">\n`;
  for (const element of DC_ELEMENTS) {
    for (const value of dc[element]) out += `${indent}  ${xmlElement(`dc:${element}`, value)}\n`;
  }
  return `${out}${indent}</oai_dc:dc>\n`;
}

/** A standalone Dublin Core XML document for one record (an `oai_dc:dc` root). */
export function dublinCoreDocument(dc: DublinCore): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${oaiDcElement(dc)}`;
}

// No standard collection element exists for oai_dc; a file of many records wraps them in a
// plain <records> element so each <oai_dc:dc> inside stays valid on its own.
export const DC_COLLECTION_START = '<?xml version="1.0" encoding="UTF-8"?>\n<records>\n';
export const DC_COLLECTION_END = '</records>\n';
