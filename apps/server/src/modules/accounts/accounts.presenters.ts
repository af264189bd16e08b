import type { ApiToken, Me, Organization, OrganizationRef, RoleGrant } from '@athenaeum/contracts';
import type { Selectable } from 'kysely';
import type { ApiTokensTable, PeopleTable } from './accounts.tables.js';
import type { OrganizationRow } from './accounts.repository.js';

type RefRow = Pick<OrganizationRow, 'id' | 'code' | 'kind' | 'names' | 'country'>;

export const iso = (d: Date | string): string => (d instanceof Date ? d : new Date(d)).toISOString();

export function presentRef(row: RefRow): OrganizationRef {
  return { id: row.id, code: row.code, kind: row.kind, names: row.names, country: row.country.trim() };
}

export function presentOrganization(
  row: OrganizationRow,
  related: { parent: RefRow | null; memberOf: RefRow[]; members: RefRow[] },
): Organization {
  return {
    ...presentRef(row),
    parent: related.parent ? presentRef(related.parent) : null,
    address: row.address,
    latitude: row.latitude,
    longitude: row.longitude,
    website: row.website,
    email: row.email,
    phone: row.phone,
    openingHours: row.opening_hours ?? null,
    memberOf: related.memberOf.map(presentRef),
    members: related.members.map(presentRef),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function presentGrant(
  row: { id: string; role: RoleGrant['role']; granted_at: Date; org_id: string } & Omit<RefRow, 'id'>,
): RoleGrant {
  return {
    id: row.id,
    role: row.role,
    grantedAt: iso(row.granted_at),
    organization: presentRef({
      id: row.org_id,
      code: row.code,
      kind: row.kind,
      names: row.names,
      country: row.country,
    }),
  };
}

export function presentMe(person: Selectable<PeopleTable>, roles: RoleGrant[]): Me {
  return {
    id: person.id,
    email: person.email,
    displayName: person.display_name,
    locale: person.locale as Me['locale'],
    emailVerified: person.email_verified_at !== null,
    isPlatformAdmin: person.is_platform_admin,
    roles,
    createdAt: iso(person.created_at),
  };
}

export function presentApiToken(row: Selectable<ApiTokensTable>): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    createdAt: iso(row.created_at),
    lastUsedAt: row.last_used_at ? iso(row.last_used_at) : null,
    revokedAt: row.revoked_at ? iso(row.revoked_at) : null,
  };
}
