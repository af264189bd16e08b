import { sql, type Kysely, type Selectable } from 'kysely';
import type { OrganizationKind, OrganizationListQuery, Role, TokenScope } from '@athenaeum/contracts';
import type { Db } from '../../platform/db/database.js';
import type { PlatformTables } from '../../platform/db/tables.js';
import type { AccountsTables, OrganizationsTable } from './accounts.tables.js';

/** The database as this module sees it: its own tables plus the platform's. */
export type AccountsDb = Kysely<AccountsTables & PlatformTables>;
export const accountsDb = (db: Db | Kysely<PlatformTables>): AccountsDb => db.withTables<AccountsTables>();

export type OrganizationRow = Selectable<OrganizationsTable>;

// ── organizations ─────────────────────────────────────────────────────────────

const refColumns = ['id', 'code', 'kind', 'names', 'country'] as const;

export function findOrganization(db: AccountsDb, id: string) {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findOrganizationByCode(db: AccountsDb, code: string) {
  return db.selectFrom('organizations').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function listOrganizations(db: AccountsDb, query: OrganizationListQuery, offset: number) {
  let base = db.selectFrom('organizations');
  if (query.kind) base = base.where('kind', '=', query.kind);
  if (query.country) base = base.where('country', '=', query.country);
  if (query.q) base = base.where('search_text', 'ilike', `%${escapeLike(query.q.toLowerCase())}%`);
  if (query.memberOf) {
    const groupId = query.memberOf;
    base = base.where((eb) =>
      eb.or([
        eb('parent_id', '=', groupId),
        eb('id', 'in', eb.selectFrom('organization_affiliations').select('member_id').where('group_id', '=', groupId)),
      ]),
    );
  }
  const [rows, count] = await Promise.all([
    base
      .selectAll()
      .orderBy(sql`names->>'en'`)
      .orderBy('code')
      .limit(query.pageSize)
      .offset(offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function organizationRefs(db: AccountsDb, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('organizations').select(refColumns).where('id', 'in', ids).execute();
}

export function groupsOf(db: AccountsDb, memberId: string) {
  return db
    .selectFrom('organization_affiliations as a')
    .innerJoin('organizations as o', 'o.id', 'a.group_id')
    .select(['o.id', 'o.code', 'o.kind', 'o.names', 'o.country'])
    .where('a.member_id', '=', memberId)
    .orderBy('o.code')
    .execute();
}

export function membersOf(db: AccountsDb, groupId: string) {
  return db
    .selectFrom('organizations as o')
    .select(['o.id', 'o.code', 'o.kind', 'o.names', 'o.country'])
    .where((eb) =>
      eb.or([
        eb('o.parent_id', '=', groupId),
        eb(
          'o.id',
          'in',
          eb.selectFrom('organization_affiliations').select('member_id').where('group_id', '=', groupId),
        ),
      ]),
    )
    .orderBy('o.code')
    .execute();
}

/** Libraries that share an association with the library (itself excluded). */
export function associatedLibraries(db: AccountsDb, libraryId: string) {
  return db
    .selectFrom('organization_affiliations as mine')
    .innerJoin('organizations as g', 'g.id', 'mine.group_id')
    .innerJoin('organization_affiliations as other', 'other.group_id', 'mine.group_id')
    .innerJoin('organizations as o', 'o.id', 'other.member_id')
    .select(['o.id', 'o.code', 'o.names'])
    .distinct()
    .where('mine.member_id', '=', libraryId)
    .where('g.kind', '=', 'association')
    .where('o.kind', '=', 'library')
    .where('o.id', '<>', libraryId)
    .orderBy('o.code')
    .execute();
}

export interface OrganizationValues {
  code?: string;
  kind?: OrganizationKind;
  parent_id?: string | null;
  names?: Record<string, string>;
  country?: string;
  address?: Record<string, string>;
  latitude?: number | null;
  longitude?: number | null;
  website?: string | null;
  email?: string | null;
  phone?: string | null;
  opening_hours?: unknown;
}

function searchText(row: {
  code: string;
  names: Record<string, string>;
  address: Record<string, string>;
  country: string;
}): string {
  return [row.code, ...Object.values(row.names), row.address.city ?? '', row.country].join(' ').toLowerCase();
}

/** Inserts an organization; returns nothing when its code is taken (also by a concurrent insert). */
export async function insertOrganization(
  db: AccountsDb,
  values: Required<Pick<OrganizationValues, 'code' | 'kind' | 'names' | 'country'>> & OrganizationValues,
) {
  const address = values.address ?? {};
  return db
    .insertInto('organizations')
    .values({
      code: values.code,
      kind: values.kind,
      parent_id: values.parent_id ?? null,
      names: JSON.stringify(values.names),
      country: values.country,
      address: JSON.stringify(address),
      latitude: values.latitude ?? null,
      longitude: values.longitude ?? null,
      website: values.website ?? null,
      email: values.email ?? null,
      phone: values.phone ?? null,
      opening_hours: values.opening_hours == null ? null : JSON.stringify(values.opening_hours),
      search_text: searchText({ code: values.code, names: values.names, address, country: values.country }),
    })
    .onConflict((oc) => oc.column('code').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function updateOrganization(db: AccountsDb, current: OrganizationRow, values: OrganizationValues) {
  const names = values.names ?? current.names;
  const address = values.address ?? current.address;
  const country = values.country ?? current.country;
  return db
    .updateTable('organizations')
    .set({
      names: JSON.stringify(names),
      country,
      address: JSON.stringify(address),
      ...(values.latitude !== undefined ? { latitude: values.latitude } : {}),
      ...(values.longitude !== undefined ? { longitude: values.longitude } : {}),
      ...(values.website !== undefined ? { website: values.website } : {}),
      ...(values.email !== undefined ? { email: values.email } : {}),
      ...(values.phone !== undefined ? { phone: values.phone } : {}),
      ...(values.opening_hours !== undefined
        ? { opening_hours: values.opening_hours === null ? null : JSON.stringify(values.opening_hours) }
        : {}),
      search_text: searchText({ code: current.code, names, address, country }),
      updated_at: new Date(),
    })
    .where('id', '=', current.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function addAffiliations(db: AccountsDb, memberId: string, groupIds: string[]) {
  if (groupIds.length === 0) return;
  await db
    .insertInto('organization_affiliations')
    .values(groupIds.map((groupId) => ({ member_id: memberId, group_id: groupId, since: null })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export function countOrganizations(db: AccountsDb) {
  return db
    .selectFrom('organizations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

// ── people ────────────────────────────────────────────────────────────────────

export function findPersonByEmail(db: AccountsDb, email: string) {
  return db.selectFrom('people').selectAll().where('email', '=', email).executeTakeFirst();
}

export function findPerson(db: AccountsDb, id: string) {
  return db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertPerson(
  db: AccountsDb,
  values: {
    email: string;
    displayName: string;
    passwordHash: string;
    locale: string;
    verified: boolean;
    platformAdmin?: boolean;
  },
) {
  return db
    .insertInto('people')
    .values({
      email: values.email,
      display_name: values.displayName,
      password_hash: values.passwordHash,
      locale: values.locale,
      email_verified_at: values.verified ? new Date() : null,
      is_platform_admin: values.platformAdmin ?? false,
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function updatePerson(
  db: AccountsDb,
  id: string,
  values: Partial<{
    display_name: string;
    locale: string;
    password_hash: string;
    email_verified_at: Date;
    is_platform_admin: boolean;
  }>,
) {
  return db
    .updateTable('people')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

// ── one-time tokens (verification, reset) ────────────────────────────────────

export async function insertPersonToken(
  db: AccountsDb,
  values: { tokenHash: string; personId: string; purpose: 'verify_email' | 'reset_password'; expiresAt: Date },
) {
  await db
    .insertInto('person_tokens')
    .values({
      token_hash: values.tokenHash,
      person_id: values.personId,
      purpose: values.purpose,
      expires_at: values.expiresAt,
      used_at: null,
    })
    .execute();
}

/** Marks a live token used and returns it; a used, expired or unknown token returns nothing. */
export function consumePersonToken(
  db: AccountsDb,
  tokenHash: string,
  purpose: 'verify_email' | 'reset_password',
  now: Date,
) {
  return db
    .updateTable('person_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['person_id'])
    .executeTakeFirst();
}

// ── sessions ──────────────────────────────────────────────────────────────────

export function insertSession(
  db: AccountsDb,
  values: {
    personId: string;
    tokenHash: string;
    csrfToken: string;
    userAgent: string | null;
    ip: string | null;
    expiresAt: Date;
  },
) {
  return db
    .insertInto('sessions')
    .values({
      person_id: values.personId,
      token_hash: values.tokenHash,
      csrf_token: values.csrfToken,
      user_agent: values.userAgent,
      ip: values.ip,
      expires_at: values.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The live session behind a cookie, with its person. */
export function findLiveSession(db: AccountsDb, tokenHash: string, now: Date) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('people as p', 'p.id', 's.person_id')
    .select(['s.id', 's.person_id', 's.csrf_token', 's.last_seen_at', 'p.is_platform_admin', 'p.locale'])
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', now)
    .executeTakeFirst();
}

export async function touchSession(db: AccountsDb, id: string, now: Date, expiresAt: Date) {
  await db.updateTable('sessions').set({ last_seen_at: now, expires_at: expiresAt }).where('id', '=', id).execute();
}

export function listSessions(db: AccountsDb, personId: string, now: Date) {
  return db
    .selectFrom('sessions')
    .select(['id', 'user_agent', 'ip', 'created_at', 'last_seen_at'])
    .where('person_id', '=', personId)
    .where('expires_at', '>', now)
    .orderBy('last_seen_at', 'desc')
    .execute();
}

export function deleteSession(db: AccountsDb, personId: string, sessionId: string) {
  return db.deleteFrom('sessions').where('id', '=', sessionId).where('person_id', '=', personId).executeTakeFirst();
}

export function deleteSessionsExcept(db: AccountsDb, personId: string, keepId: string | null) {
  let q = db.deleteFrom('sessions').where('person_id', '=', personId);
  if (keepId) q = q.where('id', '<>', keepId);
  return q.executeTakeFirst();
}

// ── login throttling ──────────────────────────────────────────────────────────

/**
 * Records a sign-in attempt as a failure before its password is checked, unless the account or the
 * address already has `limits` failures since `since`. Attempts on one account or from one address
 * take their turn (transaction-level advisory locks), so simultaneous attempts cannot overrun the
 * limits. Returns false when a limit is reached.
 */
export async function reserveLoginAttempt(
  db: AccountsDb,
  attempt: { email: string; ip: string; now: Date; since: Date },
  limits: { perAccount: number; perIp: number },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    // Always the account first, then the address: the same order everywhere cannot deadlock.
    await sql`select pg_advisory_xact_lock(hashtext(${`login:email:${attempt.email.toLowerCase()}`}))`.execute(trx);
    await sql`select pg_advisory_xact_lock(hashtext(${`login:ip:${attempt.ip}`}))`.execute(trx);
    const counts = await recentLoginFailures(trx, attempt.email, attempt.ip, attempt.since);
    if (counts.byEmail >= limits.perAccount || counts.byIp >= limits.perIp) return false;
    await trx.insertInto('login_failures').values({ email: attempt.email, ip: attempt.ip, at: attempt.now }).execute();
    return true;
  });
}

/** Failures since `since` for the account and for the address, with the oldest of each. */
export async function recentLoginFailures(db: AccountsDb, email: string, ip: string, since: Date) {
  const row = await db
    .selectFrom('login_failures')
    .select((eb) => [
      eb.fn.count<number>(eb.case().when('email', '=', email).then(1).end()).as('by_email'),
      eb.fn.count<number>(eb.case().when('ip', '=', ip).then(1).end()).as('by_ip'),
    ])
    .where('at', '>', since)
    .where((eb) => eb.or([eb('email', '=', email), eb('ip', '=', ip)]))
    .executeTakeFirstOrThrow();
  return { byEmail: Number(row.by_email), byIp: Number(row.by_ip) };
}

/** The time of the n-th most recent failure for a key, after which the window frees a slot. */
export async function nthRecentFailure(db: AccountsDb, column: 'email' | 'ip', value: string, n: number) {
  const row = await db
    .selectFrom('login_failures')
    .select('at')
    .where(column, '=', value)
    .orderBy('at', 'desc')
    .offset(n - 1)
    .limit(1)
    .executeTakeFirst();
  return row?.at ?? null;
}

export async function clearLoginFailures(db: AccountsDb, email: string) {
  await db.deleteFrom('login_failures').where('email', '=', email).execute();
}

// ── roles ─────────────────────────────────────────────────────────────────────

export function grantsOfPerson(db: AccountsDb, personId: string) {
  return db
    .selectFrom('role_grants as g')
    .innerJoin('organizations as o', 'o.id', 'g.organization_id')
    .select(['g.id', 'g.role', 'g.granted_at', 'o.id as org_id', 'o.code', 'o.kind', 'o.names', 'o.country'])
    .where('g.person_id', '=', personId)
    .orderBy('o.code')
    .orderBy('g.role')
    .execute();
}

/** Roles a person holds at an organization directly or at its parent library. */
export async function rolesAt(db: AccountsDb, personId: string, organizationId: string): Promise<Role[]> {
  const rows = await db
    .selectFrom('role_grants as g')
    .select('g.role')
    .distinct()
    .where('g.person_id', '=', personId)
    .where((eb) =>
      eb.or([
        eb('g.organization_id', '=', organizationId),
        eb(
          'g.organization_id',
          '=',
          eb.selectFrom('organizations').select('parent_id').where('id', '=', organizationId),
        ),
      ]),
    )
    .execute();
  return rows.map((r) => r.role);
}

export function membersOfOrganization(db: AccountsDb, organizationId: string, offset: number, limit: number) {
  return db
    .selectFrom('role_grants as g')
    .innerJoin('people as p', 'p.id', 'g.person_id')
    .select(['g.id as grant_id', 'g.role', 'g.granted_at', 'p.id as person_id', 'p.email', 'p.display_name'])
    .where('g.organization_id', '=', organizationId)
    .orderBy('p.display_name')
    .orderBy('g.role')
    .limit(limit)
    .offset(offset)
    .execute();
}

export function countMembersOfOrganization(db: AccountsDb, organizationId: string) {
  return db
    .selectFrom('role_grants')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organization_id', '=', organizationId)
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

export function insertGrant(
  db: AccountsDb,
  values: { personId: string; organizationId: string; role: Role; grantedBy: string | null },
) {
  return db
    .insertInto('role_grants')
    .values({
      person_id: values.personId,
      organization_id: values.organizationId,
      role: values.role,
      granted_by: values.grantedBy,
    })
    .onConflict((oc) => oc.columns(['person_id', 'organization_id', 'role']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Locks the organization's grants of a role, so "keep one admin" holds under concurrent revokes. */
export function lockGrantsOfRole(db: AccountsDb, organizationId: string, role: Role) {
  return db
    .selectFrom('role_grants')
    .select(['id', 'person_id'])
    .where('organization_id', '=', organizationId)
    .where('role', '=', role)
    .forUpdate()
    .execute();
}

export function deleteGrant(db: AccountsDb, organizationId: string, grantId: string) {
  return db
    .deleteFrom('role_grants')
    .where('id', '=', grantId)
    .where('organization_id', '=', organizationId)
    .returningAll()
    .executeTakeFirst();
}

// ── API tokens ────────────────────────────────────────────────────────────────

export function insertApiToken(
  db: AccountsDb,
  values: { personId: string; name: string; tokenHash: string; prefix: string; scopes: TokenScope[] },
) {
  return db
    .insertInto('api_tokens')
    .values({
      person_id: values.personId,
      name: values.name,
      token_hash: values.tokenHash,
      prefix: values.prefix,
      scopes: JSON.stringify(values.scopes),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listApiTokens(db: AccountsDb, personId: string) {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('created_at', 'desc')
    .execute();
}

export function findLiveApiToken(db: AccountsDb, tokenHash: string) {
  return db
    .selectFrom('api_tokens as t')
    .innerJoin('people as p', 'p.id', 't.person_id')
    .select(['t.id', 't.person_id', 't.scopes', 't.last_used_at', 'p.locale'])
    .where('t.token_hash', '=', tokenHash)
    .where('t.revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function touchApiToken(db: AccountsDb, id: string, now: Date) {
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
}

export function revokeApiToken(db: AccountsDb, personId: string, id: string, now: Date) {
  return db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('person_id', '=', personId)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** Revokes every live token of a person (a password reset); returns the tokens revoked. */
export function revokeApiTokensOfPerson(db: AccountsDb, personId: string, now: Date) {
  return db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('person_id', '=', personId)
    .where('revoked_at', 'is', null)
    .returningAll()
    .execute();
}

export function findApiTokenScopes(db: AccountsDb, id: string) {
  return db.selectFrom('api_tokens').select('scopes').where('id', '=', id).executeTakeFirst();
}

// ── audit & outbox reads ─────────────────────────────────────────────────────

export function auditOfOrganization(db: AccountsDb, organizationId: string, offset: number, limit: number) {
  return db
    .selectFrom('audit_log as a')
    .leftJoin('people as p', 'p.id', 'a.actor_id')
    .select(['a.id', 'a.action', 'a.subject', 'a.at', 'p.id as actor_id', 'p.display_name as actor_name'])
    .where('a.organization_id', '=', organizationId)
    .orderBy('a.at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

export function countAuditOfOrganization(db: AccountsDb, organizationId: string) {
  return db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organization_id', '=', organizationId)
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}
