import { isControlField, type ControlField, type DataField, type MarcRecord } from '@athenaeum/marc';
import { titleKey } from '../clustering/keys.js';
import { normalizeIssn } from './identifiers.js';

const NONE: readonly DataField[] = Object.freeze([]);

/** Small read helpers over a MARC record, shared by the MARC 21 and UNIMARC mappings. */
export class MarcView {
  // Data fields by tag, and the first field of each tag (what `control` reads): built once, so
  // that the many lookups of a mapping allocate nothing.
  private readonly dataByTag = new Map<string, DataField[]>();
  private readonly firstByTag = new Map<string, ControlField | DataField>();

  constructor(readonly record: MarcRecord) {
    for (const field of record.fields) {
      if (!this.firstByTag.has(field.tag)) this.firstByTag.set(field.tag, field);
      if (isControlField(field)) continue;
      const list = this.dataByTag.get(field.tag);
      if (list) list.push(field);
      else this.dataByTag.set(field.tag, [field]);
    }
  }

  get leader(): string {
    return this.record.leader;
  }

  control(tag: string): string | null {
    const field = this.firstByTag.get(tag);
    return field && isControlField(field) ? field.value : null;
  }

  /** The data fields with these tags, tag by tag in the order given; read-only. */
  fields(...tags: string[]): readonly DataField[] {
    if (tags.length === 1) return this.dataByTag.get(tags[0]!) ?? NONE;
    const out: DataField[] = [];
    for (const tag of tags) {
      const list = this.dataByTag.get(tag);
      if (list) for (const field of list) out.push(field);
    }
    return out;
  }

  first(tag: string): DataField | null {
    return this.dataByTag.get(tag)?.[0] ?? null;
  }

  /** The 880 field linked to this field through $6 (e.g. 245 "880-02" ↔ 880 "245-02/(3/r"). */
  alternateOf(field: DataField): DataField | null {
    const link = sub(field, '6');
    if (!link) return null;
    const occurrence = link.split('-')[1]?.slice(0, 2);
    if (!occurrence || occurrence === '00') return null;
    return (
      this.fields('880').find((alt) => {
        const altLink = sub(alt, '6') ?? '';
        return altLink.startsWith(`${field.tag}-${occurrence}`);
      }) ?? null
    );
  }

  /** 880 fields standing for a tag (linked or not), for alternate-script search. */
  alternatesFor(tag: string): DataField[] {
    return this.fields('880').filter((alt) => (sub(alt, '6') ?? '').startsWith(`${tag}-`));
  }
}

export function sub(field: DataField | null | undefined, code: string): string | null {
  return field?.subfields.find((s) => s.code === code)?.value ?? null;
}

export function subs(field: DataField | null | undefined, codes: string): string[] {
  return field ? field.subfields.filter((s) => codes.includes(s.code)).map((s) => s.value) : [];
}

/** ISBD punctuation that ends a MARC subfield (" /", " :", ";", ",", ".") is not part of the data. */
export function clean(value: string | null | undefined): string | null {
  if (value == null) return null;
  if (isClean(value)) return value === '' ? null : value;
  // As the regular expressions /\s+/g → ' ', /[\s/:;,=]+$/ → '', the period rule below and
  // /^\[(.*)\]$/ → '$1', then trim; each done only where it changes something.
  let text = hasOddSpace(value) ? value.replace(/\s+/g, ' ') : value;
  let end = text.length;
  while (end > 0 && isTrailing(text.charCodeAt(end - 1))) end--;
  if (end < text.length) text = text.slice(0, end);
  // keep the period of an initial ("Ursula K.") or an ellipsis
  if (text.endsWith('.')) text = text.replace(/(?<!(?:^|[\s.,])\p{Lu})(?<!\.\.)\.$/u, '');
  // no line terminators are left for `.` to stop at: the brackets go whatever is inside
  if (text.length >= 2 && text.charCodeAt(0) === 91 && text.endsWith(']')) text = text.slice(1, -1);
  text = text.trim();
  return text === '' ? null : text;
}

// The whitespace that \s (and trim) know besides the space and \t-\r.
const isOtherSpace = (c: number) =>
  c === 0xa0 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000 ||
  c === 0xfeff;

const isSpaceOtherThan32 = (c: number) => (c < 32 ? c >= 9 && c <= 13 : c >= 0xa0 && isOtherSpace(c));

/** Whitespace that collapsing changes: two spaces in a row, or any other space character. */
function hasOddSpace(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 32 ? value.charCodeAt(i + 1) === 32 : isSpaceOtherThan32(c)) return true;
  }
  return false;
}

// space / : ; , =
const isTrailing = (c: number) => c === 32 || c === 47 || c === 58 || c === 59 || c === 44 || c === 61;

/**
 * Whether `clean` would leave the value as it is: single spaces inside only, nothing to strip at
 * the end, no brackets around it. Most subfields are so, and this look at their characters costs
 * far less than the regular expressions.
 */
function isClean(value: string): boolean {
  const last = value.length - 1;
  for (let i = 0; i <= last; i++) {
    const c = value.charCodeAt(i);
    if (c === 32) {
      if (i === 0 || i === last || value.charCodeAt(i - 1) === 32) return false;
    } else if (isSpaceOtherThan32(c)) return false;
  }
  if (last < 0) return true;
  const end = value.charCodeAt(last);
  // / : ; , = .
  if (end === 47 || end === 58 || end === 59 || end === 44 || end === 61 || end === 46) return false;
  return !(value.charCodeAt(0) === 91 && end === 93); // [ … ]
}

export function joinClean(values: string[], separator = ' '): string | null {
  return clean(
    values
      .map((v) => clean(v))
      .filter(Boolean)
      .join(separator),
  );
}

export function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

export interface SeriesForm {
  /** The series as listed. */
  text: string | null;
  /** The title alone of a name-title series (MARC 21 800/810/811): a statement giving only that is the same series. */
  title?: string | null;
}

/**
 * Each series once, in the order given (MARC 21: the access points, then the 490 statements as on
 * the item, also those an 8XX traces in another form). A form is left out when its text, or a
 * name-title's title, is one already listed, compared as clustering compares titles (titleKey:
 * case, diacritics, punctuation and a leading article aside; a 490 transcribes "The …" that an
 * access point leaves out).
 */
export function distinctSeries(forms: SeriesForm[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const { text, title } of forms) {
    if (!text) continue;
    const keys = [titleKey(text), ...(title ? [titleKey(title)] : [])];
    if (keys.some((k) => seen.has(k))) continue;
    for (const k of keys) seen.add(k);
    out.push(text);
  }
  return out;
}

/**
 * The valid ISSNs ($x) of series fields, as NNNN-NNNC, each once and in order, without those of
 * the record itself (`own`): the same ISSN in a series field names the record's series, not it.
 */
export function seriesIssnsOf(fields: readonly DataField[], own: readonly string[]): string[] {
  return unique(
    fields
      .flatMap((f) => subs(f, 'x'))
      .map(normalizeIssn)
      .filter((v): v is string => v !== null && !own.includes(v)),
  );
}
