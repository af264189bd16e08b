import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateOnly = ColumnType<string, string, string>;

export interface DayHours {
  open: string;
  close: string;
}

/** The tables the circulation module owns. */
export type CirculationTables = {
  circulation_library_settings: {
    organization_id: string;
    quarantine_hours: Generated<number>;
    pickup_window_days: Generated<number>;
    self_registration: Generated<'off' | 'borrow_at_once' | 'confirm_at_desk'>;
    self_registration_categories: Generated<string[]>;
    updated_at: Timestamp;
  };
  circulation_patrons: {
    id: Generated<string>;
    organization_id: string;
    person_id: string | null;
    card_number: string;
    category: string;
    given_name: string;
    family_name: string;
    email: string | null;
    preferred_language: Generated<string>;
    expires_on: DateOnly;
    status: Generated<'active' | 'pending' | 'closed'>;
    staff_notes: Generated<string>;
    keep_history: Generated<boolean>;
    created_at: Timestamp;
    updated_at: Timestamp;
    self_registered_at: Date | null;
    identity_confirmed_by: string | null;
    identity_confirmed_at: Date | null;
  };
  circulation_patron_blocks: {
    id: Generated<string>;
    organization_id: string;
    patron_id: string;
    reason: string;
    blocked_by: string | null;
    blocked_at: Timestamp;
    lifted_by: string | null;
    lifted_at: Date | null;
  };
  circulation_policies: {
    id: Generated<string>;
    organization_id: string;
    patron_category: string | null;
    item_type: string | null;
    loan_days: number;
    renewals: number;
    hold_blocks_renewal: boolean;
    max_loans: number;
    holds_allowed: number;
    daily_fine: number | null;
    fine_cap: number | null;
    grace_days: number;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  circulation_calendars: {
    branch_id: string;
    organization_id: string;
    weekly_hours: JSONColumnType<Array<DayHours | null>, string | undefined, string>;
    /** IANA zone the hours and closed dates are local to. */
    time_zone: Generated<string>;
    updated_at: Timestamp;
  };
  circulation_closed_dates: {
    branch_id: string;
    organization_id: string;
    closed_on: DateOnly;
    reason: Generated<string>;
  };
  circulation_loans: {
    id: Generated<string>;
    organization_id: string;
    item_id: string;
    patron_id: string | null;
    branch_id: string;
    checked_out_at: Timestamp;
    due_at: Timestamp;
    renewals: Generated<number>;
    returned_at: Date | null;
    returned_branch_id: string | null;
    policy_id: string | null;
    checked_out_by: string | null;
    returned_by: string | null;
  };
  circulation_item_states: {
    item_id: string;
    organization_id: string;
    at_branch_id: string | null;
    quarantine_until: Date | null;
    transit_to_branch_id: string | null;
    updated_at: Timestamp;
  };
};
