import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type InteropTables = {
  interop_harvest_sources: {
    id: Generated<string>;
    organization_id: string;
    base_url: string;
    metadata_prefix: 'marc21' | 'oai_dc';
    set_spec: Generated<string>;
    last_datestamp: string | null;
    resumption_token: string | null;
    harvest_from: string | null;
    harvest_max_datestamp: string | null;
    status: Generated<'idle' | 'running' | 'failed'>;
    last_error: string | null;
    /** The code of last_error (an AppError code, INTEROP_HARVEST_FAILED for any other failure). */
    last_error_code: string | null;
    harvested: Generated<number>;
    deleted: Generated<number>;
    last_harvest_at: Date | null;
    created_at: Timestamp;
    updated_at: Timestamp;
    name: Generated<string>;
    schedule_kind: Generated<'manual' | 'interval' | 'daily'>;
    interval_hours: number | null;
    daily_at: string | null;
    enabled: Generated<boolean>;
    next_run_at: Date | null;
    claimed_until: Date | null;
    claimed_by: string | null;
    consecutive_failures: Generated<number>;
    last_error_at: Date | null;
    last_run_started_at: Date | null;
    last_run_finished_at: Date | null;
    last_added: Generated<number>;
    last_updated: Generated<number>;
    last_deleted: Generated<number>;
    last_records: Generated<number>;
  };
  interop_copy_targets: {
    id: Generated<string>;
    organization_id: string;
    name: string;
    base_url: string;
    sru_version: '1.2' | '2.0';
    record_schema: Generated<'marcxml'>;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
};
