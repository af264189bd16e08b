import { describe, expect, it } from 'vitest';
import circulation from '../../../locales/en/circulation.json';
import { renderInEnglish } from '../../../test/render-in';
import { ReadingHistory } from './MyDataSection';

const renderMarkup = await renderInEnglish('circulation', circulation);

const ended = (id: string, title: string | null, checkedOutAt: string, returnedAt: string) => ({
  id,
  item: { id: `item-${id}`, barcode: `B${id}`, title, author: title ? 'Turgenev, Ivan' : null },
  branchId: 'branch',
  checkedOutAt,
  dueAt: checkedOutAt,
  renewals: 0,
  returnedAt,
});

const render = (loans: ReturnType<typeof ended>[]) => renderMarkup(<ReadingHistory loans={loans} card="A-100" />);

describe('the reading history on the My data page', () => {
  it('lists each kept loan, newest return first, with its dates', () => {
    const html = render([
      ended('1', 'Fathers and sons', '2026-01-05T10:00:00Z', '2026-01-20T10:00:00Z'),
      ended('2', null, '2026-03-01T10:00:00Z', '2026-03-10T10:00:00Z'),
    ]);
    expect(html).toContain('<caption class="visually-hidden">Reading history, card A-100</caption>');
    const rows = [...html.matchAll(/<tr><td>(.*?)<\/td><td>(.*?)<\/td><td>(.*?)<\/td><td>(.*?)<\/td><\/tr>/g)].map(
      (m) => m.slice(1),
    );
    expect(rows).toEqual([
      ['(untitled)', '', 'Mar 1, 2026', 'Mar 10, 2026'],
      ['Fathers and sons', 'Turgenev, Ivan', 'Jan 5, 2026', 'Jan 20, 2026'],
    ]);
  });

  it('shows nothing when no history is kept', () => {
    expect(render([])).toBe('');
  });
});
