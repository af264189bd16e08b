import type { Me, SignUp, UpdateProfile } from '@athenaeum/contracts';
import type { CompletePasswordReset } from '@athenaeum/contracts';
import { recordAudit } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context/context.js';
import { AppError } from '../../platform/errors.js';
import { translate } from '../../platform/i18n/translate.js';
import { queueEmail } from '../../platform/mail/mailer.js';
import { hashSecret, newSecret } from '../../platform/tokens.js';
import { AccountsErrors } from './accounts.errors.js';
import { accountsMessages } from './accounts.messages.js';
import { presentGrant, presentMe } from './accounts.presenters.js';
import * as repo from './accounts.repository.js';
import { hashPassword } from './passwords.js';

const VERIFY_TTL_MS = 48 * 3600_000;
const RESET_TTL_MS = 3600_000;

function publicUrl(ctx: AppContext): string {
  return (ctx.config.publicUrl ?? `http://localhost:${ctx.config.port}`).replace(/\/$/, '');
}

async function sendTokenEmail(
  ctx: AppContext,
  db: repo.AccountsDb,
  person: { id: string; email: string; display_name: string; locale: string },
  purpose: 'verify_email' | 'reset_password',
): Promise<void> {
  const token = newSecret();
  const ttl = purpose === 'verify_email' ? VERIFY_TTL_MS : RESET_TTL_MS;
  await repo.insertPersonToken(db, {
    tokenHash: hashSecret(token),
    personId: person.id,
    purpose,
    expiresAt: new Date(ctx.clock.now().getTime() + ttl),
  });
  const path = purpose === 'verify_email' ? 'verify-email' : 'reset-password';
  const link = `${publicUrl(ctx)}/${path}?token=${encodeURIComponent(token)}`;
  const [subjectKey, bodyKey] =
    purpose === 'verify_email' ? (['verifySubject', 'verifyBody'] as const) : (['resetSubject', 'resetBody'] as const);
  await queueEmail(db, {
    to: person.email,
    locale: person.locale,
    subject: translate(accountsMessages, person.locale, subjectKey),
    text: translate(accountsMessages, person.locale, bodyKey, { name: person.display_name, link }),
  });
}

/** Registers a person and e-mails a verification link. */
export async function signUp(ctx: AppContext, input: SignUp): Promise<Me> {
  const passwordHash = await hashPassword(input.password);
  return repo
    .accountsDb(ctx.db)
    .transaction()
    .execute(async (trx) => {
      const person = await repo.insertPerson(trx, {
        email: input.email,
        displayName: input.displayName,
        passwordHash,
        locale: input.locale,
        verified: false,
      });
      if (!person)
        throw new AppError(
          AccountsErrors.ACCOUNTS_EMAIL_TAKEN,
          `An account with ${input.email} already exists; sign in or reset the password.`,
        );
      await sendTokenEmail(ctx, trx, person, 'verify_email');
      return presentMe(person, []);
    });
}

/** Confirms an address with the token from the e-mail. */
export async function verifyEmail(ctx: AppContext, token: string): Promise<void> {
  await repo
    .accountsDb(ctx.db)
    .transaction()
    .execute(async (trx) => {
      const used = await repo.consumePersonToken(trx, hashSecret(token), 'verify_email', ctx.clock.now());
      if (!used)
        throw new AppError(
          AccountsErrors.ACCOUNTS_TOKEN_INVALID,
          'This verification link is invalid, already used or expired.',
        );
      await repo.updatePerson(trx, used.person_id, { email_verified_at: ctx.clock.now() });
    });
}

/** Sends a new verification link to a signed-in person whose address is not yet confirmed. */
export async function resendVerification(ctx: AppContext, personId: string): Promise<void> {
  await repo
    .accountsDb(ctx.db)
    .transaction()
    .execute(async (trx) => {
      const person = await repo.findPerson(trx, personId);
      if (!person || person.email_verified_at) return;
      await sendTokenEmail(ctx, trx, person, 'verify_email');
    });
}

