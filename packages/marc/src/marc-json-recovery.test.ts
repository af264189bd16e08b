// Damaged MARC-in-JSON: a broken record is reported once, with its position, and every good record
// around it is still read, whatever the layout (newline-delimited, the writer's array, a
// pretty-printed array, a minified one-line array) and however the input is chunked.
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type JsonValueItem, JsonValueCutter } from './marc-json-cutter.js';
import { marcJsonRecord, readMarcJson, toMarcJson } from './marc-json.js';
import { isRecordFailure, type LinePosition, type ReadItem, type RecordRead } from './read-result.js';
import type { MarcRecord } from './record.js';
import { marcRecord } from './test/arbitraries.js';
import { collect, inChunks } from './test/shared-data.js';

type Item = ReadItem<LinePosition>;
type Layout = 'lines' | 'array' | 'pretty' | 'minified';

const records = (items: Item[]) =>
  items.filter((i): i is RecordRead<LinePosition> => !isRecordFailure(i)).map((i) => i.record);
const errors = (items: Item[]) => items.filter(isRecordFailure).map((i) => i.error);

const read = (input: string | Uint8Array | AsyncIterable<Uint8Array>, maxRecordBytes?: number) =>
  collect(readMarcJson(input, { flavour: 'marc21', maxRecordBytes }));

const TEXTS = ['Title "quoted" {braces} [brackets], commas', 'Война и мир', '紅樓夢', 'Café 📚', 'plain'];

function goodRecord(i: number): MarcRecord {
  return {
    leader: '00000nam a2200000   4500',
    fields: [
      { tag: '001', value: `r${i}` },
      {
        tag: '245',
        ind1: '1',
        ind2: '0',
        subfields: [
          { code: 'a', value: TEXTS[i % TEXTS.length] as string },
          { code: 'c', value: `by ${i}` },
        ],
      },
    ],
  };
}

const indent = (text: string) => text.replace(/^/gm, '  ');

/** A record's text in a layout: one line, or pretty-printed at the indentation of an array element. */
function recordText(record: MarcRecord, layout: Layout): string {
  return layout === 'pretty' ? indent(JSON.stringify(toMarcJson(record), null, 2)).slice(2) : marcJsonRecord(record);
}

/** Head, separator between records and tail of each layout. */
const FRAMES: Record<Layout, readonly [head: string, separator: string, tail: string]> = {
  lines: ['', '\n', '\n'],
  array: ['[\n', ',\n', '\n]\n'],
  pretty: ['[\n  ', ',\n  ', '\n]\n'],
  minified: ['[', ',', ']'],
};

/**
 * The records laid out as a file, with `damage` applied to the text of record `damaged`; also
 * where that record's text starts: character offset, byte offset, line, column.
 */
function layOut(input: MarcRecord[], layout: Layout, damaged = -1, damage = (text: string) => text) {
  const [head, separator, tail] = FRAMES[layout];
  let text = head;
  let start = -1;
  let end = -1;
  input.forEach((record, i) => {
    if (i > 0) text += separator;
    if (i === damaged) start = text.length;
    text += i === damaged ? damage(recordText(record, layout)) : recordText(record, layout);
    if (i === damaged) end = text.length;
  });
  text += tail;
  const before = text.slice(0, start);
  return {
    text,
    start: {
      byteOffset: Buffer.byteLength(before),
      byteEnd: Buffer.byteLength(text.slice(0, end)),
      line: before.split('\n').length,
      column: start - before.lastIndexOf('\n'),
    },
  };
}

/** Line and column (1-based, in characters) of a byte offset of the text. */
function lineAndColumn(text: string, byteOffset: number) {
  const before = Buffer.from(text).subarray(0, byteOffset).toString();
  return { line: before.split('\n').length, column: before.length - before.lastIndexOf('\n') };
}

const dropLastQuote = (fragment: string) => (text: string) => {
  const at = text.indexOf(fragment);
  expect(at).toBeGreaterThanOrEqual(0);
  return text.slice(0, at) + fragment.slice(0, -1) + text.slice(at + fragment.length);
};

