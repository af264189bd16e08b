import { SUPPORTED_LOCALES, type Locale } from '@athenaeum/contracts';

/** A module's server-side messages (e-mails), one entry per shipped locale. */
export type Catalog<K extends string> = Record<Locale, Record<K, string>>;

export function toLocale(value: string | null | undefined): Locale {
  const base = (value ?? '').toLowerCase().split(/[-_]/)[0] as Locale;
  return SUPPORTED_LOCALES.includes(base) ? base : 'en';
}

/** Looks up a message in the recipient's language and fills `{{name}}` placeholders. */
export function translate<K extends string>(
  catalog: Catalog<K>,
  locale: string,
  key: K,
  vars: Record<string, string | number> = {},
): string {
  const text = catalog[toLocale(locale)][key] ?? catalog.en[key];
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(vars[name] ?? ''));
}
