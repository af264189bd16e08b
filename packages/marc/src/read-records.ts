// One entry point for every format: `readRecords(source, { format: 'auto' })` looks at the
// first bytes, then hands the whole stream, those bytes included, to the right reader.
import type { MarcEncoding } from './charsets/index.js';
import { detectFormat, type MarcFormat } from './detect-format.js';
import { readIso2709 } from './iso2709-reader.js';
import { readMarcJson } from './marc-json.js';
import { readMarcxml } from './marcxml-reader.js';
import type { ByteSource, ReadItem } from './read-result.js';
import { byteChunks } from './read-result.js';
import type { MarcFlavour } from './record.js';

export interface ReadRecordsOptions {
  /**
   * 'auto' (the default) detects the format; 'marc21' and 'unimarc' mean ISO 2709 of that
   * flavour, as the import command's --format takes them.
   */
  format?: MarcFormat | 'auto' | 'marc21' | 'unimarc';
  flavour?: MarcFlavour;
  /** ISO 2709 only: decode every record from this encoding. */
  encoding?: MarcEncoding;
  /** ISO 2709 only: see Iso2709ReadOptions.invalidBytes. */
  invalidBytes?: 'error' | 'replace';
  /** Attach each record's source: its bytes (ISO 2709) or its <record> element's text (MARCXML, in UTF-8). */
  keepRaw?: boolean;
}

const SNIFF_BYTES = 512;

/** Reads records in any supported format, detected from the first bytes unless given. */
export async function* readRecords(source: ByteSource, options: ReadRecordsOptions = {}): AsyncGenerator<ReadItem> {
  let format = options.format ?? 'auto';
  let flavour = options.flavour;
  if (format === 'marc21' || format === 'unimarc') {
    flavour ??= format;
    format = 'iso2709';
  }
  let input: ByteSource = source;
  if (format === 'auto') {
    const peeked = await peek(source, SNIFF_BYTES);
    format = detectFormat(peeked.head);
    input = peeked.stream;
  }
  switch (format) {
    case 'marcxml':
      yield* readMarcxml(input, { flavour, keepRaw: options.keepRaw });
      return;
    case 'json':
      yield* readMarcJson(input, { flavour });
      return;
    case 'iso2709':
      yield* readIso2709(input, {
        flavour,
        encoding: options.encoding,
        invalidBytes: options.invalidBytes,
        keepRaw: options.keepRaw,
      });
      return;
  }
}

/** The first `size` bytes of a source (fewer if it is shorter), and the source again from its start. */
async function peek(source: ByteSource, size: number): Promise<{ head: Uint8Array; stream: ByteSource }> {
  if (source instanceof Uint8Array) return { head: source.subarray(0, size), stream: source };
  const iterator = byteChunks(source)[Symbol.asyncIterator]();
  const taken: Uint8Array[] = [];
  let length = 0;
  let done = false;
  while (length < size) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    taken.push(next.value);
    length += next.value.length;
  }
  const head = new Uint8Array(Math.min(size, length));
  let at = 0;
  for (const chunk of taken) {
    if (at >= head.length) break;
    const part = chunk.subarray(0, head.length - at);
    head.set(part, at);
    at += part.length;
  }
  async function* replay(): AsyncGenerator<Uint8Array> {
    yield* taken;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head, stream: replay() };
}
