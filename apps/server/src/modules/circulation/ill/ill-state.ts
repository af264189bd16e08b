// The inter-library loan life cycle as data: which step leads from which status to which, and
// which party may take it. The service applies it inside a transaction with the row locked.

import { ILL_ACTIONS, ILL_STATUSES, type IllAction, type IllStatus } from '@athenaeum/contracts';

export { ILL_ACTIONS, ILL_STATUSES, type IllAction, type IllStatus };

/** Who acts: staff of the requesting (borrowing) library, staff of the lending library, or the patron. */
export type IllParty = 'borrower' | 'lender' | 'patron';

interface Step {
  from: readonly IllStatus[];
  to: IllStatus;
  by: readonly IllParty[];
}

const STEPS: Record<IllAction, Step> = {
  approve: { from: ['requested'], to: 'approved', by: ['lender'] },
  decline: { from: ['requested', 'approved'], to: 'declined', by: ['lender'] },
  cancel: { from: ['requested'], to: 'cancelled', by: ['borrower', 'patron'] },
  ship: { from: ['approved'], to: 'shipped', by: ['lender'] },
  receive: { from: ['shipped'], to: 'received', by: ['borrower'] },
  lend: { from: ['received'], to: 'on_loan', by: ['borrower'] },
  return: { from: ['on_loan'], to: 'returned', by: ['borrower'] },
  ship_back: { from: ['received', 'returned'], to: 'shipped_back', by: ['borrower'] },
  check_in: { from: ['shipped_back'], to: 'completed', by: ['lender'] },
};

/** Statuses after which nothing more happens. */
export const ILL_FINAL: readonly IllStatus[] = ['declined', 'completed', 'cancelled'];

export type IllTransition =
  | { ok: true; to: IllStatus }
  | { ok: false; reason: 'wrong_party' | 'wrong_status'; allowedFrom: readonly IllStatus[] };

/** What `action` by `parties` (the caller may hold several) does to a request in `status`. */
export function illTransition(status: IllStatus, action: IllAction, parties: readonly IllParty[]): IllTransition {
  const step = STEPS[action];
  if (!step.by.some((party) => parties.includes(party))) {
    return { ok: false, reason: 'wrong_party', allowedFrom: step.from };
  }
  if (!step.from.includes(status)) return { ok: false, reason: 'wrong_status', allowedFrom: step.from };
  return { ok: true, to: step.to };
}

/** The actions `parties` may take now, for showing buttons. */
export function illActionsFor(status: IllStatus, parties: readonly IllParty[]): IllAction[] {
  return ILL_ACTIONS.filter((action) => illTransition(status, action, parties).ok);
}

/** The item's catalogue status after a step, or null when the step leaves it as it is. */
export function illItemStatus(to: IllStatus): 'available' | 'in_transit' | 'on_loan' | 'on_hold_shelf' | null {
  switch (to) {
    case 'shipped':
    case 'shipped_back':
      return 'in_transit';
    case 'received':
    case 'returned':
      return 'on_hold_shelf';
    case 'on_loan':
      return 'on_loan';
    case 'completed':
      return 'available';
    default:
      return null;
  }
}
