import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface JobsTable {
  id: Generated<number>;
  queue: string;
  payload: JSONColumnType<Record<string, unknown>, string | undefined, string>;
  status: Generated<'queued' | 'running' | 'done' | 'failed'>;
  run_at: Timestamp;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  locked_by: string | null;
  locked_until: Date | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: Timestamp;
  finished_at: Date | null;
}

export interface EmailsTable {
  id: Generated<string>;
  to_address: string;
  subject: string;
  body_text: string;
  body_html: string | null;
  locale: Generated<string>;
  status: Generated<'queued' | 'sent' | 'outbox' | 'failed'>;
  error: string | null;
  created_at: Timestamp;
  delivered_at: Date | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  organization_id: string | null;
  actor_id: string | null;
  action: string;
  subject: JSONColumnType<Record<string, unknown>, string | undefined, string>;
  at: Timestamp;
}

/** Tables owned by the platform itself; modules add theirs with `db.withTables<…>()`. */
export interface PlatformTables {
  jobs: JobsTable;
  emails: EmailsTable;
  audit_log: AuditLogTable;
}
