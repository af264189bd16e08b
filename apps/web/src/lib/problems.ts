import { useTranslation } from 'react-i18next';
import { ApiError } from './api';

const KNOWN = [
  'ACCOUNTS_EMAIL_TAKEN',
  'ACCOUNTS_INVALID_CREDENTIALS',
  'ACCOUNTS_TOKEN_INVALID',
  'ACCOUNTS_ORGANIZATION_NOT_FOUND',
  'ACCOUNTS_PERSON_NOT_FOUND',
  'ACCOUNTS_ROLE_NOT_ALLOWED',
  'ACCOUNTS_ROLE_EXISTS',
  'ACCOUNTS_GRANT_NOT_FOUND',
  'ACCOUNTS_LAST_ADMIN',
  'ACCOUNTS_SESSION_NOT_FOUND',
  'ACCOUNTS_TOKEN_NOT_FOUND',
  'ACCOUNTS_TOKEN_SCOPE_NOT_HELD',
  'VALIDATION_FAILED',
  'NUL_CHARACTER',
  'NOT_FOUND',
  'AUTHENTICATION_REQUIRED',
  'FORBIDDEN',
  'CSRF_TOKEN_INVALID',
  'RATE_LIMITED',
  'DATABASE_UNAVAILABLE',
  'INTERNAL',
  'NETWORK',
] as const;
type KnownCode = (typeof KNOWN)[number];

function isKnown(code: string): code is KnownCode {
  return (KNOWN as readonly string[]).includes(code);
}

/**
 * Describes a failed call in the interface language: known error codes are translated,
 * anything else shows the server's own detail.
 */
export function useProblemMessage(): (error: unknown) => string {
  const { t } = useTranslation('errors');
  return (error: unknown) => {
    if (!(error instanceof ApiError)) return t('UNKNOWN');
    if (error.code === 'ACCOUNTS_LOGIN_LOCKED') {
      const seconds = error.problem?.retryAfterSeconds ?? 60;
      return t('ACCOUNTS_LOGIN_LOCKED', { count: Math.max(1, Math.ceil(seconds / 60)) });
    }
    if (isKnown(error.code)) return t(error.code);
    return error.problem?.detail || t('UNKNOWN');
  };
}
