import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import circulation from '../../../locales/en/circulation.json';
import { ReadingHistory } from './MyDataSection';

const i18n = i18next.createInstance();
await i18n.use(initReactI18next).init({
  lng: 'en',
  resources: { en: { circulation } },
  ns: ['circulation'],
  defaultNS: 'circulation',
  interpolation: { escapeValue: false },
});

const ended = (id: string, title: string | null, checkedOutAt: string, returnedAt: string) => ({
  id,
  item: { id: `item-${id}`, barcode: `B${id}`, title, author: title ? 'Turgenev, Ivan' : null },
  branchId: 'branch',
  checkedOutAt,
  dueAt: checkedOutAt,
  renewals: 0,
  returnedAt,
});

const render = (loans: ReturnType<typeof ended>[]) =>
  renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <ReadingHistory loans={loans} card="A-100" />
    </I18nextProvider>,
  );

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
