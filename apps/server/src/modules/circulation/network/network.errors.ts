import { defineErrors } from '../../../platform/errors.js';

/** Refusals of the network card: a patron of another library of the association borrowing here. */
export const NetworkErrors = defineErrors({
  CIRCULATION_NETWORK_NOT_ASSOCIATED: {
    status: 409,
    title: 'That library is not in an association with this one',
  },
  CIRCULATION_NETWORK_NOT_LENDING: {
    status: 409,
    title: "This library does not lend to other libraries' patrons",
  },
  CIRCULATION_NETWORK_HOME_REFUSES: {
    status: 409,
    title: "The patron's home library does not let its patrons borrow elsewhere",
  },
  CIRCULATION_NETWORK_CARD_AMBIGUOUS: {
    status: 409,
    title: 'Several libraries of the association have this card number; choose the home library',
  },
});
