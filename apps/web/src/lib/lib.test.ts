import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { endonym, formatters } from './format';
import { pickName } from './names';
import { canManage, safeRedirect } from './session';

describe('pickName', () => {
  const names = { ru: 'Новгородская областная научная библиотека', en: 'Novgorod Regional Library' };
  it('prefers the interface language, then English, then the first name given', () => {
    expect(pickName(names, 'ru')).toEqual({ text: names.ru, lang: 'ru' });
    expect(pickName(names, 'ar')).toEqual({ text: names.en, lang: 'en' });
    expect(pickName({ pt: 'Centro', tt: 'Үзәк' }, 'zh')).toEqual({ text: 'Centro', lang: 'pt' });
    expect(pickName({ 'zh-Hans': '联盟', zh: '联盟' }, 'zh-Hans')).toEqual({ text: '联盟', lang: 'zh-Hans' });
  });
});

describe('safeRedirect', () => {
  it('keeps same-site paths and refuses everything else', () => {
    expect(safeRedirect('/organizations?kind=library')).toBe('/organizations?kind=library');
    expect(safeRedirect('//evil.example.org/x')).toBe('/');
    expect(safeRedirect('/\\evil.example.org')).toBe('/');
    expect(safeRedirect('https://evil.example.org')).toBe('/');
    expect(safeRedirect('/sign-in?redirect=/x')).toBe('/');
    expect(safeRedirect(undefined)).toBe('/');
  });
});

describe('canManage', () => {
  const org = (id: string) => ({ id, code: id, kind: 'library' as const, names: { en: id }, country: 'RU' });
  const person = (roles: Array<[string, 'admin' | 'staff' | 'officer']>, isPlatformAdmin = false) => ({
    id: '1',
    email: 'a@b.org',
    displayName: 'A',
    locale: 'en' as const,
    emailVerified: true,
    isPlatformAdmin,
    createdAt: '',
    roles: roles.map(([o, role]) => ({ id: o + role, organization: org(o), role, grantedAt: '' })),
  });
  it('lets admins and officers of the organization or its parent, and platform admins, manage it', () => {
    expect(canManage(person([['LIB', 'admin']]), { id: 'LIB' })).toBe(true);
    expect(canManage(person([['LIB', 'admin']]), { id: 'BRANCH', parent: { id: 'LIB' } })).toBe(true);
    expect(canManage(person([['LIB', 'staff']]), { id: 'LIB' })).toBe(false);
    expect(canManage(person([['OTHER', 'admin']]), { id: 'LIB' })).toBe(false);
    expect(canManage(person([], true), { id: 'LIB' })).toBe(true);
    expect(canManage(null, { id: 'LIB' })).toBe(false);
  });
});

describe('ApiError', () => {
  it('maps problem field paths to form fields', () => {
    const error = new ApiError(
      400,
      {
        type: '',
        title: '',
        status: 400,
        detail: 'body.email: must be an e-mail address',
        code: 'VALIDATION_FAILED',
        requestId: 'r',
        errors: [
          { path: 'body.email', message: 'must be an e-mail address' },
          { path: 'body.password', message: 'must be at least 10 characters' },
        ],
      },
      'x',
    );
    expect(error.fieldErrors()).toEqual({
      email: 'must be an e-mail address',
      password: 'must be at least 10 characters',
    });
    expect(new ApiError(0, null, 'offline').code).toBe('NETWORK');
  });
});

describe('formatters', () => {
  it('formats opening hours, weekdays, countries and numbers for the locale', () => {
    const en = formatters('en');
    expect(en.weekday('mon')).toBe('Monday');
    expect(en.weekday('sun')).toBe('Sunday');
    expect(en.timeRange('09:00', '19:00')).toMatch(/^9:00\s?AM\s?–\s?7:00\s?PM$/);
    expect(en.country('BR')).toBe('Brazil');
    expect(en.number(12345)).toBe('12,345');
    const ru = formatters('ru');
    expect(ru.weekday('sat')).toBe('суббота');
    expect(ru.timeRange('09:00', '19:00')).toMatch(/^09:00\s?–\s?19:00$/);
    expect(formatters('ar').country('RU')).toBe('روسيا');
    expect(formatters('zh').tag).toBe('zh-Hans');
  });

  it('names each language in itself', () => {
    expect(endonym('ru')).toBe('Русский');
    expect(endonym('ar')).toBe('العربية');
    expect(endonym('zh')).toBe('中文');
  });
});
