-- Catalog: the deferred subject terms of 0038 are read from records locked against updates.
-- catalog_store_subject_terms reads a batch's records in a transaction of its own, after theirs
-- committed. An update committed in between (a staff edit, a split, another import) wrote the
-- record's new terms and is read as it left the record. An update running at the same moment
-- could not see terms not yet committed, so its trigger left them, and the terms of the version
-- it replaced stayed behind for good. Locked (for share), the records make such an update wait
-- until the terms are committed; its trigger then deletes the old terms and writes the new ones.
create or replace function catalog_store_subject_terms(ids uuid[]) returns void
language sql as $$
  with r as materialized (
    select id, work_id, year, search_doc, languages from catalog_records where id = any(ids) for share
  )
  insert into catalog_search.record_subject_terms (term, work_id, record_id, year)
    select t, r.work_id, r.id, r.year
    from r, unnest(catalog_subject_terms(r.search_doc, r.languages)) t;
$$;
