import { validateMarc, type MarcRecordInput } from '@athenaeum/contracts';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES } from '../../lib/domain';
import english from '../../locales/en/cataloguing.json';
import {
  addField,
  afterSave,
  addSubfield,
  editorProblems,
  formOf,
  indicatorForInput,
  indicatorFromInput,
  moveField,
  moveSubfield,
  placeProblems,
  recordKey,
  removeField,
  toEditor,
  toRecord,
  updateField,
  withForm,
} from './editor-state';
import { validateNewRecordSearch } from './search';

const wizard: MarcRecordInput = {
  leader: '00000cam a2200000 i 4500',
  fields: [
    { tag: '001', value: 'W1' },
    { tag: '008', value: '850101s1968    cau           000 1 eng d' },
    { tag: '100', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: 'Le Guin, Ursula K.' }] },
    {
      tag: '245',
      ind1: '7',
      ind2: '4',
      subfields: [
        { code: 'a', value: 'The wizard of Earthsea /' },
        { code: 'c', value: 'Ursula K. Le Guin.' },
      ],
    },
  ],
};

describe('the MARC editor model', () => {
  it('turns a record into rows and back unchanged', () => {
    expect(toRecord(toEditor(wizard))).toEqual(wizard);
  });

  it('adds, moves and removes fields and subfields', () => {
    let editor = toEditor(wizard);
    const f100 = editor.fields[2]!.key;
    const added = addField(editor, f100);
    editor = updateField(added.editor, added.key, { tag: '110' });
    expect(toRecord(editor).fields.map((f) => f.tag)).toEqual(['001', '008', '100', '110', '245']);
    editor = moveField(editor, added.key, -1);
    expect(toRecord(editor).fields.map((f) => f.tag)).toEqual(['001', '008', '110', '100', '245']);
    editor = removeField(editor, added.key);
    const f245 = editor.fields[3]!;
    const sub = addSubfield(editor, f245.key, f245.subfields[0]!.key);
    editor = moveSubfield(sub.editor, f245.key, sub.key, -1);
    expect(editor.fields[3]!.subfields.map((s) => s.code)).toEqual(['', 'a', 'c']);
    // Keys are stable through moves, so focus can follow a moved row.
    expect(editor.fields[3]!.key).toBe(f245.key);
  });

  it('places problems on the rows they are about', () => {
    const editor = toEditor(wizard);
    const placed = placeProblems(validateMarc(toRecord(editor)), editor);
    expect(placed).toEqual([
      {
        problem: { code: 'INDICATOR_UNDEFINED', field: 3, tag: '245', indicator: 1, value: '7', expected: '01' },
        fieldKey: editor.fields[3]!.key,
        subfieldKey: null,
      },
    ]);
  });

  it('shows the form from the same MARC and writes form changes into it', () => {
    const editor = toEditor(wizard);
    expect(formOf(editor, 'marc21')).toMatchObject({
      title: 'The wizard of Earthsea /',
      authors: ['Le Guin, Ursula K.'],
      language: 'eng',
    });
    const next = withForm(editor, { ...formOf(editor, 'marc21'), edition: '2nd ed.' }, 'marc21');
    expect(toRecord(next).fields.map((f) => f.tag)).toEqual(['001', '008', '100', '245', '250']);
    // Untouched rows keep their keys.
    expect(next.fields[3]!.key).toBe(editor.fields[3]!.key);
  });

  it('reads empty, # and _ as a blank indicator', () => {
    expect(['', '#', '_', '1'].map(indicatorFromInput)).toEqual([' ', ' ', ' ', '1']);
    expect(indicatorForInput(' ')).toBe('');
  });

  it('accepts only a library id and a known format for a new record', () => {
    expect(validateNewRecordSearch({ library: 'x', flavour: 'mods' })).toEqual({
      library: undefined,
      flavour: undefined,
    });
    const id = '0190c2a4-0000-7000-8000-000000000000';
    expect(validateNewRecordSearch({ library: id, flavour: 'unimarc' })).toEqual({ library: id, flavour: 'unimarc' });
  });
});

describe('unsaved changes in the editor', () => {
  it('are there after an edit in the form or the MARC, and gone once it is undone', () => {
    const loaded = recordKey(toEditor(wizard));
    const editor = toEditor(wizard);
    const edited = withForm(editor, { ...formOf(editor, 'marc21'), edition: '2nd ed.' }, 'marc21');
    expect(recordKey(edited)).not.toBe(loaded);
    const indicator = updateField(editor, editor.fields[3]!.key, { ind1: '1' });
    expect(recordKey(indicator)).not.toBe(loaded);
    expect(recordKey(updateField(indicator, editor.fields[3]!.key, { ind1: '7' }))).toBe(loaded);
  });

  it('are none after a save: the editor holds the saved record, its rows keeping their keys', () => {
    const editor = toEditor(wizard);
    const edited = withForm(editor, { ...formOf(editor, 'marc21'), edition: '2nd ed.' }, 'marc21');
    // What the server answers: the record as sent, with the leader it computed.
    const saved = { ...toRecord(edited), leader: '00321cam a2200109 i 4500' };
    const fresh = toEditor(saved, edited);
    expect(recordKey(fresh)).toBe(recordKey(toEditor(saved)));
    expect(fresh.fields[3]!.key).toBe(edited.fields[3]!.key);
  });
});

