// Cuts MARC-in-JSON text into its top-level JSON values — one value, an array's elements, or
// values one after another (newline-delimited JSON) — by scanning brackets and strings, so a large
// file is read one record at a time, and parses each.
//
// Damage does not spread. A value is known to be broken, without waiting for its end, when:
//   - a closing bracket does not match the opening one;
//   - a string (inside an object or array) is followed by something other than `:` `,` `}` `]`,
//     which is what a missing or extra quote leads to within a few characters (raw line breaks
//     inside strings are tolerated, so a missing quote cannot be told from a long string
//     otherwise: from there on, what was text is read as structure and the other way round);
//   - an object starts with the key "leader" or "fields" inside another value: a record starts
//     there, so the one before it was never closed;
//   - it runs past `maxRecordBytes` (UTF-8) without ending, or the input ends inside it.
// The broken stretch is reported once, with the line, column and byte offset where it starts, and
// reading resynchronises at the next place a record can start, looked for from just after the
// broken value's start, without trusting quotes:
//   - `{` followed by the key "leader" or "fields" (in valid JSON that sequence is always an object
//     with that key: a quote inside a string is escaped), anywhere: within a line, this is the
//     only way back into a minified one-line array (`},{"leader"…`);
//   - a `{` that begins a line indented no deeper than the broken value began, unless its first
//     key is a field's or a subfield's (3 or 1 characters, "ind1", "ind2", "subfields"); at the
//     top level (not in an array) also a `[`. This finds the next line of newline-delimited JSON
//     and the next record of a pretty-printed array.
// What cannot be recovered: records whose first key is neither "leader" nor "fields" that follow
// damage on the same line (a minified array) are part of the broken stretch; so are bare values
// (numbers, strings) at the start of a line after damage. Only the value being cut is held, plus
// at most `maxRecordBytes`, so memory does not depend on the input's size.
import { Buffer } from 'node:buffer';
import type { LinePosition, RecordFailure } from './read-result.js';

/** A top-level value cut out and parsed. */
export interface JsonValueRead {
  value: unknown;
  /** Ordinal and line. */
  position: LinePosition;
  /** Where the value starts, for reporting it should it not be a record. */
  column: number;
  byteOffset: number;
  /** Raw control characters inside strings were read as if escaped. */
  repaired: boolean;
}

export type JsonValueItem = JsonValueRead | RecordFailure<LinePosition>;

export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
/** `checkAt` between values: past any index (and a small integer, which keeps the loop's comparisons integer ones). */
const NO_CHECK = 0x3fffffff;

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;
const SPACE = 0x20;
const BOM = 0xfeff;
const STRING_LITERAL = /"(?:[^"\\]|\\.)*"/g;
// eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings
const CONTROL = /[\x00-\x1f]/g;

function isWhitespace(c: number): boolean {
  return c === SPACE || c === 0x0a || c === 0x0d || c === 0x09 || c === BOM;
}

// What an object's opening brace begins, from its first key.
const NEED_MORE = 0; // the text ends before it can be told
const RECORD = 1; // "leader" or "fields"
const FIELD = 2; // a field's or a subfield's key
const OTHER = 3;
/** How far past `{` its first key is looked for: a record start is not that far away. */
const LOOKAHEAD = 256;
const LONGEST_KEY = 16;
const FIELD_KEYS = new Set(['ind1', 'ind2', 'subfields']);

/** Skips whitespace from `at`, within LOOKAHEAD of `from`: the index reached (n at the end of the text, -1 past the limit). */
function skipWhitespace(text: string, at: number, from: number): number {
  const n = text.length;
  const limit = from + LOOKAHEAD;
  let i = at;
  while (i < n && isWhitespace(text.charCodeAt(i))) if (++i >= limit) return -1;
  return i;
}

