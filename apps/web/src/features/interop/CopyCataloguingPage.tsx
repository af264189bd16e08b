import type { CopyImportResult, CopyRecord, CopySearchResult, CopyTarget, SruVersion } from '@athenaeum/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorSummary, SelectField, TextInput } from '../../components/forms';
import { useOrgName } from '../../components/OrgName';
import { OrgPageHeader } from '../../components/OrgPageHeader';
import { Empty, ErrorState, Loading, StatusMessage } from '../../components/states';
import { useForm } from '../../components/useForm';
import { api, ApiError } from '../../lib/api';
import { useFormat } from '../../lib/format';
import { useMe } from '../../lib/session';
import { canImport } from '../catalog/permissions';
import { organizationQuery } from '../organizations/OrganizationPage';
import { isRemoteUrl } from './HarvestSourcesPage';
import { ProblemAlert } from './problems';
import './interop.css';

const base = (libraryId: string) => `/organizations/${libraryId}/copy-targets`;
const PAGE_SIZE = 10;

function TargetForm({ libraryId, onAdded }: { libraryId: string; onAdded: (target: CopyTarget) => void }) {
  const { t } = useTranslation('interop');
  const client = useQueryClient();
  const form = useForm(
    { name: '', baseUrl: '', version: '1.2' },
    {
      name: (v) => (v.trim() ? null : t('copy.errors.nameRequired')),
      baseUrl: (v) => (isRemoteUrl(v) ? null : t('copy.errors.urlInvalid')),
    },
  );
  const add = useMutation({
    mutationFn: (values: { name: string; baseUrl: string; version: string }) =>
      api<CopyTarget>(base(libraryId), {
        method: 'POST',
        body: { name: values.name.trim(), baseUrl: values.baseUrl.trim(), version: values.version as SruVersion },
      }),
    onSuccess: (target) => {
      form.reset();
      void client.invalidateQueries({ queryKey: ['copy-targets', libraryId] });
      onAdded(target);
    },
    onError: (error) => {
      if (error instanceof ApiError) form.setServerErrors(error.fieldErrors());
    },
  });
  return (
    <form className="form" onSubmit={form.handleSubmit((values) => add.mutate(values))} noValidate>
      <h3>{t('copy.addTarget')}</h3>
      {form.showSummary ? <ErrorSummary count={form.errorCount} /> : null}
      <ProblemAlert error={add.isError && !form.errorCount ? add.error : null} />
      <TextInput label={t('copy.targetName')} isRequired {...form.field('name')} />
      <TextInput
        label={t('copy.targetUrl')}
        description={t('copy.targetUrlHelp')}
        isRequired
        type="url"
        inputLang="en"
        {...form.field('baseUrl')}
      />
      <SelectField
        label={t('copy.version')}
        description={t('copy.schemaNote')}
        options={[
          { id: '1.2', label: 'SRU 1.2' },
          { id: '2.0', label: 'SRU 2.0' },
        ]}
        value={form.values.version}
        onChange={form.field('version').onChange}
        name="version"
      />
      <div>
        <Button type="submit" className="button" isPending={add.isPending}>
          {t('copy.saveTarget')}
        </Button>
      </div>
    </form>
  );
}

function Targets({
  libraryId,
  targets,
  onMessage,
}: {
  libraryId: string;
  targets: CopyTarget[];
  onMessage: (message: string) => void;
}) {
  const { t } = useTranslation('interop');
  const client = useQueryClient();
  return (
    <section aria-labelledby="targets-title" className="panel">
      <h2 id="targets-title" tabIndex={-1}>
        {t('copy.targets')}
      </h2>
      {targets.length === 0 ? (
        <Empty>{t('copy.targetsEmpty')}</Empty>
      ) : (
        <ul className="plain-list">
          {targets.map((target) => (
            <li key={target.id}>
              <bdi>{target.name}</bdi>{' '}
              <span className="mono interop-url" dir="ltr">
                {target.baseUrl}
              </span>{' '}
              <span className="badge">SRU {target.version}</span>{' '}
              <ConfirmDialog
                trigger={t('copy.removeTarget')}
                triggerLabel={t('copy.removeTargetLabel', { name: target.name })}
                title={t('copy.removeTitle')}
                confirmLabel={t('copy.removeTarget')}
                onConfirm={async () => {
                  await api(`${base(libraryId)}/${target.id}`, { method: 'DELETE' });
                  onMessage(t('copy.targetDeleted', { name: target.name }));
                  await client.invalidateQueries({ queryKey: ['copy-targets', libraryId] });
                }}
                focusAfter={() => document.getElementById('targets-title')}
              >
                <p>{t('copy.removeText', { name: target.name })}</p>
              </ConfirmDialog>
            </li>
          ))}
        </ul>
      )}
      <TargetForm libraryId={libraryId} onAdded={(target) => onMessage(t('copy.targetAdded', { name: target.name }))} />
    </section>
  );
}

