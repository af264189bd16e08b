import type { ClusterDecisionResult, Me, WorkClustering as Clustering } from '@athenaeum/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { Button, Checkbox } from 'react-aria-components';
import { Trans, useTranslation } from 'react-i18next';
import { readMatchReason } from '@athenaeum/contracts/vocabulary';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { TextInput } from '../../components/forms';
import { ErrorState, Loading, StatusMessage } from '../../components/states';
import { api, ApiError } from '../../lib/api';
import { useFormat } from '../../lib/format';
import { useMe } from '../../lib/session';
import { useCatalogLabels } from './labels';
import { MergePreviewView, mergePreview } from './MergePreview';
import { movedWorkId } from './moved-work';
import { useOrganizations } from './organizations';
import { workQuery } from './work-query';

const CLUSTERING_CODES = [
  'CATALOG_SPLIT_ALL_RECORDS',
  'CATALOG_SPLIT_UNKNOWN_RECORDS',
  'CATALOG_MERGE_SAME_WORK',
  'CATALOG_NOT_CATALOGUE_STAFF',
  'CATALOG_WORK_NOT_FOUND',
  'CATALOG_DECISION_NOT_FOUND',
  'CATALOG_DECISION_NOT_LATEST',
  'CATALOG_DECISION_NOT_CLEAN',
] as const;