describe('a save that comes back while the cataloguer kept typing', () => {
  const editor = toEditor(wizard);
  const sent = withForm(editor, { ...formOf(editor, 'marc21'), edition: '2nd ed.' }, 'marc21');
  // What the server answers: the record as sent, with the leader it computed.
  const saved = { ...toRecord(sent), leader: '00321cam a2200109 i 4500' };

  it('replaces the editor with the saved record when nothing was typed meanwhile, as before', () => {
    const after = afterSave(saved, sent, sent);
    expect(toRecord(after.editor)).toEqual(saved);
    expect(after.baseline).toBe(recordKey(after.editor));
    expect(after.keptNewer).toBe(false);
    expect(after.editor.fields[3]!.key).toBe(sent.fields[3]!.key);
  });

  it('keeps what was typed meanwhile, unsaved against the saved record, so the next save sends it', () => {
    const current = withForm(sent, { ...formOf(sent, 'marc21'), publisher: 'Parnassus' }, 'marc21');
    const after = afterSave(saved, sent, current);
    expect(after.editor).toBe(current);
    expect(formOf(after.editor, 'marc21')).toMatchObject({ edition: '2nd ed.', publisher: 'Parnassus' });
    // Still unsaved (the badge, the question before leaving), and told apart from the saved record.
    expect(after.keptNewer).toBe(true);
    expect(recordKey(after.editor)).not.toBe(after.baseline);
    expect(after.baseline).toBe(recordKey(toEditor(saved)));
    // Undoing the newer typing leaves an editor with nothing unsaved but the leader the server computed.
    expect(recordKey({ ...sent, leader: saved.leader })).toBe(after.baseline);
  });

  it('counts typing that was undone before the save came back as no typing', () => {
    const typed = updateField(sent, sent.fields[3]!.key, { ind1: '1' });
    const undone = updateField(typed, sent.fields[3]!.key, { ind1: sent.fields[3]!.ind1 });
    const after = afterSave(saved, sent, undone);
    expect(after.keptNewer).toBe(false);
    expect(toRecord(after.editor)).toEqual(saved);
  });
});

describe('the status after a save that kept newer typing', () => {
  type Texts = { editor: { savedKeptNewer: string; createdKeptNewer: string } };
  const texts = import.meta.glob<Texts>('../../locales/*/cataloguing.json', { eager: true, import: 'default' });

  it.each(SUPPORTED_LOCALES)('is there in %s, translated, for a save and for a creation', (language) => {
    const { editor } = texts[`../../locales/${language}/cataloguing.json`]!;
    for (const key of ['savedKeptNewer', 'createdKeptNewer'] as const) {
      expect(editor[key]).toBeTruthy();
      if (language !== 'en') expect(editor[key]).not.toBe(english.editor[key]);
    }
  });
});

describe('the question before leaving the editor', () => {
  type Texts = { editor: { leaveQuestion: string; leaveQuestionNew: string } };
  const texts = import.meta.glob<Texts>('../../locales/*/cataloguing.json', { eager: true, import: 'default' });

  it.each(SUPPORTED_LOCALES)('is there in %s, translated, for a record and for a new one', (language) => {
    const { editor } = texts[`../../locales/${language}/cataloguing.json`]!;
    for (const key of ['leaveQuestion', 'leaveQuestionNew'] as const) {
      expect(editor[key]).toBeTruthy();
      if (language !== 'en') expect(editor[key]).not.toBe(english.editor[key]);
    }
    expect(editor).not.toHaveProperty('leaveConfirm');
  });
});

describe('problems a record already had', () => {
  // wizard's 245 first indicator 7 is one MARC 21 does not define.
  const withSubject = (record: MarcRecordInput): MarcRecordInput => ({
    ...record,
    fields: [...record.fields, { tag: '650', ind1: ' ', ind2: '0', subfields: [{ code: 'a', value: 'Wizards' }] }],
  });

  it('do not stop saving an edit that adds nothing wrong, and are still listed', () => {
    const editor = toEditor(withSubject(wizard));
    const { blocking, inherited } = editorProblems(editor, wizard, 'marc21');
    expect(blocking).toEqual([]);
    expect(inherited.map((p) => [p.problem.code, p.problem.tag])).toEqual(
      validateMarc(wizard).map((p) => [p.code, p.tag]),
    );
    expect(inherited.length).toBeGreaterThan(0);
  });

  it('leave a problem the edit brings in to stop the save', () => {
    const broken = withSubject(wizard);
    const subject = broken.fields.at(-1)!;
    if ('subfields' in subject) subject.ind2 = '9';
    const { blocking } = editorProblems(toEditor(broken), wizard, 'marc21');
    expect(blocking.map((p) => p.problem.tag)).toEqual(['650']);
  });

  it('all stop a new record', () => {
    const { blocking, inherited } = editorProblems(toEditor(wizard), null, 'marc21');
    expect(blocking.length).toBe(validateMarc(wizard).length);
    expect(inherited).toEqual([]);
  });
});
