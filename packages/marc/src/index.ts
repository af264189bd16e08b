// MARC 21 and UNIMARC records in ISO 2709, MARCXML and MARC-in-JSON, with MARC-8 and other
// character sets. A standalone package: it depends on nothing of the application.
export * from './record.js';
export * from './charsets/index.js';

/** What the readers yield: a record with its position and warnings, or a damaged record's position and reason. */
export {
  isRecordFailure,
  type BytePosition,
  type ByteSource,
  type LinePosition,
  type ReadItem,
  type ReadPosition,
  type RecordFailure,
  type RecordRead,
} from './read-result.js';

/**
 * Streams ISO 2709 records (MARC 21 or UNIMARC, any supported character set) from bytes or chunks;
 * or, in two steps, cuts the records out (frameIso2709) and parses each (parseFramedIso2709).
 */
export {
  frameIso2709,
  iso2709Start,
  parseFramedIso2709,
  readIso2709,
  type FramedIso2709,
  type Iso2709FrameOptions,
  type Iso2709ReadOptions,
} from './iso2709-reader.js';
export type { Iso2709ParseOptions } from './iso2709-record.js';

/** Encodes one record as ISO 2709 in UTF-8, with the leader and directory computed. */
export { writeIso2709 } from './iso2709-writer.js';

/** Writes MARCXML (MARC 21 slim, or UNIMARC slim) laid out as yaz-marcdump does: one record, or a streamed collection. */
export {
  MARCXML_NAMESPACE,
  UNIMARC_SLIM_NAMESPACE,
  marcxmlNamespaceOf,
  marcxmlCollection,
  marcxmlRecord,
  type MarcxmlCollectionOptions,
  type MarcxmlRecordOptions,
} from './marcxml-writer.js';

/** Reads MARCXML records (MARC 21 slim, MARCXchange, UNIMARC/RUSMARC slim, no namespace) found anywhere in an XML document. */
export { MARCXML_NAMESPACES, readMarcxml, type MarcxmlReadOptions } from './marcxml-reader.js';

/** Reads and writes MARC-in-JSON (one record, an array, or newline-delimited records). */
export {
  marcJsonCollection,
  marcJsonRecord,
  readMarcJson,
  toMarcJson,
  type MarcJsonCollectionOptions,
  type MarcJsonDataField,
  type MarcJsonReadOptions,
  type MarcJsonRecord,
} from './marc-json.js';

/** Tells ISO 2709, MARCXML and MARC-in-JSON apart from the first bytes of the data. */
export { detectFormat, type MarcFormat } from './detect-format.js';

/** Reads records in any supported format, detected from the first bytes unless given. */
export { readRecords, type ReadRecordsOptions } from './read-records.js';

/** MARC 21 or UNIMARC, from a record's fields. */
export { detectFlavour } from './flavour.js';
