-- Catalog: works (clusters of editions across libraries), records with their source MARC,
-- holdings, staff clustering decisions, and import runs.

create table catalog_works (
  id                     uuid primary key default gen_random_uuid(),
  title                  text not null,
  sort_title             text not null,
  author                 text,
  -- Matching keys: every identifier key of its records ("isbn:978…") and the title|author key.
  identifiers            text[] not null default '{}',
  title_author_key       text,
  years                  integer[] not null default '{}',
  -- Search and facets, kept up to date from the work's records and items.
  search_vector          tsvector not null default ''::tsvector,
  year_min               integer,
  year_max               integer,
  material_types         text[] not null default '{}',
  languages              text[] not null default '{}',
  subjects               text[] not null default '{}',
  library_ids            uuid[] not null default '{}',
  available_library_ids  uuid[] not null default '{}',
  record_count           integer not null default 0,
  created_at             timestamptz not null default now(),
  updated_at             timestamptz not null default now()
);
create index catalog_works_identifiers on catalog_works using gin (identifiers);
create index catalog_works_title_author on catalog_works (title_author_key);
create index catalog_works_search on catalog_works using gin (search_vector);
create index catalog_works_material on catalog_works using gin (material_types);
create index catalog_works_languages on catalog_works using gin (languages);
create index catalog_works_libraries on catalog_works using gin (library_ids);
create index catalog_works_available on catalog_works using gin (available_library_ids);
create index catalog_works_subjects on catalog_works using gin (subjects);
create index catalog_works_year on catalog_works (year_min);
create index catalog_works_sort on catalog_works (sort_title);

create table catalog_records (
  id               uuid primary key default gen_random_uuid(),
  organization_id  uuid not null,
  -- Identity of the record at its source: "003/001", else "035:…", else a content hash.
  record_key       text not null,
  flavour          text not null check (flavour in ('marc21', 'unimarc')),
  source_format    text not null check (source_format in ('iso2709', 'marcxml', 'json', 'editor')),
  source_encoding  text,
  source           bytea not null,
  marc             jsonb not null,
  content_hash     text not null,
  fields           jsonb not null,
  work_id          uuid not null references catalog_works (id),
  match_score      real,
  match_reason     text,
  work_pinned      boolean not null default false,
  -- Denormalized from `fields` so work aggregates and matching need no JSON parsing.
  cluster_keys     text[] not null default '{}',
  title_author_key text,
  year             integer,
  material_type    text not null,
  languages        text[] not null default '{}',
  subject_facets   text[] not null default '{}',
  -- Analyzed text per weight (A title, B names, C subjects and series, D the rest).
  search_doc       jsonb not null,
  search_vector    tsvector not null default ''::tsvector,
  provenance       jsonb not null default '{}'::jsonb,
  warnings         text[] not null default '{}',
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  deleted_at       timestamptz,
  unique (organization_id, record_key)
);
create index catalog_records_work on catalog_records (work_id) where deleted_at is null;
create index catalog_records_updated on catalog_records (updated_at);

create table catalog_items (
  id               uuid primary key default gen_random_uuid(),
  organization_id  uuid not null,
  branch_id        uuid,
  record_id        uuid not null references catalog_records (id),
  barcode          text not null check (barcode <> ''),
  call_number      text,
  location         text,
  item_type        text not null default 'book',
  status           text not null default 'available'
                   check (status in ('available', 'on_loan', 'in_transit', 'on_hold_shelf', 'in_quarantine', 'lost', 'damaged', 'missing', 'withdrawn', 'not_for_loan', 'in_processing')),
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  unique (organization_id, barcode)
);
create index catalog_items_record on catalog_items (record_id);

-- Staff split and merge decisions; a pinned record keeps its work through re-imports.
create table catalog_cluster_decisions (
  id           bigint generated always as identity primary key,
  kind         text not null check (kind in ('split', 'merge')),
  record_id    uuid references catalog_records (id),
  from_work_id uuid,
  to_work_id   uuid not null,
  decided_by   uuid,
  decided_at   timestamptz not null default now(),
  note         text
);
create index catalog_cluster_decisions_record on catalog_cluster_decisions (record_id);

create table catalog_imports (
  id               uuid primary key default gen_random_uuid(),
  organization_id  uuid not null,
  filename         text not null,
  format           text not null,
  status           text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
  processed        integer not null default 0,
  added            integer not null default 0,
  updated          integer not null default 0,
  unchanged        integer not null default 0,
  rejected         integer not null default 0,
  error            text,
  created_by       uuid,
  created_at       timestamptz not null default now(),
  started_at       timestamptz,
  finished_at      timestamptz
);
create index catalog_imports_org on catalog_imports (organization_id, created_at desc);

create table catalog_import_rejects (
  import_id  uuid not null references catalog_imports (id) on delete cascade,
  position   text not null,
  reason     text not null
);
create index catalog_import_rejects_import on catalog_import_rejects (import_id);

-- tsvector concatenation as an aggregate, to build a work's vector from its records.
create aggregate catalog_tsvector_agg(tsvector) (sfunc = tsvector_concat, stype = tsvector, initcond = '');

-- The stemming configurations for a record's languages (MARC codes), beside 'simple'.
create function catalog_stem_configs(langs text[]) returns regconfig[]
language sql immutable as $$
  select coalesce(array_agg(distinct cfg), '{}')
  from (
    select (case l
      when 'eng' then 'english' when 'rus' then 'russian' when 'spa' then 'spanish'
      when 'fre' then 'french' when 'fra' then 'french' when 'por' then 'portuguese'
      when 'ger' then 'german' when 'deu' then 'german'
    end)::regconfig as cfg
    from unnest(langs) as l
  ) s
  where cfg is not null
$$;

-- A record's search vector: accent-folded exact words for every record, plus stems in the
-- record's own languages. Weights: A title, B names, C subjects/series, D everything else.
create function catalog_record_vector(doc jsonb, langs text[]) returns tsvector
language plpgsql stable as $$
declare
  v tsvector;
  cfg regconfig;
  w text;
begin
  v := setweight(to_tsvector('simple', unaccent(coalesce(doc->>'a', ''))), 'A')
    || setweight(to_tsvector('simple', unaccent(coalesce(doc->>'b', ''))), 'B')
    || setweight(to_tsvector('simple', unaccent(coalesce(doc->>'c', ''))), 'C')
    || setweight(to_tsvector('simple', unaccent(coalesce(doc->>'d', ''))), 'D');
  foreach cfg in array catalog_stem_configs(langs) loop
    foreach w in array array['a', 'c'] loop
      v := v || setweight(to_tsvector(cfg, coalesce(doc->>w, '')), upper(w)::"char");
    end loop;
  end loop;
  return v;
end
$$;
