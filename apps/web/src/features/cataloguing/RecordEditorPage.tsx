import {
  emptyRecord,
  type CataloguingRecord,
  type MarcFlavourInput,
  type MarcProblem,
  type MarcRecordInput,
  type RecordCreate,
  type RecordSave,
} from '@athenaeum/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { Button, Dialog, Heading, Modal, ModalOverlay, Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { FormAlert, SelectField } from '../../components/forms';
import { OrgName } from '../../components/OrgName';
import { PageTitle } from '../../components/Page';
import { ErrorState, Loading, StatusMessage } from '../../components/states';
import { useUnsavedChangesGuard } from '../../components/useUnsavedChangesGuard';
import { ApiError, api } from '../../lib/api';
import { useMe } from '../../lib/session';
import { organizationQuery } from '../organizations/OrganizationPage';
import { canImport as canCatalogue } from '../catalog/permissions';
import './cataloguing.css';
import { refreshCatalogViews } from './catalog-views';
import { EditRecordTitle, InLibrary, editRecordTitleText } from './EditorTitles';
import {
  afterSave,
  editorProblems,
  placeProblems,
  recordKey,
  toEditor,
  toRecord,
  formOf,
  type EditorRecord,
  type PlacedProblem,
} from './editor-state';
import { FormEditor } from './FormEditor';
import { ItemsPanel } from './ItemsPanel';
import { MarcEditor, focusSoon, inputIds, problemTarget } from './MarcEditor';
import { mergeEdit } from './merge-edit';
import { MergeReport, type MergeOutcome, type ReportedClash } from './MergeReport';
import { useCataloguingProblem, useProblemPlace, useProblemText } from './problem-text';

/**
 * A record for its editor. Always stale: opening the editor fetches the record again, and the editor
 * waits for that (a copy kept from an earlier visit may be an older version, whose save would be
 * refused as a conflict).
 */
export const recordQuery = (id: string) => ({
  queryKey: ['cataloguing-record', id] as const,
  queryFn: () => api<CataloguingRecord>(`/catalog/records/${id}/cataloguing`),
  staleTime: 0,
});

// What was typed while a new record was being created, kept for its page to open with (by its id).
const typedWhileCreating = new Map<string, EditorRecord>();

interface EditorProps {
  /** The record being edited; null for a new one. */
  record: CataloguingRecord | null;
  libraryId: string;
  flavour: MarcFlavourInput;
  onReload?: () => Promise<CataloguingRecord | undefined>;
  /** Shown under the title (the format choice of a new record). */
  choice?: ReactNode;
}

/** Problems, each with where it is (a link that goes there) and what is wrong. */
function ProblemList({ problems, onGo }: { problems: PlacedProblem[]; onGo: (p: PlacedProblem) => void }) {
  const text = useProblemText();
  const place = useProblemPlace();
  return (
    <ul>
      {problems.map((p, i) => (
        <li key={i}>
          <a
            href={`#${problemTarget(p)}`}
            onClick={(event) => {
              event.preventDefault();
              onGo(p);
            }}
          >
            {place(p.problem)}
          </a>
          {': '}
          {text(p.problem)}
        </li>
      ))}
    </ul>
  );
}

function ProblemSummary({
  problems,
  summaryRef,
  onGo,
}: {
  problems: PlacedProblem[];
  summaryRef: RefObject<HTMLDivElement | null>;
  onGo: (p: PlacedProblem) => void;
}) {
  const { t } = useTranslation('cataloguing');
  return (
    <div
      ref={summaryRef}
      tabIndex={-1}
      role="alert"
      aria-labelledby="problems-title"
      className="alert alert-error problem-summary"
    >
      <h2 id="problems-title">{t('editor.problemsTitle', { count: problems.length })}</h2>
      <ProblemList problems={problems} onGo={onGo} />
    </div>
  );
}

