import { describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES } from '../../lib/domain';
import cataloguing from '../../locales/en/cataloguing.json';
import { renderInEnglish } from '../../test/render-in';
import { MergeReport, type MergeOutcome } from './MergeReport';

const render = await renderInEnglish('cataloguing', cataloguing);
const show = (outcome: MergeOutcome) => render(<MergeReport outcome={outcome} onGo={() => {}} />);
const text = (html: string) => html.replace(/<[^>]+>/g, '');

describe('the report of a merge with the version saved meanwhile', () => {
  it('says there is something to save when nothing clashed', () => {
    const html = show({ clashes: [], changed: true, repeated: [] });
    expect(html).toContain('role="alert"');
    expect(html).toContain('tabindex="-1"');
    expect(text(html)).toContain(cataloguing.editor.mergedClean);
    expect(html).not.toContain('<ul>');
  });

  it('says nothing is left to save when their version already had my changes', () => {
    expect(text(show({ clashes: [], changed: false, repeated: [] }))).toContain(cataloguing.editor.mergedSame);
  });

  it('names each clashing field with their text, linking to mine', () => {
    const html = show({
      changed: true,
      repeated: ['650'],
      clashes: [
        { tag: null, occurrence: 1, theirs: '00000nam a2200000 i 4500', at: null, fieldKey: null },
        {
          tag: '245',
          occurrence: 1,
          at: 3,
          fieldKey: 'k9',
          theirs: { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'Earthsea' }] },
        },
        {
          tag: '650',
          occurrence: 1,
          at: 5,
          fieldKey: 'k12',
          theirs: { tag: '650', ind1: ' ', ind2: '0', subfields: [{ code: 'a', value: 'Magic' }] },
        },
        { tag: '500', occurrence: 1, at: 6, fieldKey: 'k13', theirs: null },
        { tag: '100', occurrence: 1, at: null, fieldKey: null, theirs: { tag: '100', value: 'x' } },
      ],
    });
    const lines = [...html.matchAll(/<li>(.*?)<\/li>/g)].map((m) => m[1]!);
    expect(text(html)).toContain('You both changed 5 fields in different ways.');
    expect(lines.map(text)).toEqual([
      'Leader, their version: 00000nam a2200000 i 4500',
      'Field 245, their version: 245 10 $a Earthsea',
      'Field 650 no. 1, their version: 650 #0 $a Magic',
      'Field 500: they removed this field',
      'Field 100 (you removed it), their version: 100 x',
    ]);
    expect(lines[0]).toContain('href="#marc-leader"');
    expect(lines[1]).toContain('href="#k9-tag"');
    expect(lines[1]).toContain('<code dir="ltr" class="merge-theirs">');
    // A field I removed has nothing in the editor to go to.
    expect(lines[4]).not.toContain('<a ');
  });

  it('is worded in every language, with the field and their text in place', () => {
    const texts = import.meta.glob<{ editor: Record<string, string> }>('../../locales/*/cataloguing.json', {
      eager: true,
      import: 'default',
    });
    for (const language of SUPPORTED_LOCALES) {
      const { editor } = texts[`../../locales/${language}/cataloguing.json`]!;
      for (const key of ['clashTheirs', 'clashYouRemoved'])
        expect(editor[key], `${language} ${key}`).toMatch(/<place>\{\{place\}\}<\/place>.*<marc\/>/);
      expect(editor.clashTheyRemoved, language).toMatch(/<place>\{\{place\}\}<\/place>/);
      if (language !== 'en')
        for (const key of ['merge', 'reload', 'mergedTitle', 'conflictBody'])
          expect(editor[key], `${language} ${key}`).not.toBe(
            cataloguing.editor[key as keyof typeof cataloguing.editor],
          );
    }
  });
});
