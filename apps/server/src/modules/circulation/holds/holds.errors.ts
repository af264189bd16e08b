import { defineErrors } from '../../../platform/errors.js';

/** Error codes of holds, pickup slots and inter-library loans: each refusal says why. */
export const HoldsErrors = defineErrors({
  CIRCULATION_HOLD_NOT_FOUND: { status: 404, title: 'No such hold' },
  CIRCULATION_HOLD_EXISTS: { status: 409, title: 'The patron already has an open hold on this work' },
  CIRCULATION_HOLD_LIMIT_REACHED: { status: 409, title: 'The patron has reached the number of holds allowed' },
  CIRCULATION_HOLD_TARGET_NOT_FOUND: { status: 404, title: 'No such work or copy to place a hold on' },
  CIRCULATION_HOLD_NOT_ALLOWED: { status: 409, title: 'A hold cannot be placed for this patron' },
  CIRCULATION_HOLD_BAD_PICKUP: { status: 400, title: "The pickup branch is not one of the patron's library" },
  CIRCULATION_HOLD_WRONG_STATUS: { status: 409, title: 'The hold is not in a state that allows this' },
  CIRCULATION_HOLD_BAD_DATE: { status: 400, title: 'The date is not valid here' },
  CIRCULATION_PICKUP_SLOT_NOT_FOUND: { status: 404, title: 'No such pickup slot' },
  CIRCULATION_PICKUP_SLOT_INVALID: { status: 400, title: 'The pickup slot is not valid' },
  CIRCULATION_PICKUP_SLOT_FULL: { status: 409, title: 'This pickup slot is full' },
  CIRCULATION_PICKUP_NOT_BOOKABLE: { status: 409, title: 'This pickup time cannot be booked for this hold' },
  CIRCULATION_ILL_NOT_FOUND: { status: 404, title: 'No such inter-library loan request' },
  CIRCULATION_ILL_NOT_ALLOWED: { status: 409, title: 'This inter-library loan cannot be requested' },
  CIRCULATION_ILL_STEP_NOT_YOURS: { status: 403, title: 'This step belongs to the other library' },
  CIRCULATION_ILL_WRONG_STATUS: { status: 409, title: 'This step does not follow from the current status' },
  CIRCULATION_ILL_BAD_ITEM: { status: 409, title: "The copy is not the lending library's, of this work, or free" },
  CIRCULATION_ILL_REASON_REQUIRED: { status: 400, title: 'A reason is required to decline' },
});