/** Problems the record already had when it was opened: listed, folded away, and no reason not to save. */
function InheritedProblems({ problems, onGo }: { problems: PlacedProblem[]; onGo: (p: PlacedProblem) => void }) {
  const { t } = useTranslation('cataloguing');
  return (
    <details className="alert alert-info inherited-problems">
      <summary>{t('editor.inheritedTitle', { count: problems.length })}</summary>
      <ProblemList problems={problems} onGo={onGo} />
    </details>
  );
}

function RecordEditor({ record, libraryId, flavour, onReload, choice }: EditorProps) {
  const { t } = useTranslation(['cataloguing', 'common']);
  const navigate = useNavigate();
  const client = useQueryClient();
  const problem = useCataloguingProblem();
  const [editor, setEditorState] = useState<EditorRecord>(
    () => (record && typedWhileCreating.get(record.id)) ?? toEditor(record?.marc ?? emptyRecord(flavour)),
  );
  // What the editor holds now, for a save that comes back after more typing.
  const latest = useRef(editor);
  const show = (next: EditorRecord) => {
    latest.current = next;
    setEditorState(next);
  };
  // The form keeps the text of its list boxes as typed: it starts afresh when the record is replaced.
  const [formRevision, setFormRevision] = useState(0);
  const replace = (next: EditorRecord) => {
    show(next);
    setFormRevision((r) => r + 1);
  };
  // Unsaved changes are told against the record as loaded (what was typed while creating it is unsaved).
  const [baseline, setBaseline] = useState(() => recordKey(record ? toEditor(record.marc) : editor));
  const [version, setVersion] = useState(record?.version ?? '');
  // The stored version the edit started from: what it had wrong already does not stop a save.
  const [stored, setStored] = useState<MarcRecordInput | null>(record?.marc ?? null);
  const [tab, setTab] = useState<'form' | 'marc'>('form');
  const [attempted, setAttempted] = useState(false);
  const [serverProblems, setServerProblems] = useState<PlacedProblem[] | null>(null);
  const [conflict, setConflict] = useState(false);
  // Fetching their version after a conflict (the dialog's buttons wait for it).
  const [fetchingTheirs, setFetchingTheirs] = useState(false);
  const [theirsError, setTheirsError] = useState<unknown>(null);
  // What the last merge with a version saved meanwhile came to, until the next save.
  const [merged, setMerged] = useState<MergeOutcome | null>(null);
  const mergeRef = useRef<HTMLDivElement>(null);
  // The report takes focus once shown, after React Aria has put focus back where it was when the
  // dialog opened (it does so a frame after the dialog is gone).
  useEffect(() => {
    if (!merged) return;
    let second = 0;
    const first = requestAnimationFrame(() => {
      second = requestAnimationFrame(() => mergeRef.current?.focus());
    });
    return () => {
      cancelAnimationFrame(first);
      cancelAnimationFrame(second);
    };
  }, [merged]);
  const [message, setMessage] = useState(() =>
    record && typedWhileCreating.has(record.id) ? t('editor.createdKeptNewer') : '',
  );
  useEffect(() => {
    if (record) typedWhileCreating.delete(record.id);
  }, [record]);
  const summaryRef = useRef<HTMLDivElement>(null);
  const choiceRef = useRef<HTMLDivElement>(null);

  const dirty = recordKey(editor) !== baseline;
  const checked = editorProblems(editor, stored, flavour);
  const live = checked.blocking;
  const problems = serverProblems ?? live;

  // Leaving with unsaved changes asks first (the browser warns on reload or close). On "Keep editing",
  // focus goes back to what had it, or to the format choice or the page's heading when that is gone.
  const leaving = useUnsavedChangesGuard(dirty, {
    question: record ? t('editor.leaveQuestion') : t('editor.leaveQuestionNew'),
    returnFocus: () =>
      choiceRef.current?.querySelector<HTMLElement>('.select-button') ??
      document.querySelector<HTMLElement>('h1.page-title'),
  });

  const setEditor = (next: EditorRecord) => {
    show(next);
    setServerProblems(null);
    setMessage('');
  };

  const showSummary = () => {
    setAttempted(true);
    requestAnimationFrame(() => summaryRef.current?.focus());
  };

  const save = useMutation({
    mutationFn: async (sent: EditorRecord) => {
      const marc = toRecord(sent);
      if (record) {
        const body: RecordSave = { marc, expectedVersion: version };
        return api<CataloguingRecord>(`/catalog/records/${record.id}`, { method: 'PUT', body });
      }
      const body: RecordCreate = { marc, flavour };
      return api<CataloguingRecord>(`/organizations/${libraryId}/catalog/records`, { method: 'POST', body });
    },
    onSuccess: async (saved, sent) => {
      setAttempted(false);
      setServerProblems(null);
      setMerged(null);
      client.setQueryData(recordQuery(saved.id).queryKey, saved);
      void refreshCatalogViews(client);
      // What was typed while the save was in flight stays, not yet saved.
      const after = afterSave(saved.marc, sent, latest.current);
      if (!record) {
        // The new record's page shows what was saved, and what was typed meanwhile: nothing is lost by leaving.
        if (after.keptNewer) typedWhileCreating.set(saved.id, after.editor);
        leaving.letGo();
        await navigate({ to: '/cataloguing/records/$id', params: { id: saved.id }, search: { created: true } });
        return;
      }
      if (after.keptNewer) show(after.editor);
      else replace(after.editor);
      setBaseline(after.baseline);
      setVersion(saved.version);
      setStored(saved.marc);
      setMessage(t(after.keptNewer ? 'editor.savedKeptNewer' : 'editor.saved'));
    },
    onError: (error, sent) => {
      if (error instanceof ApiError && error.code === 'CATALOG_RECORD_CHANGED') {
        setTheirsError(null);
        setConflict(true);
      } else if (error instanceof ApiError && error.code === 'CATALOG_RECORD_INVALID') {
        const listed = (error.problem as { problems?: MarcProblem[] } | null)?.problems ?? [];
        setServerProblems(placeProblems(listed, sent));
        showSummary();
      }
    },
  });

  const submit = () => {
    if (live.length) {
      showSummary();
      return;
    }
    save.mutate(editor);
  };

  const goTo = (p: PlacedProblem) => {
    const titleProblem = p.problem.code === 'FIELD_MISSING' || p.problem.code === 'SUBFIELD_MISSING';
    if (tab === 'form' && titleProblem) {
      focusSoon('form-title');
      return;
    }
    setTab('marc');
    focusSoon(problemTarget(p));
  };

  /** Their version, fetched again, or undefined when that failed (the dialog stays and says why). */
  const fetchTheirs = async () => {
    setFetchingTheirs(true);
    setTheirsError(null);
    try {
      return await onReload?.();
    } catch (error) {
      setTheirsError(error);
      return undefined;
    } finally {
      setFetchingTheirs(false);
    }
  };

  // The editor from now on edits their version: the next save goes through.
  const startFrom = (fresh: CataloguingRecord, next: EditorRecord) => {
    replace(next);
    setBaseline(recordKey(toEditor(fresh.marc)));
    setVersion(fresh.version);
    setStored(fresh.marc);
    setServerProblems(null);
    setAttempted(false);
    setMessage('');
    setConflict(false);
  };

  // "Discard my changes and load theirs".
  const reload = async () => {
    const fresh = await fetchTheirs();
    if (!fresh) return;
    setMerged(null);
    startFrom(fresh, toEditor(fresh.marc));
  };

  // "Merge with their version": what only one side changed is taken from it; where both changed a
  // field differently mine stays and theirs is listed, focused, so the cataloguer can decide.
  const merge = async () => {
    const fresh = await fetchTheirs();
    if (!fresh || !stored) return;
    const current = latest.current;
    const result = mergeEdit(stored, toRecord(current), fresh.marc);
    const next = toEditor(result.record, current);
    const count = (fields: { tag: string }[]) =>
      fields.reduce((m, f) => m.set(f.tag, (m.get(f.tag) ?? 0) + 1), new Map<string, number>());
    const repeated = new Set<string>();
    for (const counted of [count(result.record.fields), count(fresh.marc.fields)])
      for (const [tag, n] of counted) if (n > 1) repeated.add(tag);
    setMerged({
      clashes: result.clashes.map((clash) => ({
        ...clash,
        fieldKey: clash.at === null ? null : (next.fields[clash.at]?.key ?? null),
      })),
      changed: recordKey(next) !== recordKey(toEditor(fresh.marc)),
      repeated: [...repeated],
    });
    startFrom(fresh, next);
  };

  const goToClash = (clash: ReportedClash) => {
    setTab('marc');
    focusSoon(clash.fieldKey === null ? inputIds.leader : inputIds.tag(clash.fieldKey));
  };

  const title = formOf(editor, flavour).title || t('editor.untitled');
  const saveError =
    save.isError &&
    !(save.error instanceof ApiError && ['CATALOG_RECORD_CHANGED', 'CATALOG_RECORD_INVALID'].includes(save.error.code));

  return (
    <>
      <PageTitle title={record ? editRecordTitleText(t('editor.titleEdit'), title) : t('editor.titleNew')}>
        {record ? <EditRecordTitle title={title} /> : t('editor.titleNew')}
      </PageTitle>
      <p className="muted cataloguing-meta">
        <LibraryLine libraryId={libraryId} /> · {t('editor.format', { format: t(`editor.flavours.${flavour}`) })}
        {record ? (
          <>
            {' · '}
            <Link to="/works/$id" params={{ id: record.workId }}>
              {t('editor.viewWork')}
            </Link>
            {' · '}
            <Link to="/cataloguing/new" search={{ library: libraryId }}>
              {t('newRecord')}
            </Link>
          </>
        ) : null}
        {dirty ? <span className="badge unsaved-badge"> {t('editor.unsaved')}</span> : null}
      </p>

      {choice ? <div ref={choiceRef}>{choice}</div> : null}
      {merged ? <MergeReport outcome={merged} reportRef={mergeRef} onGo={goToClash} /> : null}
      {attempted && problems.length ? <ProblemSummary problems={problems} summaryRef={summaryRef} onGo={goTo} /> : null}
      {checked.inherited.length ? <InheritedProblems problems={checked.inherited} onGo={goTo} /> : null}
      {saveError ? <FormAlert>{problem(save.error)}</FormAlert> : null}
      <StatusMessage>{message}</StatusMessage>

      <section className="panel record-editor">
        <Tabs selectedKey={tab} onSelectionChange={(key) => setTab(key as 'form' | 'marc')}>
          <TabList aria-label={t('editor.tabs')} className="tabs">
            <Tab id="form" className="tab">
              {t('editor.tabForm')}
            </Tab>
            <Tab id="marc" className="tab">
              {t('editor.tabMarc')}
            </Tab>
          </TabList>
          <TabPanel id="form" className="tab-panel">
            <FormEditor key={formRevision} editor={editor} flavour={flavour} onChange={setEditor} problems={problems} />
          </TabPanel>
          <TabPanel id="marc" className="tab-panel">
            <MarcEditor editor={editor} onChange={setEditor} problems={problems} />
          </TabPanel>
        </Tabs>
        <div className="editor-actions">
          <Button className="button button-primary" isPending={save.isPending} onPress={submit}>
            {save.isPending ? t('editor.saving') : record ? t('editor.save') : t('editor.create')}
          </Button>
        </div>
      </section>

      {record ? (
        <ItemsPanel
          recordId={record.id}
          libraryId={libraryId}
          items={record.items}
          queryKey={recordQuery(record.id).queryKey}
        />
      ) : (
        <p className="muted">{t('items.saveRecordFirst')}</p>
      )}

      {leaving.dialog}

      <ModalOverlay className="modal-overlay" isOpen={conflict} onOpenChange={setConflict} isDismissable>
        <Modal className="modal">
          <Dialog role="alertdialog" className="dialog">
            <Heading slot="title" className="dialog-title">
              {t('editor.conflictTitle')}
            </Heading>
            <p className="dialog-body">{t('editor.conflictBody')}</p>
            {theirsError ? <FormAlert>{problem(theirsError)}</FormAlert> : null}
            <div className="dialog-actions">
              <Button className="button" onPress={() => setConflict(false)} autoFocus>
                {t('editor.keepEditing')}
              </Button>
              <Button className="button" isDisabled={fetchingTheirs} onPress={reload}>
                {t('editor.reload')}
              </Button>
              <Button className="button button-primary" isDisabled={fetchingTheirs} onPress={merge}>
                {t('editor.merge')}
              </Button>
            </div>
          </Dialog>
        </Modal>
      </ModalOverlay>
    </>
  );
}

