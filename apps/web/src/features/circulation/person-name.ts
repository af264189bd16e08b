import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';

/** The two parts of a patron's name, as the server gives them. */
export interface PersonName {
  givenName: string;
  familyName: string;
}

/**
 * A person's name in the order and spacing of the interface language: "Ivan Petrov" in English,
 * "王小明" (family name first, no space) in Chinese. A missing part leaves no stray space.
 */
export function personName(t: TFunction<'circulation'>, person: PersonName): string {
  return t('personName', { given: person.givenName, family: person.familyName }).trim();
}

/** `personName` in the current interface language. */
export function usePersonName(): (person: PersonName) => string {
  const { t } = useTranslation('circulation');
  return (person) => personName(t, person);
}
