// The item dialog's form: what it holds, what it would save, and whether closing it loses anything.
import type { CataloguingItem, ItemCreate, ItemExpected, ItemPatch } from '@athenaeum/contracts';

/**
 * Statuses circulation sets and clears (check-out, transfer, hold); the server refuses setting them
 * here, and changing the status of a copy that has one (CATALOG_ITEM_IN_CIRCULATION).
 */
export const CIRCULATION_ONLY = new Set<string>(['on_loan', 'in_transit', 'on_hold_shelf']);

/** The item form as typed. */
export interface ItemDraft {
  barcode: string;
  branchId: string;
  callNumber: string;
  location: string;
  itemType: string;
  status: string;
  notes: string;
}

/** The form for `item`, or for a new item (null). */
export const draftOf = (item: CataloguingItem | null): ItemDraft => ({
  barcode: item?.barcode ?? '',
  branchId: item?.branchId ?? '',
  callNumber: item?.callNumber ?? '',
  location: item?.location ?? '',
  itemType: item?.itemType ?? 'book',
  status: item?.status ?? 'available',
  notes: item?.notes ?? '',
});

/** What saving the form sends (the status only when it is new or changed: circulation may own it). */
export const itemBody = (draft: ItemDraft, item: CataloguingItem | null): ItemCreate => ({
  barcode: draft.barcode.trim(),
  branchId: draft.branchId || null,
  callNumber: draft.callNumber.trim() || null,
  location: draft.location.trim() || null,
  itemType: draft.itemType.trim() || 'book',
  notes: draft.notes.trim() || null,
  ...(item && item.status === draft.status ? {} : { status: draft.status as ItemCreate['status'] }),
});

/**
 * What saving the form of an existing item sends: the form, and the details the form was opened with
 * as `expected`, so that the server refuses the save (CATALOG_ITEM_CHANGED) rather than silently
 * putting back a detail someone changed meanwhile. The status is expected only when the form changes
 * it: circulation changes it all day, and a check-out must not make a change of the call number fail.
 */
export function itemPatch(draft: ItemDraft, item: CataloguingItem): ItemPatch {
  const body = itemBody(draft, item);
  const expected: ItemExpected = {
    barcode: item.barcode,
    branchId: item.branchId,
    callNumber: item.callNumber,
    location: item.location,
    itemType: item.itemType,
    notes: item.notes,
    ...(body.status !== undefined && { status: item.status as ItemExpected['status'] }),
  };
  return { ...body, expected };
}

/** The form's fields whose saved value differs between two versions of an item. */
export function changedFields(before: CataloguingItem, after: CataloguingItem): Array<keyof ItemDraft> {
  const [was, now] = [draftOf(before), draftOf(after)];
  return (Object.keys(now) as Array<keyof ItemDraft>).filter((key) => was[key] !== now[key]);
}

/**
 * The form after loading the item's current values (`current`) into a form opened on `loaded`: what
 * the librarian changed stays as typed, every other field takes its current value. A status that
 * only circulation sets is taken as it is now (the form cannot offer another).
 */
export function rebaseDraft(draft: ItemDraft, loaded: CataloguingItem, current: CataloguingItem): ItemDraft {
  const [was, now] = [draftOf(loaded), draftOf(current)];
  const next = { ...now };
  for (const key of Object.keys(now) as Array<keyof ItemDraft>) {
    if (draft[key] !== was[key]) next[key] = draft[key];
  }
  if (CIRCULATION_ONLY.has(current.status)) next.status = current.status;
  return next;
}

/**
 * Whether the form has changes that closing it would lose: it would save something other than what
 * it was opened with (spaces around a value, which saving trims, make no difference).
 */
export const itemDraftChanged = (draft: ItemDraft, item: CataloguingItem | null): boolean =>
  JSON.stringify(itemBody(draft, item)) !== JSON.stringify(itemBody(draftOf(item), item));

/**
 * What asking to close the dialog (Cancel, Escape, a click outside) does: nothing while the item is
 * being saved (the save closes it), ask first when there are unsaved changes, otherwise close.
 */
export function closeItemDialog({ changed, saving }: { changed: boolean; saving: boolean }): 'stay' | 'ask' | 'close' {
  if (saving) return 'stay';
  return changed ? 'ask' : 'close';
}
