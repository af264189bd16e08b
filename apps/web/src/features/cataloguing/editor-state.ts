import {
  applyForm,
  formFromMarc,
  validateMarc,
  validateMarcEdit,
  type CataloguingForm,
  type MarcFlavourInput,
  type MarcProblem,
  type MarcRecordInput,
} from '@athenaeum/contracts';

/** A subfield row of the MARC editor (the key is React's and focus management's, never sent). */
export interface SubfieldRow {
  key: string;
  code: string;
  value: string;
}

/** A field row: a control field shows `value`, a data field indicators and subfields (both kept while the tag changes). */
export interface FieldRow {
  key: string;
  tag: string;
  value: string;
  ind1: string;
  ind2: string;
  subfields: SubfieldRow[];
}

export interface EditorRecord {
  leader: string;
  fields: FieldRow[];
}

let counter = 0;
export const newKey = () => `k${(++counter).toString(36)}`;

/** 001–009 (and anything starting 00) are control fields: a value, no indicators or subfields. */
export const isControlTag = (tag: string) => /^00/.test(tag);

export function toEditor(record: MarcRecordInput, reuse?: EditorRecord): EditorRecord {
  return {
    leader: record.leader,
    fields: record.fields.map((f, i) => {
      const previous = reuse?.fields[i];
      const key = previous && previous.tag === f.tag ? previous.key : newKey();
      if ('value' in f) return { key, tag: f.tag, value: f.value, ind1: ' ', ind2: ' ', subfields: [] };
      return {
        key,
        tag: f.tag,
        value: '',
        ind1: f.ind1,
        ind2: f.ind2,
        subfields: f.subfields.map((s, j) => ({
          key: previous?.subfields[j]?.key ?? newKey(),
          code: s.code,
          value: s.value,
        })),
      };
    }),
  };
}

export function toRecord(editor: EditorRecord): MarcRecordInput {
  return {
    leader: editor.leader,
    fields: editor.fields.map((f) =>
      isControlTag(f.tag)
        ? { tag: f.tag, value: f.value }
        : {
            tag: f.tag,
            ind1: f.ind1,
            ind2: f.ind2,
            subfields: f.subfields.map((s) => ({ code: s.code, value: s.value })),
          },
    ),
  };
}

/**
 * What the editor would save, as a string to compare: the record has unsaved changes while this
 * differs from the one taken when it was loaded or last saved (row keys make no difference).
 */
export const recordKey = (editor: EditorRecord): string => JSON.stringify(toRecord(editor));

/** The editor once a save has come back, and the record it has unsaved changes against from then on. */
export interface AfterSave {
  editor: EditorRecord;
  /** The saved record's key (see `recordKey`). */
  baseline: string;
  /** Whether edits made while the save was in flight were kept, and are not saved yet. */
  keptNewer: boolean;
}

/**
 * The editor when a save of `sent` comes back with `saved` (what the server stored), the editor
 * holding `current` by then. When nothing was typed meanwhile (`current` would save what `sent`
 * did), the saved record replaces it (rows keep their keys). Otherwise the newer edits stay, as
 * changes not yet saved against the saved record: the next save sends them, and leaving asks first.
 */
export function afterSave(saved: MarcRecordInput, sent: EditorRecord, current: EditorRecord): AfterSave {
  const stored = toEditor(saved, current);
  const baseline = recordKey(stored);
  const typed = recordKey(current);
  if (typed === recordKey(sent)) return { editor: stored, baseline, keptNewer: false };
  return { editor: current, baseline, keptNewer: typed !== baseline };
}

/** The form's view of the editor's record. */
export const formOf = (editor: EditorRecord, flavour: MarcFlavourInput): CataloguingForm =>
  formFromMarc(toRecord(editor), flavour);

/** The editor's record with a form change written into the MARC (rows keep their keys where they stay). */
export function withForm(editor: EditorRecord, form: CataloguingForm, flavour: MarcFlavourInput): EditorRecord {
  return toEditor(applyForm(toRecord(editor), form, flavour), editor);
}

// ── Row operations (each returns a new record) ──────────────────────────────

const move = <T>(list: T[], from: number, to: number): T[] => {
  if (to < 0 || to >= list.length) return list;
  const copy = [...list];
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item!);
  return copy;
};

export function updateField(editor: EditorRecord, key: string, change: Partial<Omit<FieldRow, 'key'>>): EditorRecord {
  return { ...editor, fields: editor.fields.map((f) => (f.key === key ? { ...f, ...change } : f)) };
}

