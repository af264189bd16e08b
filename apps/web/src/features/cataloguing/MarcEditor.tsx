import { useState, type KeyboardEvent } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { StatusMessage } from '../../components/states';
import { useFormat } from '../../lib/format';
import {
  addField,
  addSubfield,
  indicatorForInput,
  indicatorFromInput,
  isControlTag,
  moveField,
  moveSubfield,
  removeField,
  removeSubfield,
  updateField,
  updateSubfield,
  type EditorRecord,
  type FieldRow,
  type PlacedProblem,
} from './editor-state';
import { useProblemText } from './problem-text';

/** Focuses an element once React has rendered the change that made (or moved) it. */
export function focusSoon(id: string): void {
  requestAnimationFrame(() => document.getElementById(id)?.focus());
}

interface Props {
  editor: EditorRecord;
  onChange: (next: EditorRecord) => void;
  problems: PlacedProblem[];
}

/** Ids of the inputs a problem can be about (the summary links to them). */
export const inputIds = {
  leader: 'marc-leader',
  addField: 'marc-add-field',
  tag: (field: string) => `${field}-tag`,
  value: (field: string) => `${field}-value`,
  ind: (field: string, n: 1 | 2) => `${field}-ind${n}`,
  code: (subfield: string) => `${subfield}-code`,
  subValue: (subfield: string) => `${subfield}-value`,
};

/** Ids of the row buttons focus is sent to after a move or a removal. */
const buttonIds = {
  up: (row: string) => `${row}-up`,
  down: (row: string) => `${row}-down`,
  addSubfield: (field: string) => `${field}-add-subfield`,
};

/** The input a problem is best shown at. */
export function problemTarget(p: PlacedProblem): string {
  const { problem, fieldKey, subfieldKey } = p;
  if (problem.code === 'LEADER_LENGTH' || problem.code === 'LEADER_POSITION') return inputIds.leader;
  if (!fieldKey) return inputIds.addField;
  if (problem.indicator) return inputIds.ind(fieldKey, problem.indicator);
  if (subfieldKey)
    return problem.code === 'SUBFIELD_CODE_INVALID' ? inputIds.code(subfieldKey) : inputIds.subValue(subfieldKey);
  if (
    problem.code === 'CONTROL_FIELD_EMPTY' ||
    problem.code === 'FIXED_FIELD_LENGTH' ||
    problem.code === 'FIELD_CHARACTER_INVALID'
  )
    return inputIds.value(fieldKey);
  return inputIds.tag(fieldKey);
}

/**
 * The MARC editor: the leader, then one row per field (tag, two indicators, subfields with code
 * and value, or a control field's value). Fields and subfields are added, removed and moved with
 * buttons or keys; problems are shown beside the field they are about.
 */