/** After a key's closing quote at `close`: RECORD when a colon follows. */
function colonAfter(text: string, close: number, from: number, final: boolean): number {
  const j = skipWhitespace(text, close + 1, from);
  if (j < 0) return OTHER;
  if (j >= text.length) return final ? OTHER : NEED_MORE;
  return text.charCodeAt(j) === COLON ? RECORD : OTHER;
}

/**
 * Whether the `{` just before `at` opens a record (its first key "leader" or "fields"): RECORD,
 * OTHER, or NEED_MORE. Called for every object inside a value, so a field's or a subfield's
 * object is told apart by the first character of its key.
 */
function recordStart(text: string, at: number, final: boolean): number {
  const i = skipWhitespace(text, at, at);
  if (i < 0) return OTHER;
  const n = text.length;
  if (i >= n) return final ? OTHER : NEED_MORE;
  if (text.charCodeAt(i) !== QUOTE) return OTHER;
  if (i + 1 >= n) return final ? OTHER : NEED_MORE;
  const first = text.charCodeAt(i + 1);
  if (first !== 0x6c && first !== 0x66) return OTHER; // l, f
  if (i + 7 >= n) return final ? OTHER : NEED_MORE;
  if (!text.startsWith('leader"', i + 1) && !text.startsWith('fields"', i + 1)) return OTHER;
  return colonAfter(text, i + 7, at, final);
}

/** What the `{` just before `at` begins, by its first key (resynchronising only). */
function objectKind(text: string, at: number, final: boolean): number {
  const i = skipWhitespace(text, at, at);
  if (i < 0) return OTHER;
  const n = text.length;
  if (i >= n) return final ? OTHER : NEED_MORE;
  if (text.charCodeAt(i) !== QUOTE) return OTHER;
  let close = i + 1;
  while (close < n && close <= i + 1 + LONGEST_KEY && text.charCodeAt(close) !== QUOTE) close++;
  if (close > i + 1 + LONGEST_KEY) return OTHER;
  if (close >= n) return final ? OTHER : NEED_MORE;
  const key = text.slice(i + 1, close);
  if (key === 'leader' || key === 'fields') return colonAfter(text, close, at, final);
  return key.length === 1 || key.length === 3 || FIELD_KEYS.has(key) ? FIELD : OTHER;
}

/**
 * Cuts text given piece by piece (`append`) into JSON values (`cut`). Yields each value parsed,
 * with its ordinal and line, or a broken stretch's position (ordinal, line, column, UTF-8 byte
 * offset) and reason.
 */
export class JsonValueCutter {
  private buffer = '';
  private started = false;
  private scan = 0; // next character of `buffer` to look at
  private line = 1; // line of buffer[scan]
  private lineStart = 0; // index in `buffer` of the first character of `line` (may be negative)
  // The UTF-8 byte offset in the input of buffer[markAt].
  private markAt = 0;
  private markBytes = 0;
  private index = 0;
  private arrayDepth = 0; // 1 while inside a top-level array whose elements are records

  // The value being cut: where it starts in `buffer` (-1 between values), its line and that
  // line's start; the closing brackets it expects.
  private valueStart = -1;
  private valueLine = 1;
  private valueLineStart = 0;
  private readonly open: number[] = [];
  private inString = false;
  private escaped = false;
  private afterString = false; // a string closed inside a container: `:` `,` `}` `]` must follow
  private stringStart = 0; // index of the opening quote of the string being read
  private stringCrossed = false; // the string being read (or just closed) runs past a line end
  private crossLine = 0; // line and column where that string opened
  private crossColumn = 0;
  // Byte-length check of the value: next at index `checkAt`; `checkedBytes` bytes up to `checkedTo`.
  private checkAt = NO_CHECK;
  private checkedTo = 0;
  private checkedBytes = 0;

  // Resynchronising after a broken value: looking for the next place a record can start.
  private resyncing = false;
  private lineBlank = false; // only whitespace so far on the current line
  private baseIndent = 0; // indentation of the broken value

  constructor(private readonly maxRecordBytes = DEFAULT_MAX_RECORD_BYTES) {}

