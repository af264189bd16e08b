-- Catalog: the "did you mean" lexicon keeps words in the letter forms queries are folded to.
-- Queries are folded by foldText (search/analyze.ts), as the text of the works' search vectors is
-- before it is stored (records' search_doc); the lexicon (0009) is built in SQL from the works'
-- own title, author and subjects, with unaccent only, so it kept إحياء, الفتاوى or Persian-typed
-- تاریخ where a query has احياء, الفتاوي, تاريخ: a word the catalogue has was taken for unknown
-- and "corrected" (into itself in another letter form, or into another word), and a misspelling
-- one edit from the folded word was two or more from the word as kept, so was not corrected.

-- foldText's Arabic-script folding in SQL, for text that was not folded before it was stored:
-- NFKC (presentation forms become letters), then, as foldText's table (search/analyze.ts) says,
-- harakat and other marks (U+064B–U+065F, U+0670), Quranic marks (U+0610–U+061A, U+06D6–U+06ED)
-- and tatweel (U+0640) dropped; alef with hamza or madda and alef wasla → alef; alef maksura,
-- yeh with hamza and Farsi yeh → yeh; waw with hamza → waw; keheh → kaf; teh marbuta, heh goal,
-- heh with yeh above and heh goal with hamza above → heh. Lower case is left to to_tsvector.
-- Text without Arabic script (or its presentation forms) is returned as it is, at the cost of one
-- regular-expression scan. suggest.test.ts checks this against foldText character by character.
create function catalog_fold_text(t text) returns text
language sql immutable parallel safe as $$
  select case when t ~ '[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]' then translate(normalize(t, nfkc),
    -- 13 letter forms, then 58 characters dropped (no counterpart in the second list).
    U&'\0623\0625\0622\0671\0649\0626\06CC\0624\06A9\0629\06C1\06C0\06C2'
      || U&'\0610\0611\0612\0613\0614\0615\0616\0617\0618\0619\061A'
      || U&'\064B\064C\064D\064E\064F\0650\0651\0652\0653\0654\0655\0656\0657\0658\0659\065A\065B\065C\065D\065E\065F'
      || U&'\0670\06D6\06D7\06D8\06D9\06DA\06DB\06DC\06DD\06DE\06DF\06E0\06E1\06E2\06E3\06E4\06E5\06E6\06E7\06E8\06E9\06EA\06EB\06EC\06ED\0640',
    U&'\0627\0627\0627\0627\064A\064A\064A\0648\0643\0647\0647\0647\0647')
  else t end
$$;

-- As 0009's, over the folded text: the words a query folded by foldText and then unaccent is
-- compared with (suggest.sql.ts). No numbers, no one- or two-letter words, no CJK runs.
create or replace function catalog_lexicon_words(title text, author text, subjects text[]) returns text[]
language sql stable as $$
  select coalesce(array_agg(w), '{}')
  from unnest(tsvector_to_array(to_tsvector('simple', unaccent(catalog_fold_text(
    coalesce(title, '') || ' ' || coalesce(author, '') || ' ' || coalesce(array_to_string(subjects, ' '), '')))))) w
  where char_length(w) between 3 and 40 and w !~ '[0-9]' and w !~ '[\u3040-\u9fff\uac00-\ud7af\uf900-\ufaff]'
$$;

-- The lexicon again, from the works as they are, in the new forms (the triggers subtract a work's
-- words as catalog_lexicon_words gives them now, so the old forms must not stay behind).
truncate catalog_lexicon;
insert into catalog_lexicon (word, works)
select w, count(*)::int from catalog_works, unnest(catalog_lexicon_words(title, author, subjects)) w
where record_count > 0
group by w;
