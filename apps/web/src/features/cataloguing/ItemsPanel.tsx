import type { CataloguingItem, ItemCreate, ItemPatch, Organization } from '@athenaeum/contracts';
import { ITEM_STATUSES } from '@athenaeum/contracts/vocabulary';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type FocusEvent, type FormEvent } from 'react';
import { Button, Dialog, Heading, Label, Modal, ModalOverlay, TextArea, TextField } from 'react-aria-components';
import { Trans, useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormAlert, SelectField, TextInput } from '../../components/forms';
import { DataTable } from '../../components/DataTable';
import { useOrgName } from '../../components/OrgName';
import { Empty, StatusMessage } from '../../components/states';
import { focusOnKeeping, useUnsavedChangesGuard } from '../../components/useUnsavedChangesGuard';
import { ApiError, api } from '../../lib/api';
import { useCatalogLabels } from '../catalog/labels';
import { organizationQuery } from '../organizations/OrganizationPage';
import { refreshCatalogViews } from './catalog-views';
import {
  CIRCULATION_ONLY,
  changedFields,
  closeItemDialog,
  draftOf,
  itemBody,
  itemDraftChanged,
  itemPatch,
  rebaseDraft,
  type ItemDraft,
} from './item-draft';
import { useCataloguingProblem } from './problem-text';

/**
 * The item's status in its dialog: a choice of the statuses cataloguing sets, or, for a copy on loan,
 * in transit or on the hold shelf, its status as text, with why it cannot be changed here.
 */
export function ItemStatusField({
  current,
  value,
  onChange,
}: {
  /** The saved status of the item being edited; null for a new item. */
  current: string | null;
  value: string;
  onChange: (value: string) => void;
}) {
  const { t } = useTranslation('cataloguing');
  const labels = useCatalogLabels();
  const id = useId();
  if (current && CIRCULATION_ONLY.has(current)) {
    return (
      <div className="field" role="group" aria-labelledby={`${id}-label`} aria-describedby={`${id}-help`}>
        <span className="react-aria-Label" id={`${id}-label`}>
          {t('items.status')}
        </span>
        <span className="item-status-fixed">{labels.status(current)}</span>
        <span id={`${id}-help`} className="field-description">
          {t('items.statusByCirculation')}
        </span>
      </div>
    );
  }
  const statuses = ITEM_STATUSES.filter((s) => !CIRCULATION_ONLY.has(s)).map((s) => ({
    id: s,
    label: labels.status(s),
  }));
  return <SelectField label={t('items.status')} options={statuses} value={value} onChange={onChange} />;
}

/**
 * A save refused because someone changed the item after the dialog opened (CATALOG_ITEM_CHANGED):
 * what they changed, with the values saved now, and a way to load those values into the form (the
 * librarian's own changes stay in it). An alert, so that it is announced when it appears.
 */
export function ItemConflict({
  loaded,
  current,
  branchName,
  onReload,
}: {
  /** The item as the dialog opened it. */
  loaded: CataloguingItem;
  /** The item as it is saved now. */
  current: CataloguingItem;
  branchName: (id: string | null) => string;
  onReload: () => void;
}) {
  const { t } = useTranslation('cataloguing');
  const labels = useCatalogLabels();
  const now = draftOf(current);
  const shown = (key: keyof ItemDraft) =>
    key === 'branchId'
      ? current.branchId
        ? branchName(current.branchId)
        : t('items.noBranch')
      : key === 'status'
        ? labels.status(current.status)
        : now[key] || t('items.conflictEmpty');
  return (
    <div role="alert" className="alert alert-error item-conflict">
      <p>
        <strong>{t('items.conflictTitle')}</strong>
      </p>
      <ul>
        {changedFields(loaded, current).map((key) => (
          <li key={key}>
            <Trans
              t={t}
              i18nKey="items.conflictValue"
              values={{ field: t(`items.${key === 'branchId' ? 'branch' : key}`) }}
              components={{ value: <bdi>{shown(key)}</bdi> }}
            />
          </li>
        ))}
      </ul>
      <p>{t('items.conflictBody')}</p>
      <Button className="button" onPress={onReload}>
        {t('items.conflictReload')}
      </Button>
    </div>
  );
}

