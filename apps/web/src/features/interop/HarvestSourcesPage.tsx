import type { HarvestSchedule, HarvestSource, HarvestSourceInput } from '@athenaeum/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Button, Checkbox } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorSummary, SelectField, TextInput } from '../../components/forms';
import { DataTable } from '../../components/DataTable';
import { useOrgName } from '../../components/OrgName';
import { OrgPageHeader } from '../../components/OrgPageHeader';
import { ErrorState, Loading, QueryResult, StatusMessage } from '../../components/states';
import { useForm } from '../../components/useForm';
import { api, ApiError } from '../../lib/api';
import { useFormat } from '../../lib/format';
import { useMe } from '../../lib/session';
import { canImport } from '../catalog/permissions';
import { organizationQuery } from '../organizations/OrganizationPage';
import { LastHarvestError, useLastErrorMessage } from './LastHarvestError';
import { ProblemAlert } from './problems';
import './interop.css';

const base = (libraryId: string) => `/organizations/${libraryId}/harvest-sources`;
const ACTIVE = new Set(['queued', 'running']);
const SET_SPEC = /^[A-Za-z0-9\-_.!~*'():]*$/;
const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
const editButtonId = (sourceId: string) => `edit-source-${sourceId}`;

/** True for an http(s) address without credentials or a fragment (what the server accepts). */
export function isRemoteUrl(value: string): boolean {
  try {
    const url = new URL(value.trim());
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password && !url.hash;
  } catch {
    return false;
  }
}

type FormValues = {
  name: string;
  baseUrl: string;
  metadataPrefix: string;
  set: string;
  scheduleKind: string;
  hours: string;
  at: string;
  enabled: string;
};

const EMPTY: FormValues = {
  name: '',
  baseUrl: '',
  metadataPrefix: 'marc21',
  set: '',
  scheduleKind: 'interval',
  hours: '24',
  at: '02:00',
  enabled: 'true',
};

function valuesOf(source: HarvestSource): FormValues {
  return {
    name: source.name,
    baseUrl: source.baseUrl,
    metadataPrefix: source.metadataPrefix,
    set: source.set,
    scheduleKind: source.schedule.kind,
    hours: source.schedule.kind === 'interval' ? String(source.schedule.hours) : '24',
    at: source.schedule.kind === 'daily' ? source.schedule.at : '02:00',
    enabled: source.enabled ? 'true' : 'false',
  };
}

function inputOf(values: FormValues): HarvestSourceInput {
  const schedule: HarvestSchedule =
    values.scheduleKind === 'interval'
      ? { kind: 'interval', hours: Number(values.hours) }
      : values.scheduleKind === 'daily'
        ? { kind: 'daily', at: values.at }
        : { kind: 'manual' };
  return {
    name: values.name.trim(),
    baseUrl: values.baseUrl.trim(),
    metadataPrefix: values.metadataPrefix as HarvestSourceInput['metadataPrefix'],
    set: values.set.trim(),
    schedule,
    enabled: values.enabled === 'true',
  };
}

function SourceForm({
  libraryId,
  editing,
  onDone,
}: {
  libraryId: string;
  editing: HarvestSource | null;
  /** After a save (with the saved source), or a cancelled edit (null). */
  onDone: (source: HarvestSource | null) => void;
}) {
  const { t } = useTranslation('interop');
  const client = useQueryClient();
  const form = useForm<keyof FormValues>(editing ? valuesOf(editing) : EMPTY, {
    name: (v) => (v.trim() ? null : t('harvest.errors.nameRequired')),
    baseUrl: (v) =>
      !v.trim() ? t('harvest.errors.urlRequired') : isRemoteUrl(v) ? null : t('harvest.errors.urlInvalid'),
    set: (v) => (SET_SPEC.test(v.trim()) ? null : t('harvest.errors.setInvalid')),
    hours: (v, all) =>
      all.scheduleKind !== 'interval' || (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 744)
        ? null
        : t('harvest.errors.hoursInvalid'),
    at: (v, all) => (all.scheduleKind !== 'daily' || TIME.test(v) ? null : t('harvest.errors.atInvalid')),
  });
  const save = useMutation({
    mutationFn: (values: FormValues) =>
      editing
        ? api<HarvestSource>(`${base(libraryId)}/${editing.id}`, { method: 'PUT', body: inputOf(values) })
        : api<HarvestSource>(base(libraryId), { method: 'POST', body: inputOf(values) }),
    onSuccess: (source) => {
      void client.invalidateQueries({ queryKey: ['harvest-sources', libraryId] });
      if (!editing) form.reset();
      onDone(source);
    },
    onError: (error) => {
      if (error instanceof ApiError) form.setServerErrors(error.fieldErrors());
    },
  });
  const field = form.field;
  const schedules = (['interval', 'daily', 'manual'] as const).map((k) => ({
    id: k,
    label: t(`harvest.schedules.${k}`),
  }));
  const prefixes = (['marc21', 'oai_dc'] as const).map((k) => ({ id: k, label: t(`harvest.prefixes.${k}`) }));
  const titleId = editing ? 'source-edit-title' : 'source-add-title';

  return (
    <section aria-labelledby={titleId} className="panel">
      <h2 id={titleId} tabIndex={-1}>
        {editing ? t('harvest.edit', { name: editing.name }) : t('harvest.add')}
      </h2>
      <form className="form" onSubmit={form.handleSubmit((values) => save.mutate(values))} noValidate>
        {form.showSummary ? <ErrorSummary count={form.errorCount} /> : null}
        <ProblemAlert error={save.isError && !form.errorCount ? save.error : null} />
        <TextInput label={t('harvest.name')} description={t('harvest.nameHelp')} isRequired {...field('name')} />
        <TextInput
          label={t('harvest.baseUrl')}
          description={t('harvest.baseUrlHelp')}
          isRequired
          type="url"
          inputLang="en"
          {...field('baseUrl')}
        />
        <SelectField
          label={t('harvest.prefix')}
          options={prefixes}
          value={form.values.metadataPrefix}
          onChange={field('metadataPrefix').onChange}
          name="metadataPrefix"
        />
        <TextInput label={t('harvest.set')} description={t('harvest.setHelp')} inputLang="en" {...field('set')} />
        <SelectField
          label={t('harvest.schedule')}
          options={schedules}
          value={form.values.scheduleKind}
          onChange={field('scheduleKind').onChange}
          name="scheduleKind"
        />
        {form.values.scheduleKind === 'interval' ? (
          <TextInput
            label={t('harvest.hours')}
            description={t('harvest.hoursHelp')}
            inputMode="numeric"
            {...field('hours')}
          />
        ) : null}
        {form.values.scheduleKind === 'daily' ? (
          <TextInput label={t('harvest.at')} description={t('harvest.atHelp')} inputLang="en" {...field('at')} />
        ) : null}
        <Checkbox
          className="checkbox"
          isSelected={form.values.enabled === 'true'}
          onChange={(on) => field('enabled').onChange(on ? 'true' : 'false')}
        >
          <span className="checkbox-box">
            <svg viewBox="0 0 18 18" aria-hidden="true" className="checkbox-icon">
              <polyline points="3 9 7 13 15 5" />
            </svg>
          </span>
          {t('harvest.enabled')}
        </Checkbox>
        <div className="inline-actions">
          <Button type="submit" className="button button-primary" isPending={save.isPending}>
            {editing ? t('harvest.save') : t('harvest.create')}
          </Button>
          {editing ? (
            <Button className="button" onPress={() => onDone(null)}>
              {t('harvest.cancelEdit')}
            </Button>
          ) : null}
        </div>
      </form>
    </section>
  );
}

function useScheduleText() {
  const { t } = useTranslation('interop');
  return (source: HarvestSource) => {
    const s = source.schedule;
    const text =
      s.kind === 'manual'
        ? t('harvest.scheduleText.manual')
        : s.kind === 'interval'
          ? t('harvest.scheduleText.interval', { count: s.hours })
          : t('harvest.scheduleText.daily', { at: s.at });
    return !source.enabled && s.kind !== 'manual' ? `${text} · ${t('harvest.scheduleText.paused')}` : text;
  };
}

function SourceRow({
  libraryId,
  source,
  onEdit,
  onMessage,
}: {
  libraryId: string;
  source: HarvestSource;
  onEdit: () => void;
  onMessage: (message: string) => void;
}) {
  const { t } = useTranslation('interop');
  const format = useFormat();
  const client = useQueryClient();
  const scheduleText = useScheduleText();
  const now = useMutation({
    mutationFn: () => api<HarvestSource>(`${base(libraryId)}/${source.id}/harvest`, { method: 'POST' }),
    onSuccess: (updated) => {
      onMessage(t('harvest.queued', { name: updated.name }));
      void client.invalidateQueries({ queryKey: ['harvest-sources', libraryId] });
    },
  });
  const counts = (s: HarvestSource) =>
    t('harvest.counts', {
      records: format.number(s.lastRun.records),
      added: format.number(s.lastRun.added),
      updated: format.number(s.lastRun.updated),
      deleted: format.number(s.lastRun.deleted),
    });
  return (
    <tr data-source={source.id}>
      <th scope="row">
        <bdi id={`source-${source.id}`}>{source.name}</bdi>
        <br />
        <span className="mono interop-url" dir="ltr">
          {source.baseUrl}
        </span>
        <br />
        <span className="muted">
          {t(`harvest.prefixes.${source.metadataPrefix}`)}
          {source.set ? (
            <>
              {' · '}
              <span dir="ltr">{source.set}</span>
            </>
          ) : null}
        </span>
      </th>
      <td>{scheduleText(source)}</td>
      <td>
        <span className={`badge harvest-status harvest-status-${source.status}`}>
          {t(`harvest.statuses.${source.status}`)}
        </span>
        {source.lastError ? (
          <LastHarvestError
            code={source.lastErrorCode}
            text={source.lastError}
            time={source.lastErrorAt ? format.dateTime(source.lastErrorAt) : null}
          />
        ) : null}
        {source.consecutiveFailures > 0 ? (
          <p className="muted">{t('harvest.failures', { count: source.consecutiveFailures })}</p>
        ) : null}
        <ProblemAlert error={now.isError ? now.error : null} />
      </td>
      <td>
        {source.lastRunStartedAt ? (
          <>
            {format.dateTime(source.lastRunStartedAt)}
            <br />
            <span className="harvest-counts">{counts(source)}</span>
            {source.lastDatestamp ? (
              <>
                <br />
                <span className="muted">{t('harvest.lastDatestamp', { datestamp: source.lastDatestamp })}</span>
              </>
            ) : null}
          </>
        ) : (
          t('harvest.never')
        )}
      </td>
      <td>{source.nextRunAt ? format.dateTime(source.nextRunAt) : '—'}</td>
      <td>
        <div className="inline-actions">
          <Button
            className="button button-small"
            aria-describedby={`source-${source.id}`}
            isDisabled={ACTIVE.has(source.status)}
            isPending={now.isPending}
            onPress={() => now.mutate()}
          >
            {t('harvest.harvestNow')}
          </Button>
          <Button
            id={editButtonId(source.id)}
            className="button button-small"
            aria-label={t('harvest.editLabel', { name: source.name })}
            onPress={onEdit}
          >
            {t('harvest.editButton')}
          </Button>
          <ConfirmDialog
            trigger={t('harvest.delete')}
            triggerLabel={t('harvest.deleteLabel', { name: source.name })}
            title={t('harvest.deleteTitle')}
            confirmLabel={t('harvest.delete')}
            onConfirm={async () => {
              await api(`${base(libraryId)}/${source.id}`, { method: 'DELETE' });
              onMessage(t('harvest.deleted', { name: source.name }));
              await client.invalidateQueries({ queryKey: ['harvest-sources', libraryId] });
            }}
            focusAfter={() => document.getElementById('sources-title')}
          >
            <p>{t('harvest.deleteText', { name: source.name })}</p>
          </ConfirmDialog>
        </div>
      </td>
    </tr>
  );
}

/** Announces each source's change of status once (queued, harvesting, finished, failed), not every poll. */
function useStatusAnnouncements(sources: HarvestSource[] | undefined): string {
  const { t } = useTranslation('interop');
  const format = useFormat();
  const lastErrorMessage = useLastErrorMessage();
  const seen = useRef(new Map<string, string>());
  const [message, setMessage] = useState('');
  useEffect(() => {
    if (!sources) return;
    const first = seen.current.size === 0;
    for (const s of sources) {
      const before = seen.current.get(s.id);
      seen.current.set(s.id, s.status);
      if (first || before === undefined || before === s.status) continue;
      setMessage(
        t(`harvest.announce.${s.status}`, {
          name: s.name,
          records: format.number(s.lastRun.records),
          added: format.number(s.lastRun.added),
          updated: format.number(s.lastRun.updated),
          deleted: format.number(s.lastRun.deleted),
          error: s.lastError ? lastErrorMessage(s.lastErrorCode) : '',
        }),
      );
    }
  }, [sources, t, format, lastErrorMessage]);
  return message;
}

/** Staff of a library configure the catalogues it harvests, run them, and follow their status. */
export function HarvestSourcesPage({ id }: { id: string }) {
  const { t } = useTranslation(['interop', 'org', 'common', 'errors']);
  const orgName = useOrgName();
  const me = useMe();
  const org = useQuery(organizationQuery(id));
  const allowed = org.data ? canImport(me, org.data) : false;
  const sources = useQuery({
    queryKey: ['harvest-sources', id],
    queryFn: ({ signal }) => api<{ items: HarvestSource[] }>(base(id), { signal }),
    enabled: allowed,
    refetchInterval: (query) => (query.state.data?.items.some((s) => ACTIVE.has(s.status)) ? 1500 : 30_000),
  });
  const [editing, setEditing] = useState<HarvestSource | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const announcement = useStatusAnnouncements(sources.data?.items);

  if (org.isPending) return <Loading />;
  if (org.isError) return <ErrorState error={org.error} onRetry={() => void org.refetch()} />;
  const o = org.data;

  return (
    <>
      <OrgPageHeader
        org={o}
        title={t('interop:harvest.title')}
        documentTitle={t('interop:harvest.pageTitle', { library: orgName(o.names) })}
        intro={t('interop:harvest.intro')}
      />
      <StatusMessage>{message}</StatusMessage>
      <StatusMessage tone="info">{announcement}</StatusMessage>
      {!allowed ? (
        <p role="alert" className="alert alert-error">
          {t('errors:FORBIDDEN')}
        </p>
      ) : (
        <>
          <section aria-labelledby="sources-title" className="panel">
            <h2 id="sources-title" tabIndex={-1}>
              {t('interop:harvest.list')}
            </h2>
            <QueryResult query={sources} isEmpty={(data) => data.items.length === 0} empty={t('interop:harvest.empty')}>
              {(data) => (
                <DataTable
                  caption={t('interop:harvest.list')}
                  columns={(['source', 'schedule', 'status', 'lastRun', 'nextRun', 'actions'] as const).map((c) =>
                    t(`interop:harvest.columns.${c}`),
                  )}
                >
                  {data.items.map((source) => (
                    <SourceRow
                      key={source.id}
                      libraryId={id}
                      source={source}
                      onMessage={setMessage}
                      onEdit={() => {
                        setEditing(source);
                        requestAnimationFrame(() => document.getElementById('source-edit-title')?.focus());
                      }}
                    />
                  ))}
                </DataTable>
              )}
            </QueryResult>
          </section>
          <SourceForm
            key={editing?.id ?? 'new'}
            libraryId={id}
            editing={editing}
            onDone={(source) => {
              if (source)
                setMessage(t(editing ? 'interop:harvest.saved' : 'interop:harvest.created', { name: source.name }));
              setEditing(null);
              // The edit form is replaced by the add form, and focus with it: back to the row's Edit.
              if (editing) {
                const row = editing.id;
                requestAnimationFrame(() =>
                  (document.getElementById(editButtonId(row)) ?? document.getElementById('sources-title'))?.focus(),
                );
              }
            }}
          />
        </>
      )}
    </>
  );
}