function ResultRow({
  libraryId,
  target,
  query,
  record,
  onImported,
}: {
  libraryId: string;
  target: CopyTarget;
  query: string;
  record: CopyRecord;
  onImported: (result: CopyImportResult) => void;
}) {
  const { t } = useTranslation('interop');
  const [open, setOpen] = useState(false);
  const importIt = useMutation({
    mutationFn: () =>
      api<CopyImportResult>(`${base(libraryId)}/${target.id}/import`, {
        method: 'POST',
        body: { query, position: record.position },
      }),
    onSuccess: onImported,
  });
  const marcId = `marc-${record.position}`;
  const titleId = `copy-title-${record.position}`;
  return (
    <Fragment>
      <tr>
        <th scope="row">
          <bdi id={titleId}>{record.title}</bdi>
        </th>
        <td>
          <bdi>{record.authors.join('; ') || '—'}</bdi>
        </td>
        <td>
          <bdi>{record.date ?? '—'}</bdi>
        </td>
        <td>
          <span className="mono" dir="ltr">
            {record.isbns.join(', ') || '—'}
          </span>
        </td>
        <td>
          <div className="inline-actions">
            <Button
              className="button button-small"
              aria-expanded={open}
              aria-controls={marcId}
              aria-describedby={titleId}
              onPress={() => setOpen(!open)}
            >
              {open ? t('copy.hide') : t('copy.view')}
            </Button>
            <Button
              className="button button-small button-primary"
              aria-describedby={titleId}
              isPending={importIt.isPending}
              onPress={() => importIt.mutate()}
            >
              {importIt.isPending ? t('copy.importing') : t('copy.import')}
            </Button>
          </div>
          <ProblemAlert error={importIt.isError ? importIt.error : null} />
        </td>
      </tr>
      {open ? (
        <tr id={marcId}>
          <td colSpan={5}>
            <pre className="marc-lines" dir="ltr" aria-label={t('copy.recordOf', { title: record.title })}>
              {record.lines.join('\n')}
            </pre>
          </td>
        </tr>
      ) : null}
    </Fragment>
  );
}

