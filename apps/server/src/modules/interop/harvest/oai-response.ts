// Reads an OAI-PMH response (any verb) as a harvester needs it: errors, record headers, the
// MARCXML or Dublin Core in each record's metadata, and the resumption token. Streaming with
// saxes; a DOCTYPE is refused, so no entity is ever declared or resolved.
import type { DataField, MarcField, MarcRecord } from '@athenaeum/marc';
import { SaxesParser, type SaxesTagNS } from 'saxes';

const OAI = 'http://www.openarchives.org/OAI/2.0/';
const DC = 'http://purl.org/dc/elements/1.1/';
const MARC_NAMESPACES = new Set([
  'http://www.loc.gov/MARC21/slim',
  'info:lc/xmlns/marcxchange-v1',
  'info:lc/xmlns/marcxchange-v2',
]);

export interface HarvestedRecord {
  identifier: string;
  datestamp: string;
  deleted: boolean;
  sets: string[];
  /** The record's MARCXML, when its metadata holds one. */
  marc: MarcRecord | null;
  /** Dublin Core elements (title, creator …) → values, when its metadata is oai_dc. */
  dc: Record<string, string[]> | null;
}

export interface OaiPage {
  responseDate: string | null;
  errors: Array<{ code: string; message: string }>;
  records: HarvestedRecord[];
  /** The token for the next page; null when the list is complete. */
  resumptionToken: string | null;
  completeListSize: number | null;
  cursor: number | null;
  /** From Identify. */
  granularity: string | null;
  earliestDatestamp: string | null;
}

export class OaiParseError extends Error {
  override readonly name = 'OaiParseError';
}

/** Parses one OAI-PMH response; throws OaiParseError when it is not well-formed OAI-PMH. */
export function parseOaiResponse(xml: string): OaiPage {
  const page: OaiPage = {
    responseDate: null,
    errors: [],
    records: [],
    resumptionToken: null,
    completeListSize: null,
    cursor: null,
    granularity: null,
    earliestDatestamp: null,
  };
  const parser = new SaxesParser({ xmlns: true });
  const stack: SaxesTagNS[] = [];
  let text = '';
  let record: HarvestedRecord | null = null;
  let inMetadata = false;
  let marc: MarcRecord | null = null;
  let field: MarcField | null = null;
  let subfieldCode: string | null = null;
  let sawRoot = false;
  let problem: string | null = null;

  parser.on('doctype', () => {
    problem = 'a DOCTYPE is not accepted';
  });
  parser.on('error', (e) => {
    problem ??= e.message;
  });
  parser.on('opentag', (tag) => {
    stack.push(tag);
    text = '';
    if (stack.length === 1) {
      if (tag.uri !== OAI || tag.local !== 'OAI-PMH') problem ??= `the root element is ${tag.name}, not OAI-PMH`;
      sawRoot = true;
    }
    if (tag.uri === OAI) {
      if (tag.local === 'record' || (tag.local === 'header' && !record)) {
        record = { identifier: '', datestamp: '', deleted: false, sets: [], marc: null, dc: null };
      }
      if (tag.local === 'header' && record) record.deleted = tag.attributes.status?.value === 'deleted';
      if (tag.local === 'metadata') inMetadata = true;
      if (tag.local === 'resumptionToken') {
        const size = tag.attributes.completeListSize?.value;
        const cursor = tag.attributes.cursor?.value;
        page.completeListSize = size !== undefined && /^\d+$/.test(size) ? Number(size) : null;
        page.cursor = cursor !== undefined && /^\d+$/.test(cursor) ? Number(cursor) : null;
      }
      return;
    }
    if (!inMetadata || !record) return;
    if (MARC_NAMESPACES.has(tag.uri)) {
      switch (tag.local) {
        case 'record':
          marc = { leader: ''.padEnd(24, ' '), fields: [] };
          break;
        case 'controlfield':
          field = { tag: tag.attributes.tag?.value ?? '', value: '' };
          break;
        case 'datafield':
          field = {
            tag: tag.attributes.tag?.value ?? '',
            ind1: tag.attributes.ind1?.value || ' ',
            ind2: tag.attributes.ind2?.value || ' ',
            subfields: [],
          };
          break;
        case 'subfield':
          subfieldCode = tag.attributes.code?.value ?? '';
          break;
      }
    }
  });
  parser.on('text', (t) => {
    text += t;
  });
  parser.on('cdata', (t) => {
    text += t;
  });
  parser.on('closetag', (tag) => {
    stack.pop();
    const value = text;
    text = '';
    if (tag.uri === OAI) {
      switch (tag.local) {
        case 'responseDate':
          page.responseDate = value.trim();
          break;
        case 'error':
          page.errors.push({ code: tag.attributes.code?.value ?? 'unknown', message: value.trim() });
          break;
        case 'identifier':
          if (record && stack.at(-1)?.local === 'header') record.identifier = value.trim();
          break;
        case 'datestamp':
          if (record) record.datestamp = value.trim();
          break;
        case 'setSpec':
          if (record && stack.at(-1)?.local === 'header') record.sets.push(value.trim());
          break;
        case 'metadata':
          inMetadata = false;
          break;
        case 'header':
          // ListIdentifiers: a header is a whole entry.
          if (record && stack.at(-1)?.local !== 'record') {
            page.records.push(record);
            record = null;
          }
          break;
        case 'record':
          if (record) page.records.push(record);
          record = null;
          break;
        case 'resumptionToken':
          page.resumptionToken = value.trim() || null;
          break;
        case 'granularity':
          page.granularity = value.trim();
          break;
        case 'earliestDatestamp':
          page.earliestDatestamp = value.trim();
          break;
      }
      return;
    }
    if (!inMetadata || !record) return;
    if (tag.uri === DC) {
      const rec = record as HarvestedRecord;
      rec.dc ??= {};
      (rec.dc[tag.local] ??= []).push(value.trim());
      return;
    }
    if (MARC_NAMESPACES.has(tag.uri)) {
      switch (tag.local) {
        case 'leader':
          if (marc) marc.leader = value.padEnd(24, ' ').slice(0, 24);
          break;
        case 'controlfield':
          if (marc && field && 'value' in field) marc.fields.push({ ...field, value });
          field = null;
          break;
        case 'subfield':
          if (field && 'subfields' in field && subfieldCode !== null)
            field.subfields.push({ code: subfieldCode, value });
          subfieldCode = null;
          break;
        case 'datafield':
          if (marc && field && 'subfields' in field) marc.fields.push(field as DataField);
          field = null;
          break;
        case 'record':
          if (marc) (record as HarvestedRecord).marc = marc;
          marc = null;
          break;
      }
    }
  });
  try {
    parser.write(xml).close();
  } catch (error) {
    problem ??= (error as Error).message;
  }
  if (problem || !sawRoot) throw new OaiParseError(`not an OAI-PMH response: ${problem ?? 'empty'}`);
  return page;
}
