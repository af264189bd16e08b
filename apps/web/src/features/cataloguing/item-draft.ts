// The item dialog's form: what it holds, what it would save, and whether closing it loses anything.
import type { CataloguingItem, ItemCreate } from '@athenaeum/contracts';

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
