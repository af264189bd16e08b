import type { CataloguingItem } from '@athenaeum/contracts';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES } from '../../lib/domain';
import english from '../../locales/en/cataloguing.json';
import {
  changedFields,
  closeItemDialog,
  draftOf,
  itemBody,
  itemDraftChanged,
  itemPatch,
  rebaseDraft,
} from './item-draft';
import { buildItem } from './item.factories';

const copy = buildItem({ status: 'on_loan' });

describe('unsaved changes in the item form', () => {
  it('are none in a form just opened, for a new item or an existing one', () => {
    expect(itemDraftChanged(draftOf(null), null)).toBe(false);
    expect(itemDraftChanged(draftOf(copy), copy)).toBe(false);
  });

  it('are there once something that would be saved is typed or chosen', () => {
    expect(itemDraftChanged({ ...draftOf(null), barcode: 'B-0002' }, null)).toBe(true);
    expect(itemDraftChanged({ ...draftOf(copy), notes: 'Spine repaired' }, copy)).toBe(true);
    expect(itemDraftChanged({ ...draftOf(copy), status: 'available' }, copy)).toBe(true);
    expect(itemDraftChanged({ ...draftOf(copy), branchId: '0190c2a4-0000-7000-8000-000000000003' }, copy)).toBe(true);
  });

  it('are none when the form would save what it was opened with (spaces, an edit undone)', () => {
    expect(itemDraftChanged({ ...draftOf(null), barcode: '  ', notes: ' ' }, null)).toBe(false);
    expect(itemDraftChanged({ ...draftOf(copy), callNumber: 'PZ7 .L5 ' }, copy)).toBe(false);
  });
});

describe('what saving the item form sends', () => {
  it('is the trimmed form, empty values as none, and the status only when it changed', () => {
    expect(itemBody({ ...draftOf(copy), barcode: ' B-0001 ', location: ' ', itemType: '' }, copy)).toEqual({
      barcode: 'B-0001',
      branchId: null,
      callNumber: 'PZ7 .L5',
      location: null,
      itemType: 'book',
      notes: null,
    });
    expect(itemBody({ ...draftOf(copy), status: 'lost' }, copy)).toMatchObject({ status: 'lost' });
    expect(itemBody(draftOf(null), null)).toMatchObject({ status: 'available' });
  });
});

describe('saving the form of an item someone may be changing too', () => {
  const available: CataloguingItem = { ...copy, status: 'available' };
  const seen = {
    barcode: 'B-0001',
    branchId: null,
    callNumber: 'PZ7 .L5',
    location: null,
    itemType: 'book',
    notes: null,
  };

  it('sends the details the form was opened with as expected, the status only when it changes it', () => {
    expect(itemPatch({ ...draftOf(available), notes: 'Spine repaired' }, available)).toEqual({
      ...seen,
      notes: 'Spine repaired',
      expected: seen,
    });
    expect(itemPatch({ ...draftOf(available), status: 'lost' }, available)).toMatchObject({
      status: 'lost',
      expected: { ...seen, status: 'available' },
    });
  });

  it('after a refused save, keeps what was typed and takes their values for the rest', () => {
    // B opened B-0001 and typed a note; meanwhile A relabelled the copy and gave it a location.
    const typed = { ...draftOf(available), notes: 'Spine repaired', callNumber: 'PZ7 .L6' };
    const theirs: CataloguingItem = { ...available, barcode: 'B-0002', location: 'Stacks', callNumber: 'PZ7 .L7' };
    expect(changedFields(available, theirs)).toEqual(['barcode', 'callNumber', 'location']);
    const rebased = rebaseDraft(typed, available, theirs);
    expect(rebased).toEqual({ ...draftOf(theirs), notes: 'Spine repaired', callNumber: 'PZ7 .L6' });
    // Saved again from their version: their barcode is not put back, and nothing conflicts any more.
    expect(itemPatch(rebased, theirs)).toMatchObject({
      barcode: 'B-0002',
      location: 'Stacks',
      callNumber: 'PZ7 .L6',
      notes: 'Spine repaired',
      expected: { barcode: 'B-0002', location: 'Stacks', callNumber: 'PZ7 .L7', notes: null },
    });
  });

  it('takes a status circulation set meanwhile (the form cannot offer another)', () => {
    const typed = { ...draftOf(available), status: 'lost' };
    expect(rebaseDraft(typed, available, { ...available, status: 'on_loan' }).status).toBe('on_loan');
    expect(rebaseDraft(typed, available, { ...available, status: 'damaged' }).status).toBe('lost');
  });
});

describe('closing the item dialog (Cancel, Escape, a click outside)', () => {
  it('closes at once an untouched form', () => {
    expect(closeItemDialog({ changed: false, saving: false })).toBe('close');
  });

  it('asks first when the form has unsaved changes', () => {
    expect(closeItemDialog({ changed: true, saving: false })).toBe('ask');
  });

  it('does nothing while the item is being saved (the save closes it)', () => {
    expect(closeItemDialog({ changed: true, saving: true })).toBe('stay');
    expect(closeItemDialog({ changed: false, saving: true })).toBe('stay');
  });
});

describe('the questions about the item form', () => {
  type Texts = { items: Record<'discardQuestion' | 'discardQuestionNew' | 'discardConfirm' | 'leaveQuestion', string> };
  const texts = import.meta.glob<Texts>('../../locales/*/cataloguing.json', { eager: true, import: 'default' });

  it.each(SUPPORTED_LOCALES)('are there in %s, translated, naming the item where they should', (language) => {
    const { items } = texts[`../../locales/${language}/cataloguing.json`]!;
    for (const key of ['discardQuestion', 'discardQuestionNew', 'discardConfirm', 'leaveQuestion'] as const) {
      expect(items[key]).toBeTruthy();
      if (language !== 'en') expect(items[key]).not.toBe(english.items[key]);
    }
    expect(items.discardQuestion).toContain('{{barcode}}');
    expect(items.discardQuestionNew).not.toContain('{{');
  });
});
