import 'i18next';
import type account from '../locales/en/account.json';
import type admin from '../locales/en/admin.json';
import type auth from '../locales/en/auth.json';
import type catalog from '../locales/en/catalog.json';
import type cataloguing from '../locales/en/cataloguing.json';
import type circulation from '../locales/en/circulation.json';
import type common from '../locales/en/common.json';
import type errors from '../locales/en/errors.json';
import type interop from '../locales/en/interop.json';
import type org from '../locales/en/org.json';
import type registration from '../locales/en/registration.json';
import type calendar from '../locales/en/calendar.json';
import type fines from '../locales/en/fines.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: {
      common: typeof common;
      auth: typeof auth;
      account: typeof account;
      org: typeof org;
      admin: typeof admin;
      errors: typeof errors;
      catalog: typeof catalog;
      circulation: typeof circulation;
      registration: typeof registration;
      calendar: typeof calendar;
      fines: typeof fines;
      interop: typeof interop;
      cataloguing: typeof cataloguing;
    };
  }
}
