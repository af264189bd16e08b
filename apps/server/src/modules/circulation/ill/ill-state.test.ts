import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ILL_ACTIONS, ILL_FINAL, ILL_STATUSES, illActionsFor, illTransition, type IllParty } from './ill-state.js';

const parties: IllParty[] = ['borrower', 'lender', 'patron'];

describe('the inter-library loan life cycle', () => {
  it('goes request → approve → ship → receive → lend → return → ship back → check in, each by its party', () => {
    const path: Array<[(typeof ILL_ACTIONS)[number], IllParty, string]> = [
      ['approve', 'lender', 'approved'],
      ['ship', 'lender', 'shipped'],
      ['receive', 'borrower', 'received'],
      ['lend', 'borrower', 'on_loan'],
      ['return', 'borrower', 'returned'],
      ['ship_back', 'borrower', 'shipped_back'],
      ['check_in', 'lender', 'completed'],
    ];
    let status: (typeof ILL_STATUSES)[number] = 'requested';
    for (const [action, party, to] of path) {
      const other: IllParty = party === 'lender' ? 'borrower' : 'lender';
      expect(illTransition(status, action, [other])).toMatchObject({ ok: false, reason: 'wrong_party' });
      expect(illTransition(status, action, ['patron'])).toMatchObject({ ok: false });
      const step = illTransition(status, action, [party]);
      expect(step).toEqual({ ok: true, to });
      if (step.ok) status = step.to;
    }
  });

  it('never leaves a final status, whatever anyone does', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ILL_FINAL),
        fc.constantFrom(...ILL_ACTIONS),
        fc.subarray(parties),
        (status, action, who) => {
          expect(illTransition(status, action, who).ok).toBe(false);
          expect(illActionsFor(status, who)).toEqual([]);
        },
      ),
    );
  });

  it('lets the patron only cancel, and only before approval; a random walk never reaches a status by a refused step', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...ILL_ACTIONS), fc.subarray(parties, { minLength: 1 })), { maxLength: 30 }),
        (steps) => {
          let status: (typeof ILL_STATUSES)[number] = 'requested';
          for (const [action, who] of steps) {
            const result = illTransition(status, action, who);
            if (who.length === 1 && who[0] === 'patron' && result.ok) {
              expect(action).toBe('cancel');
              expect(status).toBe('requested');
            }
            if (result.ok) {
              expect(illActionsFor(status, who)).toContain(action);
              status = result.to;
            } else {
              expect(illActionsFor(status, who)).not.toContain(action);
            }
            expect(ILL_STATUSES).toContain(status);
          }
        },
      ),
    );
  });
});
