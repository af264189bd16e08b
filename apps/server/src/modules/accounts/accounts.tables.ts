import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { OpeningHours, OrganizationKind, Role, TokenScope } from '@athenaeum/contracts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface OrganizationsTable {
  id: Generated<string>;
  code: string;
  kind: OrganizationKind;
  parent_id: string | null;
  names: JSONColumnType<Record<string, string>, string, string>;
  country: string;
  address: JSONColumnType<Record<string, string>, string | undefined, string>;
  latitude: number | null;
  longitude: number | null;
  website: string | null;
  email: string | null;
  phone: string | null;
  opening_hours: JSONColumnType<OpeningHours, string | null, string | null> | null;
  search_text: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OrganizationAffiliationsTable {
  member_id: string;
  group_id: string;
  since: string | null;
}

export interface PeopleTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  password_hash: string;
  locale: Generated<string>;
  email_verified_at: Date | null;
  is_platform_admin: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RoleGrantsTable {
  id: Generated<string>;
  person_id: string;
  organization_id: string;
  role: Role;
  granted_by: string | null;
  granted_at: Timestamp;
}

export interface SessionsTable {
  id: Generated<string>;
  person_id: string;
  token_hash: string;
  csrf_token: string;
  user_agent: string | null;
  ip: string | null;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

export interface PersonTokensTable {
  token_hash: string;
  person_id: string;
  purpose: 'verify_email' | 'reset_password';
  expires_at: Timestamp;
  used_at: Date | null;
  created_at: Timestamp;
}

export interface ApiTokensTable {
  id: Generated<string>;
  person_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  scopes: JSONColumnType<TokenScope[], string, string>;
  created_at: Timestamp;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface LoginFailuresTable {
  id: Generated<number>;
  email: string;
  ip: string;
  at: Timestamp;
}

/** The tables this module owns. */
export type AccountsTables = {
  organizations: OrganizationsTable;
  organization_affiliations: OrganizationAffiliationsTable;
  people: PeopleTable;
  role_grants: RoleGrantsTable;
  sessions: SessionsTable;
  person_tokens: PersonTokensTable;
  api_tokens: ApiTokensTable;
  login_failures: LoginFailuresTable;
};
