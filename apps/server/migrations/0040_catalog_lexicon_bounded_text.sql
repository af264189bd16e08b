-- Catalog: the "did you mean" lexicon reads a bounded part of a work's title, author and subjects.
-- catalog_lexicon_words (0034) made one tsvector of all of them, and a work's title is kept whole:
-- a MARCXML or JSON record whose title holds more distinct words than a tsvector can (1 MB of
-- words) made every refresh of its work fail in this trigger, and with it every later import.
-- The lexicon keeps words of 3 to 40 letters for suggestions, so the first 5,000 characters of
-- the title, 1,000 of the author and 10,000 of the subjects (at most about 130 KB of words in
-- any script) lose nothing a suggestion needs.
create or replace function catalog_lexicon_words(title text, author text, subjects text[]) returns text[]
language sql stable as $$
  select coalesce(array_agg(w), '{}')
  from unnest(tsvector_to_array(to_tsvector('simple', unaccent(catalog_fold_text(
    left(coalesce(title, ''), 5000) || ' ' || left(coalesce(author, ''), 1000) || ' '
      || left(coalesce(array_to_string(subjects, ' '), ''), 10000)))))) w
  where char_length(w) between 3 and 40 and w !~ '[0-9]' and w !~ '[\u3040-\u9fff\uac00-\ud7af\uf900-\ufaff]'
$$;

-- The triggers subtract a work's words as the function gives them now: where it gives fewer than
-- before (a work with longer texts), the lexicon is counted again from the works as they are.
do $$
begin
  if exists (
    select 1 from catalog_works
    where record_count > 0 and (char_length(title) > 5000 or char_length(author) > 1000
      or char_length(array_to_string(subjects, ' ')) > 10000)
  ) then
    truncate catalog_lexicon;
    insert into catalog_lexicon (word, works)
    select w, count(*)::int from catalog_works, unnest(catalog_lexicon_words(title, author, subjects)) w
    where record_count > 0
    group by w;
  end if;
end
$$;
