import {
  AuditEntry,
  CompletePasswordReset,
  CreateApiToken,
  CreatedApiToken,
  ApiToken,
  CreateOrganization,
  GrantRole,
  Me,
  Member,
  Organization,
  OrganizationListQuery,
  OrganizationRef,
  Page,
  PageQuery,
  RequestPasswordReset,
  SessionInfo,
  SessionSummary,
  SignIn,
  SignUp,
  UpdateOrganization,
  UpdateProfile,
  VerifyEmail,
} from '@athenaeum/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyZodInstance } from '../../platform/http/types.js';
import { z } from 'zod';
import type { AppContext } from '../../platform/context/context.js';
import type { Principal } from '../../platform/auth/principal.js';
import { accountsPolicy as policy } from './accounts.policy.js';
import { SESSION_COOKIE } from './access-resolver.js';
import * as organizations from './organizations.service.js';
import * as people from './people.service.js';
import * as roles from './roles.service.js';
import * as sessions from './sessions.service.js';
import * as tokens from './tokens.service.js';

const IdParams = z.strictObject({ id: z.uuid() });
const GrantParams = z.strictObject({ id: z.uuid(), grantId: z.uuid() });
const Done = z.object({ ok: z.literal(true) });
const ok = { ok: true as const };

function isLocalhost(request: FastifyRequest): boolean {
  return ['localhost', '127.0.0.1', '[::1]', '::1'].includes(request.hostname.replace(/:\d+$/, ''));
}

function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, expires: Date): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: !isLocalhost(request),
    path: '/',
    expires,
  });
}

const me = (request: FastifyRequest): Principal => request.principal!;

