import type {
  CatalogImport,
  CatalogImportEncoding,
  CatalogImportFormat,
  CatalogImportHoldings,
  Page,
} from '@athenaeum/contracts';
import {
  CATALOG_IMPORT_FAILED,
  CATALOG_IMPORT_FILE_MISSING,
  CATALOG_IMPORT_INTERRUPTED,
} from '@athenaeum/contracts/vocabulary';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useEffect, useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { Button, Label, ProgressBar } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { SelectField } from '../../components/forms';
import { DataTable } from '../../components/DataTable';
import { useOrgName } from '../../components/OrgName';
import { OrgPageHeader } from '../../components/OrgPageHeader';
import { Pagination } from '../../components/Pagination';
import { useUnsavedChangesGuard } from '../../components/useUnsavedChangesGuard';
import { ErrorState, Loading, QueryResult, StatusMessage } from '../../components/states';
import { ApiError, api, uploadFile } from '../../lib/api';
import { useFormat } from '../../lib/format';
import { useMe } from '../../lib/session';
import { organizationQuery } from '../organizations/OrganizationPage';
import './catalog.css';
import { useCatalogProblem } from './labels';
import { canImport } from './permissions';
import { IMPORT_ENCODINGS, IMPORT_FORMATS, IMPORT_HOLDINGS } from './vocabulary';

export interface ImportsSearch {
  page?: number | undefined;
  /** The import whose progress is shown. */
  import?: string | undefined;
}

export function validateImportsSearch(search: Record<string, unknown>): ImportsSearch {
  const page = Number(search.page);
  const id = typeof search.import === 'string' && /^[0-9a-f-]{36}$/i.test(search.import) ? search.import : undefined;
  return { page: Number.isInteger(page) && page > 1 ? page : undefined, import: id };
}

const PAGE_SIZE = 20;
const FINISHED = new Set(['done', 'failed']);
/** What became of an import's records, counted. */
const COUNTS = ['processed', 'added', 'updated', 'unchanged', 'rejected'] as const;
const base = (libraryId: string) => `/organizations/${libraryId}/catalog-imports`;

/** The share of the file read: by bytes while running (capped below 100 until the run is done). */
function percentOf(run: CatalogImport): number {
  if (run.status === 'done') return 100;
  if (run.status !== 'running' || run.totalBytes === 0) return 0;
  return Math.min(99, Math.floor((run.bytesRead / run.totalBytes) * 100));
}

/** What the upload form chose besides the file. */
export interface UploadChoices {
  format: CatalogImportFormat;
  holdings: CatalogImportHoldings;
  encoding: CatalogImportEncoding;
}

/** Sends a file for import into a library with the choices of the form; `signal` stops it. */
export function sendUpload(
  libraryId: string,
  file: File,
  choices: UploadChoices,
  onProgress?: (loaded: number, total: number) => void,
  signal?: AbortSignal,
): Promise<CatalogImport> {
  return uploadFile<CatalogImport>(base(libraryId), file, {
    query: { filename: file.name, ...choices },
    onProgress,
    signal,
  });
}

/** Whether an upload ended because it was stopped (the Stop button, or leaving the page). */
export const wasStopped = (error: unknown): boolean => error instanceof DOMException && error.name === 'AbortError';

/**
 * While a file uploads: leaving the page asks first, since it stops the upload. `releaseRef` is set
 * to what lets the page go without asking (the upload is done: its own navigation must not ask).
 */
function UploadingGuard({ releaseRef }: { releaseRef: RefObject<(() => void) | null> }) {
  const { t } = useTranslation('catalog');
  const guard = useUnsavedChangesGuard(true, {
    question: t('imports.leaveWhileUploading'),
    leaveLabel: t('imports.leaveAndStop'),
    keepLabel: t('imports.keepUploading'),
  });
  useEffect(() => {
    releaseRef.current = guard.letGo;
    return () => {
      releaseRef.current = null;
    };
  });
  return guard.dialog;
}

