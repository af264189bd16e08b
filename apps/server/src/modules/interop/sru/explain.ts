import { CQL_CONTEXT_SETS, CQL_INDEXES, CQL_SORT_INDEXES } from '../../catalog/index.js';
import { xmlAttr, xmlElement } from '../../../platform/xml.js';
import type { SruVersion } from './xml.js';

export const ZEEREX_NAMESPACE = 'http://explain.z3950.org/dtd/2.0/';

/** Record schemas served: short name, identifier URI, title. */
export const RECORD_SCHEMAS = [
  {
    name: 'marcxml',
    identifier: 'info:srw/schema/1/marcxml-v1.1',
    title: 'MARCXML (MARC 21 slim)',
    aliases: ['marcxml', 'marc21', 'info:srw/schema/1/marcxml-v1.1', 'http://www.loc.gov/MARC21/slim'],
  },
  {
    name: 'dc',
    identifier: 'info:srw/schema/1/dc-v1.1',
    title: 'Dublin Core',
    aliases: ['dc', 'info:srw/schema/1/dc-v1.1', 'info:srw/schema/1/dc-schema'],
  },
] as const;

const TITLES: Record<string, string> = {
  'cql.serverChoice': 'Any words (title, names, subjects, notes, identifiers)',
  'cql.anywhere': 'Anywhere in the record',
  'cql.allRecords': 'All records',
  'dc.title': 'Title',
  'dc.creator': 'Author or other name',
  'dc.subject': 'Subject',
  'dc.identifier': 'Identifier (ISBN, ISSN, LCCN, OCLC number, control number, record id)',
  'dc.date': 'Year of publication',
  'bath.isbn': 'ISBN',
  'bath.issn': 'ISSN',
  'rec.id': 'Record id',
};

export interface ExplainInfo {
  version: SruVersion;
  host: string;
  port: number;
  database: string;
  defaultRecords: number;
  maximumRecords: number;
  maximumTerms: number;
}

/** The ZeeRex 2.0 record that describes this server (validated against explain.xsd in tests). */
export function zeerexRecord(info: ExplainInfo): string {
  const sets = Object.entries(CQL_CONTEXT_SETS)
    .map(([name, uris]) => `<set name="${xmlAttr(name)}" identifier="${xmlAttr(uris[0])}"/>\n`)
    .join('');
  const indexes = CQL_INDEXES.map((index) => {
    const [set, name] = index.split('.') as [string, string];
    const sort = (CQL_SORT_INDEXES as readonly string[]).includes(index);
    return `<index search="true" scan="${index === 'cql.allRecords' || index === 'rec.id' ? 'false' : 'true'}" sort="${sort}">\n${xmlElement('title', TITLES[index] ?? index, { lang: 'en' })}\n<map>${xmlElement('name', name, { set })}</map>\n</index>\n`;
  }).join('');
  const schemas = RECORD_SCHEMAS.map(
    (s) =>
      `<schema identifier="${xmlAttr(s.identifier)}" name="${xmlAttr(s.name)}" retrieve="true" sort="false">\n${xmlElement('title', s.title, { lang: 'en' })}\n</schema>\n`,
  ).join('');
  return (
    `<explain xmlns="${ZEEREX_NAMESPACE}">\n` +
    `<serverInfo protocol="SRU" version="${info.version}" transport="http">\n${xmlElement('host', info.host)}\n${xmlElement('port', info.port)}\n${xmlElement('database', info.database)}\n</serverInfo>\n` +
    `<databaseInfo>\n${xmlElement('title', 'Athenaeum union catalogue', { lang: 'en', primary: 'true' })}\n${xmlElement('description', 'The records of every library in this network, searchable with CQL.', { lang: 'en', primary: 'true' })}\n</databaseInfo>\n` +
    `<indexInfo>\n${sets}${indexes}</indexInfo>\n` +
    // OASIS SRU 2.0's ZeeRex requires searchInfo (the query types); 1.x's ZeeRex has no such element.
    (info.version === '2.0'
      ? '<searchInfo>\n<queryExample>dc.title = wizard and dc.date &lt; 2000 sortBy dc.date/sort.descending</queryExample>\n<queryType>\n<queryTypeName>cql</queryTypeName>\n<URI>info:srw/cql-context-set/1/cql-v1.2</URI>\n</queryType>\n</searchInfo>\n'
      : '') +
    `<schemaInfo>\n${schemas}</schemaInfo>\n` +
    '<configInfo>\n' +
    `${xmlElement('default', info.defaultRecords, { type: 'numberOfRecords' })}\n` +
    `${xmlElement('default', 'marcxml', { type: 'retrieveSchema' })}\n` +
    `${xmlElement('default', 'cql.serverChoice', { type: 'index' })}\n` +
    `${xmlElement('default', '=', { type: 'relation' })}\n` +
    `${xmlElement('setting', info.maximumRecords, { type: 'maximumRecords' })}\n` +
    `${xmlElement('setting', info.maximumTerms, { type: 'maximumTerms' })}\n` +
    ['=', '==', 'exact', 'all', 'any', 'adj', '<', '>', '<=', '>=', '<>', 'within']
      .map((r) => `${xmlElement('supports', r, { type: 'relation' })}\n`)
      .join('') +
    ['relevant', 'stem', 'masked', 'unmasked']
      .map((m) => `${xmlElement('supports', m, { type: 'relationModifier' })}\n`)
      .join('') +
    `${xmlElement('supports', '*', { type: 'maskingCharacter' })}\n` +
    `${xmlElement('supports', '?', { type: 'maskingCharacter' })}\n` +
    `${xmlElement('supports', 'sortBy', { type: 'sort' })}\n` +
    '</configInfo>\n' +
    '</explain>\n'
  );
}
