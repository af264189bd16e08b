import type { FastifyInstance, RouteOptions } from 'fastify';
import type { Access } from '../auth/access.js';
import type { AccessResolver } from '../auth/principal.js';
import { PlatformErrors } from '../errors.js';
import { safeEqual } from '../tokens.js';
import { sendProblem } from './problem.js';
import { isUuid } from '../uuid.js';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const CSRF_HEADER = 'x-csrf-token';

/** Routes that plugins register (API docs, static files) are public by nature. */
const PLUGIN_ROUTE_PREFIXES = ['/api/docs/', '/assets/'];

/**
 * Refuses to register any route that does not declare `config.access`, then checks each request
 * against its declaration: authenticate, authorize, and require the CSRF token on cookie writes.
 */
export function installGuard(app: FastifyInstance, resolver: AccessResolver): void {
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route: RouteOptions) => {
    const config = (route.config ?? {}) as { access?: Access };
    if (config.access) return;
    if (
      route.url === '/api/docs' ||
      PLUGIN_ROUTE_PREFIXES.some((p) => route.url.startsWith(p)) ||
      route.url === '/*' ||
      route.url === '*'
    ) {
      route.config = { ...config, access: { kind: 'public' } };
      return;
    }
    throw new Error(`Route ${String(route.method)} ${route.url} does not declare config.access`);
  });

  app.addHook('onRequest', async (request, reply) => {
    const declared = request.routeOptions.config?.access;
    request.principal = await resolver.authenticate(request);
    const principal = request.principal;
    const accessRule: Access = declared ?? { kind: 'public' };

    if (accessRule.kind !== 'public' && !principal) {
      return sendProblem(request, reply, PlatformErrors.AUTHENTICATION_REQUIRED, 'Sign in to do this.');
    }
    if (principal?.via === 'session' && UNSAFE_METHODS.has(request.method)) {
      const header = request.headers[CSRF_HEADER];
      if (typeof header !== 'string' || !principal.csrfToken || !safeEqual(header, principal.csrfToken)) {
        return sendProblem(
          request,
          reply,
          PlatformErrors.CSRF_TOKEN_INVALID,
          `Writes with a session cookie must send the session's CSRF token in the ${CSRF_HEADER} header.`,
        );
      }
    }
    if (accessRule.kind === 'session' && principal?.via !== 'session') {
      return sendProblem(
        request,
        reply,
        PlatformErrors.SESSION_REQUIRED,
        'This needs a signed-in session; an API token cannot manage an account.',
      );
    }
    if (!principal || principal.isPlatformAdmin) return;
    if (accessRule.kind === 'platformAdmin') {
      return sendProblem(request, reply, PlatformErrors.FORBIDDEN, 'Only platform administrators may do this.');
    }
    if (accessRule.kind === 'orgRole') {
      // Fastify has parsed the query string and the route parameters before onRequest runs.
      const source = (accessRule.from === 'query' ? request.query : request.params) as Record<string, unknown>;
      const named = source[accessRule.param];
      const organizationId = typeof named === 'string' ? named : undefined;
      const held = organizationId && isUuid(organizationId) ? await resolver.rolesAt(principal, organizationId) : [];
      if (!held.some((role) => accessRule.roles.includes(role))) {
        return sendProblem(
          request,
          reply,
          PlatformErrors.FORBIDDEN,
          `This needs the role ${accessRule.roles.join(' or ')} at this organization.`,
        );
      }
    }
  });
}
