-- Catalog: an import's report is streamed in pages, in file order (the record number its position
-- gives, then the position's text, then the order the rejects were stored), so that a run with
-- millions of rejects is never read whole. seq tells apart two rejects of the same position; the
-- index answers each page's keyset condition (and, leading with import_id, replaces the old one).
alter table catalog_import_rejects add column seq bigint generated always as identity;
create index catalog_import_rejects_order on catalog_import_rejects
  (import_id, (coalesce(substring(position from 'record ([0-9]+)')::bigint, 0)), position, seq);
drop index catalog_import_rejects_import;
