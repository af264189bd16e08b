import { useTranslation } from 'react-i18next';
import { ApiError } from '../../lib/api';
import { useProblemMessage } from '../../lib/problems';

const CODES = [
  'INTEROP_HARVEST_BAD_RESPONSE',
  'INTEROP_NOT_A_LIBRARY',
  'INTEROP_SOURCE_NOT_FOUND',
  'INTEROP_SOURCE_EXISTS',
  'INTEROP_SOURCE_RUNNING',
  'INTEROP_TARGET_NOT_FOUND',
  'INTEROP_TARGET_EXISTS',
  'INTEROP_REMOTE_TIMEOUT',
  'INTEROP_REMOTE_UNREACHABLE',
  'INTEROP_REMOTE_HTTP_ERROR',
  'INTEROP_REMOTE_TOO_LARGE',
  'INTEROP_REMOTE_FORBIDDEN_ADDRESS',
  'INTEROP_REMOTE_BAD_RESPONSE',
  'INTEROP_REMOTE_DIAGNOSTIC',
  'INTEROP_REMOTE_RECORD_NOT_FOUND',
] as const;
type Code = (typeof CODES)[number];

/** Whether this page has its own words for an interop error code (`errors.<code>` in the interop namespace). */
export const isInteropCode = (code: string | null | undefined): code is Code =>
  (CODES as readonly (string | null | undefined)[]).includes(code);

/** A failed call in the interface language; a remote catalogue's own words (diagnostic, HTTP status) are kept as details. */
export function useInteropProblem(): (error: unknown) => { message: string; detail: string | null } {
  const { t } = useTranslation('interop');
  const general = useProblemMessage();
  return (error: unknown) => {
    if (error instanceof ApiError && isInteropCode(error.code)) {
      const code = error.code;
      // A remote catalogue's own words; an internal address is our server's refusal, said in full above.
      const remote =
        code.startsWith('INTEROP_REMOTE_') && code !== 'INTEROP_REMOTE_FORBIDDEN_ADDRESS' && error.problem?.detail;
      return {
        message: t(`errors.${code}`),
        detail: remote ? t('errors.remoteDetail', { detail: error.problem!.detail }) : null,
      };
    }
    return { message: general(error), detail: null };
  };
}

/** The message and details of a failed call, announced at once. */
export function ProblemAlert({ error }: { error: unknown }) {
  const describe = useInteropProblem();
  if (!error) return null;
  const { message, detail } = describe(error);
  return (
    <div role="alert" className="alert alert-error">
      <p>{message}</p>
      {detail ? (
        <p className="interop-detail">
          <bdi>{detail}</bdi>
        </p>
      ) : null}
    </div>
  );
}
