import { defineErrors } from '../../platform/errors.js';

/** Error codes of the circulation module: each refusal at the desk says why. */
export const CirculationErrors = defineErrors({
  CIRCULATION_PATRON_NOT_FOUND: { status: 404, title: 'No patron with this card at this library' },
  CIRCULATION_CARD_TAKEN: { status: 409, title: 'This card number is already used at this library' },
  CIRCULATION_PATRON_BLOCKED: { status: 409, title: 'The patron is blocked' },
  CIRCULATION_MEMBERSHIP_EXPIRED: { status: 409, title: "The patron's membership has expired" },
  CIRCULATION_PATRON_INACTIVE: { status: 409, title: "The patron's membership is not active" },
  CIRCULATION_LOAN_LIMIT_REACHED: { status: 409, title: 'The patron has reached the loan limit' },
  CIRCULATION_ITEM_NOT_FOUND: { status: 404, title: 'No item with this barcode' },
  CIRCULATION_ITEM_ON_LOAN: { status: 409, title: 'The item is already on loan' },
  CIRCULATION_ITEM_ON_HOLD: { status: 409, title: 'The item is on hold for another patron' },
  CIRCULATION_ITEM_NOT_FOR_LOAN: { status: 409, title: 'The item is not for loan' },
  CIRCULATION_ITEM_IN_QUARANTINE: { status: 409, title: 'The item is in quarantine' },
  CIRCULATION_ITEM_NOT_ON_LOAN: { status: 409, title: 'The item is not on loan' },
  CIRCULATION_LOAN_NOT_FOUND: { status: 404, title: 'No such loan' },
  CIRCULATION_LOAN_ENDED: { status: 409, title: 'The loan has ended' },
  CIRCULATION_RENEWALS_EXHAUSTED: { status: 409, title: 'No renewals are left for this loan' },
  CIRCULATION_RENEWAL_BLOCKED_BY_HOLD: { status: 409, title: 'Another patron is waiting for this item' },
  CIRCULATION_BRANCH_NOT_FOUND: { status: 404, title: 'No such branch at this library' },
  CIRCULATION_BAD_TIME_ZONE: { status: 422, title: 'Not a time zone' },
  CIRCULATION_POLICY_NOT_FOUND: { status: 404, title: 'No such loan rule' },
  CIRCULATION_POLICY_EXISTS: { status: 409, title: 'A rule for this category and item type already exists' },
  CIRCULATION_BLOCK_NOT_FOUND: { status: 404, title: 'No such block' },
  CIRCULATION_NOT_A_PATRON: { status: 404, title: 'You have no patron record at a library here' },
  CIRCULATION_DELETION_REFUSED: { status: 409, title: "The patron's data cannot be deleted while loans are open" },
  CIRCULATION_GUARDIAN_SELF: { status: 409, title: 'A patron cannot be their own guardian' },
});
