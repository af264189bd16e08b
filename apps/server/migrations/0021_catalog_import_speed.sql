-- Catalog: cheaper record and work writes for bulk imports.

-- (updated_at, id) from 0011 serves every reader of updated_at; the single-column index from
-- 0003 only cost each insert and update of a record one more index entry.
drop index if exists catalog_records_updated;

-- Every refresh of a work (each import batch's works, at the end of an import) writes its search
-- and rank vectors anew; LZ4 compresses them several times faster than pglz where the server has
-- it, as 0007 did for the records' large columns (PGlite has not: nothing changes there).
do $$
begin
  alter table catalog_works
    alter column search_vector set compression lz4,
    alter column rank_vector set compression lz4;
exception when feature_not_supported then
  null;
end
$$;