export function UploadForm({ libraryId, onUploaded }: { libraryId: string; onUploaded: (run: CatalogImport) => void }) {
  const { t } = useTranslation(['catalog', 'common']);
  const format = useFormat();
  const problem = useCatalogProblem();
  const fileId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [kind, setKind] = useState<CatalogImportFormat>('auto');
  const [holdings, setHoldings] = useState<CatalogImportHoldings>('auto');
  const [encoding, setEncoding] = useState<CatalogImportEncoding>('auto');
  const [fileError, setFileError] = useState<string | null>(null);
  const [sent, setSent] = useState<number | null>(null);
  const input = useRef<HTMLInputElement>(null);
  // The upload in progress: the Stop button stops it, and so does leaving the page (after asking).
  const sending = useRef<AbortController | null>(null);
  const letGoRef = useRef<(() => void) | null>(null);
  useEffect(() => () => sending.current?.abort(), []);
  const upload = useMutation({
    mutationFn: (chosen: File) => {
      const controller = new AbortController();
      sending.current = controller;
      return sendUpload(
        libraryId,
        chosen,
        { format: kind, holdings, encoding },
        (loaded, total) => setSent(total ? Math.floor((loaded / total) * 100) : null),
        controller.signal,
      );
    },
    onSuccess: (run) => {
      setFile(null);
      setSent(null);
      if (input.current) input.current.value = '';
      // The mutation is still pending here: the page's own navigation to the run must not ask.
      letGoRef.current?.();
      onUploaded(run);
    },
    onError: () => setSent(null),
    onSettled: () => {
      sending.current = null;
    },
  });
  const formats = IMPORT_FORMATS.map((f) => ({ id: f, label: t(`catalog:imports.formats.${f}`) }));
  const holdingsFields = IMPORT_HOLDINGS.map((h) => ({ id: h, label: t(`catalog:imports.holdingsFields.${h}`) }));
  const encodings = IMPORT_ENCODINGS.map((e) => ({ id: e, label: t(`catalog:imports.encodings.${e}`) }));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!file) {
      setFileError(t('catalog:imports.fileRequired'));
      input.current?.focus();
      return;
    }
    setFileError(null);
    upload.mutate(file);
  };

  return (
    <section aria-labelledby="upload-title" className="panel">
      <h2 id="upload-title">{t('catalog:imports.upload')}</h2>
      {upload.isPending ? <UploadingGuard releaseRef={letGoRef} /> : null}
      <form className="form" onSubmit={submit} noValidate>
        {upload.isError && wasStopped(upload.error) ? (
          <p role="status" className="alert alert-info">
            {t('catalog:imports.uploadStopped')}
          </p>
        ) : upload.isError ? (
          <div role="alert" className="alert alert-error">
            {problem(upload.error)}
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={fileId}>
            {t('catalog:imports.file')}
            <span className="required" aria-hidden="true" title={t('common:form.required')}>
              {' *'}
            </span>
          </label>
          <input
            ref={input}
            id={fileId}
            type="file"
            name="file"
            required
            aria-invalid={fileError ? true : undefined}
            aria-describedby={`${fileId}-help${fileError ? ` ${fileId}-error` : ''}`}
            onChange={(event) => {
              setFile(event.target.files?.[0] ?? null);
              setFileError(null);
            }}
          />
          <p id={`${fileId}-help`} className="field-description">
            {t('catalog:imports.fileHelp')}
          </p>
          {fileError ? (
            <p id={`${fileId}-error`} className="field-error">
              {fileError}
            </p>
          ) : null}
        </div>
        <SelectField
          label={t('catalog:imports.format')}
          description={t('catalog:imports.formatHelp')}
          options={formats}
          value={kind}
          onChange={(value) => setKind(value as CatalogImportFormat)}
        />
        <SelectField
          label={t('catalog:imports.holdings')}
          description={t('catalog:imports.holdingsHelp')}
          options={holdingsFields}
          value={holdings}
          onChange={(value) => setHoldings(value as CatalogImportHoldings)}
        />
        <SelectField
          label={t('catalog:imports.encoding')}
          description={t('catalog:imports.encodingHelp')}
          options={encodings}
          value={encoding}
          onChange={(value) => setEncoding(value as CatalogImportEncoding)}
        />
        <div>
          <Button type="submit" className="button button-primary" isPending={upload.isPending}>
            {upload.isPending
              ? sent === null
                ? t('catalog:imports.uploading')
                : t('catalog:imports.uploadingPercent', { percent: format.number(sent) })
              : t('catalog:imports.submit')}
          </Button>
          {upload.isPending ? (
            <Button type="button" className="button" onPress={() => sending.current?.abort()}>
              {t('catalog:imports.stopUpload')}
            </Button>
          ) : null}
        </div>
      </form>
    </section>
  );
}

function Counts({ run }: { run: CatalogImport }) {
  const { t } = useTranslation('catalog');
  const format = useFormat();
  return (
    <dl className="facts import-counts">
      {COUNTS.map((key) => (
        <div key={key}>
          <dt>{t(`imports.counts.${key}`)}</dt>
          <dd>{format.number(run[key])}</dd>
        </div>
      ))}
    </dl>
  );
}

/** One import's live progress: polled every second until it is done or has failed. */
// The reasons the server writes for runs that failed (contracts), in the page's own words; any
// other reason (a run of an older version) is shown as it is.
const KNOWN_FAILURES = new Map([
  [CATALOG_IMPORT_INTERRUPTED, 'imports.interrupted'],
  [CATALOG_IMPORT_FAILED, 'imports.failedServer'],
  [CATALOG_IMPORT_FILE_MISSING, 'imports.fileMissing'],
] as const);

/** The text key of a reason the server writes for a failed run, or null for another reason. */
export const failureKey = (error: string) => KNOWN_FAILURES.get(error as never) ?? null;

function ImportProgress({
  libraryId,
  importId,
  onFinished,
}: {
  libraryId: string;
  importId: string;
  onFinished: () => void;
}) {
  const { t } = useTranslation('catalog');
  const format = useFormat();
  const problem = useCatalogProblem();
  const run = useQuery({
    queryKey: ['catalog-import', libraryId, importId],
    queryFn: ({ signal }) => api<CatalogImport>(`${base(libraryId)}/${importId}`, { signal }),
    // Until the run is over, or gone (a stale ?import= link answers 404: nothing will change).
    refetchInterval: (query) =>
      (query.state.data && FINISHED.has(query.state.data.status)) ||
      (query.state.error instanceof ApiError && query.state.error.status === 404)
        ? false
        : 1000,
  });
  const [announcement, setAnnouncement] = useState('');
  const announced = useRef<string | null>(null);
  const data = run.data;

  // Each change of status is announced once (not every poll): queued, importing, finished, failed.
  useEffect(() => {
    if (!data || announced.current === `${data.id}:${data.status}`) return;
    announced.current = `${data.id}:${data.status}`;
    setAnnouncement(
      t(`imports.announce.${data.status}`, {
        file: data.filename,
        added: format.number(data.added),
        updated: format.number(data.updated),
        unchanged: format.number(data.unchanged),
        rejected: format.number(data.rejected),
      }),
    );
    if (FINISHED.has(data.status)) onFinished();
  }, [data, t, format, onFinished]);

  const percent = data ? percentOf(data) : 0;
  return (
    <section aria-labelledby="progress-title" className="panel import-progress">
      <h2 id="progress-title" tabIndex={-1}>
        {data ? t('imports.progressTitle', { file: data.filename }) : t('imports.progress')}
      </h2>
      <StatusMessage tone="info">{announcement}</StatusMessage>
      {run.isPending ? (
        <Loading />
      ) : run.isError ? (
        <div role="alert" className="alert alert-error">
          <p>{problem(run.error)}</p>
        </div>
      ) : (
        <>
          <p>
            <span className={`badge import-status import-status-${run.data.status}`}>
              {t(`imports.statuses.${run.data.status}`)}
            </span>
          </p>
          <ProgressBar
            className="progress"
            value={percent}
            isIndeterminate={run.data.status === 'running' && run.data.totalBytes === 0}
            valueLabel={
              run.data.status === 'queued'
                ? t('imports.valueQueued')
                : t('imports.valueText', { percent: format.number(percent), count: run.data.processed })
            }
          >
            {({ percentage, valueText }) => (
              <>
                <div className="progress-label">
                  <Label>{t('imports.progress')}</Label>
                  <span className="progress-value">{valueText}</span>
                </div>
                <div className="progress-track">
                  <div className="progress-fill" style={{ inlineSize: `${percentage ?? 0}%` }} />
                </div>
              </>
            )}
          </ProgressBar>
          <Counts run={run.data} />
          {run.data.status === 'failed' && run.data.error ? (
            <p className="alert alert-error">
              {failureKey(run.data.error)
                ? t(failureKey(run.data.error)!)
                : t('imports.failedReason', { error: run.data.error })}
            </p>
          ) : null}
          {FINISHED.has(run.data.status) ? (
            run.data.rejected > 0 ? (
              <p>
                <a href={`/api/v1${base(libraryId)}/${run.data.id}/report`} download className="button">
                  {t('imports.report', { count: run.data.rejected })}
                </a>
              </p>
            ) : run.data.status === 'done' ? (
              <p>{t('imports.noRejects')}</p>
            ) : null
          ) : null}
        </>
      )}
    </section>
  );
}

function ImportList({ libraryId, page, current }: { libraryId: string; page: number; current: string | undefined }) {
  const { t } = useTranslation('catalog');
  const format = useFormat();
  const list = useQuery({
    queryKey: ['catalog-imports', libraryId, page],
    queryFn: ({ signal }) =>
      api<Page<CatalogImport>>(base(libraryId), { query: { page, pageSize: PAGE_SIZE }, signal }),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.items.some((i) => !FINISHED.has(i.status)) ? 5000 : false),
  });
  return (
    <section aria-labelledby="imports-title" className="panel">
      <h2 id="imports-title">{t('imports.list')}</h2>
      <QueryResult query={list} isEmpty={(data) => data.items.length === 0} empty={t('imports.empty')}>
        {(data) => (
          <>
            <DataTable
              caption={t('imports.list')}
              columns={[
                t('imports.columns.file'),
                t('imports.columns.uploaded'),
                t('imports.columns.status'),
                ...COUNTS.map((key) => ({ label: t(`imports.counts.${key}`), className: 'numeric' })),
              ]}
            >
              {data.items.map((run) => (
                <tr key={run.id} aria-current={run.id === current ? 'true' : undefined}>
                  <th scope="row">
                    <Link to="." search={(prev: ImportsSearch) => ({ ...prev, import: run.id })} resetScroll={false}>
                      <bdi>{run.filename}</bdi>
                    </Link>
                  </th>
                  <td>{format.dateTime(run.createdAt)}</td>
                  <td>{t(`imports.statuses.${run.status}`)}</td>
                  {COUNTS.map((key) => (
                    <td key={key} className="numeric">
                      {format.number(run[key])}
                    </td>
                  ))}
                </tr>
              ))}
            </DataTable>
            <Pagination of={data} label={t('imports.pagination')} />
          </>
        )}
      </QueryResult>
    </section>
  );
}

