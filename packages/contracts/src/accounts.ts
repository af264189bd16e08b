import { z } from 'zod';
import { ROLES } from './vocabulary.js';
export { ROLES, ROLES_BY_KIND } from './vocabulary.js';
import { Locale } from './common.js';
import { OrganizationRef } from './organizations.js';

export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const Email = z
  .email('must be an e-mail address')
  .max(254)
  .transform((v) => v.toLowerCase());
export const Password = z.string().min(10, 'must be at least 10 characters').max(200, 'must be at most 200 characters');

export const SignUp = z.strictObject({
  email: Email,
  password: Password,
  displayName: z.string().trim().min(1).max(100),
  locale: Locale.default('en'),
});
export type SignUp = z.infer<typeof SignUp>;

export const SignIn = z.strictObject({ email: Email, password: z.string().min(1).max(200) });
export type SignIn = z.infer<typeof SignIn>;

export const VerifyEmail = z.strictObject({ token: z.string().min(10).max(200) });
export const RequestPasswordReset = z.strictObject({ email: Email });
export const CompletePasswordReset = z.strictObject({
  token: z.string().min(10).max(200),
  password: Password,
});

export const RoleGrant = z.object({
  id: z.uuid(),
  organization: OrganizationRef,
  role: Role,
  grantedAt: z.string(),
});
export type RoleGrant = z.infer<typeof RoleGrant>;

export const Me = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  locale: Locale,
  emailVerified: z.boolean(),
  isPlatformAdmin: z.boolean(),
  roles: z.array(RoleGrant),
  createdAt: z.string(),
});
export type Me = z.infer<typeof Me>;

/** The answer to sign-in and to "who am I": the person and the CSRF token for cookie writes. */
export const SessionInfo = z.object({ person: Me, csrfToken: z.string().nullable() });
export type SessionInfo = z.infer<typeof SessionInfo>;

export const UpdateProfile = z.strictObject({
  displayName: z.string().trim().min(1).max(100).optional(),
  locale: Locale.optional(),
});
export type UpdateProfile = z.infer<typeof UpdateProfile>;

export const SessionSummary = z.object({
  id: z.uuid(),
  current: z.boolean(),
  userAgent: z.string().nullable(),
  ip: z.string().nullable(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
});
export type SessionSummary = z.infer<typeof SessionSummary>;

export const Member = z.object({
  grantId: z.uuid(),
  person: z.object({ id: z.uuid(), email: z.string(), displayName: z.string() }),
  role: Role,
  grantedAt: z.string(),
});
export type Member = z.infer<typeof Member>;

export const GrantRole = z.strictObject({ email: Email, role: Role });
export type GrantRole = z.infer<typeof GrantRole>;

export const TokenScope = z.strictObject({ organizationId: z.uuid(), role: Role });
export type TokenScope = z.infer<typeof TokenScope>;

export const CreateApiToken = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(TokenScope).max(50),
});
export type CreateApiToken = z.infer<typeof CreateApiToken>;

export const ApiToken = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(TokenScope),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;

/** Returned once, at creation; only a hash is kept. */
export const CreatedApiToken = ApiToken.extend({ token: z.string() });
export type CreatedApiToken = z.infer<typeof CreatedApiToken>;

export const AuditEntry = z.object({
  id: z.number().int(),
  action: z.string(),
  actor: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
  subject: z.record(z.string(), z.unknown()),
  at: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const OutboxEmail = z.object({
  id: z.uuid(),
  to: z.string(),
  subject: z.string(),
  bodyText: z.string(),
  locale: z.string(),
  status: z.enum(['queued', 'sent', 'outbox', 'failed']),
  createdAt: z.string(),
});
export type OutboxEmail = z.infer<typeof OutboxEmail>;
export type VerifyEmail = z.infer<typeof VerifyEmail>;
export type RequestPasswordReset = z.infer<typeof RequestPasswordReset>;
export type CompletePasswordReset = z.infer<typeof CompletePasswordReset>;
