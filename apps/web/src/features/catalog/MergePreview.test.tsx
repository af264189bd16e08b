import type { WorkView } from '@athenaeum/contracts';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES } from '../../lib/domain';
import catalog from '../../locales/en/catalog.json';
import { renderInEnglish } from '../../test/render-in';
import { ApiError } from '../../lib/api';
import { MergePreviewView, mergePreview, type MergePreview } from './MergePreview';

const render = await renderInEnglish('catalog', catalog);
const text = (html: string) => html.replace(/<[^>]+>/g, '');

const HERE = '0190f3c4-1a2b-7c3d-8e4f-5a6b7c8d9e0f';
const OTHER = '0190f3c4-1a2b-7c3d-8e4f-000000000001';
const ELSEWHERE = '0190f3c4-1a2b-7c3d-8e4f-000000000002';

const work = (id: string, title: string, author: string | null, records: number) =>
  ({ id, title, author, records: Array.from({ length: records }, (_, i) => ({ id: `r${i}` })) }) as unknown as WorkView;
const fetched = (data: WorkView | undefined, error: unknown = null, isPending = data === undefined && !error) => ({
  data,
  error,
  isPending,
});

describe('what staff see of the work they are about to merge into this one', () => {
  it('is its title, author and number of editions once fetched', () => {
    expect(mergePreview(OTHER, HERE, fetched(work(OTHER, 'Dom Casmurro', 'Machado de Assis', 3)))).toEqual({
      state: 'found',
      title: 'Dom Casmurro',
      author: 'Machado de Assis',
      editions: 3,
    });
  });

  it('is a wait while it is fetched', () => {
    expect(mergePreview(OTHER, HERE, fetched(undefined))).toEqual({ state: 'loading' });
  });

  it('says no work has an unknown id (404)', () => {
    const missing = new ApiError(404, { code: 'CATALOG_WORK_NOT_FOUND' } as never, 'Not found');
    expect(mergePreview(OTHER, HERE, fetched(undefined, missing))).toEqual({ state: 'notFound' });
  });

  it('passes other failures on, to be shown with a retry', () => {
    const down = new ApiError(0, null, 'Network');
    expect(mergePreview(OTHER, HERE, fetched(undefined, down))).toEqual({ state: 'failed', error: down });
  });

  it('says a work merged already leads elsewhere, or here (the id served is another one)', () => {
    expect(mergePreview(OTHER, HERE, fetched(work(ELSEWHERE, 'Quincas Borba', null, 1)))).toEqual({
      state: 'moved',
      title: 'Quincas Borba',
      here: false,
    });
    expect(mergePreview(OTHER, HERE, fetched(work(HERE.toUpperCase(), 'This work', null, 2)))).toEqual({
      state: 'moved',
      title: 'This work',
      here: true,
    });
    // An id pasted in capitals is the same work.
    expect(mergePreview(OTHER.toUpperCase(), HERE, fetched(work(OTHER, 'Dom Casmurro', null, 1))).state).toBe('found');
  });
});

describe('the other work in the merge dialog', () => {
  const show = (preview: MergePreview) => render(<MergePreviewView preview={preview} />);

  it('shows the title, the author and the editions, in a polite live region', () => {
    const html = show({ state: 'found', title: 'Dom Casmurro', author: 'Machado de Assis', editions: 3 });
    expect(html).toContain('aria-live="polite"');
    expect(html).toContain('<bdi>Dom Casmurro</bdi>');
    expect(text(html)).toContain('Machado de Assis · 3 editions');
    expect(text(html)).toContain(catalog.clustering.otherWorkIs);
  });

  it('leaves the author out when the work has none', () => {
    const html = show({ state: 'found', title: 'Anonymous chronicle', author: null, editions: 1 });
    expect(text(html)).toContain('Anonymous chronicle');
    expect(text(html)).not.toContain(' · ');
    expect(text(html)).toContain('1 edition');
  });

  it('says clearly when the id is unknown or the work was merged already', () => {
    expect(show({ state: 'notFound' })).toContain('role="alert"');
    expect(text(show({ state: 'notFound' }))).toContain(catalog.clustering.otherWorkNotFound);
    expect(show({ state: 'moved', title: 'Quincas Borba', here: false })).toContain('<bdi>Quincas Borba</bdi>');
    expect(text(show({ state: 'moved', title: 'x', here: true }))).toContain(catalog.clustering.otherWorkMergedHere);
    expect(text(show({ state: 'loading' }))).toContain(catalog.clustering.otherWorkLoading);
  });

  it('is worded in every language, the work named in its place', () => {
    const texts = import.meta.glob<{ clustering: Record<string, string> }>('../../locales/*/catalog.json', {
      eager: true,
      import: 'default',
    });
    for (const language of SUPPORTED_LOCALES) {
      const { clustering } = texts[`../../locales/${language}/catalog.json`]!;
      expect(clustering.otherWorkMerged, language).toContain('<work/>');
      if (language !== 'en')
        for (const key of ['otherWorkIs', 'otherWorkNotFound', 'otherWorkMergedHere'])
          expect(clustering[key], `${language} ${key}`).not.toBe(
            catalog.clustering[key as keyof typeof catalog.clustering],
          );
    }
  });
});
