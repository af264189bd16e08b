import type { ApiToken, CreateApiToken, CreatedApiToken } from '@athenaeum/contracts';
import type { Principal } from '../../platform/auth/principal.js';
import type { AppContext } from '../../platform/context/context.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import { hashSecret, newSecret } from '../../platform/tokens.js';
import { AccountsErrors } from './accounts.errors.js';
import { presentApiToken } from './accounts.presenters.js';
import * as repo from './accounts.repository.js';

/** Every API token starts with this, so scanners and logs can recognize one. */
export const API_TOKEN_PREFIX = 'ath_';

/** Creates a token scoped to roles its creator holds; the secret is returned this once. */
export async function createApiToken(
  ctx: AppContext,
  caller: Pick<Principal, 'personId' | 'via'>,
  input: CreateApiToken,
): Promise<CreatedApiToken> {
  // Scopes are checked against the person's roles, so a token minting tokens would widen itself
  // (and outlive its own revocation).
  if (caller.via !== 'session') {
    throw new AppError(
      AccountsErrors.ACCOUNTS_SESSION_REQUIRED,
      'An API token cannot create API tokens; sign in to create one.',
    );
  }
  const { personId } = caller;
  return repo
    .accountsDb(ctx.db)
    .transaction()
    .execute(async (trx) => {
      for (const scope of input.scopes) {
        const held = await repo.rolesAt(trx, personId, scope.organizationId);
        if (!held.includes(scope.role)) {
          throw new AppError(
            AccountsErrors.ACCOUNTS_TOKEN_SCOPE_NOT_HELD,
            `You do not hold the role ${scope.role} at organization ${scope.organizationId}.`,
          );
        }
      }
      const token = newSecret(API_TOKEN_PREFIX);
      const row = await repo.insertApiToken(trx, {
        personId,
        name: input.name,
        tokenHash: hashSecret(token),
        prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
        scopes: input.scopes,
      });
      for (const organizationId of new Set(input.scopes.map((s) => s.organizationId))) {
        await recordAudit(trx, {
          organizationId,
          actorId: personId,
          action: 'token.created',
          subject: { tokenId: row.id, name: row.name },
        });
      }
      return { ...presentApiToken(row), token };
    });
}

export async function listApiTokens(ctx: AppContext, personId: string): Promise<ApiToken[]> {
  return (await repo.listApiTokens(repo.accountsDb(ctx.db), personId)).map(presentApiToken);
}

/** Revokes a token; requests with it fail from this moment. */
export async function revokeApiToken(ctx: AppContext, personId: string, tokenId: string): Promise<void> {
  await repo
    .accountsDb(ctx.db)
    .transaction()
    .execute(async (trx) => {
      const row = await repo.revokeApiToken(trx, personId, tokenId, ctx.clock.now());
      if (!row) throw new AppError(AccountsErrors.ACCOUNTS_TOKEN_NOT_FOUND, 'You have no live API token with this id.');
      for (const organizationId of new Set(row.scopes.map((s) => s.organizationId))) {
        await recordAudit(trx, {
          organizationId,
          actorId: personId,
          action: 'token.revoked',
          subject: { tokenId: row.id, name: row.name },
        });
      }
    });
}
