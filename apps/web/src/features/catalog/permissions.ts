import type { Me } from '@athenaeum/contracts';

/** Staff and admins of a library (and platform admins) import into its catalogue. */
export function canImport(person: Me | null, organization: { id: string; kind: string }): boolean {
  if (!person || organization.kind !== 'library') return false;
  if (person.isPlatformAdmin) return true;
  return person.roles.some(
    (grant) => (grant.role === 'staff' || grant.role === 'admin') && grant.organization.id === organization.id,
  );
}
