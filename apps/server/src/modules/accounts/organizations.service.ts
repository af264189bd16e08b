import type {
  CreateOrganization,
  Organization,
  OrganizationListQuery,
  Page,
  UpdateOrganization,
} from '@athenaeum/contracts';
import type { AppContext } from '../../platform/context/context.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import { pageOffset, toPage } from '../../platform/http/pagination.js';
import { AccountsErrors } from './accounts.errors.js';
import { presentOrganization, presentRef } from './accounts.presenters.js';
import * as repo from './accounts.repository.js';
import type { OrganizationRef } from '@athenaeum/contracts';
import type { Kysely } from 'kysely';
import type { AnyDb } from '../../platform/db/database.js';
import type { PlatformTables } from '../../platform/db/tables.js';

/** Which kinds of group each kind of organization may join. */
const MAY_JOIN = { library: ['association'], association: ['alliance'], alliance: [], branch: [] } as const;

export async function listOrganizations(ctx: AppContext, query: OrganizationListQuery): Promise<Page<OrganizationRef>> {
  const { rows, total } = await repo.listOrganizations(repo.accountsDb(ctx.db), query, pageOffset(query));
  return toPage(rows.map(presentRef), total, query);
}

export async function getOrganization(ctx: AppContext, id: string): Promise<Organization> {
  const db = repo.accountsDb(ctx.db);
  const row = await repo.findOrganization(db, id);
  if (!row)
    throw new AppError(AccountsErrors.ACCOUNTS_ORGANIZATION_NOT_FOUND, `There is no organization with id ${id}.`);
  const [parent, memberOf, members] = await Promise.all([
    row.parent_id ? repo.findOrganization(db, row.parent_id) : Promise.resolve(undefined),
    repo.groupsOf(db, id),
    repo.membersOf(db, id),
  ]);
  return presentOrganization(row, { parent: parent ?? null, memberOf, members });
}

export async function createOrganization(
  ctx: AppContext,
  actorId: string,
  input: CreateOrganization,
): Promise<Organization> {
  const id = await repo
    .accountsDb(ctx.db)
    .transaction()
    .execute(async (trx) => {
      if (input.kind === 'branch') {
        const parent = input.parentId ? await repo.findOrganization(trx, input.parentId) : undefined;
        if (parent?.kind !== 'library') {
          throw new AppError(
            AccountsErrors.ACCOUNTS_ORGANIZATION_INVALID,
            'A branch needs parentId: the id of the library it belongs to.',
          );
        }
      } else if (input.parentId) {
        throw new AppError(
          AccountsErrors.ACCOUNTS_ORGANIZATION_INVALID,
          'Only a branch has a parent organization; use memberOf for associations and alliances.',
        );
      }
      const groups = await repo.organizationRefs(trx, input.memberOf ?? []);
      const allowed: readonly string[] = MAY_JOIN[input.kind];
      const wrong = groups.find((g) => !allowed.includes(g.kind));
      if (wrong || groups.length !== (input.memberOf ?? []).length) {
        throw new AppError(
          AccountsErrors.ACCOUNTS_ORGANIZATION_INVALID,
          `A ${input.kind} may be a member of: ${allowed.join(', ') || 'nothing'}; check memberOf.`,
        );
      }
      const row = await repo.insertOrganization(trx, {
        code: input.code,
        kind: input.kind,
        parent_id: input.parentId ?? null,
        names: input.names,
        country: input.country,
        address: input.address ?? {},
        latitude: input.latitude ?? null,
        longitude: input.longitude ?? null,
        website: input.website ?? null,
        email: input.email ?? null,
        phone: input.phone ?? null,
        opening_hours: input.openingHours ?? null,
      });
      if (!row) {
        throw new AppError(
          AccountsErrors.ACCOUNTS_ORGANIZATION_CODE_TAKEN,
          `The code ${input.code} is already used by another organization.`,
        );
      }
      await repo.addAffiliations(trx, row.id, input.memberOf ?? []);
      await recordAudit(trx, {
        organizationId: row.id,
        actorId,
        action: 'organization.created',
        subject: { code: row.code, kind: row.kind },
      });
      return row.id;
    });
  return getOrganization(ctx, id);
}

export async function updateOrganization(
  ctx: AppContext,
  actorId: string,
  id: string,
  input: UpdateOrganization,
): Promise<Organization> {
  await repo
    .accountsDb(ctx.db)
    .transaction()
    .execute(async (trx) => {
      const current = await repo.findOrganization(trx, id);
      if (!current)
        throw new AppError(AccountsErrors.ACCOUNTS_ORGANIZATION_NOT_FOUND, `There is no organization with id ${id}.`);
      if (input.openingHours && current.kind !== 'branch') {
        throw new AppError(AccountsErrors.ACCOUNTS_ORGANIZATION_INVALID, 'Opening hours belong to branches.');
      }
      await repo.updateOrganization(trx, current, {
        names: input.names,
        country: input.country,
        address: input.address,
        latitude: input.latitude,
        longitude: input.longitude,
        website: input.website,
        email: input.email,
        phone: input.phone,
        opening_hours: input.openingHours,
      });
      await recordAudit(trx, {
        organizationId: id,
        actorId,
        action: 'organization.updated',
        subject: { fields: Object.keys(input) },
      });
    });
  return getOrganization(ctx, id);
}

/** An organization's id and kind by its code, or null. */
export async function findOrganizationByCode(
  ctx: AppContext,
  code: string,
): Promise<{ id: string; kind: string; code: string } | null> {
  const row = await repo.findOrganizationByCode(repo.accountsDb(ctx.db), code.toUpperCase());
  return row ? { id: row.id, kind: row.kind, code: row.code } : null;
}

/** The branches of a library, by code. */
export async function branchesOf(ctx: AppContext, libraryId: string): Promise<Map<string, string>> {
  const rows = await repo.membersOf(repo.accountsDb(ctx.db), libraryId);
  return new Map(rows.filter((r) => r.kind === 'branch').map((r) => [r.code, r.id]));
}

/**
 * The libraries that share an association with a library (itself excluded): its network-card
 * partners. Takes a database handle so that a caller may ask inside its own transaction.
 */
export async function associatedLibraries(
  db: AnyDb,
  libraryId: string,
): Promise<Array<{ id: string; code: string; names: Record<string, string> }>> {
  return repo.associatedLibraries(repo.accountsDb(db as Kysely<PlatformTables>), libraryId);
}

/** Libraries, branches or groups by id: code and names (unknown ids are left out). */
export async function organizationNames(
  ctx: AppContext,
  ids: string[],
): Promise<Map<string, { id: string; code: string; names: Record<string, string> }>> {
  const rows = await repo.organizationRefs(repo.accountsDb(ctx.db), [...new Set(ids)]);
  return new Map(rows.map((r) => [r.id, { id: r.id, code: r.code, names: r.names }]));
}
