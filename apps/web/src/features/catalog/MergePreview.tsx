import type { WorkView } from '@athenaeum/contracts';
import { Trans, useTranslation } from 'react-i18next';
import { ErrorState } from '../../components/states';
import { ApiError } from '../../lib/api';
import { movedWorkId } from './moved-work';

/** What staff about to merge another work into this one are shown of it. */
export type MergePreview =
  | { state: 'loading' }
  | { state: 'found'; title: string; author: string | null; editions: number }
  /** No work has that id. */
  | { state: 'notFound' }
  /** The id's work was merged already: its address leads to `title` (this very work when `here`). */
  | { state: 'moved'; title: string; here: boolean }
  | { state: 'failed'; error: unknown };

/**
 * The other work of a merge, from its fetch (`GET /catalog/works/:id`, which follows a moved
 * work's redirect): only a work found under its own id, and not this one, can be merged.
 */
export function mergePreview(
  otherId: string,
  workId: string,
  fetched: { isPending: boolean; error: unknown; data: WorkView | undefined },
): MergePreview {
  if (fetched.error) {
    return fetched.error instanceof ApiError && fetched.error.status === 404
      ? { state: 'notFound' }
      : { state: 'failed', error: fetched.error };
  }
  const work = fetched.data;
  if (fetched.isPending || !work) return { state: 'loading' };
  const movedTo = movedWorkId(otherId, work);
  if (movedTo !== null)
    return { state: 'moved', title: work.title, here: movedTo.toLowerCase() === workId.toLowerCase() };
  return { state: 'found', title: work.title, author: work.author, editions: work.records.length };
}

/**
 * The other work in the merge dialog: its title, author and number of editions, or why it cannot be
 * merged. A polite live region: what comes once the fetch is done is read out.
 */
export function MergePreviewView({ preview, onRetry }: { preview: MergePreview; onRetry?: () => void }) {
  return (
    <div className="merge-preview" aria-live="polite">
      <PreviewContent preview={preview} {...(onRetry ? { onRetry } : {})} />
    </div>
  );
}

function PreviewContent({ preview, onRetry }: { preview: MergePreview; onRetry?: () => void }) {
  const { t } = useTranslation('catalog');
  switch (preview.state) {
    case 'loading':
      return (
        <p className="loading">
          <span className="spinner" aria-hidden="true" />
          {t('clustering.otherWorkLoading')}
        </p>
      );
    case 'failed':
      return <ErrorState error={preview.error} {...(onRetry ? { onRetry } : {})} />;
    case 'notFound':
      return (
        <p role="alert" className="alert alert-error">
          {t('clustering.otherWorkNotFound')}
        </p>
      );
    case 'moved':
      return (
        <p role="alert" className="alert alert-error">
          {preview.here ? (
            t('clustering.otherWorkMergedHere')
          ) : (
            <Trans t={t} i18nKey="clustering.otherWorkMerged" components={{ work: <bdi>{preview.title}</bdi> }} />
          )}
        </p>
      );
    case 'found':
      return (
        <>
          <p>{t('clustering.otherWorkIs')}</p>
          <p>
            <strong>
              <bdi>{preview.title}</bdi>
            </strong>
            <br />
            <span className="muted">
              {preview.author ? (
                <>
                  <bdi>{preview.author}</bdi>
                  {' · '}
                </>
              ) : null}
              {t('record.editions', { count: preview.editions })}
            </span>
          </p>
        </>
      );
  }
}
