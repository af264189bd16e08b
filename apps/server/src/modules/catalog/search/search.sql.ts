import { sql, type RawBuilder } from 'kysely';
import type { ParsedQuery } from './query.js';

/** Stemming configurations tried beside 'simple' for every word of a query. */
export const STEM_CONFIGS = ['english', 'russian', 'spanish', 'french', 'portuguese', 'german'] as const;
const WEIGHT = { any: '', title: 'A', author: 'B', subject: 'C' } as const;

const lexeme = (word: string, weight: string) =>
  `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}'${weight ? `:${weight}` : ''}`;

function anyConfig(text: string): RawBuilder<unknown> {
  return sql`(to_tsquery('simple', unaccent(${text}))${sql.join(
    STEM_CONFIGS.map((cfg) => sql` || to_tsquery(${sql.lit(cfg)}::regconfig, ${text})`),
    sql``,
  )})`;
}

/** The tsquery of a parsed query: every clause must match, each word in any language form. */
export function tsqueryOf(parsed: ParsedQuery): RawBuilder<unknown> | null {
  const parts: RawBuilder<unknown>[] = [];
  for (const clause of parsed.clauses) {
    const weight = WEIGHT[clause.field];
    const words = clause.text.split(' ').filter(Boolean);
    if (clause.phrase && words.length > 1) {
      parts.push(anyConfig(words.map((w) => lexeme(w, weight)).join(' <-> ')));
    } else {
      for (const word of words) parts.push(anyConfig(lexeme(word, weight)));
    }
  }
  for (const isbn of parsed.isbns) parts.push(sql`to_tsquery('simple', ${lexeme(isbn, '')})`);
  if (parts.length === 0) return null;
  return sql`(${sql.join(parts, sql` && `)})`;
}

/**
 * What the catalogue's search asks of a work `w`: `where` (every clause matches) and `rank`
 * (the tsquery to rank by: any clause). Words are looked up without weights in search_vector,
 * whose index answers them without reading the vector; what needs weights (fielded terms) or
 * positions is checked against rank_vector, the work's titles, names and subjects, which stays
 * small when search_vector is large. Each tsquery is computed once per statement.
 */
export function workMatch(parsed: ParsedQuery): {
  where: RawBuilder<unknown> | null;
  rank: RawBuilder<unknown> | null;
} {
  const words: RawBuilder<unknown>[] = [];
  const inVector: RawBuilder<unknown>[] = [];
  const inRankVector: RawBuilder<unknown>[] = [];
  for (const clause of parsed.clauses) {
    const weight = WEIGHT[clause.field];
    const terms = clause.text.split(' ').filter(Boolean);
    const phrase = clause.phrase && terms.length > 1;
    if (!weight && !phrase) {
      for (const term of terms) words.push(anyConfig(lexeme(term, '')));
      continue;
    }
    if (weight) for (const term of terms) words.push(anyConfig(lexeme(term, '')));
    const exact = phrase
      ? [anyConfig(terms.map((t) => lexeme(t, weight)).join(' <-> '))]
      : terms.map((t) => anyConfig(lexeme(t, weight)));
    (weight ? inRankVector : inVector).push(...exact);
  }
  for (const isbn of parsed.isbns) words.push(sql`to_tsquery('simple', ${lexeme(isbn, '')})`);
  const all = [...words, ...inVector];
  if (all.length === 0) return { where: null, rank: null };
  const conditions = [sql`w.search_vector @@ (select ${sql.join(all, sql` && `)})`];
  if (inRankVector.length) conditions.push(sql`w.rank_vector @@ (select ${sql.join(inRankVector, sql` && `)})`);
  return {
    where: sql.join(conditions, sql` and `),
    rank: sql`(select ${sql.join([...words, ...inVector, ...inRankVector], sql` || `)})`,
  };
}
