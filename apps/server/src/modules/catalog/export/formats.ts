import type { NormalizedRecord } from '@athenaeum/contracts';
import type { MarcRecord } from '@athenaeum/marc';
import { bibtexRecord } from './bibtex.js';
import { DC_COLLECTION_END, DC_COLLECTION_START, dublinCore, dublinCoreDocument, oaiDcElement } from './dublin-core.js';
import { schemaOrgRecord, type LibraryAvailability } from './json-ld.js';
import {
  iso2709,
  MARCXML_COLLECTION_END,
  MARCXML_COLLECTION_START,
  marcxmlCollectionMember,
  marcxmlDocument,
} from './marc.js';
import { risRecord } from './ris.js';

export const EXPORT_FORMATS = ['marcxml', 'marc21', 'dc', 'jsonld', 'ris', 'bibtex'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What every format is written from: the stored MARC, the catalogue's fields, and links. */
export interface ExportableRecord {
  id: string;
  marc: MarcRecord;
  fields: NormalizedRecord;
  /** A page people can open for this record, when the server knows its public address. */
  url: string | null;
  /** Availability per library, for the JSON-LD offers. */
  holdings?: LibraryAvailability[];
}

/** How one format is written: alone, and as a file of many records (start, each record, end). */
export interface FormatWriter {
  contentType: string;
  extension: string;
  one(record: ExportableRecord): string | Uint8Array;
  /** A writer for one file: keeps what must be unique across the file (BibTeX keys, JSON commas). */
  collection(): { start: string; member(record: ExportableRecord): string | Uint8Array; end: string };
}

const dcOf = (r: ExportableRecord) => dublinCore(r.fields, { identifiers: r.url ? [r.url] : [] });
const jsonLdOf = (r: ExportableRecord) => schemaOrgRecord(r, r.holdings);

export const FORMAT_WRITERS: Record<ExportFormat, FormatWriter> = {
  marcxml: {
    contentType: 'application/marcxml+xml; charset=utf-8',
    extension: 'xml',
    one: (r) => marcxmlDocument(r.marc),
    collection: () => ({
      start: MARCXML_COLLECTION_START,
      member: (r) => marcxmlCollectionMember(r.marc),
      end: MARCXML_COLLECTION_END,
    }),
  },
  marc21: {
    contentType: 'application/marc',
    extension: 'mrc',
    one: (r) => iso2709(r.marc),
    collection: () => ({ start: '', member: (r) => iso2709(r.marc), end: '' }),
  },
  dc: {
    contentType: 'application/xml; charset=utf-8',
    extension: 'dc.xml',
    one: (r) => dublinCoreDocument(dcOf(r)),
    collection: () => ({
      start: DC_COLLECTION_START,
      member: (r) => oaiDcElement(dcOf(r), '  '),
      end: DC_COLLECTION_END,
    }),
  },
  jsonld: {
    contentType: 'application/ld+json; charset=utf-8',
    extension: 'jsonld',
    one: (r) => `${JSON.stringify(jsonLdOf(r), null, 2)}\n`,
    collection: () => {
      let first = true;
      return {
        start: '{\n"@context": "https://schema.org",\n"@graph": [\n',
        member: (r) => {
          const { '@context': _context, ...node } = jsonLdOf(r);
          const text = `${first ? '' : ',\n'}${JSON.stringify(node)}`;
          first = false;
          return text;
        },
        end: '\n]\n}\n',
      };
    },
  },
  ris: {
    contentType: 'application/x-research-info-systems; charset=utf-8',
    extension: 'ris',
    one: (r) => risRecord(r),
    collection: () => ({ start: '', member: (r) => `${risRecord(r)}\r\n`, end: '' }),
  },
  bibtex: {
    contentType: 'application/x-bibtex; charset=utf-8',
    extension: 'bib',
    one: (r) => bibtexRecord(r),
    collection: () => {
      const keys = new Set<string>();
      return { start: '', member: (r) => `${bibtexRecord(r, keys)}\n`, end: '' };
    },
  },
};