function LibraryLine({ libraryId }: { libraryId: string }) {
  const library = useQuery(organizationQuery(libraryId));
  if (!library.data) return null;
  return (
    <InLibrary
      library={
        <Link to="/organizations/$id" params={{ id: libraryId }}>
          <OrgName names={library.data.names} />
        </Link>
      }
    />
  );
}

/** /cataloguing/records/:id — a record with its items, for staff of its library. */
export function RecordEditorPage({ id, created }: { id: string; created?: boolean }) {
  const { t } = useTranslation('cataloguing');
  const problem = useCataloguingProblem();
  const query = useQuery(recordQuery(id));
  const [openedAt] = useState(() => Date.now());
  // Not a copy kept from before: the editor starts from the version fetched now. Once it has, a
  // failed fetch of a newer version (after a conflict) leaves the editor and what was typed in it.
  const fetched = query.isFetchedAfterMount && query.data !== undefined && query.dataUpdatedAt >= openedAt;
  if (!fetched && !(query.isFetchedAfterMount && query.isError)) return <Loading />;
  if (!fetched) {
    return (
      <>
        <PageTitle>{t('editLink')}</PageTitle>
        <div role="alert" className="alert alert-error">
          {problem(query.error)}
        </div>
      </>
    );
  }
  return (
    <>
      {created ? <StatusMessage>{t('editor.created')}</StatusMessage> : null}
      <RecordEditor
        key={query.data.id}
        record={query.data}
        libraryId={query.data.libraryId}
        flavour={query.data.flavour}
        onReload={async () => {
          const result = await query.refetch();
          if (result.status === 'error') throw result.error;
          return result.data;
        }}
      />
    </>
  );
}

