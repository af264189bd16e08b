import { defineErrors } from '../../../platform/errors.js';

/** Error codes of fines: payments and waivers at the desk. */
export const FinesErrors = defineErrors({
  CIRCULATION_FINE_NOT_FOUND: { status: 404, title: 'No such fine at this library' },
  CIRCULATION_FINE_SETTLED: { status: 409, title: 'The fine is already paid or waived' },
  CIRCULATION_FINE_OVERPAYMENT: { status: 422, title: 'The payment is more than is owed' },
  CIRCULATION_FINE_CHANGED: { status: 409, title: 'The fine has changed since' },
  CIRCULATION_FINE_PAYMENT_NOT_FOUND: { status: 404, title: 'No such payment of this fine' },
});
