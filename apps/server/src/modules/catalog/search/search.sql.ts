import { sql, type RawBuilder } from 'kysely';
import type { ParsedQuery } from './query.js';

/** Stemming configurations tried beside 'simple' for every word of a query. */
export const STEM_CONFIGS = ['english', 'russian', 'spanish', 'french', 'portuguese', 'german'] as const;
const WEIGHT = { any: '', title: 'A', author: 'B', subject: 'C' } as const;

const lexeme = (word: string, weight: string) => `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}'${weight ? `:${weight}` : ''}`;

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
