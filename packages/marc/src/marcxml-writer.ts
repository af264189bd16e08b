// MARCXML laid out the way `yaz-marcdump -o marcxml` lays it out (two-space indentation, one
// element per line, the five predefined entities always escaped), so the output can be compared
// with yaz's byte for byte.
import { isControlField, type MarcFlavour, type MarcRecord } from './record.js';

/** The MARC 21 slim namespace, the one MARCXML is written in unless another is asked for. */
export const MARCXML_NAMESPACE = 'http://www.loc.gov/MARC21/slim';

/** The UNIMARC slim namespace (the schema of the Biblioteca Nazionale Centrale di Firenze). */
export const UNIMARC_SLIM_NAMESPACE = 'http://www.bncf.firenze.sbn.it/unimarc/slim';

/** The slim namespace records of a flavour are written in: UNIMARC slim for UNIMARC, else MARC 21 slim. */
export const marcxmlNamespaceOf = (flavour: MarcFlavour | undefined): string =>
  flavour === 'unimarc' ? UNIMARC_SLIM_NAMESPACE : MARCXML_NAMESPACE;

// Characters XML 1.0 cannot carry at all; they are left out.
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- MARC and XML rules are about control characters
  /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const TEXT_SPECIAL = /[&<>"'\r]/g;
const ATTRIBUTE_SPECIAL = /[&<>"'\r\n\t]/g;
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // A parser turns a raw CR into LF, and tabs and newlines in attributes into spaces.
  '\r': '&#13;',
  '\n': '&#10;',
  '\t': '&#9;',
};
// eslint-disable-next-line no-control-regex -- MARC and XML rules are about control characters
const NEEDS_WORK = /[&<>"'\r\n\t\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]/;

/** Text as an element's content in our MARCXML: the five specials escaped, a CR kept as `&#13;`, what XML cannot carry dropped. */
export function escapeText(value: string): string {
  if (!NEEDS_WORK.test(value)) return value;
  return value.replace(NOT_XML, '').replace(TEXT_SPECIAL, (c) => ENTITIES[c] as string);
}

function escapeAttribute(value: string): string {
  if (!NEEDS_WORK.test(value)) return value;
  return value.replace(NOT_XML, '').replace(ATTRIBUTE_SPECIAL, (c) => ENTITIES[c] as string);
}

export interface MarcxmlRecordOptions {
  /** Put the namespace declaration on <record>, for a record that stands alone (or in a collection of another namespace). */
  xmlns?: boolean;
  /** The namespace declared; default MARC 21 slim (marcxmlNamespaceOf gives a flavour's). */
  namespace?: string;
}

/** One record as a MARCXML <record> element, ending with a newline. */
export function marcxmlRecord(record: MarcRecord, options: MarcxmlRecordOptions = {}): string {
  let out = options.xmlns
    ? `<record xmlns="${escapeAttribute(options.namespace ?? MARCXML_NAMESPACE)}">\n`
    : '<record>\n';
  out += `  <leader>${escapeText(record.leader)}</leader>\n`;
  for (const field of record.fields) {
    if (isControlField(field)) {
      out += `  <controlfield tag="${escapeAttribute(field.tag)}">${escapeText(field.value)}</controlfield>\n`;
      continue;
    }
    out += `  <datafield tag="${escapeAttribute(field.tag)}" ind1="${escapeAttribute(field.ind1)}" ind2="${escapeAttribute(field.ind2)}">\n`;
    for (const subfield of field.subfields) {
      out += `    <subfield code="${escapeAttribute(subfield.code)}">${escapeText(subfield.value)}</subfield>\n`;
    }
    out += '  </datafield>\n';
  }
  return out + '</record>\n';
}

export interface MarcxmlCollectionOptions {
  /** Start with an XML declaration (default true). */
  declaration?: boolean;
  /** The collection's namespace; default MARC 21 slim. */
  namespace?: string;
}

/** A MARCXML <collection> as a stream of strings: the header, one string per record, the footer. */
export async function* marcxmlCollection(
  records: AsyncIterable<MarcRecord> | Iterable<MarcRecord>,
  options: MarcxmlCollectionOptions = {},
): AsyncGenerator<string> {
  if (options.declaration !== false) yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<collection xmlns="${escapeAttribute(options.namespace ?? MARCXML_NAMESPACE)}">\n`;
  for await (const record of records) yield marcxmlRecord(record);
  yield '</collection>\n';
}
