import { defineErrors } from '../../platform/errors.js';

/** Error codes of the accounts module. */
export const AccountsErrors = defineErrors({
  ACCOUNTS_EMAIL_TAKEN: { status: 409, title: 'This e-mail address is already registered' },
  ACCOUNTS_INVALID_CREDENTIALS: { status: 401, title: 'Wrong e-mail or password' },
  ACCOUNTS_LOGIN_LOCKED: { status: 429, title: 'Too many failed sign-ins' },
  ACCOUNTS_TOKEN_INVALID: { status: 400, title: 'The link is invalid or has expired' },
  ACCOUNTS_ORGANIZATION_NOT_FOUND: { status: 404, title: 'No such organization' },
  ACCOUNTS_ORGANIZATION_CODE_TAKEN: { status: 409, title: 'This organization code is already used' },
  ACCOUNTS_ORGANIZATION_INVALID: { status: 422, title: 'The organization does not fit its kind' },
  ACCOUNTS_PERSON_NOT_FOUND: { status: 404, title: 'No such person' },
  ACCOUNTS_ROLE_NOT_ALLOWED: { status: 422, title: 'This role does not exist at this kind of organization' },
  ACCOUNTS_ROLE_EXISTS: { status: 409, title: 'The person already holds this role' },
  ACCOUNTS_GRANT_NOT_FOUND: { status: 404, title: 'No such role grant' },
  ACCOUNTS_LAST_ADMIN: { status: 409, title: 'An organization must keep one administrator' },
  ACCOUNTS_SESSION_NOT_FOUND: { status: 404, title: 'No such session' },
  ACCOUNTS_TOKEN_NOT_FOUND: { status: 404, title: 'No such API token' },
  ACCOUNTS_TOKEN_SCOPE_NOT_HELD: { status: 403, title: 'A token cannot carry a role its creator does not hold' },
  ACCOUNTS_SESSION_REQUIRED: { status: 403, title: 'This needs a signed-in session, not an API token' },
});
