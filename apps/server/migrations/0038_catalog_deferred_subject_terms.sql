-- Catalog: an import's records get their subject terms (catalog_search.record_subject_terms) in
-- the transaction that stores their copies. On PostgreSQL an import stores a batch's records in
-- one transaction and its copies in a second, on a connection of its own, while the next batch's
-- records are stored (import/copy-writer.ts); every batch waits for the first, so the terms' cost
-- (about a fifth of a record's insert) moves to the second. A transaction that sets
-- athenaeum.subject_terms to 'deferred' inserts records without their terms; whoever set it
-- stores them (catalog_store_subject_terms) once that transaction has committed.
create or replace function catalog_record_subject_terms_inserted() returns trigger
language plpgsql as $$
begin
  if current_setting('athenaeum.subject_terms', true) = 'deferred' then
    return null;
  end if;
  insert into catalog_search.record_subject_terms (term, work_id, record_id, year)
    select t, n.work_id, n.id, n.year
    from new_records n, unnest(catalog_subject_terms(n.search_doc, n.languages)) t;
  return null;
end
$$;

-- The terms of records inserted with theirs deferred, from the records as they are now. A record
-- edited in between already has its new terms (the update trigger wrote them) and gets them a
-- second time here: searches read terms distinct, and the record's next change deletes both.
create function catalog_store_subject_terms(ids uuid[]) returns void
language sql as $$
  insert into catalog_search.record_subject_terms (term, work_id, record_id, year)
    select t, r.work_id, r.id, r.year
    from catalog_records r, unnest(catalog_subject_terms(r.search_doc, r.languages)) t
    where r.id = any(ids);
$$;
