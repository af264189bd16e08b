import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { NormalizedRecord } from '@athenaeum/contracts';
import type { MarcRecord } from '@athenaeum/marc';

/** Analyzed text of a record by weight: A title, B names, C subjects and series, D the rest. */
export interface SearchDoc {
  a: string;
  b: string;
  c: string;
  d: string;
}

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type CatalogTables = {
  catalog_works: {
    id: Generated<string>;
    title: string;
    sort_title: string;
    author: string | null;
    identifiers: ColumnType<string[], string[] | undefined, string[]>;
    title_author_key: string | null;
    years: ColumnType<number[], number[] | undefined, number[]>;
    search_vector: Generated<string>;
    rank_vector: Generated<string>;
    year_min: number | null;
    year_max: number | null;
    material_types: ColumnType<string[], string[] | undefined, string[]>;
    languages: ColumnType<string[], string[] | undefined, string[]>;
    subjects: ColumnType<string[], string[] | undefined, string[]>;
    library_ids: ColumnType<string[], string[] | undefined, string[]>;
    available_library_ids: ColumnType<string[], string[] | undefined, string[]>;
    record_count: Generated<number>;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  catalog_records: {
    id: Generated<string>;
    organization_id: string;
    record_key: string;
    flavour: 'marc21' | 'unimarc';
    source_format: 'iso2709' | 'marcxml' | 'json' | 'editor';
    source_encoding: string | null;
    source: Buffer;
    marc: JSONColumnType<MarcRecord, string, string>;
    content_hash: string;
    /** The imported version's content hash while staff edits differ from it (0029). */
    imported_hash: Generated<string | null>;
    imported_latest: Generated<string | null>;
    fields: JSONColumnType<NormalizedRecord, string, string>;
    work_id: string;
    match_score: number | null;
    match_reason: string | null;
    work_pinned: Generated<boolean>;
    cluster_keys: ColumnType<string[], string[] | undefined, string[]>;
    title_author_key: string | null;
    year: number | null;
    material_type: string;
    languages: ColumnType<string[], string[] | undefined, string[]>;
    subject_facets: ColumnType<string[], string[] | undefined, string[]>;
    search_doc: JSONColumnType<SearchDoc, string, string>;
    provenance: JSONColumnType<Record<string, unknown>, string | undefined, string>;
    warnings: ColumnType<string[], string[] | undefined, string[]>;
    created_at: Timestamp;
    updated_at: Timestamp;
    deleted_at: Date | null;
  };
  catalog_items: {
    id: Generated<string>;
    organization_id: string;
    branch_id: string | null;
    record_id: string;
    barcode: string;
    call_number: string | null;
    location: string | null;
    item_type: Generated<string>;
    status: Generated<string>;
    notes: ColumnType<string | null, string | null | undefined, string | null>;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  catalog_cluster_decisions: {
    id: Generated<number>;
    kind: 'split' | 'merge';
    record_id: string | null;
    from_work_id: string | null;
    to_work_id: string;
    decided_by: string | null;
    decided_at: Timestamp;
    note: string | null;
  };
  catalog_imports: {
    id: Generated<string>;
    organization_id: string;
    filename: string;
    format: string;
    status: Generated<'queued' | 'running' | 'done' | 'failed'>;
    processed: Generated<number>;
    added: Generated<number>;
    updated: Generated<number>;
    unchanged: Generated<number>;
    rejected: Generated<number>;
    error: string | null;
    created_by: string | null;
    created_at: Timestamp;
    started_at: Date | null;
    finished_at: Date | null;
  };
  /** A batch's copies waiting for their own transaction (import/copy-writer.ts). */
  catalog_import_pending_copies: {
    /** bigint as text. */
    id: Generated<string>;
    run_token: string;
    organization_id: string;
    /** The batch's ItemValues as JSON. */
    items: string;
    /** The batch's refresh marks (WorkMark) as JSON. */
    marks: Generated<string>;
    created_at: Generated<Date>;
  };
  catalog_import_rejects: {
    import_id: string;
    position: string;
    reason: string;
    /** The order rejects were stored in (identity; bigint as text). */
    seq: Generated<string>;
  };
};