/** /cataloguing/new?library=… — a new record for a library's catalogue. */
export function NewRecordPage({
  library,
  flavour,
}: {
  library?: string | undefined;
  flavour?: MarcFlavourInput | undefined;
}) {
  const { t } = useTranslation('cataloguing');
  const me = useMe();
  const navigate = useNavigate();
  const org = useQuery({ ...organizationQuery(library ?? ''), enabled: Boolean(library) });
  if (!library) {
    return (
      <>
        <PageTitle>{t('editor.titleNew')}</PageTitle>
        <p>{t('editor.noLibrary')}</p>
      </>
    );
  }
  if (org.isPending) return <Loading />;
  if (org.isError) return <ErrorState error={org.error} />;
  if (!canCatalogue(me, org.data)) {
    return (
      <>
        <PageTitle>{t('editor.titleNew')}</PageTitle>
        <p className="alert alert-info">{t('editor.notStaff')}</p>
      </>
    );
  }
  const use = flavour ?? 'marc21';
  return (
    <RecordEditor
      key={use}
      record={null}
      libraryId={library}
      flavour={use}
      choice={
        <SelectField
          className="flavour-choice"
          label={t('editor.chooseFlavour')}
          options={(['marc21', 'unimarc'] as const).map((f) => ({ id: f, label: t(`editor.flavours.${f}`) }))}
          value={use}
          onChange={(value) =>
            void navigate({ to: '/cataloguing/new', search: { library, flavour: value as MarcFlavourInput } })
          }
        />
      }
    />
  );
}
