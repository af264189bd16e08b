// The embedded database's socket server (pglite-socket) appends each chunk a socket reads to what
// it holds with Buffer.concat, so a message of n chunks is copied about n²/2 times: a statement of
// 250 records (about 900 KB, fourteen chunks of 64 KB) cost 6.7 MB of copies, and the copies, made
// outside V8's heap, set off a full garbage collection every 64 MB. Chunks are gathered here until
// they end on a message boundary and handed on together, so each byte is copied once more.

import type { EventEmitter } from 'node:events';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';

// A message before the session starts has no type byte: its length, then a code.
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

/** Splits a byte stream of PostgreSQL frontend messages into runs of whole messages. */
export class MessageFramer {
  private chunks: Buffer[] = [];
  private bytes = 0;
  /** Bytes at the front of `chunks` that are whole messages. */
  private whole = 0;
  /** Where the message being read ends, or -1 while its header has not come. */
  private end = -1;
  /** The first messages (SSL or GSS encryption requests, then the startup message) have no type byte. */
  private started = false;

  /** Takes a chunk as read; returns the whole messages it completes (with those before it), or null. */
  push(chunk: Buffer): Buffer | null {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    for (;;) {
      if (this.end < 0) {
        const headerLength = this.started ? 5 : 8;
        if (this.bytes - this.whole < headerLength) break;
        const header = this.peek(this.whole, headerLength);
        // A message's length counts itself (four bytes), not its type byte.
        const length = this.started ? header.readInt32BE(1) : header.readInt32BE(0);
        if (!this.started) {
          const code = header.readInt32BE(4);
          this.started = code !== SSL_REQUEST && code !== GSSENC_REQUEST;
        }
        const size = headerLength === 5 ? 1 + length : length;
        // A length that cannot be: what has come is passed on as it is, for the server to refuse.
        this.end = length < 4 ? this.bytes : this.whole + size;
      }
      if (this.bytes < this.end) break;
      this.whole = this.end;
      this.end = -1;
    }
    if (this.whole === 0) return null;
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.bytes);
    const out = all.subarray(0, this.whole);
    const rest = all.subarray(this.whole);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.bytes = rest.length;
    if (this.end >= 0) this.end -= this.whole;
    this.whole = 0;
    return out;
  }

  /** `length` bytes from `offset` on, across chunks. */
  private peek(offset: number, length: number): Buffer {
    const out = Buffer.alloc(length);
    let skip = offset;
    let copied = 0;
    for (const chunk of this.chunks) {
      if (skip >= chunk.length) {
        skip -= chunk.length;
        continue;
      }
      copied += chunk.copy(out, copied, skip, Math.min(chunk.length, skip + length - copied));
      skip = 0;
      if (copied === length) break;
    }
    return out;
  }
}

/**
 * Makes `socket` hand its 'data' listeners runs of whole messages (MessageFramer) instead of the
 * chunks it reads; its other events and methods are left as they are. Returns the socket.
 */
export function deliveringWholeMessages<S extends EventEmitter>(socket: S): S {
  const emitter: EventEmitter = socket;
  const on = emitter.on.bind(emitter);
  emitter.on = (event, listener) => {
    if (event !== 'data') return on(event, listener);
    const framer = new MessageFramer();
    return on('data', (chunk: Buffer) => {
      const messages = framer.push(chunk);
      if (messages) listener(messages);
    });
  };
  return socket;
}

const INSTALLED = Symbol.for('athenaeum.wholeMessages');

/**
 * Makes every pglite-socket connection of this process read whole messages: its server makes the
 * handlers, so their (public) attach is wrapped. Once per process, whichever copies of this module
 * are loaded (the mark is on the class); the embedded database's child and the tests' servers call it.
 */
export function installWholeMessages(): void {
  const prototype = PGLiteSocketHandler.prototype as PGLiteSocketHandler & { [INSTALLED]?: true };
  if (prototype[INSTALLED]) return;
  prototype[INSTALLED] = true;
  const attach = prototype.attach;
  prototype.attach = function (socket) {
    return attach.call(this, deliveringWholeMessages(socket));
  };
}
