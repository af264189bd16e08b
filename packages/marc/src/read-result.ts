import type { MarcEncoding } from './charsets/index.js';
import type { MarcFlavour, MarcRecord } from './record.js';

/** Where a record starts in ISO 2709 input: its ordinal (0-based, damaged records counted) and byte offset. */
export interface BytePosition {
  index: number;
  byteOffset: number;
}

/** Where a record starts in XML or JSON text: its ordinal (0-based) and 1-based line. */
export interface LinePosition {
  index: number;
  line: number;
  /** 1-based column, given for errors. */
  column?: number;
  /** Offset in bytes (UTF-8) from the start of the input, given for MARC-in-JSON errors. */
  byteOffset?: number;
}

export type ReadPosition = BytePosition | LinePosition;

/** A record read successfully, perhaps with warnings about repairs made while reading it. */
export interface RecordRead<P extends ReadPosition = ReadPosition> {
  record: MarcRecord;
  position: P;
  warnings: string[];
  /** The flavour the reader took the record for (given or detected). */
  flavour?: MarcFlavour;
  /** The encoding the record's bytes were decoded from (ISO 2709). */
  encoding?: MarcEncoding;
  /** The record's source bytes, when the reader was asked to keep them (`keepRaw`). */
  raw?: Uint8Array;
}

/** A record that could not be read: where it was and why. */
export interface RecordFailure<P extends ReadPosition = ReadPosition> {
  error: P & { reason: string };
  /** The damaged record's bytes, when they are known (ISO 2709). */
  raw?: Uint8Array;
}

export type ReadItem<P extends ReadPosition = ReadPosition> = RecordRead<P> | RecordFailure<P>;

/** Whether a reader's item (a ReadItem, or a cutter's item before parsing) is a damaged record's report. */
export function isRecordFailure<T extends object>(item: T): item is Extract<T, { error: unknown }> {
  return 'error' in item;
}

/** Input for the streaming readers: a whole buffer, or chunks (a Node stream is one). */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array> | Uint8Array;

export async function* byteChunks(source: ByteSource): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    yield source;
    return;
  }
  if (Symbol.asyncIterator in source) {
    for await (const chunk of source) yield chunk;
  } else {
    for (const chunk of source) yield chunk;
  }
}