export function MarcEditor({ editor, onChange, problems }: Props) {
  const { t } = useTranslation('cataloguing');
  const format = useFormat();
  const problemText = useProblemText();
  const leaderProblems = problems.filter((p) => p.problem.code.startsWith('LEADER_'));
  // Moves and removals change nothing where focus is, so they are said in a polite live region.
  const [announcement, setAnnouncement] = useState('');
  const tagOf = (field: FieldRow) => field.tag || t('marc.newTag');

  /** Moves a field one place and says where it went; its new index, or null at the end of the list. */
  const shiftField = (field: FieldRow, by: -1 | 1): number | null => {
    const to = editor.fields.findIndex((f) => f.key === field.key) + by;
    if (to < 0 || to >= editor.fields.length) return null;
    onChange(moveField(editor, field.key, by));
    setAnnouncement(
      t('marc.announce.fieldMoved', {
        tag: tagOf(field),
        n: format.number(to + 1),
        total: format.number(editor.fields.length),
      }),
    );
    return to;
  };
  const shiftSubfield = (field: FieldRow, key: string, by: -1 | 1): number | null => {
    const at = field.subfields.findIndex((s) => s.key === key);
    const to = at + by;
    if (to < 0 || to >= field.subfields.length) return null;
    onChange(moveSubfield(editor, field.key, key, by));
    setAnnouncement(
      t('marc.announce.subfieldMoved', {
        code: `$${field.subfields[at]!.code}`,
        tag: tagOf(field),
        n: format.number(to + 1),
        total: format.number(field.subfields.length),
      }),
    );
    return to;
  };
  /** After a move by button: the same button, or the other one when this end of the list disables it. */
  const focusMoveButton = (row: string, to: number | null, last: number, by: -1 | 1) => {
    if (to === null) return;
    const edge = by === -1 ? to === 0 : to === last;
    const [same, other] =
      by === -1 ? [buttonIds.up(row), buttonIds.down(row)] : [buttonIds.down(row), buttonIds.up(row)];
    focusSoon(edge ? other : same);
  };
  const dropField = (field: FieldRow, index: number) => {
    const next = editor.fields[index + 1] ?? editor.fields[index - 1];
    onChange(removeField(editor, field.key));
    setAnnouncement(
      t('marc.announce.fieldRemoved', { tag: tagOf(field), total: format.number(editor.fields.length - 1) }),
    );
    focusSoon(next ? inputIds.tag(next.key) : inputIds.addField);
  };
  const dropSubfield = (field: FieldRow, index: number) => {
    const sub = field.subfields[index]!;
    const next = field.subfields[index + 1] ?? field.subfields[index - 1];
    onChange(removeSubfield(editor, field.key, sub.key));
    setAnnouncement(
      t('marc.announce.subfieldRemoved', {
        code: `$${sub.code}`,
        tag: tagOf(field),
        total: format.number(field.subfields.length - 1),
      }),
    );
    focusSoon(next ? inputIds.code(next.key) : buttonIds.addSubfield(field.key));
  };

  const rowKeys = (field: FieldRow) => (event: KeyboardEvent<HTMLElement>) => {
    if (!event.altKey) return;
    const active = (document.activeElement as HTMLElement | null)?.id ?? '';
    if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      event.preventDefault();
      shiftField(field, event.key === 'ArrowUp' ? -1 : 1);
      if (active) focusSoon(active);
    } else if (event.key === 'Enter' && event.shiftKey) {
      event.preventDefault();
      const added = addField(editor, field.key);
      onChange(added.editor);
      focusSoon(inputIds.tag(added.key));
    } else if (event.key === 'Enter' && !isControlTag(field.tag)) {
      event.preventDefault();
      const added = addSubfield(editor, field.key, null);
      onChange(added.editor);
      focusSoon(inputIds.code(added.key));
    }
  };

  return (
    <div className="marc-editor">
      <p className="field-description" id="marc-keyboard-help">
        {t('marc.keyboardHelp')}
      </p>
      <div className="field marc-leader">
        <label htmlFor={inputIds.leader}>{t('marc.leader')}</label>
        <input
          id={inputIds.leader}
          className="mono"
          dir="ltr"
          spellCheck={false}
          value={editor.leader}
          maxLength={24}
          aria-invalid={leaderProblems.length ? true : undefined}
          aria-describedby={`marc-leader-help${leaderProblems.length ? ' marc-leader-problems' : ''}`}
          onChange={(e) => onChange({ ...editor, leader: e.target.value })}
        />
        <p id="marc-leader-help" className="field-description">
          {t('marc.leaderHelp')}
        </p>
        {leaderProblems.length ? (
          <ul id="marc-leader-problems" className="field-error marc-problems">
            {leaderProblems.map((p, i) => (
              <li key={i}>{problemText(p.problem)}</li>
            ))}
          </ul>
        ) : null}
      </div>

      <h3 id="marc-fields-title">{t('marc.fields')}</h3>
      <ol className="marc-fields" aria-labelledby="marc-fields-title" aria-describedby="marc-keyboard-help">
        {editor.fields.map((field, index) => {
          const tag = tagOf(field);
          const own = problems.filter((p) => p.fieldKey === field.key);
          const errorsId = `${field.key}-problems`;
          const described = own.length ? errorsId : undefined;
          const control = isControlTag(field.tag);
          return (
            <li
              key={field.key}
              className={`marc-field${own.length ? ' marc-field-invalid' : ''}`}
              aria-label={t('marc.field', { n: index + 1, tag })}
              onKeyDown={rowKeys(field)}
            >
              <div className="marc-field-main" dir="ltr">
                <input
                  id={inputIds.tag(field.key)}
                  className="mono marc-tag"
                  aria-label={t('marc.tag', { n: index + 1 })}
                  value={field.tag}
                  maxLength={3}
                  inputMode="numeric"
                  spellCheck={false}
                  aria-invalid={own.some((p) => p.problem.code === 'TAG_INVALID') ? true : undefined}
                  aria-describedby={described}
                  onChange={(e) => onChange(updateField(editor, field.key, { tag: e.target.value.trim() }))}
                />
                {control ? (
                  <input
                    id={inputIds.value(field.key)}
                    className="mono marc-control-value"
                    aria-label={t('marc.value', { tag })}
                    value={field.value}
                    spellCheck={false}
                    aria-invalid={own.length ? true : undefined}
                    aria-describedby={described}
                    onChange={(e) => onChange(updateField(editor, field.key, { value: e.target.value }))}
                  />
                ) : (
                  <>
                    {([1, 2] as const).map((n) => (
                      <input
                        key={n}
                        id={inputIds.ind(field.key, n)}
                        className="mono marc-ind"
                        aria-label={t(n === 1 ? 'marc.ind1' : 'marc.ind2', { tag })}
                        placeholder="#"
                        title={t('marc.blankHint')}
                        maxLength={1}
                        spellCheck={false}
                        value={indicatorForInput(n === 1 ? field.ind1 : field.ind2)}
                        aria-invalid={own.some((p) => p.problem.indicator === n) ? true : undefined}
                        aria-describedby={described}
                        onChange={(e) =>
                          onChange(
                            updateField(editor, field.key, {
                              [n === 1 ? 'ind1' : 'ind2']: indicatorFromInput(e.target.value),
                            }),
                          )
                        }
                      />
                    ))}
                    <ol className="marc-subfields">
                      {field.subfields.map((sub, s) => {
                        const subProblems = own.filter((p) => p.subfieldKey === sub.key);
                        const code = `$${sub.code}`;
                        return (
                          <li
                            key={sub.key}
                            className="marc-subfield"
                            onKeyDown={(event) => {
                              if (!event.altKey || event.shiftKey) return;
                              const active = (document.activeElement as HTMLElement | null)?.id ?? '';
                              if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
                                event.preventDefault();
                                event.stopPropagation();
                                shiftSubfield(field, sub.key, event.key === 'ArrowUp' ? -1 : 1);
                                if (active) focusSoon(active);
                              } else if (event.key === 'Enter') {
                                event.preventDefault();
                                event.stopPropagation();
                                const added = addSubfield(editor, field.key, sub.key);
                                onChange(added.editor);
                                focusSoon(inputIds.code(added.key));
                              }
                            }}
                          >
                            <span aria-hidden="true" className="marc-dollar">
                              $
                            </span>
                            <input
                              id={inputIds.code(sub.key)}
                              className="mono marc-code"
                              aria-label={t('marc.code', { n: s + 1, tag })}
                              maxLength={1}
                              spellCheck={false}
                              value={sub.code}
                              aria-invalid={
                                subProblems.some((p) => p.problem.code === 'SUBFIELD_CODE_INVALID') ? true : undefined
                              }
                              aria-describedby={described}
                              onChange={(e) =>
                                onChange(updateSubfield(editor, field.key, sub.key, { code: e.target.value }))
                              }
                            />
                            <input
                              id={inputIds.subValue(sub.key)}
                              className="marc-sub-value"
                              dir="auto"
                              aria-label={t('marc.subValue', { code, tag })}
                              value={sub.value}
                              aria-invalid={
                                subProblems.some(
                                  (p) =>
                                    p.problem.code === 'SUBFIELD_EMPTY' ||
                                    p.problem.code === 'SUBFIELD_CHARACTER_INVALID',
                                )
                                  ? true
                                  : undefined
                              }
                              aria-describedby={described}
                              onChange={(e) =>
                                onChange(updateSubfield(editor, field.key, sub.key, { value: e.target.value }))
                              }
                            />
                            <span className="marc-row-actions">
                              <Button
                                id={buttonIds.up(sub.key)}
                                className="button button-small"
                                aria-label={t('marc.subfieldUp', { code, tag })}
                                isDisabled={s === 0}
                                onPress={() =>
                                  focusMoveButton(
                                    sub.key,
                                    shiftSubfield(field, sub.key, -1),
                                    field.subfields.length - 1,
                                    -1,
                                  )
                                }
                              >
                                <span aria-hidden="true">↑</span>
                              </Button>
                              <Button
                                id={buttonIds.down(sub.key)}
                                className="button button-small"
                                aria-label={t('marc.subfieldDown', { code, tag })}
                                isDisabled={s === field.subfields.length - 1}
                                onPress={() =>
                                  focusMoveButton(
                                    sub.key,
                                    shiftSubfield(field, sub.key, 1),
                                    field.subfields.length - 1,
                                    1,
                                  )
                                }
                              >
                                <span aria-hidden="true">↓</span>
                              </Button>
                              <Button
                                className="button button-small"
                                aria-label={t('marc.removeSubfield', { code, tag })}
                                onPress={() => dropSubfield(field, s)}
                              >
                                <span aria-hidden="true">×</span>
                              </Button>
                            </span>
                          </li>
                        );
                      })}
                    </ol>
                  </>
                )}
              </div>
              {own.length ? (
                <ul id={errorsId} className="field-error marc-problems">
                  {own.map((p, i) => (
                    <li key={i}>{problemText(p.problem)}</li>
                  ))}
                </ul>
              ) : null}
              <div className="marc-row-actions marc-field-actions">
                {control ? null : (
                  <Button
                    id={buttonIds.addSubfield(field.key)}
                    className="button button-small"
                    aria-label={t('marc.addSubfield', { tag })}
                    onPress={() => {
                      const added = addSubfield(editor, field.key, null);
                      onChange(added.editor);
                      focusSoon(inputIds.code(added.key));
                    }}
                  >
                    <span aria-hidden="true">+ $</span>
                  </Button>
                )}
                <Button
                  id={buttonIds.up(field.key)}
                  className="button button-small"
                  aria-label={t('marc.fieldUp', { tag })}
                  isDisabled={index === 0}
                  onPress={() => focusMoveButton(field.key, shiftField(field, -1), editor.fields.length - 1, -1)}
                >
                  <span aria-hidden="true">↑</span>
                </Button>
                <Button
                  id={buttonIds.down(field.key)}
                  className="button button-small"
                  aria-label={t('marc.fieldDown', { tag })}
                  isDisabled={index === editor.fields.length - 1}
                  onPress={() => focusMoveButton(field.key, shiftField(field, 1), editor.fields.length - 1, 1)}
                >
                  <span aria-hidden="true">↓</span>
                </Button>
                <Button
                  className="button button-small"
                  aria-label={t('marc.addFieldAfter', { tag })}
                  onPress={() => {
                    const added = addField(editor, field.key);
                    onChange(added.editor);
                    focusSoon(inputIds.tag(added.key));
                  }}
                >
                  <span aria-hidden="true">+</span>
                </Button>
                <Button
                  className="button button-small button-danger"
                  aria-label={t('marc.removeField', { tag })}
                  onPress={() => dropField(field, index)}
                >
                  <span aria-hidden="true">×</span>
                </Button>
              </div>
            </li>
          );
        })}
      </ol>
      <Button
        id={inputIds.addField}
        className="button"
        onPress={() => {
          const added = addField(editor, null);
          onChange(added.editor);
          focusSoon(inputIds.tag(added.key));
        }}
      >
        {t('marc.addField')}
      </Button>
      <div className="visually-hidden">
        <StatusMessage tone="info">{announcement}</StatusMessage>
      </div>
    </div>
  );
}