/** People, sessions, organizations, roles and tokens under /api/v1. */
export async function accountsRoutes(app: FastifyZodInstance, ctx: AppContext): Promise<void> {
  // ── sign-up, verification, sign-in, password reset ──
  app.post(
    '/accounts',
    {
      config: { access: policy.signUpOrIn },
      schema: { tags: ['accounts'], summary: 'Sign up with e-mail and password', body: SignUp, response: { 201: Me } },
    },
    async (request, reply) => reply.status(201).send(await people.signUp(ctx, request.body)),
  );

  app.post(
    '/accounts/verification',
    {
      config: { access: policy.signUpOrIn },
      schema: {
        tags: ['accounts'],
        summary: 'Confirm an e-mail address with the mailed token',
        body: VerifyEmail,
        response: { 200: Done },
      },
    },
    async (request) => (await people.verifyEmail(ctx, request.body.token), ok),
  );

  app.post(
    '/accounts/verification/resend',
    {
      config: { access: policy.manageOwnAccount },
      schema: { tags: ['accounts'], summary: 'Send the verification e-mail again', response: { 200: Done } },
    },
    async (request) => (await people.resendVerification(ctx, me(request).personId), ok),
  );

  app.post(
    '/password-resets',
    {
      config: { access: policy.signUpOrIn, rateLimit: { max: 5, timeWindow: '15 minutes' } },
      schema: {
        tags: ['accounts'],
        summary: 'E-mail a password reset link',
        body: RequestPasswordReset,
        response: { 202: Done },
      },
    },
    async (request, reply) => reply.status(202).send((await people.requestPasswordReset(ctx, request.body.email), ok)),
  );

  app.post(
    '/password-resets/complete',
    {
      config: { access: policy.signUpOrIn },
      schema: {
        tags: ['accounts'],
        summary: 'Set a new password with the mailed token',
        body: CompletePasswordReset,
        response: { 200: Done },
      },
    },
    async (request) => (await people.completePasswordReset(ctx, request.body), ok),
  );

  app.post(
    '/sessions',
    {
      config: { access: policy.signUpOrIn },
      schema: { tags: ['sessions'], summary: 'Sign in', body: SignIn, response: { 201: SessionInfo } },
    },
    async (request, reply) => {
      const session = await sessions.signIn(ctx, request.body, {
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
      });
      setSessionCookie(request, reply, session.token, session.expiresAt);
      return reply
        .status(201)
        .send({ person: await people.getMe(ctx, session.personId), csrfToken: session.csrfToken });
    },
  );

  app.get(
    '/sessions/current',
    {
      config: { access: policy.ownAccount },
      schema: {
        tags: ['sessions'],
        summary: 'Who am I (and the CSRF token for writes)',
        response: { 200: SessionInfo },
      },
    },
    async (request) => ({ person: await people.getMe(ctx, me(request).personId), csrfToken: me(request).csrfToken }),
  );

  app.delete(
    '/sessions/current',
    {
      config: { access: policy.ownAccount },
      schema: { tags: ['sessions'], summary: 'Sign out', response: { 200: Done } },
    },
    async (request, reply) => {
      await sessions.signOut(ctx, me(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return ok;
    },
  );

  app.get(
    '/sessions',
    {
      config: { access: policy.manageOwnAccount },
      schema: {
        tags: ['sessions'],
        summary: 'My open sessions',
        response: { 200: z.object({ items: z.array(SessionSummary) }) },
      },
    },
    async (request) => ({ items: await sessions.listSessions(ctx, me(request)) }),
  );

  app.delete(
    '/sessions/:id',
    {
      config: { access: policy.manageOwnAccount },
      schema: { tags: ['sessions'], summary: 'End one of my sessions', params: IdParams, response: { 200: Done } },
    },
    async (request) => (await sessions.revokeSession(ctx, me(request), request.params.id), ok),
  );

  app.post(
    '/sessions/revoke-others',
    {
      config: { access: policy.manageOwnAccount },
      schema: {
        tags: ['sessions'],
        summary: 'Sign out all my other sessions',
        response: { 200: z.object({ ended: z.number().int() }) },
      },
    },
    async (request) => ({ ended: await sessions.revokeOtherSessions(ctx, me(request)) }),
  );

  // ── my profile and tokens ──
  app.patch(
    '/me',
    {
      config: { access: policy.manageOwnAccount },
      schema: { tags: ['accounts'], summary: 'Update my profile', body: UpdateProfile, response: { 200: Me } },
    },
    async (request) => people.updateProfile(ctx, me(request).personId, request.body),
  );

  app.get(
    '/tokens',
    {
      config: { access: policy.manageOwnAccount },
      schema: { tags: ['tokens'], summary: 'My API tokens', response: { 200: z.object({ items: z.array(ApiToken) }) } },
    },
    async (request) => ({ items: await tokens.listApiTokens(ctx, me(request).personId) }),
  );

  app.post(
    '/tokens',
    {
      config: { access: policy.manageOwnAccount },
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token (the secret is shown once)',
        body: CreateApiToken,
        response: { 201: CreatedApiToken },
      },
    },
    async (request, reply) => reply.status(201).send(await tokens.createApiToken(ctx, me(request), request.body)),
  );

  app.delete(
    '/tokens/:id',
    {
      config: { access: policy.manageOwnAccount },
      schema: { tags: ['tokens'], summary: 'Revoke an API token', params: IdParams, response: { 200: Done } },
    },
    async (request) => (await tokens.revokeApiToken(ctx, me(request).personId, request.params.id), ok),
  );

  // ── organizations ──
  app.get(
    '/organizations',
    {
      config: { access: policy.browseDirectory },
      schema: {
        tags: ['organizations'],
        summary: 'The directory of organizations',
        querystring: OrganizationListQuery,
        response: { 200: Page(OrganizationRef) },
      },
    },
    async (request) => organizations.listOrganizations(ctx, request.query),
  );

  app.get(
    '/organizations/:id',
    {
      config: { access: policy.browseDirectory },
      schema: {
        tags: ['organizations'],
        summary: 'One organization',
        params: IdParams,
        response: { 200: Organization },
      },
    },
    async (request) => organizations.getOrganization(ctx, request.params.id),
  );

  app.post(
    '/organizations',
    {
      config: { access: policy.createOrganization },
      schema: {
        tags: ['organizations'],
        summary: 'Create an organization',
        body: CreateOrganization,
        response: { 201: Organization },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await organizations.createOrganization(ctx, me(request).personId, request.body)),
  );

  app.patch(
    '/organizations/:id',
    {
      config: { access: policy.manageOrganization },
      schema: {
        tags: ['organizations'],
        summary: 'Update an organization',
        params: IdParams,
        body: UpdateOrganization,
        response: { 200: Organization },
      },
    },
    async (request) => organizations.updateOrganization(ctx, me(request).personId, request.params.id, request.body),
  );

  app.get(
    '/organizations/:id/members',
    {
      config: { access: policy.manageOrganization },
      schema: {
        tags: ['roles'],
        summary: 'People holding roles here',
        params: IdParams,
        querystring: PageQuery,
        response: { 200: Page(Member) },
      },
    },
    async (request) => roles.listMembers(ctx, request.params.id, request.query),
  );

  app.post(
    '/organizations/:id/members',
    {
      config: { access: policy.manageOrganization },
      schema: {
        tags: ['roles'],
        summary: 'Grant a role',
        params: IdParams,
        body: GrantRole,
        response: { 201: Member },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await roles.grantRole(ctx, me(request).personId, request.params.id, request.body)),
  );

  app.delete(
    '/organizations/:id/members/:grantId',
    {
      config: { access: policy.manageOrganization },
      schema: { tags: ['roles'], summary: 'Revoke a role', params: GrantParams, response: { 200: Done } },
    },
    async (request) => (
      await roles.revokeRole(ctx, me(request).personId, request.params.id, request.params.grantId),
      ok
    ),
  );

  app.get(
    '/organizations/:id/audit',
    {
      config: { access: policy.manageOrganization },
      schema: {
        tags: ['roles'],
        summary: 'Audit log of this organization',
        params: IdParams,
        querystring: PageQuery,
        response: { 200: Page(AuditEntry) },
      },
    },
    async (request) => roles.listAudit(ctx, request.params.id, request.query),
  );
}
