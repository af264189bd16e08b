import { randomInt } from 'node:crypto';
import type {
  LibraryMembership,
  Organization,
  Patron,
  SelfRegistrationCategory,
  SelfRegistrationOffer,
} from '@athenaeum/contracts';
import { getMe, getOrganization } from '../../accounts/index.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import type { AppContext } from '../../../platform/context/context.js';
import { AppError } from '../../../platform/errors.js';
import { CirculationErrors } from '../circulation.errors.js';
import * as circulationRepo from '../circulation.repository.js';
import type { PatronRow } from '../circulation.repository.js';
import { getPatron } from '../patrons.service.js';
import * as repo from './registration.repository.js';

const CARD_ATTEMPTS = 8;

/** A 12-digit card number: 11 random digits and a Luhn check digit (catches a mistyped digit at the desk). */
export function generateCardNumber(): string {
  const digits = [randomInt(1, 10), ...Array.from({ length: 10 }, () => randomInt(0, 10))];
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // From the right, counting the check digit as position 1: every second digit is doubled.
    let d = digits[digits.length - 1 - i]!;
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return `${digits.join('')}${(10 - (sum % 10)) % 10}`;
}

function splitName(displayName: string): { givenName: string; familyName: string } {
  const parts = displayName.trim().split(/\s+/).filter(Boolean);
  if (parts.length < 2) return { givenName: parts[0] ?? '', familyName: '' };
  return { givenName: parts.slice(0, -1).join(' '), familyName: parts.at(-1)! };
}

function yearFrom(now: Date): string {
  const next = new Date(Date.UTC(now.getUTCFullYear() + 1, now.getUTCMonth(), now.getUTCDate()));
  return next.toISOString().slice(0, 10);
}

const libraryRef = (org: Organization) => ({
  id: org.id,
  code: org.code,
  kind: org.kind,
  names: org.names,
  country: org.country,
});

