// ISO 2709 as a stream. Records are cut at their record terminator (0x1D), checked against the
// leader's record length (framing), and parsed one at a time; only the bytes of the record being
// cut are ever held, so the memory used does not depend on the size of the input. Framing and
// parsing are apart, so that a caller may parse records elsewhere (an import, in worker threads).
import { type Iso2709ParseOptions, parseIso2709Record } from './iso2709-record.js';
import { type BytePosition, type ByteSource, byteChunks, type ReadItem, type RecordFailure } from './read-result.js';

export interface Iso2709FrameOptions {
  /**
   * Bytes without a record terminator after which the reader gives up on the record and skips
   * to the next terminator (default 1 MiB; ISO 2709 records are at most 99,999 bytes).
   */
  maxRecordBytes?: number;
}

export interface Iso2709ReadOptions extends Iso2709ParseOptions, Iso2709FrameOptions {
  /** Attach each record's source bytes to what is yielded (`raw`). */
  keepRaw?: boolean;
}

/**
 * One record cut out of ISO 2709 input, not yet parsed: give `bytes` (the record, its terminator
 * included when `terminated`) to parseIso2709Record. `bytes` is a view of the reader's buffer,
 * valid until the next record is asked for: copy it (`slice`) to keep it.
 */
export interface FramedIso2709 {
  position: BytePosition;
  bytes: Uint8Array;
  terminated: boolean;
}

const RT = 0x1d;

// Between records: line breaks some tools add, padding, DOS end-of-file, stray terminators.
function isFiller(b: number): boolean {
  return b === 0x0a || b === 0x0d || b === 0x20 || b === 0x09 || b === 0x00 || b === 0x1a || b === RT;
}

/** Where ISO 2709 input's first record begins: past the filler that readers skip between records. */
export function iso2709Start(bytes: Uint8Array): number {
  let at = 0;
  while (at < bytes.length && isFiller(bytes[at] as number)) at++;
  return at;
}

/** The leader's record length at `start`, or -1 when positions 0-4 are not all digits. */
function leaderLength(data: Uint8Array, start: number): number {
  let n = 0;
  for (let i = start; i < start + 5; i++) {
    const d = (data[i] as number) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Bytes carried from one chunk to the next: the unfinished record. */
class Carry {
  bytes = new Uint8Array(64 * 1024);
  length = 0;

  append(chunk: Uint8Array): void {
    if (this.length + chunk.length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + chunk.length));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    this.bytes.set(chunk, this.length);
    this.length += chunk.length;
  }

  keep(from: number): void {
    this.bytes.copyWithin(0, from, this.length);
    this.length -= from;
  }
}

/**
 * Cuts ISO 2709 input (a buffer or a stream of chunks) into records without parsing them. Yields,
 * in order, each record's bytes and position, or the position of a run of bytes with no record
 * terminator and the reason it was skipped; cutting goes on with the next record.
 */
export async function* frameIso2709(
  source: ByteSource,
  options: Iso2709FrameOptions = {},
): AsyncGenerator<FramedIso2709 | RecordFailure<BytePosition>> {
  const maxRecordBytes = options.maxRecordBytes ?? 1024 * 1024;
  const carry = new Carry();
  let carryOffset = 0; // file offset of carry.bytes[0]
  let index = 0;
  let skipping = false; // discarding an over-long run of bytes up to the next terminator

  function* records(
    data: Uint8Array,
    length: number,
    dataOffset: number,
    eof: boolean,
  ): Generator<FramedIso2709 | RecordFailure<BytePosition>, number> {
    let pos = 0;
    for (;;) {
      if (skipping) {
        const t = data.indexOf(RT, pos);
        if (t < 0 || t >= length) return length;
        skipping = false;
        pos = t + 1;
      }
      while (pos < length && isFiller(data[pos] as number)) pos++;
      if (pos >= length) return length;
      const start = pos;
      let t = data.indexOf(RT, start);
      if (t >= length) t = -1;
      const declared = length - start >= 5 ? leaderLength(data, start) : -1;
      if (t >= 0 && declared > 0 && start + declared - 1 > t) {
        // A terminator before the end the leader gives: a stray 0x1D inside the data, or a wrong
        // leader. Trust the leader only if its end really is a terminator.
        const end = start + declared - 1;
        if (end < length) {
          if (data[end] === RT) t = end;
        } else if (!eof && declared <= maxRecordBytes) {
          return start;
        }
      }
      if (t < 0) {
        if (!eof) {
          if (length - start > maxRecordBytes) {
            yield {
              error: {
                index: index++,
                byteOffset: dataOffset + start,
                reason: `no record terminator (0x1D) within ${maxRecordBytes} bytes; skipped to the next one`,
              },
            };
            skipping = true;
            return length;
          }
          return start;
        }
        yield framed(data, start, length, false, dataOffset);
        return length;
      }
      yield framed(data, start, t + 1, true, dataOffset);
      pos = t + 1;
    }
  }

  const framed = (data: Uint8Array, start: number, end: number, terminated: boolean, dataOffset: number) => ({
    position: { index: index++, byteOffset: dataOffset + start },
    bytes: data.subarray(start, end),
    terminated,
  });

  let offset = 0;
  for await (const chunk of byteChunks(source)) {
    if (chunk.length === 0) continue;
    if (carry.length === 0) {
      // The common case: whole records inside the chunk are cut where they are.
      const consumed = yield* records(chunk, chunk.length, offset, false);
      if (consumed < chunk.length) {
        carry.append(chunk.subarray(consumed));
        carryOffset = offset + consumed;
      }
    } else {
      carry.append(chunk);
      const consumed = yield* records(carry.bytes, carry.length, carryOffset, false);
      carry.keep(consumed);
      carryOffset += consumed;
    }
    offset += chunk.length;
  }
  if (carry.length > 0) yield* records(carry.bytes, carry.length, carryOffset, true);
}

/** Parses a framed record: the record with its position and warnings, or why it cannot be read. */
export function parseFramedIso2709(
  framed: FramedIso2709,
  options: Iso2709ParseOptions & { keepRaw?: boolean } = {},
): ReadItem<BytePosition> {
  const { bytes, terminated, position } = framed;
  const parsed = parseIso2709Record(bytes, 0, terminated ? bytes.length - 1 : bytes.length, terminated, options);
  if (!parsed.ok) return { error: { ...position, reason: parsed.reason }, raw: bytes.slice() };
  const read: ReadItem<BytePosition> = {
    record: parsed.record,
    position,
    warnings: parsed.warnings,
    flavour: parsed.flavour,
    encoding: parsed.encoding,
  };
  if (options.keepRaw) read.raw = bytes.slice();
  return read;
}

/**
 * Reads ISO 2709 records (MARC 21 or UNIMARC) from a buffer or a stream of chunks. Yields, in
 * order, each record with its position and warnings, or a damaged record's position and the
 * reason it could not be read; reading goes on with the next record.
 */
export async function* readIso2709(
  source: ByteSource,
  options: Iso2709ReadOptions = {},
): AsyncGenerator<ReadItem<BytePosition>> {
  for await (const item of frameIso2709(source, options))
    yield 'error' in item ? item : parseFramedIso2709(item, options);
}