/** The id of an item's Edit button (focus goes back to it when its dialog is discarded). */
const editButtonId = (item: CataloguingItem) => `edit-item-${item.itemId}`;

function ItemDialog({
  recordId,
  item,
  branches,
  branchName,
  onClose,
  onSaved,
  onStale,
  focusOpener,
}: {
  recordId: string;
  item: CataloguingItem | null;
  branches: Array<{ id: string; label: string }>;
  branchName: (id: string | null) => string;
  onClose: () => void;
  onSaved: (item: CataloguingItem, added: boolean) => void;
  /** The item list is out of date (a save was refused because the item changed meanwhile). */
  onStale: () => void;
  /** Focuses what opened the dialog (after its changes were discarded). */
  focusOpener: () => HTMLElement | null;
}) {
  const { t } = useTranslation(['cataloguing', 'common']);
  const problem = useCataloguingProblem();
  // The item as the form was opened on it, or on its current values once they were loaded after a
  // refused save: what saving sends as `expected`, and what unsaved changes are told against.
  const [base, setBase] = useState(item);
  const [draft, setDraft] = useState<ItemDraft>(draftOf(item));
  // The item as it is saved now, when a save was refused because someone changed it meanwhile.
  const [theirs, setTheirs] = useState<CataloguingItem | null>(null);
  const [loadedMessage, setLoadedMessage] = useState('');
  const [barcodeError, setBarcodeError] = useState<string | undefined>();
  // Whether the librarian is being asked to discard the form's changes (they asked to close it).
  const [asking, setAsking] = useState(false);
  const discarded = useRef(false);
  // The form's field that had focus last: "Keep editing" goes back to it.
  const lastField = useRef<HTMLElement | null>(null);
  const save = useMutation({
    mutationFn: (body: ItemCreate | ItemPatch) =>
      base
        ? api<CataloguingItem>(`/catalog/items/${base.itemId}`, { method: 'PATCH', body })
        : api<CataloguingItem>(`/catalog/records/${recordId}/items`, { method: 'POST', body }),
    onSuccess: (saved) => onSaved(saved, !base),
    onError: (error) => {
      const current =
        error instanceof ApiError && error.code === 'CATALOG_ITEM_CHANGED'
          ? (error.problem as { current?: CataloguingItem } | null)?.current
          : undefined;
      // The form keeps what was typed; the alert says what changed and offers to load it.
      if (current) {
        setTheirs(current);
        onStale();
      }
    },
  });
  const changed = itemDraftChanged(draft, base);
  const fieldToKeepEditing = () =>
    focusOnKeeping(lastField.current, document.body, () => document.getElementById('item-barcode'));
  // Leaving the page (a link, back, closing the tab) with the form changed asks first, as closing it does.
  const leaving = useUnsavedChangesGuard(changed, {
    question: t('items.leaveQuestion'),
    returnFocus: fieldToKeepEditing,
  });
  const set = (key: keyof ItemDraft) => (value: string) => setDraft((d) => ({ ...d, [key]: value }));

  // Their values into the form, the librarian's changes kept; the next save is made from them.
  const loadTheirs = () => {
    if (!base || !theirs) return;
    setDraft(rebaseDraft(draft, base, theirs));
    setBase(theirs);
    setTheirs(null);
    save.reset();
    setLoadedMessage(t('items.conflictLoaded'));
    // The alert and its button are gone: back to the form's first field.
    document.getElementById('item-barcode')?.focus();
  };

  const requestClose = () => {
    const next = closeItemDialog({ changed, saving: save.isPending });
    if (next === 'close') onClose();
    else if (next === 'ask') setAsking(true);
  };

  const noteField = (event: FocusEvent<HTMLFormElement>) => {
    // Fields only: not the dialog's buttons, nor a select's options (in a popover outside the form).
    const target = event.target as HTMLElement;
    if (event.currentTarget.contains(target) && !target.closest('.dialog-actions')) lastField.current = target;
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!draft.barcode.trim()) {
      setBarcodeError(t('items.barcodeRequired'));
      document.getElementById('item-barcode')?.focus();
      return;
    }
    setBarcodeError(undefined);
    setLoadedMessage('');
    // Saved again as it is (without loading their values), it is refused again and the alert comes back.
    setTheirs(null);
    save.mutate(base ? itemPatch(draft, base) : itemBody(draft, null));
  };

  return (
    <ModalOverlay
      className="modal-overlay"
      isOpen
      isDismissable={!save.isPending}
      isKeyboardDismissDisabled={save.isPending}
      onOpenChange={(open) => !open && requestClose()}
    >
      <Modal className="modal">
        <Dialog className="dialog">
          <Heading slot="title" className="dialog-title">
            {base ? t('items.dialogEdit', { barcode: base.barcode }) : t('items.dialogAdd')}
          </Heading>
          <form className="form" onSubmit={submit} onFocus={noteField} noValidate>
            {base && theirs ? (
              <ItemConflict loaded={base} current={theirs} branchName={branchName} onReload={loadTheirs} />
            ) : save.isError ? (
              <FormAlert>{problem(save.error)}</FormAlert>
            ) : null}
            <StatusMessage>{loadedMessage}</StatusMessage>
            <TextInput
              id="item-barcode"
              label={t('items.barcode')}
              isRequired
              autoFocus
              value={draft.barcode}
              onChange={set('barcode')}
              errorMessage={barcodeError}
            />
            {branches.length ? (
              <SelectField
                label={t('items.branch')}
                options={[{ id: 'none', label: t('items.noBranch') }, ...branches]}
                value={draft.branchId || 'none'}
                onChange={(v) => set('branchId')(v === 'none' ? '' : v)}
              />
            ) : null}
            <TextInput label={t('items.callNumber')} value={draft.callNumber} onChange={set('callNumber')} />
            <TextInput label={t('items.location')} value={draft.location} onChange={set('location')} />
            <TextInput
              label={t('items.itemType')}
              description={t('items.itemTypeHelp')}
              value={draft.itemType}
              onChange={set('itemType')}
            />
            <ItemStatusField current={base?.status ?? null} value={draft.status} onChange={set('status')} />
            <TextField className="field" value={draft.notes} onChange={set('notes')}>
              <Label>{t('items.notes')}</Label>
              <TextArea rows={2} />
            </TextField>
            <div className="dialog-actions">
              <Button className="button" onPress={requestClose} isDisabled={save.isPending}>
                {t('common:action.cancel')}
              </Button>
              {/* Not isPending: its announcement would point at this button after the dialog is gone. */}
              <Button type="submit" className="button button-primary" isDisabled={save.isPending}>
                {t('items.save')}
              </Button>
            </div>
          </form>
          {/* Inside the item dialog, so that they stack on it (its focus is held while they are open). */}
          <ConfirmDialog
            isOpen={asking}
            onOpenChange={(open) => {
              if (open || discarded.current) return;
              setAsking(false);
              // After React Aria has put focus back where it was when the question opened.
              requestAnimationFrame(() => requestAnimationFrame(() => fieldToKeepEditing()?.focus()));
            }}
            title={t('common:unsaved.title')}
            confirmLabel={t('items.discardConfirm')}
            dismissLabel={t('common:unsaved.keep')}
            focusAfter={focusOpener}
            onConfirm={async () => {
              discarded.current = true;
              onClose();
            }}
          >
            <p>{base ? t('items.discardQuestion', { barcode: base.barcode }) : t('items.discardQuestionNew')}</p>
          </ConfirmDialog>
          {leaving.dialog}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

/** A record's copies: listed, added and edited in a dialog, deleted after confirmation. */
export function ItemsPanel({
  recordId,
  libraryId,
  items,
  queryKey,
}: {
  recordId: string;
  libraryId: string;
  items: CataloguingItem[];
  queryKey: readonly unknown[];
}) {
  const { t } = useTranslation(['cataloguing', 'common']);
  const labels = useCatalogLabels();
  const orgName = useOrgName();
  const problem = useCataloguingProblem();
  const client = useQueryClient();
  const library = useQuery(organizationQuery(libraryId));
  const branches = (library.data?.members ?? [])
    .filter((m: Organization['members'][number]) => m.kind === 'branch')
    .map((m) => ({ id: m.id, label: orgName(m.names) }));
  const branchName = (id: string | null) => (id ? (branches.find((b) => b.id === id)?.label ?? '—') : '—');
  const [editing, setEditing] = useState<CataloguingItem | 'new' | null>(null);
  const [message, setMessage] = useState('');

  // The record's items here, and the public pages that show its copies.
  const refresh = () => Promise.all([client.invalidateQueries({ queryKey }), refreshCatalogViews(client)]);

  return (
    <section aria-labelledby="items-title" className="panel">
      <h2 id="items-title">{t('items.title')}</h2>
      <StatusMessage>{message}</StatusMessage>
      {items.length === 0 ? (
        <Empty>{t('items.none')}</Empty>
      ) : (
        <DataTable
          caption={t('items.caption')}
          columns={[
            t('items.barcode'),
            t('items.branch'),
            t('items.callNumber'),
            t('items.location'),
            t('items.itemType'),
            t('items.status'),
            t('items.notes'),
            null, // over the row actions
          ]}
        >
          {items.map((item) => (
            <tr key={item.itemId}>
              <th scope="row">
                <span className="mono" dir="ltr">
                  {item.barcode}
                </span>
              </th>
              <td>{branchName(item.branchId)}</td>
              <td>
                <bdi>{item.callNumber ?? '—'}</bdi>
              </td>
              <td>
                <bdi>{item.location ?? '—'}</bdi>
              </td>
              <td>
                <bdi>{item.itemType}</bdi>
              </td>
              <td>{labels.status(item.status)}</td>
              <td>
                <bdi>{item.notes ?? ''}</bdi>
              </td>
              <td className="row-actions">
                <Button
                  id={editButtonId(item)}
                  className="button button-small"
                  aria-label={t('items.editLabel', { barcode: item.barcode })}
                  onPress={() => setEditing(item)}
                >
                  {t('items.edit')}
                </Button>
                <ConfirmDialog
                  trigger={t('items.delete')}
                  triggerLabel={t('items.deleteLabel', { barcode: item.barcode })}
                  title={t('items.deleteTitle', { barcode: item.barcode })}
                  confirmLabel={t('items.delete')}
                  focusAfter={() => document.getElementById('add-item')}
                  onConfirm={async () => {
                    try {
                      await api(`/catalog/items/${item.itemId}`, { method: 'DELETE' });
                    } catch (error) {
                      // The dialog words unknown codes with the problem's detail: give it ours.
                      if (error instanceof ApiError && error.problem) {
                        throw new ApiError(error.status, { ...error.problem, detail: problem(error) }, problem(error));
                      }
                      throw error;
                    }
                    setMessage(t('items.deleted', { barcode: item.barcode }));
                    await refresh();
                  }}
                >
                  <p>{t('items.deleteBody')}</p>
                </ConfirmDialog>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <Button id="add-item" className="button" onPress={() => setEditing('new')}>
        {t('items.add')}
      </Button>
      {editing ? (
        <ItemDialog
          recordId={recordId}
          item={editing === 'new' ? null : editing}
          branches={branches}
          branchName={branchName}
          onClose={() => setEditing(null)}
          onStale={() => void client.invalidateQueries({ queryKey })}
          focusOpener={() => document.getElementById(editing === 'new' ? 'add-item' : editButtonId(editing))}
          onSaved={async (saved, added) => {
            setEditing(null);
            setMessage(t(added ? 'items.added' : 'items.updated', { barcode: saved.barcode }));
            await refresh();
          }}
        />
      ) : null}
    </section>
  );
}
