// A harvest source's last error as staff read it: what went wrong in the interface language (from
// the error's code), then the server's own text (in English, with the address) as a detail,
// isolated from the words around it.
import { useCallback } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { isInteropCode } from './problems';

/** What went wrong in the interface language: the code's own words, or that the last harvest failed. */
export function useLastErrorMessage(): (code: string | null) => string {
  const { t } = useTranslation('interop');
  return useCallback((code) => (isInteropCode(code) ? t(`errors.${code}`) : t('harvest.lastHarvestFailed')), [t]);
}

/** The last error of a source: its time (when known) and message, then the server's text. */
export function LastHarvestError({ code, text, time }: { code: string | null; text: string; time: string | null }) {
  const { t } = useTranslation('interop');
  const message = useLastErrorMessage();
  const error = message(code);
  return (
    <>
      <p className="field-error">
        {time ? t('harvest.error', { time, error }) : t('harvest.errorWithoutTime', { error })}
      </p>
      <p className="interop-detail muted">
        <Trans t={t} i18nKey="harvest.errorDetail" components={{ detail: <bdi>{text}</bdi> }} />
      </p>
    </>
  );
}
