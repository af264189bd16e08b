import type { ComponentProps } from 'react';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES } from '../../lib/domain';
import { renderInLanguage } from '../../test/render-in';
import { LibraryCopies, WorkAvailability } from './WorkPage';

type Texts = { [key: string]: string | Texts };
const texts = import.meta.glob<Texts>('../../locales/*/catalog.json', { eager: true, import: 'default' });
const renderIn = async (language: string) =>
  renderInLanguage(language, 'catalog', texts[`../../locales/${language}/catalog.json`]!);

// Four digits or more: formatting shows (1,200 in English, not 1200) where the language groups them.
const COPIES = 1500;
const AVAILABLE = 1200;
const rows = Array.from({ length: COPIES }, (_, i) => ({
  itemId: `item-${i}`,
  libraryId: 'lib',
  branchId: null,
  barcode: String(i).padStart(5, '0'),
  callNumber: null,
  location: null,
  itemType: 'book',
  status: i < AVAILABLE ? 'available' : 'on_loan',
  record: { fields: { edition: null, year: null } },
})) as unknown as ComponentProps<typeof LibraryCopies>['rows'];

describe("a work's availability counts", () => {
  it('format the number available as they format the total', async () => {
    const render = await renderIn('en');
    expect(render(<LibraryCopies libraryId="lib" rows={rows} library={undefined} available />)).toContain(
      '<p>1,200 of 1,500 copies available now</p>',
    );
    expect(render(<WorkAvailability libraryCount={1500} availableCount={1200} />)).toBe(
      '<p class="availability availability-ok">Available now at 1,200 of 1,500 libraries</p>',
    );
  });

  it.each(SUPPORTED_LOCALES)('in %s use one digit system for both numbers (as Intl formats them)', async (language) => {
    const render = await renderIn(language);
    const number = new Intl.NumberFormat(language === 'zh' ? 'zh-Hans' : language).format;
    for (const html of [
      render(<LibraryCopies libraryId="lib" rows={rows} library={undefined} available />),
      render(<WorkAvailability libraryCount={COPIES} availableCount={AVAILABLE} />),
    ]) {
      expect(html).toContain(number(AVAILABLE));
      expect(html).toContain(number(COPIES));
      if (number(AVAILABLE) !== String(AVAILABLE)) expect(html).not.toContain(String(AVAILABLE));
      expect(html).not.toMatch(/\{\{|\}\}/);
    }
  });
});
