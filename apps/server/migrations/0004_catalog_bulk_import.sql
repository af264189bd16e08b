-- Catalog: bulk import. Batches no longer rewrite works; they write the works' matching keys and
-- mark the works for a refresh that rebuilds display fields, facets and the search vector once
-- per work (at the end of an import, and every so many records during a long one).

-- A work's matching keys, one row each: its records' identifiers ("isbn:978…", "lccn:…",
-- "oclc:…") and years ("year:1968"). Batches only add rows; a refresh that saw a record change
-- or leave the work rebuilds them. Candidate works are found here, so a batch never has to
-- update a work row (and re-index its search vector) to make its new keys matchable.
-- (No foreign key: a refresh that deletes a work deletes its keys, and batches add keys by the
-- thousand, where a check per row would cost as much as the row.)
create table catalog_work_keys (
  work_id uuid not null,
  key     text not null,
  primary key (work_id, key)
);
create index catalog_work_keys_key on catalog_work_keys (key);
insert into catalog_work_keys (work_id, key)
  select w.id, k from catalog_works w, unnest(w.identifiers) k
  union
  select w.id, 'year:' || y from catalog_works w, unnest(w.years) y;

-- Works whose aggregates are out of date: `added` records joined them (the refresh reads only
-- those), or, with `rekey`, a record changed or left the work (it is rebuilt from all its
-- records, matching keys included). Drained by every import, so an import finishes what a
-- killed one left.
create table catalog_work_refresh (
  work_id uuid primary key,
  rekey   boolean not null default false,
  added   uuid[] not null default '{}'
);

-- Matching reads catalog_work_keys now.
drop index catalog_works_identifiers;

-- A work's search vector is built from the distinct texts of its records (refreshWorks), so a
-- record no longer carries a vector of its own.
alter table catalog_records drop column search_vector;
drop function catalog_record_vector(jsonb, text[]);
drop function catalog_stem_configs(text[]);

-- The parsed record is stored and read whole, never queried inside: `json` keeps the text as
-- written and costs a validation instead of building a jsonb tree (the largest per-record cost
-- of an insert).
alter table catalog_records alter column marc type json using marc::json;

-- The stemming configuration for a MARC language code, or null. (Stable, as the cast to
-- regconfig is, so that it is inlined into the queries that use it.)
create function catalog_stem_config(lang text) returns regconfig
language sql stable as $$
  select (case lang
    when 'eng' then 'english' when 'rus' then 'russian' when 'spa' then 'spanish'
    when 'fre' then 'french' when 'fra' then 'french' when 'por' then 'portuguese'
    when 'ger' then 'german' when 'deu' then 'german'
  end)::regconfig
$$;

-- Concatenation of arrays as an aggregate, to gather a work's keys and facet values in one pass.
create aggregate catalog_array_cat(anycompatiblearray) (sfunc = array_cat, stype = anycompatiblearray, initcond = '{}');