export function addField(editor: EditorRecord, after: string | null): { editor: EditorRecord; key: string } {
  const row: FieldRow = {
    key: newKey(),
    tag: '',
    value: '',
    ind1: ' ',
    ind2: ' ',
    subfields: [{ key: newKey(), code: 'a', value: '' }],
  };
  const at = after === null ? editor.fields.length : editor.fields.findIndex((f) => f.key === after) + 1;
  const fields = [...editor.fields];
  fields.splice(at, 0, row);
  return { editor: { ...editor, fields }, key: row.key };
}

export function removeField(editor: EditorRecord, key: string): EditorRecord {
  return { ...editor, fields: editor.fields.filter((f) => f.key !== key) };
}

export function moveField(editor: EditorRecord, key: string, by: -1 | 1): EditorRecord {
  const at = editor.fields.findIndex((f) => f.key === key);
  return { ...editor, fields: move(editor.fields, at, at + by) };
}

export function updateSubfield(
  editor: EditorRecord,
  fieldKey: string,
  key: string,
  change: Partial<Omit<SubfieldRow, 'key'>>,
): EditorRecord {
  return {
    ...editor,
    fields: editor.fields.map((f) =>
      f.key === fieldKey ? { ...f, subfields: f.subfields.map((s) => (s.key === key ? { ...s, ...change } : s)) } : f,
    ),
  };
}

export function addSubfield(
  editor: EditorRecord,
  fieldKey: string,
  after: string | null,
): { editor: EditorRecord; key: string } {
  const row: SubfieldRow = { key: newKey(), code: '', value: '' };
  return {
    key: row.key,
    editor: {
      ...editor,
      fields: editor.fields.map((f) => {
        if (f.key !== fieldKey) return f;
        const at = after === null ? f.subfields.length : f.subfields.findIndex((s) => s.key === after) + 1;
        const subfields = [...f.subfields];
        subfields.splice(at, 0, row);
        return { ...f, subfields };
      }),
    },
  };
}

export function removeSubfield(editor: EditorRecord, fieldKey: string, key: string): EditorRecord {
  return {
    ...editor,
    fields: editor.fields.map((f) =>
      f.key === fieldKey ? { ...f, subfields: f.subfields.filter((s) => s.key !== key) } : f,
    ),
  };
}

export function moveSubfield(editor: EditorRecord, fieldKey: string, key: string, by: -1 | 1): EditorRecord {
  return {
    ...editor,
    fields: editor.fields.map((f) => {
      if (f.key !== fieldKey) return f;
      const at = f.subfields.findIndex((s) => s.key === key);
      return { ...f, subfields: move(f.subfields, at, at + by) };
    }),
  };
}

/** A problem placed on the rows of the record it was found in (by index → by key). */
export interface PlacedProblem {
  problem: MarcProblem;
  fieldKey: string | null;
  subfieldKey: string | null;
}

export function placeProblems(problems: MarcProblem[], editor: EditorRecord): PlacedProblem[] {
  return problems.map((problem) => {
    const field = problem.field === undefined ? undefined : editor.fields[problem.field];
    const subfield = field && problem.subfield !== undefined ? field.subfields[problem.subfield] : undefined;
    return { problem, fieldKey: field?.key ?? null, subfieldKey: subfield?.key ?? null };
  });
}

/**
 * The editor's problems: those that stop a save, and (for a stored record) those the version it
 * was opened at already had, which do not (the server decides alike: a librarian adding a subject
 * need not first repair faults they did not make). A new record has every problem stop it.
 */
export function editorProblems(
  editor: EditorRecord,
  stored: MarcRecordInput | null,
  flavour: MarcFlavourInput,
): { blocking: PlacedProblem[]; inherited: PlacedProblem[] } {
  const record = toRecord(editor);
  if (!stored) return { blocking: placeProblems(validateMarc(record, flavour), editor), inherited: [] };
  const { problems, warnings } = validateMarcEdit(record, stored, flavour);
  return { blocking: placeProblems(problems, editor), inherited: placeProblems(warnings, editor) };
}

/** Indicator text as typed: empty, '#' and '_' mean blank. */
export const indicatorFromInput = (text: string) => (text === '' || text === '#' || text === '_' ? ' ' : text);
export const indicatorForInput = (value: string) => (value === ' ' ? '' : value);
