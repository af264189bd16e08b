import type { Role, SessionSummary, SignIn } from '@athenaeum/contracts';
import type { AppContext } from '../../platform/context/context.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';
import { hashSecret, newSecret } from '../../platform/tokens.js';
import { AccountsErrors } from './accounts.errors.js';
import { iso } from './accounts.presenters.js';
import * as repo from './accounts.repository.js';
import { burnPasswordCheck, verifyPassword } from './passwords.js';

export const SESSION_TTL_MS = 30 * 24 * 3600_000;
const TOUCH_EVERY_MS = 60_000;

/** Sign-in throttling: failures allowed per window, per account and per client address. */
export const LOGIN_LIMITS = { windowMs: 15 * 60_000, perAccount: 5, perIp: 30 } as const;

export interface NewSession {
  token: string;
  csrfToken: string;
  personId: string;
  expiresAt: Date;
}

async function throttleCheck(ctx: AppContext, email: string, ip: string): Promise<void> {
  const db = repo.accountsDb(ctx.db);
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - LOGIN_LIMITS.windowMs);
  const counts = await repo.recentLoginFailures(db, email, ip, since);
  const over =
    counts.byEmail >= LOGIN_LIMITS.perAccount
      ? { column: 'email' as const, value: email, n: LOGIN_LIMITS.perAccount, who: 'this account' }
      : counts.byIp >= LOGIN_LIMITS.perIp
        ? { column: 'ip' as const, value: ip, n: LOGIN_LIMITS.perIp, who: 'this network address' }
        : null;
  if (!over) return;
  const nth = await repo.nthRecentFailure(db, over.column, over.value, over.n);
  const freeAt = (nth ?? now).getTime() + LOGIN_LIMITS.windowMs;
  const seconds = Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000));
  const minutes = Math.ceil(seconds / 60);
  throw new AppError(
    AccountsErrors.ACCOUNTS_LOGIN_LOCKED,
    `Too many failed sign-ins for ${over.who}. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    { retryAfterSeconds: seconds, retryAfterMinutes: minutes },
  );
}

/**
 * Checks the password (with per-account and per-address throttling) and opens a session. Each
 * attempt is recorded as a failure before the password is checked and forgiven if it succeeds, so
 * that simultaneous guesses cannot get past the limits.
 */
export async function signIn(
  ctx: AppContext,
  input: SignIn,
  client: { ip: string; userAgent: string | null },
): Promise<NewSession> {
  const db = repo.accountsDb(ctx.db);
  for (;;) {
    const now = ctx.clock.now();
    const attempt = { email: input.email, ip: client.ip, now, since: new Date(now.getTime() - LOGIN_LIMITS.windowMs) };
    if (await repo.reserveLoginAttempt(db, attempt, LOGIN_LIMITS)) break;
    await throttleCheck(ctx, input.email, client.ip);
  }
  const person = await repo.findPersonByEmail(db, input.email);
  const ok = person
    ? await verifyPassword(person.password_hash, input.password)
    : (await burnPasswordCheck(input.password), false);
  if (!person || !ok) {
    throw new AppError(AccountsErrors.ACCOUNTS_INVALID_CREDENTIALS, 'The e-mail address or the password is wrong.');
  }
  const token = newSecret();
  const csrfToken = newSecret('', 24);
  const expiresAt = new Date(ctx.clock.now().getTime() + SESSION_TTL_MS);
  await db.transaction().execute(async (trx) => {
    await repo.clearLoginFailures(trx, input.email);
    await repo.insertSession(trx, {
      personId: person.id,
      tokenHash: hashSecret(token),
      csrfToken,
      userAgent: client.userAgent?.slice(0, 300) ?? null,
      ip: client.ip,
      expiresAt,
    });
  });
  return { token, csrfToken, personId: person.id, expiresAt };
}

/** The principal behind a session cookie's value, sliding its expiry. */
export async function principalFromSession(ctx: AppContext, token: string): Promise<Principal | null> {
  const db = repo.accountsDb(ctx.db);
  const now = ctx.clock.now();
  const session = await repo.findLiveSession(db, hashSecret(token), now);
  if (!session) return null;
  if (now.getTime() - new Date(session.last_seen_at).getTime() > TOUCH_EVERY_MS) {
    await repo.touchSession(db, session.id, now, new Date(now.getTime() + SESSION_TTL_MS));
  }
  return {
    personId: session.person_id,
    isPlatformAdmin: session.is_platform_admin,
    locale: session.locale,
    via: 'session',
    sessionId: session.id,
    csrfToken: session.csrf_token,
    tokenId: null,
  };
}

/** The principal behind an API token; a revoked token resolves to nobody at once. */
export async function principalFromApiToken(ctx: AppContext, token: string): Promise<Principal | null> {
  const db = repo.accountsDb(ctx.db);
  const row = await repo.findLiveApiToken(db, hashSecret(token));
  if (!row) return null;
  const now = ctx.clock.now();
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > TOUCH_EVERY_MS) {
    await repo.touchApiToken(db, row.id, now);
  }
  return {
    personId: row.person_id,
    isPlatformAdmin: false,
    locale: row.locale,
    via: 'token',
    sessionId: null,
    csrfToken: null,
    tokenId: row.id,
  };
}

/**
 * Roles held at an organization (directly or through its parent library). For an API token,
 * only the roles both granted to the token and still held by its creator count.
 */
export async function rolesAt(ctx: AppContext, principal: Principal, organizationId: string): Promise<Role[]> {
  const db = repo.accountsDb(ctx.db);
  const held = await repo.rolesAt(db, principal.personId, organizationId);
  if (principal.via !== 'token' || !principal.tokenId) return held;
  const [token, org] = await Promise.all([
    repo.findApiTokenScopes(db, principal.tokenId),
    repo.findOrganization(db, organizationId),
  ]);
  const scopeOrgs = new Set([organizationId, org?.parent_id].filter(Boolean));
  const allowed = new Set((token?.scopes ?? []).filter((s) => scopeOrgs.has(s.organizationId)).map((s) => s.role));
  return held.filter((role) => allowed.has(role));
}

export async function signOut(ctx: AppContext, principal: Principal): Promise<void> {
  if (principal.sessionId) await repo.deleteSession(repo.accountsDb(ctx.db), principal.personId, principal.sessionId);
}

export async function listSessions(ctx: AppContext, principal: Principal): Promise<SessionSummary[]> {
  const rows = await repo.listSessions(repo.accountsDb(ctx.db), principal.personId, ctx.clock.now());
  return rows.map((r) => ({
    id: r.id,
    current: r.id === principal.sessionId,
    userAgent: r.user_agent,
    ip: r.ip,
    createdAt: iso(r.created_at),
    lastSeenAt: iso(r.last_seen_at),
  }));
}

export async function revokeSession(ctx: AppContext, principal: Principal, sessionId: string): Promise<void> {
  const result = await repo.deleteSession(repo.accountsDb(ctx.db), principal.personId, sessionId);
  if (!result.numDeletedRows)
    throw new AppError(AccountsErrors.ACCOUNTS_SESSION_NOT_FOUND, 'You have no session with this id.');
}

/** Signs out every other session of the person; returns how many ended. */
export async function revokeOtherSessions(ctx: AppContext, principal: Principal): Promise<number> {
  const result = await repo.deleteSessionsExcept(repo.accountsDb(ctx.db), principal.personId, principal.sessionId);
  return Number(result.numDeletedRows);
}
