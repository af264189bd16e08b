// MARC-in-JSON (Ross Singer's format, as pymarc reads and writes it):
//   {"leader": "…", "fields": [{"001": "…"}, {"245": {"ind1": " ", "ind2": " ", "subfields": [{"a": "…"}]}}]}
// The reader takes one record, an array of records, or records one after another (newline-
// delimited JSON), and cuts the input into records by scanning brackets and strings, so a large
// array is read one record at a time.
import { TextDecoder } from 'node:util';
import { declareUnicode, detectFlavour } from './flavour.js';
import { normalizeLeader } from './leader.js';
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

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const STRING_LITERAL = /"(?:[^"\\]|\\.)*"/g;
// eslint-disable-next-line no-control-regex -- MARC and XML rules are about control characters
const CONTROL = /[\x00-\x1f]/g;

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff;
}

/**
 * Reads MARC-in-JSON: one record, an array of records, or newline-delimited records. Yields
 * each record with the line it starts on, or a value that is not valid JSON or not a record,
 * with its line and the reason; reading goes on with the next value.
 */
export async function* readMarcJson(
  source: ByteSource | string,
  options: MarcJsonReadOptions = {},
): AsyncGenerator<ReadItem<LinePosition>> {
  let buffer = '';
  let scan = 0; // next character of `buffer` to look at
  let line = 1; // line of buffer[scan]
  let index = 0;
  // Where the value being cut starts in `buffer`, and its line; -1 between values.
  let valueStart = -1;
  let valueLine = 1;
  const open: number[] = []; // closing brackets expected inside the value being cut
  let skipLine = false; // after a bracket mismatch, the rest of its line goes with the broken value
  let inString = false;
  let escaped = false;
  let arrayDepth = 0; // 1 while inside a top-level array whose elements are records

  const finish = (text: string, startLine: number): ReadItem<LinePosition> => {
    const position = { index: index++, line: startLine };
    const warnings: string[] = [];
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      // Raw line breaks and tabs inside strings are not JSON, but some writers (and pymarc's
      // own test data) produce them; they are accepted, with a warning.
      const escaped = text.replace(STRING_LITERAL, (literal) =>
        literal.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
      );
      try {
        if (escaped === text) throw error;
        value = JSON.parse(escaped);
        warnings.push('raw control characters inside JSON strings were read as if escaped');
      } catch {
        return { error: { ...position, reason: `not valid JSON: ${(error as Error).message}` } };
      }
    }
    try {
      const record = fromMarcJson(value, warnings);
      const flavour = options.flavour ?? detectFlavour(record);
      return { record: declareUnicode(record, flavour), position, warnings, flavour };
    } catch (error) {
      if (error instanceof RecordShapeError) return { error: { ...position, reason: error.message } };
      throw error;
    }
  };

  function* cut(final: boolean): Generator<ReadItem<LinePosition>> {
    const n = buffer.length;
    for (; scan < n; scan++) {
      const c = buffer.charCodeAt(scan);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) inString = false;
        else if (c === NEWLINE) line++;
        continue;
      }
      if (c === NEWLINE) line++;
      if (skipLine) {
        if (c !== NEWLINE) continue;
        skipLine = false;
        const text = buffer.slice(valueStart, scan);
        valueStart = -1;
        yield finish(text, valueLine);
        continue;
      }
      if (valueStart < 0) {
        if (isWhitespace(c)) continue;
        if (c === OPEN_BRACKET && arrayDepth === 0) {
          arrayDepth = 1;
          continue;
        }
        if (arrayDepth === 1 && (c === COMMA || c === CLOSE_BRACKET)) {
          if (c === CLOSE_BRACKET) arrayDepth = 0;
          continue;
        }
        valueStart = scan;
        valueLine = line;
        open.length = 0;
      }
      let closed = false;
      let stray = false;
      if (c === QUOTE) inString = true;
      else if (c === OPEN_BRACE) open.push(CLOSE_BRACE);
      else if (c === OPEN_BRACKET) open.push(CLOSE_BRACKET);
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (open.length === 0) stray = true;
        else if (open[open.length - 1] !== c) {
          skipLine = true;
          continue;
        } else {
          open.pop();
          closed = true;
        }
      }
      let end = -1;
      if (closed && open.length === 0) end = scan + 1;
      else if (stray)
        end = scan > valueStart ? scan : scan + 1; // an array's end right after a bare value, or a stray bracket
      else if (open.length === 0 && (c === COMMA || isWhitespace(c)) && scan > valueStart) end = scan;
      if (end < 0) continue;
      const text = buffer.slice(valueStart, end);
      valueStart = -1;
      if (end === scan) {
        // The delimiter is not part of the value: look at it again, between values.
        if (c === NEWLINE) line--;
        scan--;
      }
      yield finish(text, valueLine);
    }
    if (final && valueStart >= 0) {
      const text = buffer.slice(valueStart);
      valueStart = -1;
      skipLine = false;
      yield finish(text, valueLine);
    }
    // Keep only what the next chunk still needs.
    const keep = valueStart >= 0 ? valueStart : scan;
    buffer = buffer.slice(keep);
    scan -= keep;
    if (valueStart >= 0) valueStart = 0;
  }

  if (typeof source === 'string') {
    buffer = source;
    yield* cut(true);
    return;
  }
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of byteChunks(source)) {
    buffer += decoder.decode(chunk, { stream: true });
    yield* cut(false);
  }
  buffer += decoder.decode();
  yield* cut(true);
}
