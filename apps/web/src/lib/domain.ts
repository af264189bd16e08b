// The API's fixed vocabularies, as values for the browser. The web app imports only types from
// @athenaeum/contracts: its runtime values are built with zod, which would add ~50 kB to the
// bundle. The types below must equal the contracts' (checked by the compiler), and
// domain.test.ts checks the values against the contracts at run time.
import type { Locale, OrganizationKind, Role, ROLES_BY_KIND as CONTRACT_ROLES_BY_KIND } from '@athenaeum/contracts';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

export const SUPPORTED_LOCALES = ['en', 'ru', 'zh', 'es', 'ar', 'pt', 'fr', 'hi'] as const;
export const RTL_LOCALES: readonly Locale[] = ['ar'];
export const ORGANIZATION_KINDS = ['alliance', 'association', 'library', 'branch'] as const;
export const ROLES_BY_KIND = {
  library: ['patron', 'staff', 'admin'],
  branch: ['patron', 'staff', 'admin'],
  association: ['member', 'officer'],
  alliance: ['member', 'officer'],
} as const satisfies Record<OrganizationKind, readonly Role[]>;

/** Fails to compile when a vocabulary here drifts from the contracts. */
export type DomainMatchesContracts = [
  Assert<Same<(typeof SUPPORTED_LOCALES)[number], Locale>>,
  Assert<Same<(typeof ORGANIZATION_KINDS)[number], OrganizationKind>>,
  Assert<Same<typeof ROLES_BY_KIND, typeof CONTRACT_ROLES_BY_KIND>>,
];
