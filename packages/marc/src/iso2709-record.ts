// One ISO 2709 record, already cut out of its stream, parsed into a MarcRecord. Works on the
// bytes in place: numbers are read digit by digit, ASCII text is sliced without a decoder, and
// only field data with bytes above 0x7F (or MARC-8 escapes) goes through decodeMarcBytes.
// Each subfield value is decoded on its own, so MARC-8 escape sequences end at the subfield
// delimiter and subfield codes are always plain ASCII, as yaz and pymarc read them. ASCII text
// of a MARC-8 record is still looked at for numeric character references ('&#x200F;').
import { Buffer } from 'node:buffer';
import { decodeMarc8References, decodeMarcBytes, looksLikeUtf8, type MarcEncoding } from './charsets/index.js';
import type { ControlField, DataField, MarcField, MarcFlavour, MarcRecord, Subfield } from './record.js';
import { declareUnicode } from './flavour.js';
import { normalizeLeader } from './leader.js';
import { unimarcCodesBlank, unimarcEncoding } from './unimarc-charset.js';

export interface Iso2709ParseOptions {
  /** Read every record as this flavour; by default each record's flavour is detected. */
  flavour?: MarcFlavour;
  /** Decode every record from this encoding, whatever the leader or field 100 say. */
  encoding?: MarcEncoding;
  /**
   * What an invalid byte sequence in field data does: reject the record ('error', the default)
   * or keep it with U+FFFD in place of the bad bytes and a warning ('replace').
   */
  invalidBytes?: 'error' | 'replace';
}

export type ParsedRecord =
  | { ok: true; record: MarcRecord; warnings: string[]; flavour: MarcFlavour; encoding: MarcEncoding }
  | { ok: false; reason: string };

const FT = 0x1e;
const SF = 0x1f;
const ESC = 0x1b;
const SPACE = 0x20;
const ZERO = 0x30;

const tagCode = (tag: string) => (tag.charCodeAt(0) << 16) | (tag.charCodeAt(1) << 8) | tag.charCodeAt(2);
const TAG_008 = tagCode('008');
const TAG_100 = tagCode('100');
const TAG_200 = tagCode('200');
const TAG_245 = tagCode('245');

// Directory scratch space, reused across records (parsing is synchronous).
let tagCodes = new Int32Array(256);
let fieldStarts = new Int32Array(256);
let fieldEnds = new Int32Array(256);

const tagStrings = new Map<number, string>();
function tagString(code: number): string {
  let tag = tagStrings.get(code);
  if (tag === undefined) {
    tag = String.fromCharCode(code >> 16, (code >> 8) & 0xff, code & 0xff);
    if (tagStrings.size < 4096) tagStrings.set(code, tag);
  }
  return tag;
}

const ASCII_CHARS = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i));
// eslint-disable-next-line no-control-regex -- MARC and XML rules are about control characters
const NOT_PLAIN_ASCII = /[\x1b\x80-\xff]/;

