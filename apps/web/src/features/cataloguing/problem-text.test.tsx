import { validateMarc, type MarcProblem, type MarcRecordInput } from '@athenaeum/contracts';
import { describe, expect, it } from 'vitest';
import cataloguing from '../../locales/en/cataloguing.json';
import { renderInEnglish } from '../../test/render-in';
import { placeProblems, toEditor } from './editor-state';
import { inputIds, problemTarget } from './MarcEditor';
import { useProblemText } from './problem-text';

const record: MarcRecordInput = {
  leader: '00000cam a2200000 i 4500',
  fields: [
    { tag: '001', value: 'W\u001e1' },
    { tag: '008', value: '850101s1968    cau           000 1 eng d' },
    { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'The wizard\u001f of Earthsea' }] },
    { tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'x'.repeat(10_000) }] },
  ],
};

function Texts({ problems }: { problems: MarcProblem[] }) {
  const text = useProblemText();
  return (
    <ul>
      {problems.map((p, i) => (
        <li key={i}>{text(p)}</li>
      ))}
    </ul>
  );
}

describe('problems a MARC file cannot hold, in the editor', () => {
  const problems = validateMarc(record);

  it('are worded with the tag, subfield, character and byte counts', async () => {
    const render = await renderInEnglish('cataloguing', cataloguing);
    const html = render(<Texts problems={problems} />);
    expect(problems.map((p) => p.code)).toEqual([
      'FIELD_CHARACTER_INVALID',
      'SUBFIELD_CHARACTER_INVALID',
      'FIELD_TOO_LONG',
    ]);
    expect(html).toContain('Field 001 contains the invisible control character U+001E');
    expect(html).toContain('Subfield $a of field 245 contains the invisible control character U+001F');
    // The limit is a number, not a list of allowed characters ("9, 9, 9, 9").
    expect(html).toContain('Field 500 takes 10005 bytes in a MARC file; at most 9999 fit.');
  });

  it('lead to the input holding the value', () => {
    const editor = toEditor(record);
    const [control, subfield, long] = placeProblems(problems, editor);
    expect(problemTarget(control!)).toBe(inputIds.value(editor.fields[0]!.key));
    expect(problemTarget(subfield!)).toBe(inputIds.subValue(editor.fields[2]!.subfields[0]!.key));
    expect(problemTarget(long!)).toBe(inputIds.tag(editor.fields[3]!.key));
  });
});
