import { MATCH_REASONS } from '@athenaeum/contracts/vocabulary';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES } from '../../lib/domain';
import { renderInLanguage } from '../../test/render-in';
import { MatchReason } from './WorkClustering';

type Texts = { clustering: { reasons: Record<string, string> } };
const texts = import.meta.glob<Texts>('../../locales/*/catalog.json', { eager: true, import: 'default' });
const catalog = (language: string) => texts[`../../locales/${language}/catalog.json`]!;

const renderIn = async (language: string, node: ReactNode) =>
  (await renderInLanguage(language, 'catalog', catalog(language)))(node);

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
