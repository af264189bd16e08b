// MARC-in-JSON (Ross Singer's format, as pymarc reads and writes it):
//   {"leader": "…", "fields": [{"001": "…"}, {"245": {"ind1": " ", "ind2": " ", "subfields": [{"a": "…"}]}}]}
// The reader takes one record, an array of records, or records one after another (newline-
// delimited JSON); marc-json-cutter.ts cuts the input into values a record at a time, and this
// module turns each value into a record.
import { TextDecoder } from 'node:util';
import { declareUnicode, detectFlavour } from './flavour.js';
import { normalizeLeader } from './leader.js';
import { JsonValueCutter, type JsonValueItem } from './marc-json-cutter.js';
import { type ByteSource, byteChunks, type LinePosition, type ReadItem } from './read-result.js';
import { isControlField, type MarcField, type MarcFlavour, type MarcRecord, type Subfield } from './record.js';

/** One record in MARC-in-JSON. */
export interface MarcJsonRecord {
  leader: string;
  fields: Array<Record<string, string | MarcJsonDataField>>;
}

export interface MarcJsonDataField {
  ind1: string;
  ind2: string;
  subfields: Array<Record<string, string>>;
}

/** A record as a MARC-in-JSON object. */
export function toMarcJson(record: MarcRecord): MarcJsonRecord {
  return {
    leader: record.leader,
    fields: record.fields.map((field) =>
      isControlField(field)
        ? { [field.tag]: field.value }
        : {
            [field.tag]: {
              ind1: field.ind1,
              ind2: field.ind2,
              subfields: field.subfields.map((s) => ({ [s.code]: s.value })),
            },
          },
    ),
  };
}

/** A record as MARC-in-JSON text (one line). */
export function marcJsonRecord(record: MarcRecord): string {
  return JSON.stringify(toMarcJson(record));
}

export interface MarcJsonCollectionOptions {
  /** One record per line (newline-delimited JSON) instead of a JSON array. */
  lines?: boolean;
}

/** Records as a JSON array (or newline-delimited JSON), streamed a record at a time. */
export async function* marcJsonCollection(
  records: AsyncIterable<MarcRecord> | Iterable<MarcRecord>,
  options: MarcJsonCollectionOptions = {},
): AsyncGenerator<string> {
  if (options.lines) {
    for await (const record of records) yield marcJsonRecord(record) + '\n';
    return;
  }
  let first = true;
  yield '[';
  for await (const record of records) {
    yield (first ? '\n' : ',\n') + marcJsonRecord(record);
    first = false;
  }
  yield '\n]\n';
}

export interface MarcJsonReadOptions {
  /** Read every record as this flavour; by default it is detected from each record's fields. */
  flavour?: MarcFlavour;
  /**
   * Bytes (UTF-8) of a record whose end has not been found after which the reader reports it as
   * too long and skips to the next place a record can start (default 1 MiB), so memory stays
   * bounded whatever the input.
   */
  maxRecordBytes?: number;
}

// eslint-disable-next-line no-control-regex -- MARC and XML rules are about control characters
const NOT_ASCII = /[^\x00-\x7f]/;
const nfc = (text: string) => (NOT_ASCII.test(text) ? text.normalize('NFC') : text);
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

class RecordShapeError extends Error {}

function singleEntry(value: unknown, what: string): [string, unknown] {
  if (!isObject(value)) throw new RecordShapeError(`${what} is not an object`);
  const entries = Object.entries(value);
  if (entries.length !== 1)
    throw new RecordShapeError(`${what} has ${entries.length} keys; MARC-in-JSON gives it exactly one`);
  return entries[0] as [string, unknown];
}

function checkedTag(tag: string, warnings: string[]): string | undefined {
  if (tag.length === 3) return tag;
  if (/^\d{1,2}$/.test(tag)) {
    warnings.push(`tag ${JSON.stringify(tag)} is not three characters; read as ${tag.padStart(3, '0')}`);
    return tag.padStart(3, '0');
  }
  warnings.push(`a field with tag ${JSON.stringify(tag)} (not three characters) was dropped`);
  return undefined;
}

function indicator(value: unknown, tag: string, which: 1 | 2, warnings: string[]): string {
  if (typeof value === 'string' && value.length === 1) return value;
  warnings.push(
    `field ${tag}: indicator ${which} is ${value === undefined ? 'missing' : JSON.stringify(value)}; read as a blank`,
  );
  return ' ';
}

