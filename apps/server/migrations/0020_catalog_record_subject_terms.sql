-- Catalog: a per-record index of subject words, for CQL's dc.subject (SRU).

-- A work matches a subject when any of its editions has it, so a work held in thousands of
-- editions matches a subject that only a handful of them carry; finding those few by computing
-- every edition's search vector took hundreds of milliseconds at a million records. This table
-- holds, per live or deleted record, each lexeme of its subject text (search_doc 'c', subjects
-- and series) exactly as the record's search vector has it at weight C (cql-search.ts): the
-- 'simple' words of the unaccented text, and the stems of the record's languages. Searches read
-- a work's records carrying a subject word newest first from its key, without reading the records.
-- Triggers keep it (one statement per insert or update statement, so a bulk import pays one set
-- insert per batch). It is derived data, kept in a schema of its own: a backup (db backup dumps
-- the tables of the public schema) leaves it out, and a restore rebuilds it as it inserts the records.

-- The lexemes of a record's subject text: its search vector's weight C, built as cql-search.ts
-- builds the vector (tsvector concatenation drops repeats). One expression, so that it is inlined.
create function catalog_subject_terms(doc jsonb, languages text[]) returns text[]
language sql stable as $$
  select tsvector_to_array(
    to_tsvector('simple', unaccent(coalesce(doc->>'c', '')))
    || case when languages && '{eng}' then to_tsvector('english', coalesce(doc->>'c', '')) else '' end
    || case when languages && '{rus}' then to_tsvector('russian', coalesce(doc->>'c', '')) else '' end
    || case when languages && '{spa}' then to_tsvector('spanish', coalesce(doc->>'c', '')) else '' end
    || case when languages && '{fre,fra}' then to_tsvector('french', coalesce(doc->>'c', '')) else '' end
    || case when languages && '{por}' then to_tsvector('portuguese', coalesce(doc->>'c', '')) else '' end
    || case when languages && '{ger,deu}' then to_tsvector('german', coalesce(doc->>'c', '')) else '' end)
$$;

create schema catalog_search;
create table catalog_search.record_subject_terms (
  term      text not null,
  work_id   uuid not null,
  record_id uuid not null,
  year      integer
);
-- A work's records with a term, newest first, read in order (no sort of a work's thousands of
-- records). Not unique: the triggers write each record's terms once.
create index record_subject_terms_lookup
  on catalog_search.record_subject_terms (term, work_id, year desc nulls last, record_id);

create function catalog_record_subject_terms_inserted() returns trigger
language plpgsql as $$
begin
  insert into catalog_search.record_subject_terms (term, work_id, record_id, year)
    select t, n.work_id, n.id, n.year
    from new_records n, unnest(catalog_subject_terms(n.search_doc, n.languages)) t;
  return null;
end
$$;

-- Rows whose subject text, languages, work or year changed: their old terms out, the new in.
-- (Deleted by their whole key, a null year apart, so that a work's thousands of entries for a
-- term are not read for each record.)
create function catalog_record_subject_terms_updated() returns trigger
language plpgsql as $$
begin
  -- One statement: the deletes see only the rows from before it, so they never meet the new ones.
  with changed as materialized (
    select n.id, o.work_id as old_work, o.year as old_year, catalog_subject_terms(o.search_doc, o.languages) as old_terms,
           n.work_id, n.year, catalog_subject_terms(n.search_doc, n.languages) as terms
    from old_records o join new_records n on n.id = o.id
    where (o.search_doc->>'c', o.languages, o.work_id, o.year) is distinct from
          (n.search_doc->>'c', n.languages, n.work_id, n.year)
  ), dated as (
    delete from catalog_search.record_subject_terms t using changed c
    where t.term = any(c.old_terms) and t.work_id = c.old_work and t.year = c.old_year and t.record_id = c.id
  ), undated as (
    delete from catalog_search.record_subject_terms t using changed c
    where c.old_year is null and t.term = any(c.old_terms) and t.work_id = c.old_work and t.year is null
      and t.record_id = c.id
  )
  insert into catalog_search.record_subject_terms (term, work_id, record_id, year)
    select t, c.work_id, c.id, c.year from changed c, unnest(c.terms) t;
  return null;
end
$$;

create function catalog_record_subject_terms_deleted() returns trigger
language plpgsql as $$
begin
  delete from catalog_search.record_subject_terms t using old_records o
    where t.term = any(catalog_subject_terms(o.search_doc, o.languages)) and t.work_id = o.work_id
      and t.year = o.year and t.record_id = o.id;
  delete from catalog_search.record_subject_terms t using old_records o
    where o.year is null and t.term = any(catalog_subject_terms(o.search_doc, o.languages))
      and t.work_id = o.work_id and t.year is null and t.record_id = o.id;
  return null;
end
$$;

create trigger catalog_records_subject_terms_insert after insert on catalog_records
  referencing new table as new_records
  for each statement execute function catalog_record_subject_terms_inserted();
create trigger catalog_records_subject_terms_update after update on catalog_records
  referencing old table as old_records new table as new_records
  for each statement execute function catalog_record_subject_terms_updated();
create trigger catalog_records_subject_terms_delete after delete on catalog_records
  referencing old table as old_records
  for each statement execute function catalog_record_subject_terms_deleted();

insert into catalog_search.record_subject_terms (term, work_id, record_id, year)
  select t, r.work_id, r.id, r.year
  from catalog_records r, unnest(catalog_subject_terms(r.search_doc, r.languages)) t;
analyze catalog_search.record_subject_terms;
