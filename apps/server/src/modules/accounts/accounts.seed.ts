import type { CreateOrganization, OpeningHours, Role } from '@athenaeum/contracts';
import type { AppContext } from '../../platform/context/context.js';
import * as repo from './accounts.repository.js';
import { hashPassword } from './passwords.js';

/** The password of every demo account; printed at start and listed in the README. */
export const DEMO_PASSWORD = 'athenaeum-demo';

export interface DemoSignIn {
  email: string;
  password: string;
  who: string;
}

const weekdays: OpeningHours = (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({
  day,
  opens: '09:00',
  closes: '19:00',
}));
const saturday: OpeningHours = [{ day: 'sat', opens: '10:00', closes: '16:00' }];

type Seed = Omit<CreateOrganization, 'parentId' | 'memberOf'> & { parent?: string; memberOf?: string[] };

const ORGANIZATIONS: Seed[] = [
  {
    code: 'SRILA',
    kind: 'alliance',
    country: 'CN',
    names: {
      en: 'Silk Road International Library Alliance',
      zh: '丝绸之路国际图书馆联盟',
      ru: 'Международный альянс библиотек Шёлкового пути',
    },
    website: 'https://silkroad-libraries.example.org',
    address: { city: 'Xi’an' },
  },
  {
    code: 'RLA',
    kind: 'association',
    country: 'RU',
    memberOf: ['SRILA'],
    names: { ru: 'Российская библиотечная ассоциация', en: 'Russian Library Association' },
    address: { city: 'Санкт-Петербург' },
  },
  {
    code: 'FEBAB',
    kind: 'association',
    country: 'BR',
    memberOf: ['SRILA'],
    names: {
      pt: 'Federação Brasileira de Associações de Bibliotecários',
      en: 'Brazilian Federation of Library Associations',
    },
    address: { city: 'São Paulo' },
  },
  {
    code: 'NOVLIB',
    kind: 'library',
    country: 'RU',
    memberOf: ['RLA'],
    names: { ru: 'Новгородская областная научная библиотека', en: 'Novgorod Regional Library' },
    address: { street: 'ул. Розважа, 1', city: 'Великий Новгород', postalCode: '173001' },
    latitude: 58.5213,
    longitude: 31.2755,
    email: 'info@novlib.example.org',
  },
  {
    code: 'KAZLIB',
    kind: 'library',
    country: 'RU',
    memberOf: ['RLA'],
    names: { ru: 'Казанская городская библиотека', tt: 'Казан шәһәр китапханәсе', en: 'Kazan City Library' },
    address: { city: 'Казань' },
    latitude: 55.7963,
    longitude: 49.1088,
  },
  {
    code: 'SPBIB',
    kind: 'library',
    country: 'BR',
    memberOf: ['FEBAB'],
    names: { pt: 'Biblioteca Pública Municipal de São Paulo', en: 'São Paulo Municipal Public Library' },
    address: { city: 'São Paulo' },
    latitude: -23.5475,
    longitude: -46.6361,
  },
  {
    code: 'RECBIB',
    kind: 'library',
    country: 'BR',
    memberOf: ['FEBAB', 'RLA'],
    names: { pt: 'Biblioteca Comunitária do Recife', en: 'Recife Community Library' },
    address: { city: 'Recife' },
    latitude: -8.0476,
    longitude: -34.877,
  },
  {
    code: 'NOVLIB-CENTRAL',
    kind: 'branch',
    country: 'RU',
    parent: 'NOVLIB',
    names: { ru: 'Центральный абонемент', en: 'Central Lending' },
    openingHours: [...weekdays, ...saturday],
  },
  {
    code: 'NOVLIB-CHILDREN',
    kind: 'branch',
    country: 'RU',
    parent: 'NOVLIB',
    names: { ru: 'Детская библиотека «Читай-город»', en: 'Children’s Library' },
    openingHours: weekdays,
  },
  {
    code: 'KAZLIB-MAIN',
    kind: 'branch',
    country: 'RU',
    parent: 'KAZLIB',
    names: { ru: 'Главное здание', en: 'Main Building' },
    openingHours: [...weekdays, ...saturday],
  },
  {
    code: 'KAZLIB-KREMLIN',
    kind: 'branch',
    country: 'RU',
    parent: 'KAZLIB',
    names: { ru: 'Филиал у Кремля', en: 'Kremlin Branch' },
    openingHours: weekdays,
  },
  {
    code: 'SPBIB-CENTRO',
    kind: 'branch',
    country: 'BR',
    parent: 'SPBIB',
    names: { pt: 'Centro', en: 'Downtown' },
    openingHours: [...weekdays, ...saturday],
  },
  {
    code: 'SPBIB-PINHEIROS',
    kind: 'branch',
    country: 'BR',
    parent: 'SPBIB',
    names: { pt: 'Pinheiros', en: 'Pinheiros' },
    openingHours: weekdays,
  },
  {
    code: 'RECBIB-BOAVISTA',
    kind: 'branch',
    country: 'BR',
    parent: 'RECBIB',
    names: { pt: 'Boa Vista', en: 'Boa Vista' },
    openingHours: weekdays,
  },
  {
    code: 'RECBIB-OLINDA',
    kind: 'branch',
    country: 'BR',
    parent: 'RECBIB',
    names: { pt: 'Olinda', en: 'Olinda' },
    openingHours: saturday,
  },
];

