import type { ReactNode } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useProblemMessage } from '../lib/problems';

/** Shown while data loads; announced politely. */
export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <p role="status" className="loading">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('state.loading')}
    </p>
  );
}

/** A failed load, with the reason and a way to try again. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const problem = useProblemMessage();
  return (
    <div role="alert" className="alert alert-error">
      <p>{problem(error)}</p>
      {onRetry ? (
        <Button className="button" onPress={onRetry}>
          {t('state.retry')}
        </Button>
      ) : null}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/**
 * A polite live region that is always in the page, so screen readers notice when its text
 * changes (a region inserted together with its text is often not read).
 */
export function StatusMessage({ children, tone = 'success' }: { children?: ReactNode; tone?: 'success' | 'info' }) {
  return (
    <div role="status" aria-live="polite" className={children ? `alert alert-${tone}` : 'visually-empty'}>
      {children}
    </div>
  );
}

/** What an action on the page came to: a failure as an alert, a success in the polite status region. */
export function ActionOutcome({ message }: { message: { ok: boolean; text: string } | null }) {
  return (
    <>
      {message && !message.ok ? (
        <div role="alert" className="alert alert-error">
          {message.text}
        </div>
      ) : null}
      <StatusMessage>{message?.ok ? message.text : null}</StatusMessage>
    </>
  );
}
