import { SUPPORTED_LOCALES } from '@athenaeum/contracts';
import { describe, expect, it } from 'vitest';
import { translate } from '../../../platform/i18n/translate.js';
import { circulationMessages, reasonPrefix } from './notifications.messages.js';

describe('circulation e-mail templates', () => {
  it('has every message in every shipped language, translated, with the same placeholders', () => {
    const keys = Object.keys(circulationMessages.en).sort();
    const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const locale of SUPPORTED_LOCALES) {
      expect(Object.keys(circulationMessages[locale]).sort(), locale).toEqual(keys);
      expect(reasonPrefix[locale]).toBeTruthy();
      for (const key of keys as Array<keyof typeof circulationMessages.en>) {
        expect(placeholders(circulationMessages[locale][key]), `${locale}.${key}`).toEqual(
          placeholders(circulationMessages.en[key]),
        );
        if (locale !== 'en' && key.endsWith('Body')) {
          expect(circulationMessages[locale][key], `${locale}.${key}`).not.toBe(circulationMessages.en[key]);
        }
      }
    }
  });

  it('fills a hold-ready e-mail in Arabic and Hindi', () => {
    const vars = { name: 'Layla', title: 'Kalila wa Dimna', branch: 'Main', date: '1 June' };
    expect(translate(circulationMessages, 'ar', 'holdReadyBody', vars)).toContain('«Kalila wa Dimna» بانتظارك في Main');
    expect(translate(circulationMessages, 'hi', 'holdReadySubject', vars)).toBe('आपका आरक्षण तैयार है: Kalila wa Dimna');
  });
});
