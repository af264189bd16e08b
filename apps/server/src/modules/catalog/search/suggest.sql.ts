// SQL for "did you mean": close words of the catalogue's lexicon (catalog_lexicon, migration 0009).
import { sql } from 'kysely';
import type { CatalogDb } from '../catalog.repository.js';

export interface LexiconMatch {
  input: string;
  /** How many works have the word itself (null: none). */
  known: number | null;
  candidates: Array<{ word: string; works: number; similarity: number }>;
}

/**
 * For each word: whether the lexicon has it, and else up to 20 words that share enough trigrams
 * with it (pg_trgm's `%`, through the GIN index), most similar first. The words come folded by
 * foldText, the lexicon's were folded the same way in SQL (catalog_fold_text, migration 0034), and
 * both then by unaccent.
 */
export async function lexiconMatches(db: CatalogDb, words: string[]): Promise<LexiconMatch[]> {
  if (words.length === 0) return [];
  const { rows } = await sql<LexiconMatch>`
    select q.input, e.works as known,
      case when e.works is not null then '[]'::json else coalesce((
        select json_agg(json_build_object('word', c.word, 'works', c.works, 'similarity', c.sim) order by c.sim desc, c.works desc)
        from (
          select l.word, l.works, similarity(l.word, q.folded) as sim
          from catalog_lexicon l
          where l.word % q.folded and l.works > 0 and l.word <> q.folded
          order by sim desc, l.works desc
          limit 20
        ) c
      ), '[]'::json) end as candidates
    from (select x as input, unaccent(x) as folded from unnest(${words}::text[]) x) q
      left join catalog_lexicon e on e.word = q.folded and e.works > 0`.execute(db);
  return rows;
}
