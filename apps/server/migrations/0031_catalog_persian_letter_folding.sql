-- Catalog: text folding (search/analyze.ts foldText) now unifies the Persian and Urdu letter forms
-- with the Arabic ones: Farsi yeh U+06CC → yeh U+064A, keheh U+06A9 → kaf U+0643, and heh goal
-- U+06C1, heh with yeh above U+06C0, heh goal with hamza above U+06C2 → heh U+0647. Queries are
-- folded so from now on, so text stored folded the old way is folded here the same way, or a
-- Persian-typed query would no longer find the Persian-typed records it found before. Every change
-- is one character for one character, so applying it to folded text gives what folding the
-- original text now gives:
--   records' search_doc (the subject index of 0020 follows through its update trigger) and their
--   title|author matching key; the works' vectors (their lexemes are that text's words: 'simple'
--   over unaccent, which leaves Arabic script alone, and stems of languages written in other
--   scripts) and matching key, and the key's "ta:" row in catalog_work_keys.
-- A key folded the old way turned U+06C0 into U+06D5 (matchKey drops the hamza after NFD); that
-- U+06D5 cannot be told from a real one, so such a key stays until its record is imported again.
with records as (
  update catalog_records set
    search_doc = translate(search_doc::text, 'یکہۀۂ', 'يكههه')::jsonb,
    title_author_key = translate(title_author_key, 'یکہۂ', 'يكهه')
  where search_doc::text ~ '[یکہۀۂ]' or title_author_key ~ '[یکہۂ]'
  returning work_id
)
update catalog_works set
  search_vector = translate(search_vector::text, 'یکہۀۂ', 'يكههه')::tsvector,
  rank_vector = translate(rank_vector::text, 'یکہۀۂ', 'يكههه')::tsvector,
  title_author_key = translate(title_author_key, 'یکہۂ', 'يكهه')
where id in (select work_id from records);

insert into catalog_work_keys (work_id, key)
  select work_id, translate(key, 'یکہۂ', 'يكهه') from catalog_work_keys
  where key like 'ta:%' and key ~ '[یکہۂ]'
  on conflict do nothing;
delete from catalog_work_keys where key like 'ta:%' and key ~ '[یکہۂ]';
