import type { MarcFieldInput, MarcFlavourInput, MarcProblem, MarcRecordInput } from './cataloguing.js';

// Indicator values allowed by MARC 21 Bibliographic for the fields catalogued most often
// (' ' is blank); fields not listed are checked for shape only.
const MARC21_INDICATORS: Record<string, [string, string]> = {
  '010': [' ', ' '],
  '020': [' ', ' '],
  '022': [' 01', ' '],
  '024': ['0123478', ' 01'],
  '040': [' ', ' '],
  '041': [' 01', ' 7'],
  '050': [' 01', '04'],
  '082': ['017', ' 04'],
  '100': ['013', ' '],
  '110': ['012', ' '],
  '111': ['012', ' '],
  '130': ['0123456789', ' '],
  '240': ['01', '0123456789'],
  '245': ['01', '0123456789'],
  '246': ['0123', ' 012345678'],
  '250': [' ', ' '],
  '260': [' 23', ' '],
  '264': [' 23', '01234'],
  '300': [' ', ' '],
  '490': ['01', ' '],
  '500': [' ', ' '],
  '504': [' ', ' '],
  '505': ['0128', ' 0'],
  '520': [' 012348', ' '],
  '600': ['013', '01234567'],
  '610': ['012', '01234567'],
  '611': ['012', '01234567'],
  '630': ['0123456789', '01234567'],
  '650': [' 012', '01234567'],
  '651': [' ', '01234567'],
  '655': [' 0', '01234567'],
  '700': ['013', ' 2'],
  '710': ['012', ' 2'],
  '711': ['012', ' 2'],
  '830': [' ', '0123456789'],
  '856': [' 012347', ' 01278'],
};

// Non-repeatable fields of MARC 21 Bibliographic (the common ones; 250 has been repeatable since 2013).
const MARC21_NON_REPEATABLE = new Set([
  '001',
  '003',
  '005',
  '008',
  '010',
  '018',
  '040',
  '042',
  '043',
  '044',
  '045',
  '066',
  '100',
  '110',
  '111',
  '130',
  '240',
  '243',
  '245',
  '254',
  '256',
  '263',
  '306',
  '357',
  '507',
  '514',
  '841',
  '842',
  '844',
  '882',
]);

const UNIMARC_INDICATORS: Record<string, [string, string]> = {
  '010': [' ', ' '],
  '101': ['012', ' '],
  '200': ['01', ' '],
  '205': [' ', ' '],
  // 210 (UNIMARC Bibliographic, 3rd ed.): ind1 sequence of publication data (# earliest or only,
  // 0 intervening, 1 current or latest publisher), ind2 # published, 1 not published.
  '210': [' 01', ' 1'],
  '330': [' ', ' '],
  '700': [' ', '01'],
  '701': [' ', '01'],
};

// Repeatable, so not here: 210 (a serial's earliest, intervening and current publishers are one
// 210 each), 205 (an edition statement each) and 215 (a physical description for each component
// of a multimedia kit).
const UNIMARC_NON_REPEATABLE = new Set(['001', '005', '100', '101', '102', '200', '700']);

// MARC 21 leader positions with the values they may hold (positions 0–4 and 12–16 are lengths).
const MARC21_LEADER: Array<[number, string]> = [
  [5, 'acdnp'],
  [6, 'acdefgijkmoprt'],
  [7, 'abcdims'],
  [8, ' a'],
  [9, ' a'],
  [10, '2'],
  [11, '2'],
  [17, ' 12345678uzIJKLM'],
  [18, ' acinu'],
  [19, ' abc'],
  [20, '4'],
  [21, '5'],
  [22, '0'],
  [23, '0'],
];
// UNIMARC record label positions with their codes (UNIMARC Bibliographic, record label); the
// undefined positions 9, 19 and 23 are left alone, since exchanged records fill them variously.
const UNIMARC_LEADER: Array<[number, string]> = [
  [5, 'cdnop'],
  [6, 'abcdefgijklmr'],
  [7, 'acims'],
  [8, ' 012'],
  [10, '2'],
  [11, '2'],
  [17, ' 123'],
  [18, ' in'],
  [20, '4'],
  [21, '5'],
  [22, '0'],
];

// ISO 2709 (the MARC file format) limits: a field's length has 4 digits, a record's 5.
const MAX_FIELD_BYTES = 9_999;
const MAX_RECORD_BYTES = 99_999;
// The ISO 2709 delimiters (record, field, subfield) and NUL, which no database text can hold.
// eslint-disable-next-line no-control-regex -- these control characters are the point
const FORBIDDEN_CHARACTER = /[\u0000\u001d\u001e\u001f]/;

