import { describe, expect, it } from 'vitest';
import catalog from '../../locales/en/catalog.json';
import ar from '../../locales/ar/catalog.json';
import { renderInEnglish, renderInLanguage } from '../../test/render-in';
import { Cover, markCoverBroken } from './Cover';
import { decadeOptions, FacetGroup } from './SearchPage';

const render = await renderInEnglish('catalog', catalog);

describe('the decade facet', () => {
  const counts = [
    { value: '1990', count: 4 },
    { value: '1970', count: 2 },
  ];

  it('lists the decades with works in order, ticked when the year range covers them', () => {
    expect(decadeOptions(counts, { yearFrom: 1970, yearTo: 1979 })).toEqual([
      { decade: 1970, count: 2, checked: true },
      { decade: 1990, count: 4, checked: false },
    ]);
  });

  it('keeps ticked decades listed with 0 when the other filters leave them no works', () => {
    // 1960 and 1980 ticked, then a language ticked that has no works of theirs.
    expect(decadeOptions(counts, { yearFrom: 1960, yearTo: 1989, language: 'fre' })).toEqual([
      { decade: 1960, count: 0, checked: true },
      { decade: 1970, count: 2, checked: true },
      { decade: 1980, count: 0, checked: true },
      { decade: 1990, count: 4, checked: false },
    ]);
    expect(decadeOptions([], { yearFrom: 2000, yearTo: 2009 })).toEqual([{ decade: 2000, count: 0, checked: true }]);
  });

  it('adds none for a range that covers no whole decade, or no end, or centuries (a typed range)', () => {
    expect(decadeOptions(counts, { yearFrom: 1965, yearTo: 1972 })).toHaveLength(2);
    expect(decadeOptions(counts, { yearFrom: 1960 })).toHaveLength(2);
    expect(decadeOptions(counts, { yearFrom: 1000, yearTo: 2029 })).toHaveLength(2);
    expect(decadeOptions([], { yearFrom: 1800, yearTo: 1999 })).toHaveLength(20);
  });
});

describe('a facet value', () => {
  it('is isolated from its count, so a Latin subject in the Arabic interface keeps its count on its side', async () => {
    const renderAr = await renderInLanguage('ar', 'catalog', ar);
    const html = renderAr(
      <FacetGroup
        legend="الموضوع"
        options={[{ value: 'History', label: 'History', count: 3, checked: true }]}
        onToggle={() => {}}
      />,
    );
    expect(html).toMatch(/<bdi class="facet-label">History<\/bdi> <span class="facet-count">/);
  });
});

describe('a cover', () => {
  const url = 'http://covers.example/blocked.jpg';
  const none = <span className="cover cover-none" aria-hidden="true" />;

  it('is shown while it loads, and gives way to the "no cover" placeholder once it failed to load', () => {
    const cover = <Cover url={url} className="cover" lazy width={64} height={96} fallback={none} />;
    expect(render(cover)).toBe(`<img class="cover" src="${url}" alt="" loading="lazy" width="64" height="96"/>`);
    markCoverBroken(url);
    expect(render(cover)).toBe('<span class="cover cover-none" aria-hidden="true"></span>');
    // Another cover is not affected.
    expect(render(<Cover url={`${url}?2`} className="cover" width={64} height={96} fallback={none} />)).toContain(
      '<img',
    );
  });

  it('is the placeholder without an address, and nothing without one and no placeholder (the work page)', () => {
    expect(render(<Cover url={null} className="cover" width={64} height={96} fallback={none} />)).toBe(
      '<span class="cover cover-none" aria-hidden="true"></span>',
    );
    expect(render(<Cover url={undefined} className="cover cover-large" width={128} height={192} />)).toBe('');
  });
});