const thousand = Array.from({ length: 1000 }, (_, i) => goodRecord(i));
const allBut = (i: number, input = thousand) => input.filter((_, j) => j !== i);

describe('a damaged record among good ones is reported once, with its position; the rest are read', () => {
  const damages = {
    'the closing quote of its first value': dropLastQuote('"r10"'),
    'the closing quote of its last value (the string runs past the line end)': dropLastQuote('"by 10"'),
  };

  for (const layout of ['lines', 'array', 'pretty'] as const) {
    for (const [what, damage] of Object.entries(damages)) {
      test(`${layout}: 1,000 records, ${what} missing in record 11`, async () => {
        const { text, start } = layOut(thousand, layout, 10, damage);
        const items = await read(text);
        expect(records(items)).toEqual(allBut(10));
        expect(errors(items)).toEqual([
          {
            index: 10,
            line: start.line,
            column: start.column,
            byteOffset: start.byteOffset,
            reason: expect.stringMatching(/^not valid JSON: /),
          },
        ]);
        // The same, read as a stream in small chunks.
        expect(await read(inChunks(Buffer.from(text), 97))).toEqual(items);
      });
    }
  }

  test('the reason names the string that is not closed on its line', async () => {
    const { text } = layOut(
      thousand.slice(0, 20),
      'lines',
      10,
      damages[Object.keys(damages)[1] as keyof typeof damages],
    );
    const [error] = errors(await read(text));
    expect(error?.reason).toMatch(
      /^not valid JSON: the string that opens at line 11, column \d+ is not closed on that line/,
    );
  });

  const minifiedDamages: Record<string, (text: string) => string> = {
    'a bracket mismatch (the fields array closed by "}")': (text) => `${text.slice(0, -2)}}}`,
    'a missing closing quote': dropLastQuote('"r10"'),
    'a missing closing brace': (text) => text.slice(0, -1),
    'a missing closing quote in its last value': dropLastQuote('"by 10"'),
  };
  for (const [what, damage] of Object.entries(minifiedDamages)) {
    test(`a minified one-line array: ${what} in record 11`, async () => {
      const { text, start } = layOut(thousand, 'minified', 10, damage);
      expect(text).not.toContain('\n');
      const items = await read(text);
      expect(records(items)).toEqual(allBut(10));
      expect(errors(items)).toEqual([
        { index: 10, line: 1, column: start.column, byteOffset: start.byteOffset, reason: expect.any(String) },
      ]);
      expect(await read(inChunks(Buffer.from(text), 61))).toEqual(items);
    });
  }

  test('an unclosed string at the start of a large newline-delimited file loses only its own record', async () => {
    const input = Array.from({ length: 20_000 }, (_, i) => goodRecord(i));
    const { text } = layOut(input, 'lines', 0, (line) => line.replace('"r0"', '"r0'));
    const items = await read(inChunks(Buffer.from(text), 64 * 1024));
    expect(records(items)).toEqual(allBut(0, input));
    expect(errors(items)).toEqual([
      { index: 0, line: 1, column: 1, byteOffset: 0, reason: expect.stringMatching(/^not valid JSON: /) },
    ]);
  });
});