  append(text: string): void {
    if (!this.started) {
      if (text.length === 0) return;
      this.started = true;
      if (text.charCodeAt(0) === BOM) {
        // A byte order mark (three bytes) is not part of the text; byte offsets count it.
        text = text.slice(1);
        this.markBytes = 3;
      }
    }
    this.buffer = this.buffer.length === 0 ? text : this.buffer + text;
  }

  /** Yields what can be cut from the text appended so far; `final` once all of it has been appended. */
  *cut(final: boolean): Generator<JsonValueItem> {
    for (;;) {
      if (this.resyncing && !this.resync(final)) break;
      if (yield* this.scanValues(final)) continue; // a broken value: resynchronise
      if (!final || this.valueStart < 0) break;
      // The input ends inside a value.
      if (this.open.length === 0 && !this.inString) {
        const item = this.parse(this.buffer.slice(this.valueStart));
        if (typeof item === 'string') {
          yield this.broken(item, false);
          continue;
        }
        yield item;
        this.valueStart = -1;
        break;
      }
      yield this.broken(
        this.inString && this.stringCrossed
          ? `not valid JSON: ${this.unclosedString()}`
          : this.invalid(this.buffer.length, 'the input ends inside it'),
        false,
      );
    }
    if (!final) this.trim();
  }

