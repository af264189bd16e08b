-- Catalog: a batch's refresh marks wait with its copies (0036). Marked before its copies were
-- stored, a batch's works could be refreshed by another import in between, without them (its
-- libraries' availability wrong until their next refresh); so the second transaction marks them.
alter table catalog_import_pending_copies add column marks text not null default '[]';
alter table catalog_import_pending_copies alter column marks set storage external;
