import {
  ROLES_BY_KIND,
  type AuditEntry,
  type GrantRole,
  type Member,
  type Page,
  type PageQuery,
} from '@athenaeum/contracts';
import type { AppContext } from '../../platform/context/context.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import { pageOffset, toPage } from '../../platform/http/pagination.js';
import { AccountsErrors } from './accounts.errors.js';
import { iso } from './accounts.presenters.js';
import * as repo from './accounts.repository.js';

async function requireOrganization(db: repo.AccountsDb, id: string) {
  const org = await repo.findOrganization(db, id);
  if (!org)
    throw new AppError(AccountsErrors.ACCOUNTS_ORGANIZATION_NOT_FOUND, `There is no organization with id ${id}.`);
  return org;
}

export async function listMembers(ctx: AppContext, organizationId: string, query: PageQuery): Promise<Page<Member>> {
  const db = repo.accountsDb(ctx.db);
  await requireOrganization(db, organizationId);
  const [rows, total] = await Promise.all([
    repo.membersOfOrganization(db, organizationId, pageOffset(query), query.pageSize),
    repo.countMembersOfOrganization(db, organizationId),
  ]);
  return toPage(
    rows.map((r) => ({
      grantId: r.grant_id,
      role: r.role,
      grantedAt: iso(r.granted_at),
      person: { id: r.person_id, email: r.email, displayName: r.display_name },
    })),
    total,
    query,
  );
}

/** Grants a role at an organization to a registered person, with an audit entry. */
export async function grantRole(
  ctx: AppContext,
  actorId: string,
  organizationId: string,
  input: GrantRole,
): Promise<Member> {
  return repo
    .accountsDb(ctx.db)
    .transaction()
    .execute(async (trx) => {
      const org = await requireOrganization(trx, organizationId);
      const allowed: readonly string[] = ROLES_BY_KIND[org.kind];
      if (!allowed.includes(input.role)) {
        throw new AppError(
          AccountsErrors.ACCOUNTS_ROLE_NOT_ALLOWED,
          `A ${org.kind} has the roles ${allowed.join(', ')}; ${input.role} is not one of them.`,
        );
      }
      const person = await repo.findPersonByEmail(trx, input.email);
      if (!person)
        throw new AppError(
          AccountsErrors.ACCOUNTS_PERSON_NOT_FOUND,
          `Nobody is registered with ${input.email}; ask them to sign up first.`,
        );
      const grant = await repo.insertGrant(trx, {
        personId: person.id,
        organizationId,
        role: input.role,
        grantedBy: actorId,
      });
      if (!grant)
        throw new AppError(
          AccountsErrors.ACCOUNTS_ROLE_EXISTS,
          `${input.email} already holds the role ${input.role} here.`,
        );
      await recordAudit(trx, {
        organizationId,
        actorId,
        action: 'role.granted',
        subject: { personId: person.id, email: person.email, role: input.role },
      });
      return {
        grantId: grant.id,
        role: grant.role,
        grantedAt: iso(grant.granted_at),
        person: { id: person.id, email: person.email, displayName: person.display_name },
      };
    });
}

/** Revokes a role grant, with an audit entry; the last administrator of a library stays. */
export async function revokeRole(
  ctx: AppContext,
  actorId: string,
  organizationId: string,
  grantId: string,
): Promise<void> {
  await repo
    .accountsDb(ctx.db)
    .transaction()
    .execute(async (trx) => {
      const org = await requireOrganization(trx, organizationId);
      const adminRole = org.kind === 'library' || org.kind === 'branch' ? 'admin' : 'officer';
      const admins = await repo.lockGrantsOfRole(trx, organizationId, adminRole);
      const removed = await repo.deleteGrant(trx, organizationId, grantId);
      if (!removed)
        throw new AppError(AccountsErrors.ACCOUNTS_GRANT_NOT_FOUND, 'This organization has no such role grant.');
      if (removed.role === adminRole && admins.length === 1 && org.kind !== 'branch') {
        throw new AppError(
          AccountsErrors.ACCOUNTS_LAST_ADMIN,
          `This is the last ${adminRole} of ${org.code}; grant the role to someone else first.`,
        );
      }
      const person = await repo.findPerson(trx, removed.person_id);
      await recordAudit(trx, {
        organizationId,
        actorId,
        action: 'role.revoked',
        subject: {
          personId: removed.person_id,
          email: person?.email,
          displayName: person?.display_name,
          role: removed.role,
        },
      });
    });
}

export async function listAudit(ctx: AppContext, organizationId: string, query: PageQuery): Promise<Page<AuditEntry>> {
  const db = repo.accountsDb(ctx.db);
  await requireOrganization(db, organizationId);
  const [rows, total] = await Promise.all([
    repo.auditOfOrganization(db, organizationId, pageOffset(query), query.pageSize),
    repo.countAuditOfOrganization(db, organizationId),
  ]);
  return toPage(
    rows.map((r) => ({
      id: r.id,
      action: r.action,
      actor: r.actor_id ? { id: r.actor_id, displayName: r.actor_name ?? '' } : null,
      subject: r.subject,
      at: iso(r.at),
    })),
    total,
    query,
  );
}
