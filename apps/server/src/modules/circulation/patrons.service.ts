import type { Patron, RegisterPatron } from '@athenaeum/contracts';
import type { AppContext } from '../../platform/context/context.js';
import { AppError } from '../../platform/errors.js';
import { CirculationErrors } from './circulation.errors.js';
import * as repo from './circulation.repository.js';
import type { BlockRow, CirculationDb, PatronRow } from './circulation.repository.js';

type PatronPage = { items: Patron[]; page: number; pageSize: number; total: number };

const iso = (d: Date | string) => new Date(d).toISOString();

function present(row: PatronRow, blocks: BlockRow[], openLoans: number): Patron {
  return {
    id: row.id,
    libraryId: row.organization_id,
    personId: row.person_id,
    cardNumber: row.card_number,
    category: row.category as Patron['category'],
    givenName: row.given_name,
    familyName: row.family_name,
    email: row.email,
    preferredLanguage: row.preferred_language,
    expiresOn: repo.isoDay(row.expires_on),
    status: row.status,
    keepHistory: row.keep_history,
    staffNotes: row.staff_notes,
    blocks: blocks.map((b) => ({ id: b.id, reason: b.reason, blockedBy: b.blocked_by, blockedAt: iso(b.blocked_at) })),
    openLoans,
    createdAt: iso(row.created_at),
  };
}

async function presentMany(db: CirculationDb, rows: PatronRow[]): Promise<Patron[]> {
  const ids = rows.map((r) => r.id);
  const [blocks, counts] = await Promise.all([repo.openBlocks(db, ids), repo.openLoanCounts(db, ids)]);
  return rows.map((r) =>
    present(
      r,
      blocks.filter((b) => b.patron_id === r.id),
      counts.get(r.id) ?? 0,
    ),
  );
}

const today = (ctx: AppContext) => ctx.clock.now().toISOString().slice(0, 10);

function yearFrom(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y + 1, m - 1, d)).toISOString().slice(0, 10);
}

/** Registers a patron at a library (staff); the card number must be new there. */
export async function registerPatron(ctx: AppContext, libraryId: string, input: RegisterPatron): Promise<Patron> {
  const db = repo.circulationDb(ctx.db);
  const row = await repo.insertPatron(db, {
    organization_id: libraryId,
    person_id: input.personId ?? null,
    card_number: input.cardNumber,
    category: input.category,
    given_name: input.givenName,
    family_name: input.familyName,
    email: input.email ?? null,
    preferred_language: input.preferredLanguage,
    expires_on: input.expiresOn ?? yearFrom(today(ctx)),
    staff_notes: input.staffNotes,
    keep_history: input.keepHistory,
    created_at: ctx.clock.now(),
  });
  if (!row) {
    throw new AppError(
      CirculationErrors.CIRCULATION_CARD_TAKEN,
      `Card number ${input.cardNumber} is already used by another patron of this library.`,
    );
  }
  return present(row, [], 0);
}

export async function getPatron(ctx: AppContext, libraryId: string, patronId: string): Promise<Patron> {
  const db = repo.circulationDb(ctx.db);
  const row = await repo.findPatron(db, libraryId, patronId);
  if (!row)
    throw new AppError(
      CirculationErrors.CIRCULATION_PATRON_NOT_FOUND,
      `There is no patron ${patronId} at this library.`,
    );
  return (await presentMany(db, [row]))[0]!;
}

export async function searchPatrons(
  ctx: AppContext,
  libraryId: string,
  query: { q?: string | undefined; page: number; pageSize: number },
): Promise<PatronPage> {
  const db = repo.circulationDb(ctx.db);
  const { rows, total } = await repo.searchPatrons(db, libraryId, query);
  return { items: await presentMany(db, rows), page: query.page, pageSize: query.pageSize, total };
}

/** Extends (or sets) a patron's membership to a new expiry date. */
export async function renewMembership(
  ctx: AppContext,
  libraryId: string,
  patronId: string,
  expiresOn: string,
): Promise<Patron> {
  const row = await repo.updatePatron(repo.circulationDb(ctx.db), libraryId, patronId, {
    expires_on: expiresOn,
    updated_at: ctx.clock.now(),
  });
  if (!row)
    throw new AppError(
      CirculationErrors.CIRCULATION_PATRON_NOT_FOUND,
      `There is no patron ${patronId} at this library.`,
    );
  return getPatron(ctx, libraryId, patronId);
}

/** Blocks a patron with a reason; the block stays until lifted. */
export async function blockPatron(
  ctx: AppContext,
  libraryId: string,
  patronId: string,
  reason: string,
  actorId: string | null,
): Promise<Patron> {
  const db = repo.circulationDb(ctx.db);
  if (!(await repo.findPatron(db, libraryId, patronId))) {
    throw new AppError(
      CirculationErrors.CIRCULATION_PATRON_NOT_FOUND,
      `There is no patron ${patronId} at this library.`,
    );
  }
  await repo.insertBlock(db, {
    organization_id: libraryId,
    patron_id: patronId,
    reason,
    blocked_by: actorId,
    blocked_at: ctx.clock.now(),
  });
  return getPatron(ctx, libraryId, patronId);
}

/** Lifts one block (kept, with who lifted it and when). */
export async function unblockPatron(
  ctx: AppContext,
  libraryId: string,
  patronId: string,
  blockId: string,
  actorId: string | null,
): Promise<Patron> {
  const lifted = await repo.liftBlock(repo.circulationDb(ctx.db), libraryId, patronId, blockId, {
    lifted_by: actorId,
    lifted_at: ctx.clock.now(),
  });
  if (!lifted)
    throw new AppError(
      CirculationErrors.CIRCULATION_BLOCK_NOT_FOUND,
      `There is no open block ${blockId} on this patron.`,
    );
  return getPatron(ctx, libraryId, patronId);
}

/**
 * Refuses a patron who may not borrow now: closed or pending, blocked, or expired. Pass the
 * reasons of their open blocks when they were read with the patron (check-out does).
 */
export async function assertMayBorrow(
  db: CirculationDb,
  patron: PatronRow,
  now: Date,
  blockReasons?: readonly string[],
): Promise<void> {
  if (patron.status === 'pending' && patron.self_registered_at) {
    throw new AppError(
      CirculationErrors.CIRCULATION_IDENTITY_NOT_CONFIRMED,
      'The patron registered online; their identity must be confirmed at the desk before they borrow.',
      { patronId: patron.id },
    );
  }
  if (patron.status !== 'active') {
    throw new AppError(CirculationErrors.CIRCULATION_PATRON_INACTIVE, `The patron's membership is ${patron.status}.`, {
      patronId: patron.id,
    });
  }
  const reasons = blockReasons ?? (await repo.openBlocks(db, [patron.id])).map((b) => b.reason);
  if (reasons.length) {
    throw new AppError(CirculationErrors.CIRCULATION_PATRON_BLOCKED, `The patron is blocked: ${reasons.join('; ')}.`, {
      patronId: patron.id,
      reasons,
    });
  }
  const expiresOn = repo.isoDay(patron.expires_on);
  if (expiresOn < now.toISOString().slice(0, 10)) {
    throw new AppError(
      CirculationErrors.CIRCULATION_MEMBERSHIP_EXPIRED,
      `The patron's membership expired on ${expiresOn}.`,
      {
        patronId: patron.id,
        expiresOn,
      },
    );
  }
}
