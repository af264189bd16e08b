import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import en from '../../locales/en/circulation.json';
import ru from '../../locales/ru/circulation.json';
import zh from '../../locales/zh/circulation.json';
import { personName } from './person-name';

async function inLanguage(lng: string) {
  const i18n = i18next.createInstance();
  await i18n.init({
    lng,
    resources: { en: { circulation: en }, ru: { circulation: ru }, zh: { circulation: zh } },
    ns: ['circulation'],
    defaultNS: 'circulation',
    interpolation: { escapeValue: false },
  });
  return i18n.getFixedT(lng, 'circulation');
}

describe("a patron's name", () => {
  it('is given name first, with a space, in English and Russian', async () => {
    expect(personName(await inLanguage('en'), { givenName: 'Ivan', familyName: 'Petrov' })).toBe('Ivan Petrov');
    expect(personName(await inLanguage('ru'), { givenName: 'Иван', familyName: 'Петров' })).toBe('Иван Петров');
  });

  it('is family name first, with no space, in Chinese', async () => {
    expect(personName(await inLanguage('zh'), { givenName: '小明', familyName: '王' })).toBe('王小明');
  });

  it('leaves no stray space when a part is missing', async () => {
    expect(personName(await inLanguage('en'), { givenName: 'Ivan', familyName: '' })).toBe('Ivan');
  });
});