/** Staff of a library upload MARC files into its catalogue and follow each import. */
export function ImportsPage({ id, search }: { id: string; search: ImportsSearch }) {
  const { t } = useTranslation(['catalog', 'org', 'common', 'errors']);
  const orgName = useOrgName();
  const me = useMe();
  const client = useQueryClient();
  const navigate = useNavigate();
  const org = useQuery(organizationQuery(id));
  const [message, setMessage] = useState<string | null>(null);
  const focusProgress = useRef(false);

  useEffect(() => {
    if (!focusProgress.current || !search.import) return;
    focusProgress.current = false;
    requestAnimationFrame(() => document.getElementById('progress-title')?.focus());
  }, [search.import]);

  if (org.isPending) return <Loading />;
  if (org.isError) return <ErrorState error={org.error} onRetry={() => void org.refetch()} />;
  const o = org.data;
  const name = orgName(o.names);

  return (
    <>
      <OrgPageHeader
        org={o}
        title={t('catalog:imports.title')}
        documentTitle={t('catalog:imports.pageTitle', { library: name })}
        intro={t('catalog:imports.intro')}
      />
      <StatusMessage>{message}</StatusMessage>
      {o.kind !== 'library' ? (
        <p className="alert alert-info">{t('catalog:imports.notALibrary')}</p>
      ) : !canImport(me, o) ? (
        <p role="alert" className="alert alert-error">
          {t('errors:FORBIDDEN')}
        </p>
      ) : (
        <>
          <UploadForm
            libraryId={id}
            onUploaded={(run) => {
              setMessage(t('catalog:imports.uploaded', { file: run.filename }));
              focusProgress.current = true;
              void client.invalidateQueries({ queryKey: ['catalog-imports', id] });
              void navigate({
                to: '/organizations/$id/catalog-imports',
                params: { id },
                search: { import: run.id },
                resetScroll: false,
              });
            }}
          />
          {search.import ? (
            <ImportProgress
              key={search.import}
              libraryId={id}
              importId={search.import}
              onFinished={() => void client.invalidateQueries({ queryKey: ['catalog-imports', id] })}
            />
          ) : null}
          <ImportList libraryId={id} page={search.page ?? 1} current={search.import} />
        </>
      )}
    </>
  );
}