function Search({
  libraryId,
  targets,
  onMessage,
}: {
  libraryId: string;
  targets: CopyTarget[];
  onMessage: (message: string) => void;
}) {
  const { t } = useTranslation('interop');
  const format = useFormat();
  const form = useForm(
    { target: targets[0]?.id ?? '', query: '' },
    { query: (v) => (v.trim() ? null : t('copy.errors.queryRequired')) },
  );
  // The chosen target, or the first one when none is chosen (or the chosen one was removed).
  const chosen = targets.some((x) => x.id === form.values.target) ? form.values.target : (targets[0]?.id ?? '');
  const [asked, setAsked] = useState<{ target: string; query: string; start: number } | null>(null);
  const target = targets.find((x) => x.id === asked?.target) ?? null;
  const results = useQuery({
    queryKey: ['copy-search', libraryId, asked],
    queryFn: ({ signal }) =>
      api<CopySearchResult>(`${base(libraryId)}/${asked!.target}/search`, {
        query: { query: asked!.query, start: asked!.start, pageSize: PAGE_SIZE },
        signal,
      }),
    enabled: asked !== null,
    retry: false,
    staleTime: 60_000,
  });
  const data = results.data;
  const summary =
    asked && target && data
      ? data.total === 0
        ? t('copy.noResults', { target: target.name })
        : t('copy.resultCount', { count: data.total, target: target.name, formatted: format.number(data.total) })
      : '';

  return (
    <section aria-labelledby="search-title" className="panel">
      <h2 id="search-title">{t('copy.search')}</h2>
      <form
        className="form"
        role="search"
        aria-labelledby="search-title"
        onSubmit={form.handleSubmit((values) => setAsked({ target: chosen, query: values.query.trim(), start: 1 }))}
        noValidate
      >
        {form.showSummary ? <ErrorSummary count={form.errorCount} /> : null}
        <SelectField
          label={t('copy.target')}
          options={targets.map((x) => ({ id: x.id, label: x.name }))}
          value={chosen}
          onChange={form.field('target').onChange}
          name="target"
          isRequired
        />
        <TextInput label={t('copy.query')} description={t('copy.queryHelp')} isRequired {...form.field('query')} />
        <div>
          <Button type="submit" className="button button-primary" isPending={results.isFetching}>
            {results.isFetching ? t('copy.searching') : t('copy.searchButton')}
          </Button>
        </div>
      </form>
      <div aria-live="polite" className="visually-hidden">
        {results.isFetching ? '' : summary}
      </div>
      {asked === null ? null : results.isPending ? (
        <Loading label={t('copy.searching')} />
      ) : results.isError ? (
        <ProblemAlert error={results.error} />
      ) : data && target ? (
        <>
          <h3 id="results-title">{t('copy.results')}</h3>
          <p>{summary}</p>
          {data.diagnostics.length ? (
            <ul className="muted">
              {data.diagnostics.map((d, i) => (
                <li key={i}>
                  <bdi>{d.message}</bdi>
                </li>
              ))}
            </ul>
          ) : null}
          {data.records.length ? (
            <div className="table-wrap">
              <table aria-labelledby="results-title">
                <thead>
                  <tr>
                    {(['title', 'authors', 'date', 'isbn', 'actions'] as const).map((c) => (
                      <th key={c} scope="col">
                        {t(`copy.columns.${c}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {data.records.map((record) => (
                    <ResultRow
                      key={`${asked.start}-${record.position}`}
                      libraryId={libraryId}
                      target={target}
                      query={asked.query}
                      record={record}
                      onImported={(result) => onMessage(t(`copy.imported.${result.outcome}`, { title: result.title }))}
                    />
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          <div className="inline-actions">
            {asked.start > 1 ? (
              <Button
                className="button"
                onPress={() => setAsked({ ...asked, start: Math.max(1, asked.start - PAGE_SIZE) })}
              >
                {t('copy.previous')}
              </Button>
            ) : null}
            {asked.start + PAGE_SIZE <= data.total ? (
              <Button className="button" onPress={() => setAsked({ ...asked, start: asked.start + PAGE_SIZE })}>
                {t('copy.next')}
              </Button>
            ) : null}
          </div>
        </>
      ) : null}
    </section>
  );
}

/** Staff search other catalogues over SRU and import records into their library. */
export function CopyCataloguingPage({ id }: { id: string }) {
  const { t } = useTranslation(['interop', 'org', 'common', 'errors']);
  const orgName = useOrgName();
  const me = useMe();
  const org = useQuery(organizationQuery(id));
  const allowed = org.data ? canImport(me, org.data) : false;
  const targets = useQuery({
    queryKey: ['copy-targets', id],
    queryFn: ({ signal }) => api<{ items: CopyTarget[] }>(base(id), { signal }),
    enabled: allowed,
  });
  const [message, setMessage] = useState<string | null>(null);

  if (org.isPending) return <Loading />;
  if (org.isError) return <ErrorState error={org.error} onRetry={() => void org.refetch()} />;
  const o = org.data;

  return (
    <>
      <OrgPageHeader
        org={o}
        title={t('interop:copy.title')}
        documentTitle={t('interop:copy.pageTitle', { library: orgName(o.names) })}
        intro={t('interop:copy.intro')}
      />
      <StatusMessage>{message}</StatusMessage>
      {!allowed ? (
        <p role="alert" className="alert alert-error">
          {t('errors:FORBIDDEN')}
        </p>
      ) : targets.isPending ? (
        <Loading />
      ) : targets.isError ? (
        <ErrorState error={targets.error} onRetry={() => void targets.refetch()} />
      ) : (
        <>
          {targets.data.items.length ? (
            <Search libraryId={id} targets={targets.data.items} onMessage={setMessage} />
          ) : null}
          <Targets libraryId={id} targets={targets.data.items} onMessage={setMessage} />
        </>
      )}
    </>
  );
}