function present(row: PatronRow, library: Organization): LibraryMembership {
  return {
    patronId: row.id,
    library: libraryRef(library),
    cardNumber: row.card_number,
    category: row.category,
    status: row.status,
    expiresOn: circulationRepo.isoDay(row.expires_on),
    selfRegistered: row.self_registered_at !== null,
    mustConfirmAtDesk: row.status === 'pending' && row.self_registered_at !== null,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** What a library offers to people joining online; 'off' for anything that is not a library. */
export async function selfRegistrationOffer(ctx: AppContext, libraryId: string): Promise<SelfRegistrationOffer> {
  const org = await getOrganization(ctx, libraryId);
  const row =
    org.kind === 'library'
      ? await repo.selfRegistrationOf(circulationRepo.circulationDb(ctx.db), libraryId)
      : undefined;
  return {
    libraryId,
    mode: row?.self_registration ?? 'off',
    categories: (row?.self_registration_categories ?? ['adult']) as SelfRegistrationCategory[],
  };
}

/**
 * A signed-in person with a verified e-mail joins a library that accepts registration online:
 * a patron linked to their account, with a new card number. Where the library wants to see an
 * identity document first, the patron stays pending (and may not borrow) until staff confirm it.
 */
export async function joinLibrary(
  ctx: AppContext,
  personId: string,
  input: { libraryId: string; category: SelfRegistrationCategory; givenName?: string; familyName?: string },
  options: { cardNumber?: () => string } = {},
): Promise<LibraryMembership> {
  const me = await getMe(ctx, personId);
  if (!me.emailVerified) {
    throw new AppError(
      CirculationErrors.CIRCULATION_EMAIL_NOT_VERIFIED,
      `Confirm your e-mail address ${me.email} (follow the link in the e-mail we sent) before joining a library.`,
    );
  }
  const library = await getOrganization(ctx, input.libraryId);
  const offer = await selfRegistrationOffer(ctx, input.libraryId);
  if (offer.mode === 'off') {
    throw new AppError(
      CirculationErrors.CIRCULATION_SELF_REGISTRATION_CLOSED,
      'This library does not accept registration online; please register at one of its desks.',
      { libraryId: input.libraryId },
    );
  }
  if (!offer.categories.includes(input.category)) {
    throw new AppError(
      CirculationErrors.CIRCULATION_CATEGORY_NOT_OFFERED,
      `This library offers only these categories online: ${offer.categories.join(', ')}.`,
      { offered: offer.categories },
    );
  }
  const db = circulationRepo.circulationDb(ctx.db);
  const alreadyPatron = (row: PatronRow) =>
    new AppError(CirculationErrors.CIRCULATION_ALREADY_PATRON, 'You are already a patron of this library.', {
      patronId: row.id,
      cardNumber: row.card_number,
    });
  const existing = await repo.patronOfPerson(db, input.libraryId, personId);
  if (existing) throw alreadyPatron(existing);

  const fromAccount = splitName(me.displayName);
  const now = ctx.clock.now();
  const nextCard = options.cardNumber ?? generateCardNumber;
  for (let attempt = 0; attempt < CARD_ATTEMPTS; attempt++) {
    const row = await db.transaction().execute(async (tx) => {
      const inserted = await repo.insertSelfRegisteredPatron(tx, {
        organization_id: input.libraryId,
        person_id: personId,
        card_number: nextCard(),
        category: input.category,
        given_name: input.givenName ?? fromAccount.givenName,
        family_name: input.familyName ?? fromAccount.familyName,
        email: me.email,
        preferred_language: me.locale,
        expires_on: yearFrom(now),
        status: offer.mode === 'confirm_at_desk' ? 'pending' : 'active',
        created_at: now,
        self_registered_at: now,
      });
      if (inserted) {
        await recordAudit(tx, {
          organizationId: input.libraryId,
          actorId: personId,
          action: 'circulation.patron.self_registered',
          subject: { patronId: inserted.id, cardNumber: inserted.card_number, status: inserted.status },
        });
      }
      return inserted;
    });
    if (row) return present(row, library);
    // Refused by a unique constraint: either this person joined in another request just now,
    // or the card number is taken here (then another number is drawn).
    const joined = await repo.patronOfPerson(db, input.libraryId, personId);
    if (joined) throw alreadyPatron(joined);
  }
  throw new Error(`No free card number at library ${input.libraryId} after ${CARD_ATTEMPTS} attempts.`);
}

/** The signed-in person's patron records (their library cards), oldest first. */
export async function myLibraryMemberships(ctx: AppContext, personId: string): Promise<LibraryMembership[]> {
  const rows = await repo.patronsOfPerson(circulationRepo.circulationDb(ctx.db), personId);
  const libraries = new Map<string, Organization>();
  for (const id of new Set(rows.map((r) => r.organization_id))) libraries.set(id, await getOrganization(ctx, id));
  return rows.map((r) => present(r, libraries.get(r.organization_id)!));
}

/** Staff confirm at the desk the identity of a patron who registered online; recorded with who and when. */
export async function confirmPatronIdentity(
  ctx: AppContext,
  libraryId: string,
  patronId: string,
  actorId: string | null,
): Promise<Patron> {
  const db = circulationRepo.circulationDb(ctx.db);
  await db.transaction().execute(async (tx) => {
    const row = await repo.confirmIdentity(tx, libraryId, patronId, { confirmedBy: actorId, at: ctx.clock.now() });
    if (!row) {
      if (!(await circulationRepo.findPatron(tx, libraryId, patronId))) {
        throw new AppError(
          CirculationErrors.CIRCULATION_PATRON_NOT_FOUND,
          `There is no patron ${patronId} at this library.`,
        );
      }
      throw new AppError(
        CirculationErrors.CIRCULATION_PATRON_NOT_PENDING,
        "This patron's identity is not waiting for confirmation.",
        { patronId },
      );
    }
    await recordAudit(tx, {
      organizationId: libraryId,
      actorId,
      action: 'circulation.patron.identity_confirmed',
      subject: { patronId, cardNumber: row.card_number },
    });
  });
  return getPatron(ctx, libraryId, patronId);
}
