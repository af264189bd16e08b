import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type HoldStatus = 'waiting' | 'pull' | 'in_transit' | 'ready' | 'fulfilled' | 'cancelled' | 'expired';
/** Statuses in which a hold holds a copy (the one-trap-per-copy index covers them). */
export const TRAPPED_STATUSES: readonly HoldStatus[] = ['pull', 'in_transit', 'ready'];
/** Statuses of a hold that is still open. */
export const OPEN_STATUSES: readonly HoldStatus[] = ['waiting', 'pull', 'in_transit', 'ready'];

export type IllRequestStatus =
  | 'requested'
  | 'approved'
  | 'declined'
  | 'shipped'
  | 'received'
  | 'on_loan'
  | 'returned'
  | 'shipped_back'
  | 'completed'
  | 'cancelled';
/**
 * Statuses of an inter-library loan in which the patron's part is over (the copy is back or never
 * came): the request then forgets its patron unless they keep a reading history (migration 0024).
 */
export const ILL_PATRON_DONE: readonly IllRequestStatus[] = [
  'returned',
  'shipped_back',
  'completed',
  'declined',
  'cancelled',
];

/** The tables of holds, pickup slots, inter-library loans and notification choices (migration 0014). */
export type HoldsTables = {
  circulation_holds: {
    id: Generated<string>;
    organization_id: string;
    /** Null once the hold is over, unless the patron keeps a reading history (migration 0024). */
    patron_id: string | null;
    level: 'title' | 'item';
    work_id: string;
    item_id: string | null;
    record_ids: string[] | null;
    source_library_ids: string[];
    pickup_branch_id: string;
    status: Generated<HoldStatus>;
    suspended_until: Date | null;
    trapped_item_id: string | null;
    trapped_library_id: string | null;
    trapped_at: Date | null;
    ready_at: Date | null;
    expires_at: Date | null;
    placed_at: Date;
    closed_at: Date | null;
    cleared_at: Date | null;
    cancel_reason: string | null;
    placed_by: string | null;
  };
  circulation_pickup_slots: {
    id: Generated<string>;
    organization_id: string;
    branch_id: string;
    weekday: number;
    start_time: string;
    end_time: string;
    capacity: number;
    active: Generated<boolean>;
    created_at: Timestamp;
  };
  circulation_pickup_bookings: {
    id: Generated<string>;
    organization_id: string;
    slot_id: string;
    slot_date: ColumnType<string, string, string>;
    hold_id: string;
    /** Null once the hold is over, unless the patron keeps a reading history. */
    patron_id: string | null;
    starts_at: Date;
    created_at: Timestamp;
    cancelled_at: Date | null;
  };
  circulation_ill_requests: {
    id: Generated<string>;
    borrower_library_id: string;
    lender_library_id: string;
    /** Null once the patron's part is over (ILL_PATRON_DONE), unless they keep a reading history. */
    patron_id: string | null;
    work_id: string;
    item_id: string | null;
    status: Generated<IllRequestStatus>;
    note: Generated<string>;
    decline_reason: string | null;
    loan_days: number | null;
    due_at: Date | null;
    requested_by: string | null;
    created_at: Date;
    updated_at: Date;
  };
  circulation_ill_events: {
    id: Generated<number>;
    request_id: string;
    from_status: string;
    to_status: string;
    actor_id: string | null;
    party: 'borrower' | 'lender' | 'patron';
    reason: string | null;
    at: Date;
  };
  circulation_notification_prefs: {
    patron_id: string;
    hold_ready: Generated<boolean>;
    pickup_reminder: Generated<boolean>;
    due_soon: Generated<boolean>;
    overdue: Generated<boolean>;
    ill_status: Generated<boolean>;
    due_soon_days: Generated<number>;
    updated_at: Timestamp;
  };
  circulation_notices_sent: {
    kind: string;
    subject_id: string;
    occasion: string;
    sent_at: Timestamp;
  };
};
