import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** Guardians of child patrons (migration 0016). */
export type GuardiansTables = {
  circulation_guardians: {
    organization_id: string;
    child_patron_id: string;
    guardian_patron_id: string;
    created_by: string | null;
    created_at: Timestamp;
  };
};
