import { MATCH_REASONS } from '@athenaeum/contracts/vocabulary';
import i18next from 'i18next';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES } from '../../lib/domain';
import { MatchReason } from './WorkClustering';

type Texts = { clustering: { reasons: Record<string, string> } };
const texts = import.meta.glob<Texts>('../../locales/*/catalog.json', { eager: true, import: 'default' });
const catalog = (language: string) => texts[`../../locales/${language}/catalog.json`]!;

async function renderIn(language: string, node: ReactNode): Promise<string> {
  const i18n = i18next.createInstance();
  await i18n.use(initReactI18next).init({
    lng: language,
    resources: { [language]: { catalog: catalog(language) } },
    ns: ['catalog'],
    interpolation: { escapeValue: false },
  });
  return renderToStaticMarkup(<I18nextProvider i18n={i18n}>{node}</I18nextProvider>);
}

describe("a record's match reason", () => {
  it('is said in the reader’s language, the identifier kept left to right', async () => {
    expect(await renderIn('en', <MatchReason reason="same ISBN 9780306406157" />)).toBe(
      'Same ISBN <bdi dir="ltr">9780306406157</bdi>',
    );
    expect(await renderIn('ar', <MatchReason reason="same ISBN 9780306406157" />)).toBe(
      'نفس ISBN <bdi dir="ltr">9780306406157</bdi>',
    );
    expect(await renderIn('ru', <MatchReason reason="title and author match, dates differ by 3" />)).toBe(
      'Совпадают заглавие и автор; даты расходятся на 3 года',
    );
    expect(await renderIn('fr', <MatchReason reason={MATCH_REASONS.splitUndone} />)).toBe(
      'Revenu dans cette œuvre à l’annulation d’une séparation',
    );
  });

  it.each(SUPPORTED_LOCALES)('%s has every reason the server writes', async (language) => {
    const reasons = catalog(language).clustering.reasons;
    for (const key of Object.keys(MATCH_REASONS)) expect(reasons[key], key).toBeTruthy();
    expect(reasons.sameIdentifier!.split('<id>{{value}}</id>')).toHaveLength(2);
    expect(await renderIn(language, <MatchReason reason="title and author match, dates differ by 1" />)).not.toMatch(
      /yearsApart|\{\{/,
    );
  });

  it('shows a sentence it does not know as it is, marked as English and left to right', async () => {
    expect(await renderIn('ar', <MatchReason reason="same work, said the cataloguer" />)).toBe(
      '<bdi lang="en" dir="ltr">same work, said the cataloguer</bdi>',
    );
  });
});
