import type { CataloguingForm, MarcFlavourInput } from '@athenaeum/contracts';
import { useState } from 'react';
import { Label, Text, TextArea, TextField } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { TextInput } from '../../components/forms';
import { formOf, withForm, type EditorRecord, type PlacedProblem } from './editor-state';
import { useProblemText } from './problem-text';

type TextKey = Exclude<keyof CataloguingForm, 'authors' | 'isbns' | 'subjects'>;
type ListKey = 'authors' | 'isbns' | 'subjects';

interface Props {
  editor: EditorRecord;
  flavour: MarcFlavourInput;
  onChange: (next: EditorRecord) => void;
  problems: PlacedProblem[];
}

/** One value per line; the text is kept as typed (empty lines included) while the MARC gets the values. */
function ListField(props: { label: string; description: string; initial: string[]; onChange: (text: string) => void }) {
  const [text, setText] = useState(props.initial.join('\n'));
  return (
    <TextField
      className="field"
      value={text}
      onChange={(value) => {
        setText(value);
        props.onChange(value);
      }}
    >
      <Label>{props.label}</Label>
      <TextArea rows={Math.max(2, text.split('\n').length + 1)} />
      <Text slot="description" className="field-description">
        {props.description}
      </Text>
    </TextField>
  );
}

/**
 * The record's main fields as a form. It reads and writes the MARC through the shared mapping
 * (formFromMarc / applyForm), so what it shows is always what the MARC tab holds.
 */
export function FormEditor({ editor, flavour, onChange, problems }: Props) {
  const { t } = useTranslation('cataloguing');
  const problemText = useProblemText();
  const form = formOf(editor, flavour);
  const titleTag = flavour === 'marc21' ? '245' : '200';
  const titleProblem = problems.find(
    (p) => p.problem.tag === titleTag && (p.problem.code === 'FIELD_MISSING' || p.problem.code === 'SUBFIELD_MISSING'),
  );
  const set = (key: TextKey) => (value: string) => onChange(withForm(editor, { ...form, [key]: value }, flavour));
  const setList = (key: ListKey) => (value: string) =>
    onChange(withForm(editor, { ...form, [key]: value.split('\n').map((v) => v.trim()) }, flavour));

  const text = (key: TextKey, extra: { description?: string; isRequired?: boolean; errorMessage?: string } = {}) => (
    <TextInput id={`form-${key}`} label={t(`form.${key}`)} value={form[key]} onChange={set(key)} {...extra} />
  );
  const list = (key: ListKey, description: string) => (
    <ListField label={t(`form.${key}`)} description={description} initial={form[key]} onChange={setList(key)} />
  );

  return (
    <div className="form cataloguing-form">
      <p className="field-description">{t('form.intro')}</p>
      {text('title', { isRequired: true, errorMessage: titleProblem ? problemText(titleProblem.problem) : undefined })}
      {text('subtitle')}
      {text('responsibility')}
      {list('authors', t('form.authorsHelp'))}
      {text('edition')}
      <div className="form-row">
        {text('place')}
        {text('publisher')}
        {text('date')}
      </div>
      {list('isbns', t('form.isbnsHelp'))}
      {list('subjects', t('form.subjectsHelp'))}
      {text('language', { description: t('form.languageHelp') })}
      <TextField className="field" value={form.summary} onChange={set('summary')}>
        <Label>{t('form.summary')}</Label>
        <TextArea rows={4} />
      </TextField>
    </div>
  );
}
