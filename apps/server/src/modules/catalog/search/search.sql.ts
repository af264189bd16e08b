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

/**
 * A phrase: its words next to each other, in any language form. Words of punctuation alone (`&`,
 * `—`, `/`) are left out: the indexed text has no lexeme for them, so they take no position there
 * and would otherwise stretch the phrase ("commerce & business" must match commerce:1 business:2).
 */
function phraseQuery(words: string[], weight: string): RawBuilder<unknown> {
  return anyConfig(
    words
      .filter((w) => /[\p{L}\p{N}]/u.test(w))
      .map((w) => lexeme(w, weight))
      .join(' <-> '),
  );
}

/** The tsquery of a parsed query: every clause must match, each word in any language form. */
export function tsqueryOf(parsed: ParsedQuery): RawBuilder<unknown> | null {
  const parts: RawBuilder<unknown>[] = [];
  for (const clause of parsed.clauses) {
    const weight = WEIGHT[clause.field];
    const words = clause.text.split(' ').filter(Boolean);
    if (clause.phrase && words.length > 1) {
      parts.push(phraseQuery(words, weight));
    } else {
      for (const word of words) parts.push(anyConfig(lexeme(word, weight)));
    }
  }
  for (const isbn of parsed.isbns) parts.push(sql`to_tsquery('simple', ${lexeme(isbn, '')})`);
  if (parts.length === 0) return null;
  return sql`(${sql.join(parts, sql` && `)})`;
}

/**
 * One query word in every form the stemming configurations give it, each distinct form once (the
 * configurations mostly agree, and ranking costs by the number of forms): `'wizard':A`, or
 * `'run' | 'running'`. Words the text parser would split keep the per-configuration form.
 */
function termQuery(term: string, weight: string): RawBuilder<unknown> {
  if (!/^[\p{L}\p{N}]+$/u.test(term)) return anyConfig(lexeme(term, weight));
  return sql`(select coalesce(string_agg(distinct '''' || l || '''' || ${weight ? `:${weight}` : ''}, ' | '), '')::tsquery from (
      select unnest(tsvector_to_array(to_tsvector('simple', unaccent(${term})))) as l
      union all
      select unnest(tsvector_to_array(to_tsvector(c, ${term}))) from unnest(${[...STEM_CONFIGS]}::regconfig[]) as c
    ) forms)`;
}

/**
 * What the catalogue's search asks of a work `w`: `where` (every clause matches) and `rank`
 * (the tsquery to rank by: any clause). Words are looked up without weights in search_vector,
 * whose index answers them without reading the vector; what needs weights (fielded terms) or
 * positions is checked against rank_vector, the work's titles, names and subjects, which stays
 * small when search_vector is large. Each tsquery is computed once per statement. With
 * `sample`, only the works of the sample of one in 2^sample match.
 */
export function workMatch(
  parsed: ParsedQuery,
  sample?: number,
): {
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
      for (const term of terms) words.push(termQuery(term, ''));
      continue;
    }
    if (weight) for (const term of terms) words.push(termQuery(term, ''));
    const exact = phrase ? [phraseQuery(terms, weight)] : terms.map((t) => termQuery(t, weight));
    (weight ? inRankVector : inVector).push(...exact);
  }
  for (const isbn of parsed.isbns) words.push(sql`to_tsquery('simple', ${lexeme(isbn, '')})`);
  const ranked = [...words, ...inVector, ...inRankVector];
  const all = [...words, ...inVector, ...(sample === undefined ? [] : [sampleQuery(sample)])];
  if (all.length === 0) return { where: null, rank: null };
  const conditions = [sql`w.search_vector @@ (select ${sql.join(all, sql` && `)})`];
  if (inRankVector.length) conditions.push(sql`w.rank_vector @@ (select ${sql.join(inRankVector, sql` && `)})`);
  return {
    where: sql.join(conditions, sql` and `),
    rank: ranked.length ? sql`(select ${sql.join(ranked, sql` || `)})` : null,
  };
}

/**
 * Whether a work `w`'s titles are made of the query's words: every lexeme of its rank_vector at
 * weight A (title, subtitle and other titles, original-script forms and stems included) is a form
 * of a word of the query, in any of the forms the stemming configurations give it. Relevance puts
 * such works first: a known item searched by its title (and its author's name) comes before works
 * whose longer titles repeat the same words ("The science" before "The science, the science
 * empire"), which ranking by cover density alone favours. Null when the query has no words.
 */
export function titleOfQueryWords(parsed: ParsedQuery): RawBuilder<unknown> | null {
  const words = parsed.clauses.flatMap((c) => c.text.split(' ')).filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length === 0) return null;
  // The query's forms, computed once per statement (an uncorrelated subquery).
  const forms = sql`(select coalesce(array_agg(distinct l), '{}') from (
      select unnest(tsvector_to_array(to_tsvector('simple', unaccent(t)))) as l from unnest(${words}::text[]) t
      union all
      select unnest(tsvector_to_array(to_tsvector(c, t)))
      from unnest(${words}::text[]) t, unnest(${[...STEM_CONFIGS]}::regconfig[]) c
    ) f)`;
  return sql`(length(ts_filter(w.rank_vector, '{a}')) > 0
    and length(ts_delete(ts_filter(w.rank_vector, '{a}'), ${forms})) = 0)`;
}

/**
 * Every work's search_vector carries sample lexemes: "~hK" when the work is in the sample of one
 * in 2^K works (K = 1 … SAMPLE_LEVELS, nested: from a hash of its id; refreshWorks writes them),
 * so that a search can look at a fixed share of what it matches through the same index, with
 * one more lexeme to intersect. No word of a query can produce them: the text parser never
 * keeps "~".
 */
export const SAMPLE_LEVELS = 6;

/** A tsquery matching one work in 2^level. */
export function sampleQuery(level: number): RawBuilder<unknown> {
  return sql`${`'~h${Math.max(1, Math.min(SAMPLE_LEVELS, level))}'`}::tsquery`;
}

/**
 * A work held by at least this many records carries the lexeme "~p" in its search_vector: a
 * search that orders many matches by how widely they are held finds its first pages there.
 */
export const POPULAR_FROM = 20;

/** The tsquery of works marked popular. */
export const popularQuery = () => sql`'~p'::tsquery`;

/**
 * The marker lexemes of a work for its search_vector: its samples, and "~p" when popular.
 * `id` and `recordCount` are SQL expressions.
 */
export const markerLexemes = (id: string, recordCount: string) =>
  sql.raw(
    `array_to_tsvector(array(select '~h' || k from generate_series(1, ${SAMPLE_LEVELS}) k where (hashtext(${id}::text) & ${2 ** SAMPLE_LEVELS - 1}) < (${2 ** SAMPLE_LEVELS} >> k))` +
      ` || case when ${recordCount} >= ${POPULAR_FROM} then array['~p'] else '{}' end)`,
  );
