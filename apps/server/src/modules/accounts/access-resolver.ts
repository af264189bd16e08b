import type { FastifyRequest } from 'fastify';
import type { AccessResolver } from '../../platform/auth/principal.js';
import type { AppContext } from '../../platform/context/context.js';
import { principalFromApiToken, principalFromSession, rolesAt } from './sessions.service.js';

export const SESSION_COOKIE = 'athenaeum_session';

/** Resolves a request's caller from `Authorization: Bearer ath_…` or the session cookie. */
export function createAccessResolver(ctx: AppContext): AccessResolver {
  return {
    async authenticate(request: FastifyRequest) {
      const header = request.headers.authorization;
      if (header?.startsWith('Bearer ')) return principalFromApiToken(ctx, header.slice(7).trim());
      const cookie = request.cookies?.[SESSION_COOKIE];
      return cookie ? principalFromSession(ctx, cookie) : null;
    },
    rolesAt: (principal, organizationId) => rolesAt(ctx, principal, organizationId),
  };
}
