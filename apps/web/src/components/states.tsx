import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useProblemMessage } from '../lib/problems';
import type { Outcome } from './useSay';

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
 * What a query has to show: a spinner while it loads, the failure with a retry, the `empty` note
 * when `isEmpty(data)` says there is nothing, otherwise what `children` makes of the data.
 */
export function QueryResult<T>({
  query,
  isEmpty,
  empty,
  children,
}: {
  query: UseQueryResult<T>;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (isEmpty?.(query.data)) return <Empty>{empty}</Empty>;
  return children(query.data);
}

/**
 * A polite live region that is always in the page, so screen readers notice when its text
 * changes (a region inserted together with its text is often not read).
 */
export function StatusMessage({
  children,
  tone = 'success',
}: {
  children?: ReactNode;
  tone?: 'success' | 'info' | 'error';
}) {
  return (
    <div role="status" aria-live="polite" className={children ? `alert alert-${tone}` : 'visually-empty'}>
      {children}
    </div>
  );
}

/** What an action on the page came to: a failure as an alert, a success in the polite status region. */
export function ActionOutcome({ message }: { message: Outcome | null }) {
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

/**
 * What an action came to, success or refusal, both in the polite status region: for forms whose
 * refusals need not interrupt (at the desk the scan field keeps focus and the next scan goes on).
 */
export function OutcomeStatus({ outcome }: { outcome: Outcome | null | undefined }) {
  return <StatusMessage tone={outcome && !outcome.ok ? 'error' : 'success'}>{outcome?.text}</StatusMessage>;
}