/** The record a parsed MARC-in-JSON value describes; throws RecordShapeError when it is not one. */
function fromMarcJson(value: unknown, warnings: string[]): MarcRecord {
  if (!isObject(value))
    throw new RecordShapeError(
      `a ${Array.isArray(value) ? 'nested array' : typeof value} is not a MARC-in-JSON record`,
    );
  const { leader, fields } = value;
  if (!Array.isArray(fields)) throw new RecordShapeError('record has no "fields" array');
  let leaderText: string;
  if (typeof leader !== 'string') {
    if (leader !== undefined) throw new RecordShapeError('"leader" is not a string');
    warnings.push('record has no leader; a blank one was supplied');
    leaderText = normalizeLeader('00000    a2200000   4500', warnings);
  } else leaderText = normalizeLeader(leader, warnings);
  const out: MarcField[] = [];
  fields.forEach((field, i) => {
    const [rawTag, content] = singleEntry(field, `field ${i + 1}`);
    const tag = checkedTag(rawTag, warnings);
    if (tag === undefined) return;
    if (typeof content === 'string') {
      out.push({ tag, value: nfc(content) });
      return;
    }
    if (!isObject(content) || !Array.isArray(content.subfields)) {
      throw new RecordShapeError(
        `field ${i + 1} (${rawTag}) is neither a string nor an object with a "subfields" array`,
      );
    }
    const subfields: Subfield[] = [];
    content.subfields.forEach((subfield, j) => {
      const [code, text] = singleEntry(subfield, `field ${rawTag} subfield ${j + 1}`);
      if (typeof text !== 'string')
        throw new RecordShapeError(`field ${rawTag} subfield ${j + 1} ($${code}) is not a string`);
      const first = code.length > 0 ? String.fromCodePoint(code.codePointAt(0) as number) : '';
      if (first === '') {
        warnings.push(`field ${rawTag}: a subfield without a code was dropped`);
        return;
      }
      if (first !== code)
        warnings.push(
          `field ${rawTag}: subfield code ${JSON.stringify(code)} is longer than one character; read as ${JSON.stringify(first)}`,
        );
      subfields.push({ code: first, value: nfc(text) });
    });
    out.push({
      tag,
      ind1: indicator(content.ind1, tag, 1, warnings),
      ind2: indicator(content.ind2, tag, 2, warnings),
      subfields,
    });
  });
  return { leader: leaderText, fields: out };
}

/**
 * Reads MARC-in-JSON: one record, an array of records, or newline-delimited records. Yields
 * each record with the line it starts on, or a value that is not valid JSON or not a record,
 * with its line and the reason; reading goes on with the next value. A broken stretch (a missing
 * quote, a bracket that does not match, a record longer than `maxRecordBytes`) is reported once,
 * with its line, column and byte offset, and reading picks up at the next record (see
 * marc-json-cutter.ts for how, and what cannot be recovered).
 */
export async function* readMarcJson(
  source: ByteSource | string,
  options: MarcJsonReadOptions = {},
): AsyncGenerator<ReadItem<LinePosition>> {
  const cutter = new JsonValueCutter(options.maxRecordBytes);
  const toItem = (item: JsonValueItem): ReadItem<LinePosition> => {
    if ('error' in item) return item;
    const { position } = item;
    const warnings: string[] = item.repaired
      ? ['raw control characters inside JSON strings were read as if escaped']
      : [];
    try {
      const record = fromMarcJson(item.value, warnings);
      const flavour = options.flavour ?? detectFlavour(record);
      return { record: declareUnicode(record, flavour), position, warnings, flavour };
    } catch (error) {
      if (error instanceof RecordShapeError) {
        const { column, byteOffset } = item;
        return { error: { ...position, column, byteOffset, reason: error.message } };
      }
      throw error;
    }
  };

  if (typeof source === 'string') {
    cutter.append(source);
    for (const item of cutter.cut(true)) yield toItem(item);
    return;
  }
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  for await (const chunk of byteChunks(source)) {
    cutter.append(decoder.decode(chunk, { stream: true }));
    for (const item of cutter.cut(false)) yield toItem(item);
  }
  cutter.append(decoder.decode());
  for (const item of cutter.cut(true)) yield toItem(item);
}