/** Non-negative integer from `count` ASCII digits, or -1 when any byte is not a digit. */
function readDigits(data: Uint8Array, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const d = (data[i] as number) - ZERO;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function showBytes(data: Uint8Array, at: number, count: number): string {
  let s = '';
  for (let i = at; i < at + count && i < data.length; i++) {
    const b = data[i] as number;
    s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `"${s}"`;
}

function isPlainAscii(data: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = data[i] as number;
    if (b >= 0x80 || b === ESC) return false;
  }
  return true;
}

let lastData: Uint8Array | undefined;
let lastBuffer: Buffer | undefined;
function bufferOf(data: Uint8Array): Buffer {
  if (data !== lastData || lastBuffer === undefined) {
    lastData = data;
    lastBuffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  }
  return lastBuffer;
}

/**
 * Field and subfield text of one record. `chars` holds the record's bytes one per character
 * (Latin-1), so ASCII text is a slice of it and delimiters are found with a native search.
 */
class RecordParser {
  private readonly chars: string;
  private readonly plainAscii: boolean;
  /** Whether '&#' occurs anywhere in the record: ASCII text may hold MARC-8 character references. */
  private readonly references: boolean;
  private readonly issues: string[] = [];
  readonly warnings: string[] = [];
  encoding: MarcEncoding = 'utf-8';

  constructor(
    private readonly data: Uint8Array,
    private readonly start: number,
    end: number,
  ) {
    this.chars = bufferOf(data).toString('latin1', start, end);
    this.plainAscii = !NOT_PLAIN_ASCII.test(this.chars);
    this.references = this.chars.includes('&#');
  }

  /** Offset of a 0x1D byte inside the record (framed by its leader length), or -1. */
  strayTerminator(): number {
    return this.chars.indexOf('\x1d');
  }

  get firstIssue(): string | undefined {
    if (this.issues.length === 0) return undefined;
    const more = this.issues.length - 1;
    return more > 0 ? `${this.issues[0]} (and ${more} more)` : this.issues[0];
  }

  takeIssuesAsWarnings(): void {
    this.warnings.push(...this.issues);
  }

  /** Text of the record's bytes [start, end), offsets relative to the record. */
  text(start: number, end: number, where: string): string {
    if (this.plainAscii || isPlainAscii(this.data, this.start + start, this.start + end)) {
      const ascii = this.chars.slice(start, end);
      return this.references && this.encoding === 'marc-8' ? decodeMarc8References(ascii) : ascii;
    }
    const result = decodeMarcBytes(this.data.subarray(this.start + start, this.start + end), this.encoding);
    for (const issue of result.issues) {
      this.issues.push(`${where}: ${issue.reason} at byte ${start + issue.offset} of the record (${this.encoding})`);
    }
    return result.text;
  }

  private find(char: string, from: number, end: number): number {
    const at = this.chars.indexOf(char, from);
    return at < 0 || at > end ? end : at;
  }

  dataField(tag: string, start: number, end: number): DataField | ControlField {
    const chars = this.chars;
    const firstDelimiter = this.find('\x1f', start, end);
    const indicatorChars = firstDelimiter - start;
    if (firstDelimiter === end && indicatorChars > 2) {
      // Not a data field at all (a local field kept as plain text, or the tail of a field some
      // system wrapped): keep every character rather than guess at indicators and subfields.
      this.warnings.push(`field ${tag} has no subfield delimiter; its data was kept whole, as for a control field`);
      return { tag, value: this.text(start, end, `field ${tag}`) };
    }
    let ind1 = ' ';
    let ind2 = ' ';
    if (indicatorChars < 2) {
      this.warnings.push(`field ${tag}: indicators missing, read as blanks`);
      if (indicatorChars === 1) ind1 = this.indicator(tag, chars.charCodeAt(start));
    } else {
      ind1 = this.indicator(tag, chars.charCodeAt(start));
      ind2 = this.indicator(tag, chars.charCodeAt(start + 1));
      if (indicatorChars > 2) {
        const junk = this.text(start + 2, firstDelimiter, `field ${tag}`);
        this.warnings.push(`field ${tag}: text before the first subfield dropped: ${JSON.stringify(junk)}`);
      }
    }
    const subfields: Subfield[] = [];
    let at = firstDelimiter;
    while (at < end) {
      const next = this.find('\x1f', at + 1, end);
      const codeAt = at + 1;
      if (codeAt >= next) {
        this.warnings.push(`field ${tag}: empty subfield (a delimiter with no code) skipped`);
        at = next;
        continue;
      }
      const codeByte = chars.charCodeAt(codeAt);
      let code: string;
      let valueAt = codeAt + 1;
      if (codeByte < 0x80) {
        code = ASCII_CHARS[codeByte] as string;
        if (codeByte <= SPACE || codeByte === 0x7f)
          this.warnings.push(`field ${tag}: subfield code ${JSON.stringify(code)} is not a letter or digit`);
      } else {
        if (this.encoding === 'utf-8') valueAt = Math.min(next, codeAt + utf8SequenceLength(codeByte));
        code = this.text(codeAt, valueAt, `field ${tag} subfield code`);
        this.warnings.push(`field ${tag}: subfield code ${JSON.stringify(code)} is not ASCII`);
      }
      subfields.push({ code, value: this.text(valueAt, next, `field ${tag} $${code}`) });
      at = next;
    }
    return { tag, ind1, ind2, subfields };
  }

  private indicator(tag: string, byte: number): string {
    if (byte >= SPACE && byte < 0x7f) return ASCII_CHARS[byte] as string;
    this.warnings.push(
      `field ${tag}: indicator byte 0x${byte.toString(16).padStart(2, '0')} is not a printable character, read as a blank`,
    );
    return ' ';
  }

  leader(): string {
    let text = '';
    for (let i = 0; i < 24; i++) {
      const b = this.chars.charCodeAt(i);
      if (b >= SPACE && b < 0x7f) text += ASCII_CHARS[b] as string;
      else {
        text += ' ';
        // leader/09 becomes 'a' whatever it was.
        if (i !== 9)
          this.warnings.push(
            `leader/${String(i).padStart(2, '0')} is not a printable character (0x${b.toString(16).padStart(2, '0')}), read as a blank`,
          );
      }
    }
    return normalizeLeader(text, this.warnings);
  }
}

function utf8SequenceLength(lead: number): number {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}

function growScratch(entries: number): void {
  if (entries <= tagCodes.length) return;
  const size = Math.max(entries, tagCodes.length * 2);
  tagCodes = new Int32Array(size);
  fieldStarts = new Int32Array(size);
  fieldEnds = new Int32Array(size);
}

/**
 * Parses the record in data[start, end), where `end` is the position of its record terminator
 * (or the end of the input when `terminated` is false).
 */
export function parseIso2709Record(
  data: Uint8Array,
  start: number,
  end: number,
  terminated: boolean,
  options: Iso2709ParseOptions = {},
): ParsedRecord {
  const fail = (reason: string): ParsedRecord => ({
    ok: false,
    reason: terminated ? reason : `${reason}; the input ends inside this record, without a record terminator`,
  });
  const size = end - start + (terminated ? 1 : 0);
  if (end - start < 24) return fail(`record is ${size} bytes, too short to hold a 24-byte leader`);
  const declaredLength = readDigits(data, start, 5);
  if (declaredLength < 0) return fail(`leader/00-04 (record length) is not a number: ${showBytes(data, start, 5)}`);
  const base = readDigits(data, start + 12, 5);
  if (base < 0) return fail(`leader/12-16 (base address of data) is not a number: ${showBytes(data, start + 12, 5)}`);
  let dataStart = start + base;
  let baseProblem: string | undefined;
  if (base < 25)
    baseProblem = `base address of data ${base} lies inside the leader and directory (it must be at least 25)`;
  else if (start + base > end)
    baseProblem = `base address of data ${base} is beyond the end of the record (${size} bytes)`;
  else if (data[start + base - 1] !== FT)
    baseProblem = `no field terminator at the end of the directory (byte ${base - 1}, just before the base address of data ${base})`;
  else if ((base - 25) % 12 !== 0) baseProblem = `directory is ${base - 25} bytes long, not a multiple of 12`;
  const recovered: string[] = [];
  if (baseProblem !== undefined) {
    // Directory entries are ASCII digits and tags, so the first field terminator after the
    // leader ends the directory; when that gives a whole number of entries, the base address
    // in the leader is what is wrong.
    let directoryEnd = data.indexOf(FT, start + 24);
    if (directoryEnd >= end) directoryEnd = -1;
    if (directoryEnd <= start + 24 || (directoryEnd - start - 24) % 12 !== 0) return fail(baseProblem);
    dataStart = directoryEnd + 1;
    recovered.push(
      `${baseProblem}; the directory ends at byte ${directoryEnd - start}, so data was read from byte ${dataStart - start}`,
    );
  }
  const directoryLength = dataStart - start - 25;
  const entries = directoryLength / 12;
  if (entries === 0) return fail('record has no fields (empty directory)');

  const parser = new RecordParser(data, start, end);
  const warnings = parser.warnings;
  warnings.push(...recovered);
  const strayTerminator = parser.strayTerminator();
  if (strayTerminator >= 0) {
    warnings.push(
      `a record terminator (0x1D) occurs inside the record at byte ${strayTerminator}; the leader's record length was followed past it`,
    );
  }
  if (!terminated) warnings.push('record terminator (0x1D) missing at the end of the input');
  else if (declaredLength !== size) {
    warnings.push(
      `leader gives the record length as ${declaredLength} bytes; the record is ${size} bytes up to its terminator`,
    );
  }

  growScratch(entries);
  let strictProblem: string | undefined;
  for (let i = 0; i < entries; i++) {
    const at = start + 24 + i * 12;
    const t0 = data[at] as number;
    const t1 = data[at + 1] as number;
    const t2 = data[at + 2] as number;
    if (t0 < SPACE || t0 > 0x7e || t1 < SPACE || t1 > 0x7e || t2 < SPACE || t2 > 0x7e) {
      return fail(`directory entry ${i + 1} has a tag that is not printable ASCII: ${showBytes(data, at, 3)}`);
    }
    const code = (t0 << 16) | (t1 << 8) | t2;
    const length = readDigits(data, at + 3, 4);
    const offset = readDigits(data, at + 7, 5);
    if (length < 0 || offset < 0) {
      return fail(`directory entry ${i + 1} (tag ${tagString(code)}) is not numeric: ${showBytes(data, at, 12)}`);
    }
    tagCodes[i] = code;
    const fieldStart = dataStart + offset;
    const fieldEnd = fieldStart + length;
    if (strictProblem === undefined) {
      if (length === 0)
        strictProblem = `directory entry ${i + 1} (tag ${tagString(code)}) gives the field a length of 0`;
      else if (fieldEnd > end) {
        strictProblem = `directory entry ${i + 1} (tag ${tagString(code)}) points outside the record: data bytes ${offset}-${offset + length - 1}, but the data area is ${end - dataStart} bytes`;
      } else if (data[fieldEnd - 1] !== FT) {
        strictProblem = `field ${tagString(code)} (directory entry ${i + 1}) does not end with a field terminator where the directory says it ends`;
      } else if (data.indexOf(FT, fieldStart) < fieldEnd - 1) {
        strictProblem = `field ${tagString(code)} (directory entry ${i + 1}) holds a field terminator before the end the directory gives`;
      }
    }
    fieldStarts[i] = fieldStart;
    fieldEnds[i] = fieldEnd - 1;
  }

  if (strictProblem !== undefined) {
    // The directory's offsets are wrong (often lengths counted in characters, not bytes) but
    // the fields may still be intact: if there are exactly as many terminated fields as
    // directory entries, take them in order.
    let at = dataStart;
    let found = 0;
    while (at < end && found < entries + 1) {
      let next = data.indexOf(FT, at);
      if (next < 0 || next >= end) next = end;
      if (found < entries) {
        fieldStarts[found] = at;
        fieldEnds[found] = next;
      }
      found++;
      at = next + 1;
    }
    const lastUnterminated =
      found > 0 && (fieldEnds[Math.min(found, entries) - 1] as number) === end && data[end - 1] !== FT;
    if (found !== entries) {
      return fail(`${strictProblem}, and the data area holds ${found} fields for ${entries} directory entries`);
    }
    warnings.push(`${strictProblem}; the ${entries} fields were read in directory order up to their field terminators`);
    if (lastUnterminated) warnings.push(`field ${tagString(tagCodes[entries - 1] as number)} has no field terminator`);
  }

  const flavour = options.flavour ?? detectFlavour(data, entries);
  parser.encoding = chooseEncoding(data, start, dataStart, end, entries, flavour, options, warnings);

  const fields: MarcField[] = [];
  for (let i = 0; i < entries; i++) {
    const code = tagCodes[i] as number;
    const tag = tagString(code);
    const fieldStart = fieldStarts[i] as number;
    const fieldEnd = fieldEnds[i] as number;
    if (code >> 8 === ((ZERO << 8) | ZERO)) {
      fields.push({ tag, value: parser.text(fieldStart - start, fieldEnd - start, `field ${tag}`) });
    } else {
      fields.push(parser.dataField(tag, fieldStart - start, fieldEnd - start));
    }
  }
  const leader = parser.leader();

  const issue = parser.firstIssue;
  if (issue !== undefined) {
    if (options.invalidBytes !== 'replace') return fail(`invalid byte sequence in ${issue}`);
    parser.takeIssuesAsWarnings();
  }
  return {
    ok: true,
    record: declareUnicode({ leader, fields }, flavour),
    warnings,
    flavour,
    encoding: parser.encoding,
  };
}

function hasTag(entries: number, code: number): boolean {
  for (let i = 0; i < entries; i++) if (tagCodes[i] === code) return true;
  return false;
}

/** The bytes of field 100 $a of this record (fields located already), or undefined. */
function field100a(data: Uint8Array, entries: number): Uint8Array | undefined {
  for (let i = 0; i < entries; i++) {
    if (tagCodes[i] !== TAG_100) continue;
    const start = fieldStarts[i] as number;
    const end = fieldEnds[i] as number;
    const at = data.indexOf(SF, start);
    if (at < 0 || at + 1 >= end || data[at + 1] !== 0x61) return undefined;
    let stop = data.indexOf(SF, at + 2);
    if (stop < 0 || stop > end) stop = end;
    return data.subarray(at + 2, stop);
  }
  return undefined;
}

// UNIMARC has no 008 and no 245; its 100 $a is fixed-length data that starts with a date
// (or blanks) and a type-of-date letter. A MARC 21 100 $a is a personal name.
function detectFlavour(data: Uint8Array, entries: number): MarcFlavour {
  if (hasTag(entries, TAG_008) || hasTag(entries, TAG_245)) return 'marc21';
  const processing = field100a(data, entries);
  if (processing !== undefined && processing.length >= 9) {
    let dateLike = true;
    for (let i = 0; i < 8; i++) {
      const b = processing[i] as number;
      if (!(b === SPACE || b === 0x7c || (b >= ZERO && b <= ZERO + 9))) dateLike = false;
    }
    const type = processing[8] as number;
    if (dateLike && type >= 0x61 && type <= 0x6b) return 'unimarc';
  }
  return hasTag(entries, TAG_200) ? 'unimarc' : 'marc21';
}

function chooseEncoding(
  data: Uint8Array,
  start: number,
  dataStart: number,
  end: number,
  entries: number,
  flavour: MarcFlavour,
  options: Iso2709ParseOptions,
  warnings: string[],
): MarcEncoding {
  if (options.encoding) return options.encoding;
  const body = () => data.subarray(dataStart, end);
  if (flavour === 'unimarc') {
    const processing = field100a(data, entries);
    const codes =
      processing && processing.length > 26 ? Buffer.from(processing.subarray(26, 34)).toString('latin1') : '';
    const named = unimarcEncoding(codes);
    if (named === 'utf-8' || isPlainAscii(data, dataStart, end)) return named ?? 'iso-5426';
    // UNIMARC leaves leader/09 undefined; 'a' there (as the ISO 2709 writer puts it) backed by
    // valid UTF-8 is taken at its word when field 100 names no character set.
    if (named === undefined && data[start + 9] === 0x61 && looksLikeUtf8(body())) return 'utf-8';
    const said = named
      ? `field 100 $a/26-33 ${JSON.stringify(codes)} names ${named}`
      : unimarcCodesBlank(codes)
        ? 'field 100 $a/26-33 names no character set'
        : `field 100 $a/26-33 names character sets ${JSON.stringify(codes)}, which this reader does not decode`;
    if (looksLikeUtf8(body())) {
      warnings.push(`${said}, but the bytes are valid UTF-8 and were read as UTF-8`);
      return 'utf-8';
    }
    if (named) return named;
    warnings.push(`${said}; read as ISO 5426`);
    return 'iso-5426';
  }
  const coding = data[start + 9] as number;
  if (coding === 0x61) return 'utf-8';
  if (coding !== SPACE) {
    warnings.push(
      `leader/09 (character coding scheme) is ${showBytes(data, start + 9, 1)}, neither ' ' (MARC-8) nor 'a' (UCS/Unicode)`,
    );
  }
  if (!isPlainAscii(data, dataStart, end) && looksLikeUtf8(body())) {
    warnings.push("leader/09 says MARC-8 but the record's bytes are valid UTF-8; read as UTF-8");
    return 'utf-8';
  }
  return 'marc-8';
}
