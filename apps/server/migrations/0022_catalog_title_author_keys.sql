-- Catalog: one table of matching keys. A work's title|author key joins its identifier and year
-- keys in catalog_work_keys as "ta:<title|author>", so an import batch finds its candidate works
-- with one index probe per key (an index-only scan on (key, work_id)) instead of probing the keys,
-- the works' title_author_key index and each work found. The work keeps its title_author_key
-- column (the key is written from it: by batches for new works, and by every refresh that
-- rebuilds a work's keys or first gives it one).
insert into catalog_work_keys (work_id, key)
  select id, 'ta:' || title_author_key from catalog_works where title_author_key is not null
  on conflict do nothing;

-- Nothing looks works up by title_author_key any more.
drop index if exists catalog_works_title_author;

-- Lookups by key read the work id from the index itself.
create index catalog_work_keys_key_work on catalog_work_keys (key, work_id);
drop index catalog_work_keys_key;
