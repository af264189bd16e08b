-- Catalog: searches that match a large part of the catalogue.

-- Every work's search_vector carries marker lexemes (search.sql.ts; refreshWorks writes them
-- from now on): "~hK" when the work is in the sample of one in 2^K works (K = 1 … 6, nested,
-- from a hash of its id), so that a search matching tens of thousands of works counts its
-- facets over a fixed share of them through the same index; and "~p" when at least 20 records
-- hold it, where such a search ordered by how widely works are held finds its first pages.
update catalog_works
set search_vector = search_vector || array_to_tsvector(
  array(select '~h' || k from generate_series(1, 6) k where (hashtext(id::text) & 63) < (64 >> k))
  || case when record_count >= 20 then array['~p'] else '{}' end)
where record_count > 0;

-- A search hit lists its work's newest editions, and a refresh reads a work's records: both by
-- this index, which replaces the one on work_id alone.
create index catalog_records_work_year on catalog_records (work_id, year desc nulls last) where deleted_at is null;
drop index catalog_records_work;
