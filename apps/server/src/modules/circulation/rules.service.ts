import type { BranchCalendar, CirculationPolicy, CirculationSettings, PolicyFields } from '@athenaeum/contracts';
import { branchesOf, getOrganization } from '../accounts/index.js';
import type { AppContext } from '../../platform/context/context.js';
import type { AnyDb } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { CirculationErrors } from './circulation.errors.js';
import * as repo from './circulation.repository.js';
import type { CirculationDb, PolicyRow } from './circulation.repository.js';
import * as calendars from './calendar.repository.js';
import { dueTime, firstDueDate, pickRule } from './rules.js';
import { canonicalTimeZone } from './time-zones.js';

/** Where no rule of the library matches: three weeks, two renewals, fines-free. */
export const DEFAULT_POLICY: Omit<CirculationPolicy, 'id' | 'patronCategory' | 'itemType'> = {
  loanDays: 21,
  renewals: 2,
  holdBlocksRenewal: true,
  maxLoans: 30,
  holdsAllowed: 20,
  dailyFine: null,
  fineCap: null,
  graceDays: 0,
};

export const DEFAULT_SETTINGS: CirculationSettings = {
  quarantineHours: 0,
  pickupWindowDays: 7,
  selfRegistration: 'off',
  selfRegistrationCategories: ['adult'],
};

function presentSettings(row: NonNullable<Awaited<ReturnType<typeof repo.getSettings>>>): CirculationSettings {
  return {
    quarantineHours: row.quarantine_hours,
    pickupWindowDays: row.pickup_window_days,
    selfRegistration: row.self_registration,
    selfRegistrationCategories: row.self_registration_categories as CirculationSettings['selfRegistrationCategories'],
  };
}

export function presentPolicy(row: PolicyRow | undefined | null): CirculationPolicy {
  if (!row) return { id: null, patronCategory: null, itemType: null, ...DEFAULT_POLICY };
  return {
    id: row.id,
    patronCategory: row.patron_category as CirculationPolicy['patronCategory'],
    itemType: row.item_type,
    loanDays: row.loan_days,
    renewals: row.renewals,
    holdBlocksRenewal: row.hold_blocks_renewal,
    maxLoans: row.max_loans,
    holdsAllowed: row.holds_allowed,
    dailyFine: row.daily_fine === null ? null : Number(row.daily_fine),
    fineCap: row.fine_cap === null ? null : Number(row.fine_cap),
    graceDays: row.grace_days,
  };
}

/** The library's quarantine and pickup-window settings (defaults where none were saved). */
export async function getCirculationSettings(db: CirculationDb, libraryId: string): Promise<CirculationSettings> {
  const row = await repo.getSettings(db, libraryId);
  return row ? presentSettings(row) : DEFAULT_SETTINGS;
}

export async function updateCirculationSettings(
  ctx: AppContext,
  libraryId: string,
  input: {
    quarantineHours?: number | undefined;
    pickupWindowDays?: number | undefined;
    selfRegistration?: CirculationSettings['selfRegistration'] | undefined;
    selfRegistrationCategories?: CirculationSettings['selfRegistrationCategories'] | undefined;
  },
): Promise<CirculationSettings> {
  await requireLibrary(ctx, libraryId);
  const row = await repo.upsertSettings(repo.circulationDb(ctx.db), libraryId, {
    quarantine_hours: input.quarantineHours,
    pickup_window_days: input.pickupWindowDays,
    self_registration: input.selfRegistration,
    self_registration_categories: input.selfRegistrationCategories,
  });
  return presentSettings(row);
}

export async function listPolicies(ctx: AppContext, libraryId: string): Promise<CirculationPolicy[]> {
  return (await repo.listPolicies(repo.circulationDb(ctx.db), libraryId)).map(presentPolicy);
}

export async function createPolicy(
  ctx: AppContext,
  libraryId: string,
  input: PolicyFields,
): Promise<CirculationPolicy> {
  await requireLibrary(ctx, libraryId);
  const row = await repo.insertPolicy(repo.circulationDb(ctx.db), {
    organization_id: libraryId,
    patron_category: input.patronCategory,
    item_type: input.itemType,
    loan_days: input.loanDays,
    renewals: input.renewals,
    hold_blocks_renewal: input.holdBlocksRenewal,
    max_loans: input.maxLoans,
    holds_allowed: input.holdsAllowed,
    daily_fine: input.dailyFine,
    fine_cap: input.fineCap,
    grace_days: input.graceDays,
  });
  if (!row) {
    throw new AppError(
      CirculationErrors.CIRCULATION_POLICY_EXISTS,
      `The library already has a rule for category ${input.patronCategory ?? 'any'} and item type ${input.itemType ?? 'any'}; delete it first.`,
    );
  }
  return presentPolicy(row);
}

export async function deletePolicy(ctx: AppContext, libraryId: string, policyId: string): Promise<void> {
  const gone = await repo.deletePolicy(repo.circulationDb(ctx.db), libraryId, policyId);
  if (!gone)
    throw new AppError(CirculationErrors.CIRCULATION_POLICY_NOT_FOUND, `There is no rule ${policyId} at this library.`);
}

/** The rule that applies to a patron category and item type at a library (null id: the built-in default). */
export async function resolvePolicy(
  db: CirculationDb,
  libraryId: string,
  category: string,
  itemType: string,
): Promise<CirculationPolicy> {
  return presentPolicy(pickRule(await repo.candidatePolicies(db, libraryId, category, itemType), category, itemType));
}

// Branches and calendars --------------------------------------------------------------------

export interface BranchRef {
  id: string;
  code: string;
  names: Record<string, string>;
  libraryId: string;
}

