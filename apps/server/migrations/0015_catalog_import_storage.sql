-- Catalog: cheaper record storage for bulk imports on the embedded database.

-- A record row (its MARC as JSON, normalized fields and source bytes) is about 3 KB, over the
-- 2 KB at which PostgreSQL compresses a row's large values. Where the server has LZ4 (0007) that
-- costs little; without it (PGlite) pglz, in WebAssembly, took about as long as the rest of the
-- row's insert. There, rows up to 8 KB are kept as they are: the database is larger, imports
-- (and reads of a record) cheaper.
do $$
begin
  -- Already so where LZ4 is available (0007); this only tells whether it is.
  alter table catalog_records alter column marc set compression lz4;
exception when feature_not_supported then
  alter table catalog_records set (toast_tuple_target = 8160);
end
$$;