  /**
   * The main loop: cuts values and yields them until the text runs out (false) or a value is found
   * broken (true, after yielding the failure; resynchronising follows).
   */
  private *scanValues(final: boolean): Generator<JsonValueItem, boolean> {
    const buffer = this.buffer;
    const n = buffer.length;
    const open = this.open;
    let scan = this.scan;
    let inString = this.inString;
    let escaped = this.escaped;
    let afterString = this.afterString;
    let valueStart = this.valueStart;
    let checkAt = this.checkAt;
    for (; scan < n; scan++) {
      if (scan >= checkAt) {
        checkAt = this.nextCheck(scan);
        if (checkAt < 0) {
          this.store(scan, inString, escaped, afterString);
          yield this.broken(
            `longer than ${this.maxRecordBytes} bytes without an end; skipped to the next record` +
              (inString && this.stringCrossed ? ` (${this.unclosedString()})` : ''),
            false,
          );
          return true;
        }
      }
      const c = buffer.charCodeAt(scan);
      if (inString) {
        if (escaped) {
          escaped = false;
          if (c !== NEWLINE) continue;
        } else if (c === BACKSLASH) {
          escaped = true;
          continue;
        } else if (c === QUOTE) {
          inString = false;
          afterString = open.length > 0;
          continue;
        } else if (c !== NEWLINE) {
          // Most of the text: run through a string's plain characters (up to the length check).
          const stop = checkAt < n ? checkAt : n;
          let next = scan + 1;
          while (next < stop) {
            const d = buffer.charCodeAt(next);
            if (d === QUOTE || d === BACKSLASH || d === NEWLINE) break;
            next++;
          }
          scan = next - 1;
          continue;
        }
        if (c === NEWLINE) {
          if (!this.stringCrossed) {
            this.stringCrossed = true;
            this.crossLine = this.line;
            this.crossColumn = this.stringStart - this.lineStart + 1;
          }
          this.line++;
          this.lineStart = scan + 1;
        }
        continue;
      }
      if (c === SPACE && open.length !== 0) continue; // indentation of pretty-printed JSON
      if (c === NEWLINE) {
        this.line++;
        this.lineStart = scan + 1;
      }
      if (valueStart < 0) {
        if (isWhitespace(c)) continue;
        if (c === OPEN_BRACKET && this.arrayDepth === 0) {
          this.arrayDepth = 1;
          continue;
        }
        if (this.arrayDepth === 1 && (c === COMMA || c === CLOSE_BRACKET)) {
          if (c === CLOSE_BRACKET) this.arrayDepth = 0;
          continue;
        }
        valueStart = this.valueStart = scan;
        this.valueLine = this.line;
        this.valueLineStart = this.lineStart;
        open.length = 0;
        this.checkedTo = scan;
        this.checkedBytes = 0;
        checkAt = this.checkAt = scan + Math.floor(this.maxRecordBytes / 3) + 1;
      }
      if (afterString) {
        if (isWhitespace(c)) continue;
        afterString = false;
        if (c !== COLON && c !== COMMA && c !== CLOSE_BRACE && c !== CLOSE_BRACKET) {
          this.store(scan, inString, escaped, afterString);
          yield this.broken(
            this.stringCrossed ? `not valid JSON: ${this.unclosedString()}` : this.invalid(scan + 1),
            false,
          );
          return true;
        }
      }
      let closed = false;
      let stray = false;
      if (c === QUOTE) {
        inString = true;
        this.stringStart = scan;
        this.stringCrossed = false;
      } else if (c === OPEN_BRACE) {
        if (open.length > 0) {
          const kind = recordStart(buffer, scan + 1, final);
          if (kind === NEED_MORE) {
            this.store(scan, inString, escaped, afterString);
            return false;
          }
          if (kind === RECORD) {
            this.store(scan, inString, escaped, afterString);
            const at = `line ${this.line}, column ${scan - this.lineStart + 1}`;
            yield this.broken(`not valid JSON: not closed before the next record starts (${at})`, true);
            return true;
          }
        }
        open.push(CLOSE_BRACE);
      } else if (c === OPEN_BRACKET) open.push(CLOSE_BRACKET);
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (open.length === 0) stray = true;
        else if (open[open.length - 1] !== c) {
          this.store(scan, inString, escaped, afterString);
          yield this.broken(this.invalid(scan + 1), false);
          return true;
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
      if (end === scan) {
        // The delimiter is not part of the value: look at it again, between values.
        if (c === NEWLINE) this.line--;
        scan--;
      }
      this.store(scan, inString, escaped, afterString);
      const item = this.parse(buffer.slice(valueStart, end));
      if (typeof item === 'string') {
        // Balanced but not JSON (a quote lost before a bracket inside a string, say): what follows
        // on its line may be the rest of it, so reading resynchronises as for any broken value.
        yield this.broken(item, false);
        return true;
      }
      valueStart = this.valueStart = -1;
      checkAt = this.checkAt = NO_CHECK;
      yield item;
    }
    this.store(scan, inString, escaped, afterString);
    return false;
  }

  // The hot loop keeps its state in locals (a closure over them would put them in a context).
  private store(scan: number, inString: boolean, escaped: boolean, afterString: boolean): void {
    this.scan = scan;
    this.inString = inString;
    this.escaped = escaped;
    this.afterString = afterString;
  }

  /** Looks for the next place a record can start; true when found (at `scan`), false if the text ran out first. */
  private resync(final: boolean): boolean {
    const buffer = this.buffer;
    const n = buffer.length;
    for (let scan = this.scan; scan < n; scan++) {
      const c = buffer.charCodeAt(scan);
      if (c === NEWLINE) {
        this.line++;
        this.lineStart = scan + 1;
        this.lineBlank = true;
        continue;
      }
      if (this.lineBlank && isWhitespace(c)) continue;
      const lineHead = this.lineBlank && scan - this.lineStart <= this.baseIndent;
      let found = false;
      if (c === OPEN_BRACE) {
        const kind = objectKind(buffer, scan + 1, final);
        if (kind === NEED_MORE) {
          this.scan = scan;
          return false;
        }
        found = kind === RECORD || (lineHead && kind === OTHER);
      } else found = lineHead && c === OPEN_BRACKET && this.arrayDepth === 0;
      this.lineBlank = false;
      if (found) {
        this.scan = scan;
        this.resyncing = false;
        return true;
      }
    }
    this.scan = n;
    return false;
  }

  /**
   * The failure for the value being cut, which is broken; sets up what follows: with `here`,
   * a new value starts at `scan`; otherwise resynchronising from just after the value's start.
   */
  private broken(reason: string, here: boolean): RecordFailure<LinePosition> {
    const error = { ...this.valuePosition(), reason };
    if (!here) {
      this.scan = this.valueStart + 1;
      this.line = this.valueLine;
      this.lineStart = this.valueLineStart;
      this.lineBlank = false;
      this.baseIndent = this.valueStart - this.valueLineStart;
      this.resyncing = true;
    }
    this.valueStart = -1;
    this.open.length = 0;
    this.inString = false;
    this.escaped = false;
    this.afterString = false;
    this.stringCrossed = false;
    this.checkAt = NO_CHECK;
    return { error };
  }

  private unclosedString(): string {
    return `the string that opens at line ${this.crossLine}, column ${this.crossColumn} is not closed on that line (a quote missing?)`;
  }

  /** Why the value being cut, up to `end`, is not JSON: the parser's own words. */
  private invalid(end: number, fallback = 'cannot be read as JSON'): string {
    try {
      JSON.parse(this.buffer.slice(this.valueStart, end));
    } catch (error) {
      return `not valid JSON: ${(error as Error).message}`;
    }
    return `not valid JSON: ${fallback}`;
  }

  private valuePosition(): Required<LinePosition> {
    return {
      index: this.index++,
      line: this.valueLine,
      column: this.valueStart - this.valueLineStart + 1,
      byteOffset: this.byteOffsetAt(this.valueStart),
    };
  }

  /** The UTF-8 byte offset in the input of buffer[at]. */
  private byteOffsetAt(at: number): number {
    if (at >= this.markAt) this.markBytes += Buffer.byteLength(this.buffer.slice(this.markAt, at));
    else this.markBytes -= Buffer.byteLength(this.buffer.slice(at, this.markAt));
    this.markAt = at;
    return this.markBytes;
  }

  /**
   * Checks the length of the value being cut, up to `scan`: -1 when it is over the limit, else the
   * index of the next check (the earliest where it could be, at three bytes a character).
   */
  private nextCheck(scan: number): number {
    this.checkedBytes += Buffer.byteLength(this.buffer.slice(this.checkedTo, scan));
    this.checkedTo = scan;
    if (this.checkedBytes > this.maxRecordBytes) return -1;
    return (this.checkAt = scan + Math.floor((this.maxRecordBytes - this.checkedBytes) / 3) + 1);
  }

  /** Parses a value cut out whole (the value being cut, for its position); why it is not JSON if it is not. */
  private parse(text: string): JsonValueRead | string {
    try {
      return this.parsed(JSON.parse(text), false);
    } catch (error) {
      // Raw line breaks and tabs inside strings are not JSON, but some writers (and pymarc's
      // own test data) produce them; they are accepted, with a warning.
      const escaped = text.replace(STRING_LITERAL, (literal) =>
        literal.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
      );
      if (escaped !== text) {
        try {
          return this.parsed(JSON.parse(escaped), true);
        } catch {
          // reported below, with the first error
        }
      }
      return `not valid JSON: ${(error as Error).message}`;
    }
  }

  private parsed(value: unknown, repaired: boolean): JsonValueRead {
    return {
      value,
      position: { index: this.index++, line: this.valueLine },
      column: this.valueStart - this.valueLineStart + 1,
      byteOffset: this.byteOffsetAt(this.valueStart),
      repaired,
    };
  }

  /** Drops what has been cut; keeps the value being cut (or the place being looked at). */
  private trim(): void {
    const keep = this.valueStart >= 0 ? this.valueStart : this.scan;
    if (keep === 0) return;
    this.byteOffsetAt(keep);
    this.buffer = this.buffer.slice(keep);
    this.markAt -= keep;
    this.scan -= keep;
    this.lineStart -= keep;
    this.valueLineStart -= keep;
    this.stringStart -= keep;
    this.checkedTo -= keep;
    if (this.checkAt !== NO_CHECK) this.checkAt -= keep;
    if (this.valueStart >= 0) this.valueStart = 0;
  }
}
