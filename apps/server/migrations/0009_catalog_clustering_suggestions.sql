-- Catalog: staff split and merge of works (their history), and "did you mean" for searches.

-- A work's decisions are read by the work they came from or went to.
create index catalog_cluster_decisions_to on catalog_cluster_decisions (to_work_id, decided_at desc);
create index catalog_cluster_decisions_from on catalog_cluster_decisions (from_work_id, decided_at desc);
-- The records moved by one staff action share a decision number (its first row's id).
alter table catalog_cluster_decisions add column decision bigint;

-- Words of the catalogue, for suggesting corrections of misspelled queries: each word of the
-- works' titles, main authors and subjects (accent-folded, lower case) with the number of
-- searchable works that have it. Small (a few hundred thousand words at a million records), so
-- a trigram lookup here is fast where a scan of works never would be.
create table catalog_lexicon (
  word  text primary key,
  works integer not null default 0
);
create index catalog_lexicon_trgm on catalog_lexicon using gin (word gin_trgm_ops);

-- The words of a work's title, author and subjects as the lexicon keeps them: no numbers, no
-- one- or two-letter words, no CJK runs (searched as bigrams, not words).
create function catalog_lexicon_words(title text, author text, subjects text[]) returns text[]
language sql stable as $$
  select coalesce(array_agg(w), '{}')
  from unnest(tsvector_to_array(to_tsvector('simple', unaccent(
    coalesce(title, '') || ' ' || coalesce(author, '') || ' ' || coalesce(array_to_string(subjects, ' '), ''))))) w
  where char_length(w) between 3 and 40 and w !~ '[0-9]' and w !~ '[\u3040-\u9fff\uac00-\ud7af\uf900-\ufaff]'
$$;

-- Kept by statement triggers on catalog_works, so every writer (an import's refresh, a deletion,
-- a split or merge) keeps it in the same transaction, at the cost of one pass over the rows a
-- statement changed; only works whose title, author, subjects or searchability changed count.
-- None on insert: works are created empty (record_count 0) and counted when a refresh fills
-- them, and a restored backup inserts the lexicon's rows itself.
create function catalog_lexicon_update() returns trigger
language plpgsql as $$
begin
  insert into catalog_lexicon (word, works)
  select w, sum(d)::int from (
    select unnest(catalog_lexicon_words(n.title, n.author, n.subjects)) as w, 1 as d
    from old_rows o join new_rows n on n.id = o.id
    where n.record_count > 0 and (o.record_count = 0 or o.title is distinct from n.title
      or o.author is distinct from n.author or o.subjects is distinct from n.subjects)
    union all
    select unnest(catalog_lexicon_words(o.title, o.author, o.subjects)), -1
    from old_rows o join new_rows n on n.id = o.id
    where o.record_count > 0 and (n.record_count = 0 or o.title is distinct from n.title
      or o.author is distinct from n.author or o.subjects is distinct from n.subjects)
  ) x
  group by w having sum(d) <> 0
  order by w
  on conflict (word) do update set works = catalog_lexicon.works + excluded.works;
  return null;
end
$$;

create function catalog_lexicon_delete() returns trigger
language plpgsql as $$
begin
  insert into catalog_lexicon (word, works)
  select w, -count(*)::int from old_rows o, unnest(catalog_lexicon_words(o.title, o.author, o.subjects)) w
  where o.record_count > 0
  group by w order by w
  on conflict (word) do update set works = catalog_lexicon.works + excluded.works;
  return null;
end
$$;

create trigger catalog_works_lexicon_update after update on catalog_works
  referencing old table as old_rows new table as new_rows
  for each statement execute function catalog_lexicon_update();
create trigger catalog_works_lexicon_delete after delete on catalog_works
  referencing old table as old_rows
  for each statement execute function catalog_lexicon_delete();

insert into catalog_lexicon (word, works)
select w, count(*)::int from catalog_works, unnest(catalog_lexicon_words(title, author, subjects)) w
where record_count > 0
group by w;
