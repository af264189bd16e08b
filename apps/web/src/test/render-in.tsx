// For component tests: markup rendered on the server with one namespace of a language's texts,
// as the app would show it.
import i18next from 'i18next';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';

type Texts = { [key: string]: string | Texts };

/** A renderer to static markup whose components read `namespace` (its default) in `language`. */
export async function renderInLanguage(
  language: string,
  namespace: string,
  texts: Texts,
): Promise<(node: ReactNode) => string> {
  const i18n = i18next.createInstance();
  await i18n.use(initReactI18next).init({
    lng: language,
    resources: { [language]: { [namespace]: texts } },
    ns: [namespace],
    defaultNS: namespace,
    interpolation: { escapeValue: false },
  });
  return (node) => renderToStaticMarkup(<I18nextProvider i18n={i18n}>{node}</I18nextProvider>);
}

/** The same in English. */
export const renderInEnglish = (namespace: string, texts: Texts) => renderInLanguage('en', namespace, texts);
