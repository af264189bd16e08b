import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** Fines and the payments taken against them (migrations 0018, 0026); amounts in minor units. */
export type FinesTables = {
  circulation_fines: {
    id: Generated<string>;
    organization_id: string;
    patron_id: string;
    loan_id: string | null;
    amount: number;
    paid: Generated<number>;
    waived: Generated<number>;
    currency: string;
    reason: string;
    status: Generated<'open' | 'paid' | 'waived'>;
    created_at: Timestamp;
    waived_by: string | null;
    waived_at: Date | null;
    waive_reason: string | null;
  };
  circulation_fine_payments: {
    id: Generated<string>;
    fine_id: string;
    organization_id: string;
    amount: number;
    received_by: string | null;
    received_at: Timestamp;
    /** A reversal (migration 0026): the payment it undoes, whose amount it takes off again (negative). */
    reverses_payment_id: string | null;
    reversed_amount: number | null;
  };
};