const PEOPLE: Array<{
  email: string;
  name: string;
  locale: string;
  who: string;
  platformAdmin?: boolean;
  roles: Array<[string, Role]>;
}> = [
  {
    email: 'admin@demo.athenaeum.org',
    name: 'Platform Admin',
    locale: 'en',
    who: 'platform administrator',
    platformAdmin: true,
    roles: [],
  },
  {
    email: 'library.admin@demo.athenaeum.org',
    name: 'Анна Смирнова',
    locale: 'ru',
    who: 'administrator of Novgorod Regional Library',
    roles: [['NOVLIB', 'admin']],
  },
  {
    email: 'librarian.novgorod@demo.athenaeum.org',
    name: 'Ольга Иванова',
    locale: 'ru',
    who: 'librarian at Novgorod Regional Library',
    roles: [['NOVLIB', 'staff']],
  },
  {
    email: 'librarian.saopaulo@demo.athenaeum.org',
    name: 'Mariana Souza',
    locale: 'pt',
    who: 'librarian at São Paulo Municipal Public Library',
    roles: [['SPBIB', 'staff']],
  },
  {
    email: 'officer@demo.athenaeum.org',
    name: 'Dmitri Volkov',
    locale: 'ru',
    who: 'officer of the Russian Library Association',
    roles: [
      ['RLA', 'officer'],
      ['SRILA', 'member'],
    ],
  },
  {
    email: 'patron1@demo.athenaeum.org',
    name: 'Ivan Petrov',
    locale: 'ru',
    who: 'patron of Novgorod Regional Library',
    roles: [['NOVLIB', 'patron']],
  },
  {
    email: 'patron2@demo.athenaeum.org',
    name: 'Ana Lima',
    locale: 'pt',
    who: 'patron of São Paulo Municipal Public Library',
    roles: [['SPBIB', 'patron']],
  },
  {
    email: 'patron3@demo.athenaeum.org',
    name: 'Layla Haddad',
    locale: 'ar',
    who: 'patron of Recife Community Library and Kazan City Library',
    roles: [
      ['RECBIB', 'patron'],
      ['KAZLIB', 'patron'],
    ],
  },
];

/**
 * The demo network's organizations and people: one alliance, two associations, four libraries
 * with two branches each, and one person for each kind of user. Runs only on an empty database.
 */
export async function seedAccountsDemo(
  ctx: AppContext,
): Promise<{ signIns: DemoSignIn[]; organizations: Record<string, string>; kinds: Record<string, string> }> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return repo
    .accountsDb(ctx.db)
    .transaction()
    .execute(async (trx) => {
      const ids: Record<string, string> = {};
      for (const { parent, memberOf, openingHours, ...org } of ORGANIZATIONS) {
        const row = await repo.insertOrganization(trx, {
          ...org,
          parent_id: parent ? ids[parent]! : null,
          opening_hours: openingHours ?? null,
        });
        if (!row) throw new Error(`demo organization ${org.code} already exists`);
        ids[org.code] = row.id;
        await repo.addAffiliations(
          trx,
          row.id,
          (memberOf ?? []).map((code) => ids[code]!),
        );
      }
      for (const p of PEOPLE) {
        const person = await repo.insertPerson(trx, {
          email: p.email,
          displayName: p.name,
          passwordHash,
          locale: p.locale,
          verified: true,
          platformAdmin: p.platformAdmin ?? false,
        });
        for (const [code, role] of p.roles) {
          await repo.insertGrant(trx, { personId: person!.id, organizationId: ids[code]!, role, grantedBy: null });
        }
      }
      const kinds = Object.fromEntries(ORGANIZATIONS.map((o) => [o.code, o.kind]));
      return {
        signIns: PEOPLE.map((p) => ({ email: p.email, password: DEMO_PASSWORD, who: p.who })),
        organizations: ids,
        kinds,
      };
    });
}

/** True when the database holds no organization yet (a fresh install). */
export async function isEmpty(ctx: AppContext): Promise<boolean> {
  return (await repo.countOrganizations(repo.accountsDb(ctx.db))) === 0;
}
