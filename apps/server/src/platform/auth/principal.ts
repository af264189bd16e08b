import type { Role } from '@athenaeum/contracts';
import type { FastifyRequest } from 'fastify';

/** Who is calling: a signed-in person (by session cookie) or a machine client (by API token). */
export interface Principal {
  personId: string;
  isPlatformAdmin: boolean;
  locale: string;
  via: 'session' | 'token';
  sessionId: string | null;
  csrfToken: string | null;
  tokenId: string | null;
}

/**
 * Supplied by the accounts module at start: the platform knows how to ask, not how people,
 * sessions and roles are stored.
 */
export interface AccessResolver {
  authenticate(request: FastifyRequest): Promise<Principal | null>;
  /** The roles the principal holds at an organization, including those inherited from its parent library. */
  rolesAt(principal: Principal, organizationId: string): Promise<Role[]>;
}
