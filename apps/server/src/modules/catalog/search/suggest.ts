import type { CatalogDb } from '../catalog.repository.js';
import { foldText, hasCjk } from './analyze.js';
import { lexiconMatches } from './suggest.sql.js';

// The query's tokens as parseQuery reads them: an optional field, then a quoted phrase or a word.
const TOKEN = /(?:(title|author|subject|isbn|year|ti|au|su):)?(?:"([^"]*)"?|(\S+))/gi;
// A word worth correcting: letters (any script) with inner apostrophes or hyphens, and at least three of them.
const WORD = /^(\p{P}*)([\p{L}\p{M}][\p{L}\p{M}'’-]*[\p{L}\p{M}])(\p{P}*)$/u;

/** Damerau–Levenshtein distance (optimal string alignment), over code points. */
export function editDistance(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  const d = Array.from({ length: s.length + 1 }, (_, i) => [i, ...Array<number>(t.length).fill(0)]);
  for (let j = 1; j <= t.length; j++) d[0]![j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[s.length]![t.length]!;
}

/** Without diacritics, as the lexicon keeps words (PostgreSQL's unaccent). */
const stripMarks = (word: string) => word.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');

/** How many edits a correction of a word this long may make. */
const allowedEdits = (length: number) => (length <= 4 ? 1 : length <= 8 ? 2 : 3);

/**
 * A corrected query for "did you mean", or null: each word the catalogue's lexicon does not
 * have becomes the nearest lexicon word (fewest edits, at most 1–3 by length), the most frequent
 * of those. Field prefixes,
 * quoted phrases, ISBNs, years and words the lexicon has stay as they were typed.
 */
export async function suggestQuery(db: CatalogDb, q: string): Promise<string | null> {
  const tokens: Array<{ start: number; end: number; prefix: string; word: string; suffix: string; field: string }> = [];
  for (const m of q.matchAll(TOKEN)) {
    const field = (m[1] ?? '').toLowerCase();
    if (m[2] !== undefined || field === 'isbn' || field === 'year') continue;
    const parts = m[3]!.match(WORD);
    if (!parts || hasCjk(parts[2]!) || /\d/.test(parts[2]!)) continue;
    const word = foldText(parts[2]!);
    if ([...word].length < 3) continue;
    const start = m.index + (m[1] ? m[1].length + 1 : 0);
    tokens.push({ start, end: start + m[3]!.length, prefix: parts[1]!, word, suffix: parts[3]!, field });
  }
  if (tokens.length === 0) return null;
  const matches = new Map((await lexiconMatches(db, [...new Set(tokens.map((t) => t.word))])).map((m) => [m.input, m]));
  let out = '';
  let at = 0;
  let changed = false;
  for (const token of tokens) {
    const match = matches.get(token.word);
    if (!match || match.known !== null) continue;
    // As a speller does: the nearest words first (fewest edits), and of those the most frequent.
    const bare = stripMarks(token.word);
    let best: { word: string; works: number; distance: number } | null = null;
    for (const c of match.candidates) {
      const distance = editDistance(bare, c.word);
      if (distance > allowedEdits([...bare].length)) continue;
      if (!best || distance < best.distance || (distance === best.distance && c.works > best.works))
        best = { word: c.word, works: c.works, distance };
    }
    if (!best) continue;
    out += q.slice(at, token.start) + token.prefix + best.word + token.suffix;
    at = token.end;
    changed = true;
  }
  return changed ? (out + q.slice(at)).trim() : null;
}
