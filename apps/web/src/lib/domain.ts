// The API's fixed vocabularies, as values for the browser. The web app imports only types from
// @athenaeum/contracts: its runtime values are built with zod, which would add ~50 kB to the
// bundle. The types below must equal the contracts' (checked by the compiler), and
// domain.test.ts checks the values against the contracts at run time.
import type { Locale, OrganizationKind, Role } from '@athenaeum/contracts';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <T extends true>(_proof?: T) => undefined;

export const SUPPORTED_LOCALES = ['en', 'ru', 'zh', 'es', 'ar', 'pt', 'fr', 'hi'] as const;
export const RTL_LOCALES: readonly Locale[] = ['ar'];
export const ORGANIZATION_KINDS = ['alliance', 'association', 'library', 'branch'] as const;
export const ROLES_BY_KIND = {
  library: ['patron', 'staff', 'admin'],
  branch: ['patron', 'staff', 'admin'],
  association: ['member', 'officer'],
  alliance: ['member', 'officer'],
} as const satisfies Record<OrganizationKind, readonly Role[]>;

same<Same<(typeof SUPPORTED_LOCALES)[number], Locale>>();
same<Same<(typeof ORGANIZATION_KINDS)[number], OrganizationKind>>();
same<Same<typeof ROLES_BY_KIND, typeof import('@athenaeum/contracts').ROLES_BY_KIND>>();
