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

/**
 * Parses `wizard author:"le guin" year:1960-1970 isbn:0-306-40615-2 "exact phrase"`.
 * A bare ISBN (any form) is recognised too; unknown syntax is searched as words.
 */
export function parseQuery(q: string): ParsedQuery {
  const parsed: ParsedQuery = { clauses: [], isbns: [], yearFrom: null, yearTo: null, words: [] };
  for (const m of q.matchAll(TOKEN)) {
    const field = m[1] ? FIELD_ALIASES[m[1].toLowerCase()]! : 'any';
    const quoted = m[2] !== undefined;
    const value = (quoted ? m[2] : m[3])!.trim();
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
      field === 'isbn' || (field === 'any' && !quoted && /^[\d-]{10,17}[\dXx]?$/.test(value))
        ? normalizeIsbn(value)
        : null;
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
