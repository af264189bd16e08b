import { normalizeIsbn } from '../normalize/identifiers.js';
import { analyzeForIndex } from './analyze.js';

/** What a patron typed, understood: words and phrases per field, and filters. */
export interface ParsedQuery {
  /** Each clause must match; `field` restricts it to a part of the record. */
  clauses: Array<{ field: 'any' | 'title' | 'author' | 'subject'; text: string; phrase: boolean }>;
  isbns: string[];
  yearFrom: number | null;
  yearTo: number | null;
  /** Words kept for "did you mean", in order. */
  words: string[];
}

const TOKEN = /(?:(title|author|subject|isbn|year|ti|au|su):)?(?:"([^"]*)"?|(\S+))/gi;
const FIELD_ALIASES: Record<string, ParsedQuery['clauses'][number]['field'] | 'isbn' | 'year'> = {
  title: 'title',
  ti: 'title',
  author: 'author',
  au: 'author',
  subject: 'subject',
  su: 'subject',
  isbn: 'isbn',
  year: 'year',
};

/** Digits and hyphens shaped like an ISBN-10 or -13, the last perhaps an X check digit. */
const ISBN_SHAPED = /^\d[\d-]{8,16}[\dXx]$/;
/** "ISBN", "ISBN:", "ISBN-13:", "isbn10" …: a label naming the ISBN after it. */
const ISBN_LABEL = /^isbn(?:-?1[03])?:?$/i;
/** A label and its ISBN typed together: "ISBN-13:978…" (plain "isbn:" is a field prefix). */
const LABELLED_ISBN = /^isbn-?1[03]:(.+)$/i;

interface Token {
  field: ParsedQuery['clauses'][number]['field'] | 'isbn' | 'year';
  value: string;
  quoted: boolean;
}

/** The terms of a query, each with its field; an ISBN after an "ISBN" label is an `isbn:` term. */
function tokens(q: string): Token[] {
  const typed: Token[] = [];
  for (const m of q.matchAll(TOKEN)) {
    const quoted = m[2] !== undefined;
    const value = (quoted ? m[2] : m[3])!.trim();
    const labelled = quoted || m[1] ? null : value.match(LABELLED_ISBN);
    if (labelled && ISBN_SHAPED.test(labelled[1]!)) typed.push({ field: 'isbn', value: labelled[1]!, quoted });
    else typed.push({ field: m[1] ? FIELD_ALIASES[m[1].toLowerCase()]! : 'any', value, quoted });
  }
  const plain = (t: Token | undefined, shape: RegExp) => !!t && t.field === 'any' && !t.quoted && shape.test(t.value);
  const out: Token[] = [];
  for (let i = 0; i < typed.length; i++) {
    const next = typed[i + 1];
    if (plain(typed[i], ISBN_LABEL) && plain(next, ISBN_SHAPED)) {
      out.push({ ...next!, field: 'isbn' });
      i++;
    } else out.push(typed[i]!);
  }
  return out;
}

/**
 * Parses `wizard author:"le guin" year:1960-1970 isbn:0-306-40615-2 "exact phrase"`.
 * A bare ISBN (any form, valid check digit) is recognised too, as is one labelled "ISBN",
 * "ISBN:", "ISBN-13:" or "ISBN-10:"; unknown syntax is searched as words.
 */
export function parseQuery(q: string): ParsedQuery {
  const parsed: ParsedQuery = { clauses: [], isbns: [], yearFrom: null, yearTo: null, words: [] };
  for (const { field, value, quoted } of tokens(q)) {
    if (!value) continue;
    if (field === 'year') {
      const range = value.match(/^(\d{3,4})?\s*(?:-|–|\.\.)\s*(\d{3,4})?$/);
      const single = value.match(/^\d{3,4}$/);
      if (single) parsed.yearFrom = parsed.yearTo = Number(value);
      else if (range) {
        parsed.yearFrom = range[1] ? Number(range[1]) : null;
        parsed.yearTo = range[2] ? Number(range[2]) : null;
      }
      continue;
    }
    const isbn =
      field === 'isbn' || (field === 'any' && !quoted && ISBN_SHAPED.test(value)) ? normalizeIsbn(value) : null;
    if (isbn) {
      parsed.isbns.push(isbn);
      continue;
    }
    if (field === 'isbn') {
      parsed.clauses.push({ field: 'any', text: value.replace(/-/g, ''), phrase: false });
      continue;
    }
    const text = analyzeForIndex(value);
    if (!text) continue;
    parsed.clauses.push({
      field: field as ParsedQuery['clauses'][number]['field'],
      text,
      phrase:
        quoted ||
        (text.includes(' ') && /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(value)),
    });
    parsed.words.push(...text.split(' '));
  }
  return parsed;
}