describe('maxRecordBytes', () => {
  test('a record longer than the limit is reported as too long and skipped; the next ones are read', async () => {
    const input = thousand.slice(0, 5);
    const long: MarcRecord = {
      leader: '00000nam a2200000   4500',
      fields: [{ tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'é'.repeat(3000) }] }],
    };
    for (const layout of ['lines', 'pretty', 'minified'] as const) {
      const { text, start } = layOut([...input.slice(0, 2), long, ...input.slice(2)], layout, 2);
      const items = await read(text, 4000);
      expect(records(items)).toEqual(input);
      expect(errors(items)).toEqual([
        {
          index: 2,
          line: start.line,
          column: start.column,
          byteOffset: start.byteOffset,
          reason: 'longer than 4000 bytes without an end; skipped to the next record',
        },
      ]);
      // Within the limit, it is read.
      expect(records(await read(text, 8000))).toEqual([...input.slice(0, 2), long, ...input.slice(2)]);
    }
  });

  test('a string that never closes: reported once, memory stays bounded, the records after it are read', async () => {
    const limit = 16 * 1024;
    const chunk = 4096;
    const input = thousand.slice(0, 200);
    const text = `{"leader": "${'x'.repeat(10 * limit)}\n${layOut(input, 'lines').text}`;
    const cutter = new JsonValueCutter(limit);
    const items: JsonValueItem[] = [];
    let held = 0;
    for (let at = 0; at < text.length; at += chunk) {
      cutter.append(text.slice(at, at + chunk));
      items.push(...cutter.cut(false));
      held = Math.max(held, (cutter as unknown as { buffer: string }).buffer.length);
    }
    items.push(...cutter.cut(true));
    expect(held).toBeLessThanOrEqual(limit + chunk);
    expect(items.filter((i) => !isRecordFailure(i))).toHaveLength(200);
    expect(items.filter(isRecordFailure).map((i) => i.error)).toEqual([
      { index: 0, line: 1, column: 1, byteOffset: 0, reason: expect.stringMatching(/^longer than 16384 bytes/) },
    ]);
  });
});

describe('properties', () => {
  const damage = fc.oneof(
    fc.record({ kind: fc.constant('drop'), what: fc.constantFrom('"', '}', ']', '{', '['), nth: fc.nat() }),
    fc.record({ kind: fc.constant('swap'), what: fc.constantFrom('}', ']'), nth: fc.nat() }),
    fc.record({ kind: fc.constant('truncate'), what: fc.constant(''), nth: fc.nat() }),
  );

  /** Where `what` is part of the JSON's structure (a string's quotes, brackets outside strings). */
  function structural(text: string, what: string): number[] {
    const at: number[] = [];
    let inString = false;
    let escaped = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
        if (c === '"' && !inString && what === '"') at.push(i);
      } else if (c === '"') {
        inString = true;
        if (what === '"') at.push(i);
      } else if (c === what) at.push(i);
    }
    return at;
  }

  // Damage to the structure only: a bracket or quote inside a string's text may be dropped and
  // leave a valid record (with other text), which is not damage the reader could see.
  function apply({ kind, what, nth }: { kind: string; what: string; nth: number }, text: string): string {
    if (kind === 'truncate') return text.slice(0, 1 + (nth % (text.length - 1)));
    const at = structural(text, what);
    const i = at[nth % at.length] as number;
    const replacement = kind === 'swap' ? (what === '}' ? ']' : '}') : '';
    return text.slice(0, i) + replacement + text.slice(i + 1);
  }

  test('one damaged record at any position among N good ones: the N come back, and at least one error, inside the damage', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(marcRecord, { minLength: 1, maxLength: 8 }),
        marcRecord,
        fc.nat(),
        damage,
        fc.constantFrom<Layout>('lines', 'array', 'pretty', 'minified'),
        fc.integer({ min: 1, max: 300 }),
        async (good, bad, position, harm, layout, chunk) => {
          const at = position % (good.length + 1);
          const input = [...good.slice(0, at), bad, ...good.slice(at)];
          const { text, start } = layOut(input, layout, at, (t) => apply(harm, t));
          const items = await read(inChunks(Buffer.from(text), chunk));
          expect(records(items)).toEqual(good);
          const found = errors(items);
          expect(found.length).toBeGreaterThanOrEqual(1);
          items.forEach((item, i) => expect(isRecordFailure(item) ? item.error.index : item.position.index).toBe(i));
          for (const error of found) {
            expect(error.byteOffset).toBeGreaterThanOrEqual(start.byteOffset);
            expect(error.byteOffset).toBeLessThan(start.byteEnd);
            expect({ line: error.line, column: error.column }).toEqual(lineAndColumn(text, error.byteOffset as number));
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