async function requireLibrary(ctx: AppContext, libraryId: string): Promise<void> {
  const org = await getOrganization(ctx, libraryId).catch(() => null);
  if (org?.kind !== 'library') {
    throw new AppError(CirculationErrors.CIRCULATION_BRANCH_NOT_FOUND, `${libraryId} is not a library.`);
  }
}

// A branch never changes library and organizations are never deleted, so a pair once seen stays
// true: every desk transaction asks, and the answer is kept (ids are UUIDs, unique across databases).
const knownBranches = new Set<string>();

/** A branch of the library (or the library itself, for a library without branches): one query, then remembered. */
export async function branchOf(ctx: AppContext, libraryId: string, branchId: string): Promise<{ id: string }> {
  if (branchId === libraryId || knownBranches.has(`${libraryId}/${branchId}`)) return { id: branchId };
  const branches = await branchesOf(ctx, libraryId);
  if (![...branches.values()].includes(branchId)) {
    throw new AppError(CirculationErrors.CIRCULATION_BRANCH_NOT_FOUND, `${branchId} is not a branch of this library.`);
  }
  if (knownBranches.size >= 100_000) knownBranches.clear();
  knownBranches.add(`${libraryId}/${branchId}`);
  return { id: branchId };
}

/** A branch or library by id, for showing where an item goes; null when unknown. */
export async function branchRef(ctx: AppContext, id: string): Promise<BranchRef | null> {
  const org = await getOrganization(ctx, id).catch(() => null);
  if (!org) return null;
  return { id: org.id, code: org.code, names: org.names, libraryId: org.kind === 'branch' ? org.parent!.id : org.id };
}

/** Where a branch has no calendar (the organizations do not record a zone): UTC. */
export const DEFAULT_TIME_ZONE = 'UTC';

export async function getBranchCalendar(ctx: AppContext, libraryId: string, branchId: string): Promise<BranchCalendar> {
  await branchOf(ctx, libraryId, branchId);
  const db = repo.circulationDb(ctx.db);
  const [calendar, closed] = await Promise.all([
    calendars.getCalendar(db, branchId),
    calendars.closedDatesFrom(db, branchId, '1900-01-01', 1000),
  ]);
  return {
    weeklyHours:
      calendar?.weekly_hours ??
      Array(7)
        .fill(null)
        .map(() => ({ open: '09:00', close: '18:00' })),
    closedDates: closed,
    timeZone: calendar?.time_zone ?? DEFAULT_TIME_ZONE,
  };
}

/** Replaces a branch's calendar; a time zone left out stays as it was. */
export async function putBranchCalendar(
  ctx: AppContext,
  libraryId: string,
  branchId: string,
  input: BranchCalendar,
): Promise<BranchCalendar> {
  await branchOf(ctx, libraryId, branchId);
  let timeZone: string | undefined;
  if (input.timeZone !== undefined) {
    timeZone = canonicalTimeZone(input.timeZone) ?? undefined;
    if (!timeZone) {
      throw new AppError(
        CirculationErrors.CIRCULATION_BAD_TIME_ZONE,
        `${JSON.stringify(input.timeZone)} is not an IANA time zone (such as 'Europe/Moscow' or 'America/Sao_Paulo').`,
        { timeZone: input.timeZone },
      );
    }
  }
  await repo
    .circulationDb(ctx.db)
    .transaction()
    .execute((trx) =>
      calendars.putCalendar(trx, libraryId, branchId, {
        weekly: input.weeklyHours,
        timeZone,
        closed: input.closedDates.map((c) => ({ date: c.date, reason: c.reason })),
      }),
    );
  return getBranchCalendar(ctx, libraryId, branchId);
}

/** The time zone of a branch's calendar (UTC for a branch without one). */
export async function branchTimeZone(db: AnyDb, branchId: string): Promise<string> {
  return (await calendars.getCalendar(repo.circulationDb(db), branchId))?.time_zone ?? DEFAULT_TIME_ZONE;
}

/** The time zones of several branches' calendars; every id asked for is in the map (UTC without a calendar). */
export async function branchTimeZones(db: AnyDb, branchIds: readonly string[]): Promise<Map<string, string>> {
  const zones = await calendars.calendarZones(repo.circulationDb(db), branchIds);
  return new Map(branchIds.map((id) => [id, zones.get(id) ?? DEFAULT_TIME_ZONE]));
}

/**
 * The due time of a loan of `days` days from `from` at a branch: counted in the branch's local
 * days, moved forward past closed dates and weekdays without hours, at that day's closing time
 * (local; 23:59:59 local without hours). A branch without a calendar is open every day, in UTC.
 * With it, the branch's time zone (what the due time is shown in).
 */
export async function dueAt(
  db: CirculationDb,
  branchId: string,
  from: Date,
  days: number,
): Promise<{ at: Date; timeZone: string }> {
  // The local due day is the UTC one or the day either side: read closed dates from the day before.
  const calendar = await calendars.calendarWithClosedDatesFrom(db, branchId, firstDueDate(from, days - 1, 'UTC'));
  const timeZone = calendar?.time_zone ?? DEFAULT_TIME_ZONE;
  const at = dueTime(from, days, {
    weekly: calendar?.weekly_hours ?? null,
    closed: new Set(calendar?.closed ?? []),
    timeZone,
  });
  return { at, timeZone };
}

/** The library's settings, for its staff. */
export async function getSettingsOf(ctx: AppContext, libraryId: string): Promise<CirculationSettings> {
  return getCirculationSettings(repo.circulationDb(ctx.db), libraryId);
}
