-- Catalog: search and storage at a million records.

-- A work's titles, names, subjects and series (weights A, B, C, with their stems) apart from the
-- details of every edition (D: publishers, notes, identifiers …), which for a work held in
-- thousands of editions make search_vector large. Ranking reads this one; search_vector (all of
-- it, indexed) still decides what matches.
alter table catalog_works add column rank_vector tsvector not null default ''::tsvector;
update catalog_works set rank_vector = ts_filter(search_vector, '{a,b,c}') where search_vector <> ''::tsvector;

-- A refresh tells a work left with only deleted records from one left with none.
create index catalog_records_deleted_work on catalog_records (work_id) where deleted_at is not null;

-- LZ4 compresses a record's large columns several times faster than the default (pglz), where
-- the server has it (PostgreSQL 14+ built with lz4, as Debian's is; PGlite is not).
do $$
begin
  alter table catalog_records
    alter column marc set compression lz4,
    alter column fields set compression lz4,
    alter column source set compression lz4;
exception when feature_not_supported then
  null;
end
$$;