/** E-mails a reset link; answers the same whether or not the address is known. */
export async function requestPasswordReset(ctx: AppContext, email: string): Promise<void> {
  await repo
    .accountsDb(ctx.db)
    .transaction()
    .execute(async (trx) => {
      const person = await repo.findPersonByEmail(trx, email);
      if (person) await sendTokenEmail(ctx, trx, person, 'reset_password');
    });
}

/**
 * Sets a new password with the e-mailed token, signs out every session of the person and revokes
 * their API tokens: a reset is how a hijacked account is taken back, and tokens the intruder made
 * must stop with the sessions.
 */
export async function completePasswordReset(ctx: AppContext, input: CompletePasswordReset): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  await repo
    .accountsDb(ctx.db)
    .transaction()
    .execute(async (trx) => {
      const used = await repo.consumePersonToken(trx, hashSecret(input.token), 'reset_password', ctx.clock.now());
      if (!used)
        throw new AppError(
          AccountsErrors.ACCOUNTS_TOKEN_INVALID,
          'This reset link is invalid, already used or expired.',
        );
      // Whoever could read the e-mail could read the inbox: the address is confirmed too.
      await repo.updatePerson(trx, used.person_id, { password_hash: passwordHash, email_verified_at: ctx.clock.now() });
      await repo.deleteSessionsExcept(trx, used.person_id, null);
      for (const revoked of await repo.revokeApiTokensOfPerson(trx, used.person_id, ctx.clock.now())) {
        for (const organizationId of new Set(revoked.scopes.map((s) => s.organizationId))) {
          await recordAudit(trx, {
            organizationId,
            actorId: used.person_id,
            action: 'token.revoked',
            subject: { tokenId: revoked.id, name: revoked.name, reason: 'password_reset' },
          });
        }
      }
      await repo.clearLoginFailures(trx, (await repo.findPerson(trx, used.person_id))!.email);
    });
}

/** The signed-in person with their roles. */
export async function getMe(ctx: AppContext, personId: string): Promise<Me> {
  const db = repo.accountsDb(ctx.db);
  const person = await repo.findPerson(db, personId);
  if (!person) throw new AppError(AccountsErrors.ACCOUNTS_PERSON_NOT_FOUND, 'This account no longer exists.');
  const grants = await repo.grantsOfPerson(db, personId);
  return presentMe(person, grants.map(presentGrant));
}

export async function updateProfile(ctx: AppContext, personId: string, input: UpdateProfile): Promise<Me> {
  await repo
    .accountsDb(ctx.db)
    .transaction()
    .execute(async (trx) => {
      await repo.updatePerson(trx, personId, {
        ...(input.displayName ? { display_name: input.displayName } : {}),
        ...(input.locale ? { locale: input.locale } : {}),
      });
    });
  return getMe(ctx, personId);
}

/**
 * Creates (or promotes) a platform administrator; used by the operator command line.
 * Returns whether the person was newly created.
 */
export async function ensurePlatformAdmin(
  ctx: AppContext,
  input: { email: string; password: string; displayName: string },
): Promise<{ created: boolean; personId: string }> {
  const passwordHash = await hashPassword(input.password);
  return repo
    .accountsDb(ctx.db)
    .transaction()
    .execute(async (trx) => {
      const existing = await repo.findPersonByEmail(trx, input.email);
      if (existing) {
        await repo.updatePerson(trx, existing.id, { is_platform_admin: true });
        return { created: false, personId: existing.id };
      }
      const person = await repo.insertPerson(trx, {
        email: input.email,
        displayName: input.displayName,
        passwordHash,
        locale: 'en',
        verified: true,
        platformAdmin: true,
      });
      return { created: true, personId: person!.id };
    });
}

/** The id of the person with this e-mail address, or null (the demo seeds link records to the demo people). */
export async function personIdByEmail(ctx: AppContext, email: string): Promise<string | null> {
  return (await repo.findPersonByEmail(repo.accountsDb(ctx.db), email.toLowerCase()))?.id ?? null;
}
