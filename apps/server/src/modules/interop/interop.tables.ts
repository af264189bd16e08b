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
    harvested: Generated<number>;
    deleted: Generated<number>;
    last_harvest_at: Date | null;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
};
