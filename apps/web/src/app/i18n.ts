import type { Locale } from '@athenaeum/contracts';
import { RTL_LOCALES, SUPPORTED_LOCALES } from '../lib/domain';
import i18next, { type BackendModule, type ReadCallback } from 'i18next';
import { initReactI18next } from 'react-i18next';
import enAccount from '../locales/en/account.json';
import enAdmin from '../locales/en/admin.json';
import enAuth from '../locales/en/auth.json';
import enCatalog from '../locales/en/catalog.json';
import enCataloguing from '../locales/en/cataloguing.json';
import enCirculation from '../locales/en/circulation.json';
import enCommon from '../locales/en/common.json';
import enErrors from '../locales/en/errors.json';
import enInterop from '../locales/en/interop.json';
import enOrg from '../locales/en/org.json';
import enRegistration from '../locales/en/registration.json';
import enCalendar from '../locales/en/calendar.json';
import enFines from '../locales/en/fines.json';

export const NAMESPACES = [
  'common',
  'auth',
  'account',
  'org',
  'admin',
  'errors',
  'catalog',
  'interop',
  'cataloguing',
  'circulation',
  'registration',
  'calendar',
  'fines',
] as const;
export const LANGUAGES: readonly Locale[] = SUPPORTED_LOCALES;
const STORAGE_KEY = 'athenaeum.language';

// English ships in the main bundle (it is the fallback); other languages load on demand.
const english = {
  common: enCommon,
  auth: enAuth,
  account: enAccount,
  org: enOrg,
  admin: enAdmin,
  errors: enErrors,
  catalog: enCatalog,
  circulation: enCirculation,
  registration: enRegistration,
  calendar: enCalendar,
  fines: enFines,
  interop: enInterop,
  cataloguing: enCataloguing,
};
const loaders = import.meta.glob<{ default: Record<string, unknown> }>([
  '../locales/*/*.json',
  '!../locales/en/*.json',
]);

const lazyLocales: BackendModule = {
  type: 'backend',
  init() {},
  read(language: string, namespace: string, callback: ReadCallback) {
    const load = loaders[`../locales/${language}/${namespace}.json`];
    if (!load) return callback(null, {});
    load().then(
      (module) => callback(null, module.default),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), false),
    );
  },
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The BCP 47 tag used for `<html lang>` and for Intl formatting. */
export function languageTag(language: string): string {
  return language === 'zh' ? 'zh-Hans' : language;
}

export function isRtl(language: string): boolean {
  return (RTL_LOCALES as readonly string[]).includes(language);
}

function storedLanguage(): Locale | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : null;
  } catch {
    return null;
  }
}

/** True when the person picked a language on this device. */
export function hasStoredLanguage(): boolean {
  return storedLanguage() !== null;
}

export function rememberLanguage(language: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Private browsing may refuse storage; the choice then lasts for this page only.
  }
}

function browserLanguage(): Locale | null {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return null;
}

function applyToDocument(language: string): void {
  const root = document.documentElement;
  root.lang = languageTag(language);
  root.dir = isRtl(language) ? 'rtl' : 'ltr';
}

export async function setupI18n(): Promise<typeof i18next> {
  i18next.on('languageChanged', applyToDocument);
  await i18next
    .use(lazyLocales)
    .use(initReactI18next)
    .init({
      lng: storedLanguage() ?? browserLanguage() ?? 'en',
      fallbackLng: 'en',
      supportedLngs: [...LANGUAGES],
      load: 'languageOnly',
      ns: [...NAMESPACES],
      defaultNS: 'common',
      resources: { en: english },
      partialBundledLanguages: true,
      interpolation: { escapeValue: false },
      returnNull: false,
      react: { useSuspense: true },
    });
  applyToDocument(i18next.language);
  return i18next;
}

/** Switches the interface language and remembers the choice on this device. */
export async function switchLanguage(language: Locale): Promise<void> {
  rememberLanguage(language);
  if (i18next.language !== language) await i18next.changeLanguage(language);
}

export { i18next };
