import {
  forHoldReason,
  ILL_STATUSES,
  illStepReason,
  ITEM_CHANGE_REASONS,
  ITEM_STATUSES,
  markedReason,
} from '@athenaeum/contracts/vocabulary';
import i18next, { type TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES } from '../../../lib/domain';
import { describeItemReason } from './item-reason';

const texts = import.meta.glob<Record<string, unknown>>('../../../locales/*/circulation.json', {
  eager: true,
  import: 'default',
});

async function translator(language: string): Promise<TFunction<'circulation'>> {
  const i18n = i18next.createInstance();
  await i18n.init({
    lng: language,
    resources: { [language]: { circulation: texts[`../../../locales/${language}/circulation.json`]! } },
    ns: ['circulation'],
    defaultNS: 'circulation',
    interpolation: { escapeValue: false },
  });
  return i18n.getFixedT(language, 'circulation') as TFunction<'circulation'>;
}

const every = [
  ...Object.values(ITEM_CHANGE_REASONS),
  forHoldReason(ITEM_CHANGE_REASONS.quarantineEnded, '0190a6b2-0000-7000-8000-000000000001'),
  ...ILL_STATUSES.map(illStepReason),
  ...ITEM_STATUSES.map(markedReason),
];

describe("a copy's history reason", () => {
  it('is said in the reader’s language, with the step or status it names', async () => {
    const en = await translator('en');
    expect(describeItemReason('check-in', en)).toBe('checked in');
    expect(describeItemReason(forHoldReason('received', '0190'), en)).toBe('received, to fill a hold');
    expect(describeItemReason(illStepReason('shipped_back'), en)).toBe('inter-library loan: Shipped back');
    const ru = await translator('ru');
    expect(describeItemReason(markedReason('claimed_returned'), ru)).toMatch(/^отмечен: /);
  });

  it.each(SUPPORTED_LOCALES)('%s has a message for every reason the server writes', async (language) => {
    const t = await translator(language);
    for (const reason of every) {
      const said = describeItemReason(reason, t);
      expect(said, reason).not.toMatch(/desk\.reasons|status\.|\{\{/);
      if (language !== 'en') expect(said, reason).not.toBe(describeItemReason(reason, await translator('en')));
    }
  });

  it('keeps what staff typed as they wrote it, isolated from the sentence around it', async () => {
    expect(describeItemReason('Wasserschaden', await translator('ar'))).toBe('\u2068Wasserschaden\u2069');
  });
});
