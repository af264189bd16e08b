import i18next from 'i18next';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES } from '../../lib/domain';
import type { CataloguingItem } from '@athenaeum/contracts';
import { buildItem } from './item.factories';
import { ItemConflict, ItemStatusField } from './ItemsPanel';

type Texts = { [key: string]: string | Texts };
const load = (name: string) =>
  import.meta.glob<Texts>('../../locales/*/*.json', { eager: true, import: 'default' })[`../../locales/${name}.json`]!;

async function renderIn(language: string, node: ReactNode) {
  const i18n = i18next.createInstance();
  await i18n.use(initReactI18next).init({
    lng: language,
    resources: {
      [language]: { cataloguing: load(`${language}/cataloguing`), catalog: load(`${language}/catalog`) },
    },
    defaultNS: 'cataloguing',
    interpolation: { escapeValue: false },
  });
  return renderToStaticMarkup(<I18nextProvider i18n={i18n}>{node}</I18nextProvider>);
}

const noop = () => {};

describe("the item dialog's status", () => {
  it.each(['on_loan', 'in_transit', 'on_hold_shelf'])(
    'of a copy %s is shown as text with why, not offered as a choice',
    async (status) => {
      const html = await renderIn('en', <ItemStatusField current={status} value={status} onChange={noop} />);
      const label = { on_loan: 'On loan', in_transit: 'In transit', on_hold_shelf: 'On the hold shelf' }[status]!;
      expect(html).toContain(`<span class="item-status-fixed">${label}</span>`);
      expect(html).toContain('Circulation sets this status');
      expect(html).not.toContain('<button');
      expect(html).not.toContain('<select');
      // The group is named by "Status" and described by the explanation.
      const group = /role="group" aria-labelledby="([^"]+)" aria-describedby="([^"]+)"/.exec(html);
      expect(group).not.toBeNull();
      expect(html).toContain(`id="${group![1]}">Status</span>`);
      expect(html).toMatch(new RegExp(`id="${group![2]}"[^>]*>Circulation sets this status`));
    },
  );

  it('of another copy, or of a new one, is a choice of the statuses cataloguing sets', async () => {
    for (const current of ['available', 'lost', null]) {
      const html = await renderIn('en', <ItemStatusField current={current} value="available" onChange={noop} />);
      expect(html).toContain('<button');
      expect(html).not.toContain('item-status-fixed');
      expect(html).not.toContain('Circulation sets this status');
    }
  });

  it.each(SUPPORTED_LOCALES)('is explained in %s', async (language) => {
    const explanation = (load(`${language}/cataloguing`).items as Texts).statusByCirculation as string;
    expect(explanation).toBeTruthy();
    if (language !== 'en') expect(explanation).not.toBe((load('en/cataloguing').items as Texts).statusByCirculation);
    const html = await renderIn(language, <ItemStatusField current="on_loan" value="on_loan" onChange={noop} />);
    expect(html).toContain(explanation);
    expect(html).not.toMatch(/items\.|status\.on_loan/);
  });
});

describe('a save refused because someone changed the item meanwhile', () => {
  const opened = buildItem({ notes: 'gift' });
  const theirs: CataloguingItem = { ...opened, barcode: 'B-0002', notes: null, status: 'on_loan' };
  const conflict = (language: string) =>
    renderIn(language, <ItemConflict loaded={opened} current={theirs} branchName={() => '—'} onReload={noop} />);

  it('is an alert saying what they changed, with the values saved now, and offers to load them', async () => {
    const html = await conflict('en');
    expect(html).toMatch(/^<div role="alert" class="alert alert-error item-conflict">/);
    expect(html).toContain('Someone else changed this item after you opened it.');
    expect(html).toContain('they are still in the form');
    expect(html).toContain('<li>Barcode is now <bdi>B-0002</bdi></li>');
    expect(html).toContain('<li>Notes for staff is now <bdi>empty</bdi></li>');
    expect(html).toContain('<li>Status is now <bdi>On loan</bdi></li>');
    // What they did not change is not listed.
    expect(html).not.toContain('Call number');
    expect(html).toMatch(/<button[^>]*>Load the current values<\/button>/);
  });

  it.each(SUPPORTED_LOCALES)('is worded in %s', async (language) => {
    const items = load(`${language}/cataloguing`).items as Texts;
    const html = await conflict(language);
    for (const key of ['conflictTitle', 'conflictBody', 'conflictReload']) {
      expect(html).toContain(items[key] as string);
      if (language !== 'en') expect(items[key]).not.toBe((load('en/cataloguing').items as Texts)[key]);
    }
    expect(html).toContain('<bdi>B-0002</bdi>');
    expect(html).not.toMatch(/items\.|<value|\{\{/);
  });
});