/** Staff or admins of a library holding a record of the work (and platform admins) curate its clustering. */
export function canCurateWork(person: Me | null, libraryIds: readonly string[]): boolean {
  if (!person) return false;
  if (person.isPlatformAdmin) return true;
  return person.roles.some(
    (grant) => (grant.role === 'staff' || grant.role === 'admin') && libraryIds.includes(grant.organization.id),
  );
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** A work's id from what staff paste: its address (…/works/<id>) or the id itself. */
export function workIdFrom(text: string): string | null {
  return text.match(UUID)?.[0]?.toLowerCase() ?? null;
}

/**
 * The staff part of a work's page: each record with its library, match score and reason,
 * splitting selected records into a new work, merging another work into this one, and the
 * decisions taken so far.
 */
export function WorkClustering({ workId, libraryIds }: { workId: string; libraryIds: string[] }) {
  const me = useMe();
  if (!canCurateWork(me, libraryIds)) return null;
  return <ClusteringSection workId={workId} />;
}

function ClusteringSection({ workId }: { workId: string }) {
  const { t } = useTranslation('catalog');
  const labels = useCatalogLabels();
  const format = useFormat();
  const client = useQueryClient();
  const navigate = useNavigate();
  const clustering = useQuery({
    queryKey: ['catalog-work-clustering', workId],
    queryFn: ({ signal }) => api<Clustering>(`/catalog/works/${workId}/clustering`, { signal }),
  });
  const [selected, setSelected] = useState<string[]>([]);
  const [other, setOther] = useState('');
  const [otherError, setOtherError] = useState<string | undefined>();
  const [announcement, setAnnouncement] = useState<{ text: string; link?: string; linkText?: string } | null>(null);
  const libraries = useOrganizations(
    clustering.data ? [...new Set(clustering.data.records.map((r) => r.libraryId))] : [],
  );
  // The other work of a merge, fetched as soon as its address is pasted: the dialog shows what it is.
  const otherId = workIdFrom(other);
  const mergeable = otherId !== null && otherId !== workId;
  const otherWork = useQuery({ ...workQuery(otherId ?? ''), enabled: mergeable, retry: false });
  const preview = mergeable ? mergePreview(otherId, workId, otherWork) : null;

  // Server refusals in the interface language (the dialog shows what this throws).
  const translated = (error: unknown) => {
    if (error instanceof ApiError && (CLUSTERING_CODES as readonly string[]).includes(error.code)) {
      return new ApiError(
        error.status,
        { ...error.problem!, detail: t(`clustering.errors.${error.code as (typeof CLUSTERING_CODES)[number]}`) },
        error.message,
      );
    }
    return error;
  };
  const refresh = async () => {
    await Promise.all([
      client.invalidateQueries({ queryKey: ['catalog-work', workId] }),
      client.invalidateQueries({ queryKey: ['catalog-work-clustering', workId] }),
    ]);
  };

  if (clustering.isPending) return <Loading />;
  if (clustering.isError) {
    return (
      <section aria-labelledby="work-clustering" className="panel">
        <h2 id="work-clustering">{t('clustering.title')}</h2>
        <ErrorState error={clustering.error} onRetry={() => void clustering.refetch()} />
      </section>
    );
  }
  const data = clustering.data;
  const records = data.records;
  const validSelection = selected.length > 0 && selected.length < records.length;
  const libraryName = (id: string) => {
    const org = libraries.get(id);
    return org ? labels.orgName(org.names) : '';
  };

  const split = async () => {
    try {
      const result = await api<ClusterDecisionResult>(`/catalog/works/${workId}/split`, {
        method: 'POST',
        body: { recordIds: selected },
      });
      setSelected([]);
      setAnnouncement({
        text: t('clustering.splitDone', { count: result.moved }),
        link: result.toWorkId,
        linkText: t('clustering.openNewWork'),
      });
      await refresh();
    } catch (error) {
      throw translated(error);
    }
  };
  const merge = async () => {
    try {
      const result = await api<ClusterDecisionResult>(`/catalog/works/${otherId}/merge`, {
        method: 'POST',
        body: { intoWorkId: workId },
      });
      setOther('');
      setAnnouncement({ text: t('clustering.mergeDone', { count: result.moved }) });
      // The other work's address leads here now.
      void client.invalidateQueries({ queryKey: workQuery(result.fromWorkId).queryKey });
      await refresh();
    } catch (error) {
      throw translated(error);
    }
  };

  const undo = async (decisionId: string) => {
    try {
      const result = await api<ClusterDecisionResult>(`/catalog/works/${workId}/undo`, {
        method: 'POST',
        body: { decisionId },
      });
      setAnnouncement({
        text: t('clustering.undoDone', { count: result.moved }),
        ...(result.toWorkId === workId ? {} : { link: result.toWorkId, linkText: t('clustering.openWork') }),
      });
      // Undoing a split from the split-off work's page empties it (its address now leads to the
      // work its records went back to): go there.
      const gone = await api<{ id: string }>(`/catalog/works/${workId}`).then(
        (served) => movedWorkId(workId, served) !== null,
        (error: unknown) => error instanceof ApiError && error.status === 404,
      );
      if (gone) await navigate({ to: '/works/$id', params: { id: result.toWorkId } });
      else await refresh();
    } catch (error) {
      throw translated(error);
    }
  };

  return (
    <section aria-labelledby="work-clustering" className="panel work-clustering">
      {/* Focusable: focus comes back here after a split, merge or undo (their buttons are gone). */}
      <h2 id="work-clustering" tabIndex={-1}>
        {t('clustering.title')}
      </h2>
      <p>{t('clustering.intro')}</p>
      <StatusMessage>
        {announcement ? (
          <>
            {announcement.text}{' '}
            {announcement.link ? (
              <Link to="/works/$id" params={{ id: announcement.link }}>
                {announcement.linkText}
              </Link>
            ) : null}
          </>
        ) : null}
      </StatusMessage>
      <div className="table-wrap">
        <table id="clustering-table">
          <caption className="visually-hidden">{t('clustering.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('clustering.select')}</th>
              <th scope="col">{t('record.title')}</th>
              <th scope="col">{t('record.library')}</th>
              <th scope="col">{t('clustering.score')}</th>
              <th scope="col">{t('clustering.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {records.map((r) => {
              const describe = [r.title, r.edition, r.year === null ? null : String(r.year)].filter(Boolean).join(', ');
              return (
                <tr key={r.id}>
                  <td>
                    <Checkbox
                      className="checkbox"
                      isSelected={selected.includes(r.id)}
                      onChange={(on) => setSelected((s) => (on ? [...s, r.id] : s.filter((id) => id !== r.id)))}
                      aria-label={t('clustering.selectRecord', { record: describe, library: libraryName(r.libraryId) })}
                    >
                      <span className="checkbox-box" aria-hidden="true">
                        <svg viewBox="0 0 18 18" aria-hidden="true" className="checkbox-icon">
                          <polyline points="3 9 7 13 15 5" />
                        </svg>
                      </span>
                    </Checkbox>
                  </td>
                  <th scope="row">
                    <bdi>{r.title}</bdi>
                    <span className="muted">
                      {' '}
                      {[r.edition, r.year === null ? null : String(r.year)].filter(Boolean).join(' · ')}
                    </span>
                    {r.isbns.length ? (
                      <span className="mono muted" dir="ltr">
                        {' '}
                        {r.isbns.join(', ')}
                      </span>
                    ) : null}
                  </th>
                  <td>{libraryName(r.libraryId)}</td>
                  <td>{r.matchScore === null ? '—' : format.number(Math.round(r.matchScore * 100) / 100)}</td>
                  <td>
                    {r.matchReason ? <MatchReason reason={r.matchReason} /> : t('clustering.firstRecord')}
                    {r.pinned ? <span className="badge"> {t('clustering.pinned')}</span> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="muted" id="split-hint">
        {selected.length === records.length
          ? t('clustering.splitAllHint')
          : t('clustering.selectedCount', { count: selected.length })}
      </p>
      <div className="actions">
        {validSelection ? (
          <ConfirmDialog
            trigger={t('clustering.split')}
            title={t('clustering.splitTitle')}
            confirmLabel={t('clustering.splitConfirm')}
            tone="normal"
            onConfirm={split}
            focusAfter={() => document.getElementById('work-clustering')}
          >
            <p>{t('clustering.splitBody', { count: selected.length })}</p>
          </ConfirmDialog>
        ) : (
          <Button className="button" isDisabled aria-describedby="split-hint">
            {t('clustering.split')}
          </Button>
        )}
      </div>

      <h3>{t('clustering.mergeTitle')}</h3>
      <div className="merge-form">
        <TextInput
          label={t('clustering.otherWork')}
          description={t('clustering.otherWorkHelp')}
          value={other}
          onChange={(value) => {
            setOther(value);
            setOtherError(undefined);
          }}
          onBlur={() => setOtherError(other && !workIdFrom(other) ? t('clustering.notAWork') : undefined)}
          errorMessage={
            otherError ??
            (otherId === workId
              ? t('clustering.errors.CATALOG_MERGE_SAME_WORK')
              : preview?.state === 'notFound'
                ? t('clustering.otherWorkNotFound')
                : undefined)
          }
        />
        {mergeable && preview ? (
          <ConfirmDialog
            trigger={t('clustering.merge')}
            title={t('clustering.mergeConfirmTitle')}
            confirmLabel={t('clustering.mergeConfirm')}
            tone="normal"
            onConfirm={merge}
            isConfirmDisabled={preview.state !== 'found'}
            focusAfter={() => document.getElementById('work-clustering')}
          >
            <MergePreviewView preview={preview} onRetry={() => void otherWork.refetch()} />
            <p>{t('clustering.mergeBody')}</p>
            <p>
              <Link to="/works/$id" params={{ id: otherId }} target="_blank">
                {t('clustering.openOtherWork')}
              </Link>
            </p>
          </ConfirmDialog>
        ) : (
          <Button className="button" isDisabled>
            {t('clustering.merge')}
          </Button>
        )}
      </div>

      <h3>{t('clustering.history')}</h3>
      {data.decisions.length === 0 ? (
        <p className="muted">{t('clustering.noDecisions')}</p>
      ) : (
        <ul className="plain-list decision-list">
          {data.decisions.map((d, index) => {
            const otherWork = d.fromWorkId === workId ? d.toWorkId : d.fromWorkId;
            const key =
              d.kind === 'split'
                ? d.fromWorkId === workId
                  ? 'clustering.splitOut'
                  : 'clustering.splitIn'
                : d.toWorkId === workId
                  ? 'clustering.mergedIn'
                  : 'clustering.mergedOut';
            return (
              <li key={d.id}>
                <time dateTime={d.decidedAt}>{format.dateTime(d.decidedAt)}</time>{' '}
                {t(key, { count: d.recordIds.length })}{' '}
                {otherWork ? (
                  <Link to="/works/$id" params={{ id: otherWork }}>
                    {t('clustering.otherWorkLink')}
                  </Link>
                ) : null}
                {index === 0 ? (
                  <>
                    {' '}
                    <ConfirmDialog
                      trigger={t('clustering.undo')}
                      title={t('clustering.undoTitle')}
                      confirmLabel={t('clustering.undoConfirm')}
                      tone="normal"
                      onConfirm={() => undo(d.id)}
                      focusAfter={() => document.getElementById('work-clustering')}
                    >
                      <p>{t('clustering.undoBody', { count: d.recordIds.length })}</p>
                    </ConfirmDialog>
                  </>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/**
 * Why a record is in the work, in the reader's language. The server stores the reason as an
 * English sentence; one it writes is read back into a message (the identifier kept left to
 * right), and any other is shown as it is, marked as English.
 */
export function MatchReason({ reason }: { reason: string }) {
  const { t } = useTranslation('catalog');
  const message = readMatchReason(reason);
  if (!message) {
    return (
      <bdi lang="en" dir="ltr">
        {reason}
      </bdi>
    );
  }
  if (message.key === 'sameIdentifier') {
    return (
      <Trans
        t={t}
        i18nKey="clustering.reasons.sameIdentifier"
        values={{ kind: message.kind, value: message.value }}
        components={{ id: <bdi dir="ltr" /> }}
      />
    );
  }
  if (message.key === 'yearsApart') return <>{t('clustering.reasons.yearsApart', { count: message.count })}</>;
  return <>{t(`clustering.reasons.${message.key}`)}</>;
}
