import type { KeyboardEvent } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
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

/** The input a problem is best shown at. */
export function problemTarget(p: PlacedProblem): string {
  const { problem, fieldKey, subfieldKey } = p;
  if (problem.code === 'LEADER_LENGTH' || problem.code === 'LEADER_POSITION') return inputIds.leader;
  if (!fieldKey) return inputIds.addField;
  if (problem.indicator) return inputIds.ind(fieldKey, problem.indicator);
  if (subfieldKey)
    return problem.code === 'SUBFIELD_CODE_INVALID' ? inputIds.code(subfieldKey) : inputIds.subValue(subfieldKey);
  if (problem.code === 'CONTROL_FIELD_EMPTY' || problem.code === 'FIXED_FIELD_LENGTH') return inputIds.value(fieldKey);
  return inputIds.tag(fieldKey);
}

/**
 * The MARC editor: the leader, then one row per field (tag, two indicators, subfields with code
 * and value, or a control field's value). Fields and subfields are added, removed and moved with
 * buttons or keys; problems are shown beside the field they are about.
 */
export function MarcEditor({ editor, onChange, problems }: Props) {
  const { t } = useTranslation('cataloguing');
  const problemText = useProblemText();
  const leaderProblems = problems.filter((p) => p.problem.code.startsWith('LEADER_'));

  const rowKeys = (field: FieldRow) => (event: KeyboardEvent<HTMLElement>) => {
    if (!event.altKey) return;
    const active = (document.activeElement as HTMLElement | null)?.id ?? '';
    if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      event.preventDefault();
      onChange(moveField(editor, field.key, event.key === 'ArrowUp' ? -1 : 1));
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
          const tag = field.tag || t('marc.newTag');
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
                                onChange(moveSubfield(editor, field.key, sub.key, event.key === 'ArrowUp' ? -1 : 1));
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
                                subProblems.some((p) => p.problem.code === 'SUBFIELD_EMPTY') ? true : undefined
                              }
                              aria-describedby={described}
                              onChange={(e) =>
                                onChange(updateSubfield(editor, field.key, sub.key, { value: e.target.value }))
                              }
                            />
                            <span className="marc-row-actions">
                              <Button
                                className="button button-small"
                                aria-label={t('marc.subfieldUp', { code, tag })}
                                isDisabled={s === 0}
                                onPress={() => onChange(moveSubfield(editor, field.key, sub.key, -1))}
                              >
                                <span aria-hidden="true">↑</span>
                              </Button>
                              <Button
                                className="button button-small"
                                aria-label={t('marc.subfieldDown', { code, tag })}
                                isDisabled={s === field.subfields.length - 1}
                                onPress={() => onChange(moveSubfield(editor, field.key, sub.key, 1))}
                              >
                                <span aria-hidden="true">↓</span>
                              </Button>
                              <Button
                                className="button button-small"
                                aria-label={t('marc.removeSubfield', { code, tag })}
                                onPress={() => {
                                  onChange(removeSubfield(editor, field.key, sub.key));
                                  focusSoon(inputIds.tag(field.key));
                                }}
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
                  className="button button-small"
                  aria-label={t('marc.fieldUp', { tag })}
                  isDisabled={index === 0}
                  onPress={() => onChange(moveField(editor, field.key, -1))}
                >
                  <span aria-hidden="true">↑</span>
                </Button>
                <Button
                  className="button button-small"
                  aria-label={t('marc.fieldDown', { tag })}
                  isDisabled={index === editor.fields.length - 1}
                  onPress={() => onChange(moveField(editor, field.key, 1))}
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
                  onPress={() => {
                    const next = editor.fields[index + 1] ?? editor.fields[index - 1];
                    onChange(removeField(editor, field.key));
                    focusSoon(next ? inputIds.tag(next.key) : inputIds.addField);
                  }}
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
    </div>
  );
}
