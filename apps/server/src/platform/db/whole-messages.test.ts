import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { deliveringWholeMessages, MessageFramer } from './whole-messages.js';

const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
/** An untyped message before the session: its length, a code, a body. */
const untyped = (code: number, body = Buffer.alloc(0)) => Buffer.concat([int32(8 + body.length), int32(code), body]);
/** A typed message: its type, its length (counting itself), its body. */
const typed = (type: string, body: Buffer) => Buffer.concat([Buffer.from(type), int32(4 + body.length), body]);

const sslRequest = untyped(80877103);
const startup = untyped(196608, Buffer.from('user\0postgres\0\0'));
const query = typed('Q', Buffer.from('select 1\0'));
const parse = typed('P', Buffer.alloc(200_000, 0x61));
const sync = typed('S', Buffer.alloc(0));
const stream = Buffer.concat([sslRequest, startup, query, parse, sync, query]);
const boundaries = [sslRequest, startup, query, parse, sync, query].reduce<number[]>(
  (ends, m) => [...ends, (ends.at(-1) ?? 0) + m.length],
  [],
);

/** The stream cut into chunks of the given sizes (the last one takes the rest). */
function cut(sizes: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= stream.length) break;
    chunks.push(stream.subarray(at, at + size));
    at += size;
  }
  if (at < stream.length) chunks.push(stream.subarray(at));
  return chunks;
}

describe('MessageFramer', () => {
  it('hands on runs that end on message boundaries and together are the stream, however it is cut', () => {
    const cuts = [[1], [3, 5, 7], [8, 30, 1, 1, 2], [65_536], [5, 65_536, 65_536], [stream.length]];
    for (let seed = 1; seed <= 40; seed++) {
      const sizes: number[] = [];
      let x = seed;
      for (let i = 0; i < 60; i++) sizes.push(1 + ((x = (x * 48_271) % 2_147_483_647) % (seed % 2 ? 9 : 20_000)));
      cuts.push(sizes);
    }
    for (const sizes of cuts) {
      const framer = new MessageFramer();
      const runs = cut(sizes)
        .map((chunk) => framer.push(chunk))
        .filter((run): run is Buffer => run !== null);
      expect(Buffer.concat(runs).equals(stream)).toBe(true);
      let at = 0;
      for (const run of runs) {
        at += run.length;
        expect(boundaries).toContain(at);
      }
    }
  });

  it('holds a message back until its last byte has come', () => {
    const framer = new MessageFramer();
    expect(framer.push(startup)).toEqual(startup);
    expect(framer.push(parse.subarray(0, 100_000))).toBeNull();
    expect(framer.push(parse.subarray(100_000, parse.length - 1))).toBeNull();
    const last = framer.push(Buffer.concat([parse.subarray(parse.length - 1), sync.subarray(0, 2)]));
    expect(last?.equals(parse)).toBe(true);
    expect(framer.push(sync.subarray(2))).toEqual(sync);
  });

  it('passes on what follows a length that cannot be, for the server to refuse', () => {
    const framer = new MessageFramer();
    framer.push(startup);
    const bad = Buffer.concat([Buffer.from('Q'), int32(2), Buffer.from('xyz')]);
    expect(framer.push(bad)).toEqual(bad);
  });
});

describe('deliveringWholeMessages', () => {
  it("gives a socket's data listeners whole messages and leaves its other events alone", () => {
    const socket = deliveringWholeMessages(new EventEmitter());
    const data: Buffer[] = [];
    let closed = false;
    socket.on('data', (chunk: Buffer) => data.push(chunk));
    socket.on('close', () => (closed = true));
    socket.emit('data', startup.subarray(0, 3));
    socket.emit('data', startup.subarray(3));
    socket.emit('close');
    expect(data).toEqual([startup]);
    expect(closed).toBe(true);
  });
});