/** The first forbidden character of a value as "U+001F", or null. */
function forbiddenCharacter(value: string): string | null {
  const found = FORBIDDEN_CHARACTER.exec(value);
  return found ? `U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : null;
}

/** The length of a text in UTF-8 (as ISO 2709 is written), without encoding it; 0 for a non-text. */
function utf8Length(value: unknown): number {
  if (typeof value !== 'string') return 0;
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next < 0xe000) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** A field's length in an ISO 2709 file: its text, indicators, delimiters and terminator. */
function encodedFieldLength(field: MarcFieldInput): number {
  if (isControl(field)) return utf8Length(field.value) + 1;
  const subfields = Array.isArray(field.subfields) ? field.subfields : [];
  let bytes = utf8Length(field.ind1) + utf8Length(field.ind2) + 1;
  for (const subfield of subfields) bytes += 1 + utf8Length(subfield?.code) + utf8Length(subfield?.value);
  return bytes;
}

const isTag = (tag: string) => /^\d{3}$/.test(tag);
const isControlTag = (tag: string) => /^00\d$/.test(tag);
const isIndicator = (value: string) => /^[0-9a-z ]$/.test(value);
const isSubfieldCode = (code: string) => /^[a-z0-9]$/.test(code);
const isControl = (field: MarcFieldInput): field is { tag: string; value: string } =>
  typeof (field as { value?: unknown }).value === 'string';

/**
 * Checks a MARC record as a cataloguer would be told: leader, tags, indicators (shape, and the
 * values MARC 21 or UNIMARC defines for common fields), subfields, non-repeatable fields, the
 * title, characters no MARC file can hold (NUL and the ISO 2709 delimiters U+001D–U+001F) and
 * the ISO 2709 size limits (9,999 bytes a field, 99,999 a record, in UTF-8). Returns every problem at once (empty when the record is fine); never throws, whatever
 * it is given.
 */
export function validateMarc(record: MarcRecordInput, flavour: MarcFlavourInput = 'marc21'): MarcProblem[] {
  const problems: MarcProblem[] = [];
  const leader = typeof record?.leader === 'string' ? record.leader : '';
  if (leader.length !== 24) problems.push({ code: 'LEADER_LENGTH', value: String(leader.length), expected: '24' });
  else {
    for (const position of [0, 1, 2, 3, 4, 12, 13, 14, 15, 16]) {
      if (!/\d/.test(leader[position]!))
        problems.push({ code: 'LEADER_POSITION', position, value: leader[position]!, expected: '0-9' });
    }
    for (const [position, allowed] of flavour === 'marc21' ? MARC21_LEADER : UNIMARC_LEADER) {
      if (!allowed.includes(leader[position]!))
        problems.push({ code: 'LEADER_POSITION', position, value: leader[position]!, expected: allowed });
    }
  }

  const fields = Array.isArray(record?.fields) ? record.fields : [];
  const indicators = flavour === 'marc21' ? MARC21_INDICATORS : UNIMARC_INDICATORS;
  const nonRepeatable = flavour === 'marc21' ? MARC21_NON_REPEATABLE : UNIMARC_NON_REPEATABLE;
  const seen = new Map<string, number>();
  let recordBytes = 24 + 1 + 1; // leader, directory terminator, record terminator
  fields.forEach((field, index) => {
    const tag = typeof field?.tag === 'string' ? field.tag : '';
    if (field && typeof field === 'object') {
      const bytes = encodedFieldLength(field);
      recordBytes += 12 + bytes; // a directory entry, then the field
      if (bytes > MAX_FIELD_BYTES)
        problems.push({
          code: 'FIELD_TOO_LONG',
          field: index,
          tag,
          value: String(bytes),
          expected: String(MAX_FIELD_BYTES),
        });
    }
    if (!isTag(tag)) {
      problems.push({ code: 'TAG_INVALID', field: index, tag, value: tag });
      return;
    }
    if (nonRepeatable.has(tag)) {
      const count = (seen.get(tag) ?? 0) + 1;
      seen.set(tag, count);
      if (count === 2) problems.push({ code: 'FIELD_NOT_REPEATABLE', field: index, tag });
    }
    if (isControlTag(tag)) {
      if (!isControl(field)) {
        problems.push({ code: 'CONTROL_FIELD_EXPECTED', field: index, tag });
        return;
      }
      const character = forbiddenCharacter(field.value);
      if (character) problems.push({ code: 'FIELD_CHARACTER_INVALID', field: index, tag, value: character });
      if (field.value.length === 0) problems.push({ code: 'CONTROL_FIELD_EMPTY', field: index, tag });
      else if (flavour === 'marc21' && tag === '008' && field.value.length !== 40)
        problems.push({
          code: 'FIXED_FIELD_LENGTH',
          field: index,
          tag,
          value: String(field.value.length),
          expected: '40',
        });
      return;
    }
    if (isControl(field) || !Array.isArray((field as { subfields?: unknown }).subfields)) {
      problems.push({ code: 'DATA_FIELD_EXPECTED', field: index, tag });
      return;
    }
    const defined = indicators[tag];
    for (const which of [1, 2] as const) {
      const raw = which === 1 ? field.ind1 : field.ind2;
      const value = typeof raw === 'string' ? raw : '';
      const allowed = defined?.[which - 1];
      if (!isIndicator(value)) problems.push({ code: 'INDICATOR_INVALID', field: index, tag, indicator: which, value });
      else if (allowed !== undefined && !allowed.includes(value))
        problems.push({
          code: 'INDICATOR_UNDEFINED',
          field: index,
          tag,
          indicator: which,
          value,
          expected: allowed,
        });
    }
    if (field.subfields.length === 0) problems.push({ code: 'SUBFIELDS_MISSING', field: index, tag });
    field.subfields.forEach((subfield, s) => {
      const code = typeof subfield?.code === 'string' ? subfield.code : '';
      if (!isSubfieldCode(code))
        problems.push({ code: 'SUBFIELD_CODE_INVALID', field: index, tag, subfield: s, value: code });
      else if (typeof subfield.value !== 'string' || subfield.value.trim() === '')
        problems.push({ code: 'SUBFIELD_EMPTY', field: index, tag, subfield: s, subfieldCode: code });
      else {
        const character = forbiddenCharacter(subfield.value);
        if (character)
          problems.push({
            code: 'SUBFIELD_CHARACTER_INVALID',
            field: index,
            tag,
            subfield: s,
            subfieldCode: code,
            value: character,
          });
      }
    });
  });

  // The title: 245 $a in MARC 21, 200 $a in UNIMARC.
  const titleTag = flavour === 'marc21' ? '245' : '200';
  const titleIndex = fields.findIndex((f) => f?.tag === titleTag);
  if (titleIndex < 0) problems.push({ code: 'FIELD_MISSING', tag: titleTag });
  else {
    const title = fields[titleIndex]!;
    if (!isControl(title) && Array.isArray(title.subfields) && !title.subfields.some((s) => s?.code === 'a'))
      problems.push({ code: 'SUBFIELD_MISSING', field: titleIndex, tag: titleTag, subfieldCode: 'a' });
  }
  if (recordBytes > MAX_RECORD_BYTES)
    problems.push({ code: 'RECORD_TOO_LONG', value: String(recordBytes), expected: String(MAX_RECORD_BYTES) });
  return problems;
}

// Problems whose value is a size (it changes with any edit of the field or record), not what is wrong.
const SIZE_PROBLEMS = new Set<MarcProblem['code']>([
  'LEADER_LENGTH',
  'FIXED_FIELD_LENGTH',
  'FIELD_TOO_LONG',
  'RECORD_TOO_LONG',
]);

/**
 * What a problem is about, the same in two versions of a record: its code, tag, indicator,
 * subfield code, leader position and (unless it is a size) the wrong value. Field and subfield
 * indexes are left out, since adding or removing a field moves them.
 */
function problemKey(problem: MarcProblem): string {
  return JSON.stringify([
    problem.code,
    problem.tag ?? null,
    problem.indicator ?? null,
    problem.subfieldCode ?? null,
    problem.position ?? null,
    SIZE_PROBLEMS.has(problem.code) ? null : (problem.value ?? null),
  ]);
}

/** An edited record's problems: those the edit made (`problems`) and those it already had (`warnings`). */
export interface MarcEditProblems {
  problems: MarcProblem[];
  warnings: MarcProblem[];
}

/**
 * Checks a record edited from a stored version: a problem the stored version had too (the same
 * code on the same tag, indicator, subfield code or leader position, with the same wrong value;
 * counted, so a second bad field of a tag is new) is a warning, to be shown but not to block
 * saving; the others were made by the edit and block it. A new record has no stored version:
 * check it with validateMarc, every problem blocking. Never throws.
 */
export function validateMarcEdit(
  record: MarcRecordInput,
  stored: MarcRecordInput,
  flavour: MarcFlavourInput = 'marc21',
): MarcEditProblems {
  const before = new Map<string, number>();
  for (const problem of validateMarc(stored, flavour)) {
    const key = problemKey(problem);
    before.set(key, (before.get(key) ?? 0) + 1);
  }
  const problems: MarcProblem[] = [];
  const warnings: MarcProblem[] = [];
  for (const problem of validateMarc(record, flavour)) {
    const key = problemKey(problem);
    const left = before.get(key) ?? 0;
    if (left > 0) {
      before.set(key, left - 1);
      warnings.push(problem);
    } else problems.push(problem);
  }
  return { problems, warnings };
}
