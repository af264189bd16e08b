import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES } from '../../lib/domain';
import { renderInLanguage } from '../../test/render-in';
import { EditRecordTitle, InLibrary, editRecordTitleText } from './EditorTitles';

type Texts = { editor: { titleEdit: string; inLibrary: string } };
const texts = import.meta.glob<Texts>('../../locales/*/cataloguing.json', { eager: true, import: 'default' });
const cataloguing = (language: string) => texts[`../../locales/${language}/cataloguing.json`]!;

const renderIn = async (language: string, node: ReactNode) =>
  (await renderInLanguage(language, 'cataloguing', cataloguing(language)))(node);

const LIBRARY = <a href="/organizations/1">Biblioteca</a>;

describe("the record editor's heading and library line", () => {
  it.each(SUPPORTED_LOCALES)('%s places the title and the library with one tag each', (language) => {
    const { titleEdit, inLibrary } = cataloguing(language).editor;
    expect(titleEdit.split('<title/>')).toHaveLength(2);
    expect(inLibrary.split('<library/>')).toHaveLength(2);
    expect(`${titleEdit}${inLibrary}`).not.toMatch(/\{\{|<(?!title\/>|library\/>)/);
  });

  it('puts the library where the language does: before "catalogue" in Chinese and Hindi', async () => {
    expect(await renderIn('en', <InLibrary library={LIBRARY} />)).toBe(
      'Catalogue of <a href="/organizations/1">Biblioteca</a>',
    );
    expect(await renderIn('zh', <InLibrary library={LIBRARY} />)).toBe(
      '<a href="/organizations/1">Biblioteca</a>的目录',
    );
    expect(await renderIn('hi', <InLibrary library={LIBRARY} />)).toBe(
      '<a href="/organizations/1">Biblioteca</a> का सूचीपत्र',
    );
  });

  it('keeps the title isolated in the heading, as text (not markup), and plain in the tab', async () => {
    expect(await renderIn('fr', <EditRecordTitle title="<b>Les Misérables</b>" />)).toBe(
      'Modifier la notice : <bdi>&lt;b&gt;Les Misérables&lt;/b&gt;</bdi>',
    );
    expect(await renderIn('zh', <EditRecordTitle title="红楼梦" />)).toBe('编辑记录：<bdi>红楼梦</bdi>');
    expect(editRecordTitleText(cataloguing('en').editor.titleEdit, 'War & Peace $1')).toBe(
      'Edit record: War & Peace $1',
    );
  });
});
