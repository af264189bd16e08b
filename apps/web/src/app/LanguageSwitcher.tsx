import type { Locale, Me } from '@athenaeum/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { SelectField } from '../components/forms';
import { api } from '../lib/api';
import { endonym } from '../lib/format';
import { updateMe, useMe } from '../lib/session';
import { isLocale, LANGUAGES, languageTag, switchLanguage } from './i18n';

export const languageOptions = () =>
  LANGUAGES.map((code) => ({ id: code, label: endonym(code), lang: languageTag(code) }));

/** Changes the interface language; a signed-in person's choice is also saved to their profile. */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const client = useQueryClient();
  const current = i18n.resolvedLanguage ?? i18n.language;

  const change = async (value: string) => {
    if (!isLocale(value) || value === current) return;
    await switchLanguage(value);
    if (me && me.locale !== value) {
      try {
        updateMe(client, await api<Me>('/me', { method: 'PATCH', body: { locale: value satisfies Locale } }));
      } catch {
        // The interface already speaks the new language; the profile keeps the old one until next time.
      }
    }
  };

  return (
    <SelectField
      className="language-switcher"
      label={t('language.label')}
      options={languageOptions()}
      value={current}
      onChange={(value) => void change(value)}
    />
  );
}
