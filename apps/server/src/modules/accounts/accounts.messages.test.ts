import { SUPPORTED_LOCALES } from '@athenaeum/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { toLocale, translate } from '../../platform/i18n/translate.js';
import { createTestEnv, type TestEnv } from '../../test/context.js';
import { outboxFor, tokenFromEmail } from '../../test/helpers.js';
import { buildPerson, signInAs } from './accounts.factories.js';
import { accountsMessages } from './accounts.messages.js';

describe('the message catalog', () => {
  it('has every message in every shipped language, with the same placeholders', () => {
    const keys = Object.keys(accountsMessages.en).sort();
    for (const locale of SUPPORTED_LOCALES) {
      expect(Object.keys(accountsMessages[locale]).sort(), locale).toEqual(keys);
      for (const key of keys as Array<keyof typeof accountsMessages.en>) {
        const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
        expect(placeholders(accountsMessages[locale][key]), `${locale}.${key}`).toEqual(
          placeholders(accountsMessages.en[key]),
        );
      }
    }
  });

  it('falls back to English for unknown languages and reads regional tags by their language', () => {
    expect(toLocale('pt-BR')).toBe('pt');
    expect(toLocale('zh_Hans')).toBe('zh');
    expect(toLocale('xx')).toBe('en');
    expect(toLocale(null)).toBe('en');
    expect(translate(accountsMessages, 'de', 'resetSubject')).toBe(accountsMessages.en.resetSubject);
    expect(translate(accountsMessages, 'ru', 'verifyBody', { name: 'Ольга', link: 'https://x/y' })).toContain(
      'Здравствуйте, Ольга!',
    );
  });
});

describe('e-mails in the recipient’s language', () => {
  let env: TestEnv;
  let admin: Record<string, string>;

  beforeAll(async () => {
    env = await createTestEnv();
    admin = (await signInAs(env.app, (await buildPerson(env.ctx, { platformAdmin: true })).email)).headers;
  });

  it.each(SUPPORTED_LOCALES)('writes the verification e-mail in the recipient’s language (%s)', async (locale) => {
    const email = `lang-${locale}-${Date.now().toString(36)}@example.org`;
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      payload: { email, password: 'long-enough-password', displayName: 'Имя Name', locale },
    });
    expect(res.statusCode).toBe(201);
    await env.drainJobs();
    const [mail] = await outboxFor(env.app, admin, email);
    expect(mail).toMatchObject({ locale, status: 'outbox', subject: accountsMessages[locale].verifySubject });
    expect(mail!.bodyText).toContain('Имя Name');
    expect(mail!.bodyText).toContain(`/verify-email?token=${encodeURIComponent(tokenFromEmail(mail!.bodyText))}`);
  });

  it('writes Russian for a person who signed up in Russian', async () => {
    const email = `ru-${Date.now().toString(36)}@example.org`;
    await env.app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      payload: { email, password: 'long-enough-password', displayName: 'Ольга', locale: 'ru' },
    });
    await env.drainJobs();
    const [mail] = await outboxFor(env.app, admin, email);
    expect(mail!.subject).toBe('Подтвердите адрес электронной почты для Athenaeum');
    expect(mail!.bodyText).toMatch(/^Здравствуйте, Ольга!/);
  });

  it('follows a change of language for later e-mails (password reset)', async () => {
    const person = await buildPerson(env.ctx, { locale: 'en' });
    const session = await signInAs(env.app, person.email);
    await env.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: session.headers, payload: { locale: 'pt' } });
    await env.app.inject({
      method: 'POST',
      url: '/api/v1/password-resets',
      payload: { email: person.email },
      remoteAddress: '10.40.0.1',
    });
    await env.drainJobs();
    const [mail] = await outboxFor(env.app, admin, person.email);
    expect(mail).toMatchObject({ locale: 'pt', subject: 'Redefina a sua senha do Athenaeum' });
  });
});
