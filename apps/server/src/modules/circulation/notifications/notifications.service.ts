// Patron notices by e-mail: hold ready, pickup reminder, due soon, overdue, inter-library loan
// status. Each is a job (queued in the transaction of the change that causes it, or by the
// sweep); the job renders the patron's language, skips what the patron turned off, and hands the
// message to the platform's mail outbox in the same transaction that records it as sent.
import type { AppContext } from '../../../platform/context/context.js';
import { translate } from '../../../platform/i18n/translate.js';
import { enqueueJob } from '../../../platform/jobs/queue.js';
import { queueEmail } from '../../../platform/mail/mailer.js';
import { describeItems } from '../../catalog/index.js';
import { getOrganization } from '../../accounts/index.js';
import * as catalogReads from '../holds/copies.js';
import * as holdsRepo from '../holds/holds.repository.js';
import { assignWaitingHolds, expireDueHolds, expireHold, HOLD_EXPIRE_QUEUE } from '../holds/holds.service.js';
import { findRequest } from '../ill/ill.repository.js';
import { forgetFinishedIll } from '../ill/ill.service.js';
import { branchTimeZone } from '../rules.service.js';
import { circulationMessages, reasonPrefix } from './notifications.messages.js';
import { NOTIFY_QUEUE, queueNotice, SWEEP_QUEUE, type NoticeKind } from './notify.js';
import * as repo from './notifications.repository.js';

const SWEEP_EVERY_MS = 15 * 60_000;
const REMIND_BEFORE_MS = 2 * 86_400_000;

export interface Prefs {
  holdReady: boolean;
  pickupReminder: boolean;
  dueSoon: boolean;
  overdue: boolean;
  illStatus: boolean;
  dueSoonDays: number;
}

const DEFAULTS: Prefs = {
  holdReady: true,
  pickupReminder: true,
  dueSoon: true,
  overdue: true,
  illStatus: true,
  dueSoonDays: 3,
};

const fromRow = (row: repo.PrefsRow | undefined): Prefs =>
  row
    ? {
        holdReady: row.hold_ready,
        pickupReminder: row.pickup_reminder,
        dueSoon: row.due_soon,
        overdue: row.overdue,
        illStatus: row.ill_status,
        dueSoonDays: row.due_soon_days,
      }
    : { ...DEFAULTS };

const wanted: Record<NoticeKind, keyof Prefs> = {
  hold_ready: 'holdReady',
  pickup_reminder: 'pickupReminder',
  due_soon: 'dueSoon',
  overdue: 'overdue',
  ill_status: 'illStatus',
};

export async function getPrefs(ctx: AppContext, patronId: string): Promise<Prefs> {
  return fromRow(await repo.prefsOf(holdsRepo.holdsDb(ctx.db), patronId));
}

export async function setPrefs(ctx: AppContext, patronId: string, change: Partial<Prefs>): Promise<Prefs> {
  const set = {
    hold_ready: change.holdReady,
    pickup_reminder: change.pickupReminder,
    due_soon: change.dueSoon,
    overdue: change.overdue,
    ill_status: change.illStatus,
    due_soon_days: change.dueSoonDays,
  };
  const defined = Object.fromEntries(Object.entries(set).filter(([, v]) => v !== undefined));
  return fromRow(await repo.upsertPrefs(holdsRepo.holdsDb(ctx.db), patronId, defined));
}

/** A due date or pickup deadline as the patron reads it: date and time in the branch's zone, the zone named. */
export function formatDate(date: Date, locale: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(locale, {
      timeZone,
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    }).format(date);
  } catch {
    return date.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  }
}

async function placeName(ctx: AppContext, id: string, locale: string): Promise<string> {
  try {
    const org = await getOrganization(ctx, id);
    return org.names[locale] ?? org.names.en ?? Object.values(org.names)[0] ?? org.code;
  } catch {
    return '';
  }
}

/** Renders and queues one notice; nothing when the patron has no address or turned it off. */
export async function sendNotice(
  ctx: AppContext,
  payload: { kind: NoticeKind; subjectId: string; status?: string | null },
): Promise<'sent' | 'skipped'> {
  const db = holdsRepo.holdsDb(ctx.db);
  let patronId: string | null = null;
  let key: 'holdReady' | 'pickupReminder' | 'dueSoon' | 'overdue' | 'ill';
  let vars: Record<string, string> = {};
  let occasion = '';
  if (payload.kind === 'hold_ready' || payload.kind === 'pickup_reminder') {
    const hold = await holdsRepo.findHold(db, payload.subjectId);
    if (!hold || hold.status !== 'ready' || !hold.expires_at) return 'skipped';
    patronId = hold.patron_id;
    key = payload.kind === 'hold_ready' ? 'holdReady' : 'pickupReminder';
    occasion = hold.ready_at!.toISOString();
    vars = { title: (await catalogReads.workTitles(ctx.db, [hold.work_id])).get(hold.work_id)?.title ?? '' };
    vars.date = hold.expires_at.toISOString();
    vars.branch = hold.pickup_branch_id;
    vars.zoneOf = hold.pickup_branch_id;
  } else if (payload.kind === 'due_soon' || payload.kind === 'overdue') {
    const loan = await repo.loanForNotice(db, payload.subjectId);
    if (!loan || loan.returned_at || !loan.patron_id) return 'skipped';
    patronId = loan.patron_id;
    key = payload.kind === 'due_soon' ? 'dueSoon' : 'overdue';
    const due = new Date(loan.due_at);
    occasion = due.toISOString().slice(0, 16);
    vars = {
      title: (await describeItems(ctx.db, [loan.item_id])).get(loan.item_id)?.title ?? '',
      date: due.toISOString(),
      zoneOf: loan.branch_id,
    };
  } else {
    const request = await findRequest(db, payload.subjectId);
    // A request that has forgotten its patron (reading history not kept) tells no one.
    if (!request?.patron_id) return 'skipped';
    patronId = request.patron_id;
    key = 'ill';
    occasion = `${payload.status ?? request.status}@${request.updated_at.toISOString()}`;
    vars = {
      title: (await catalogReads.workTitles(ctx.db, [request.work_id])).get(request.work_id)?.title ?? '',
      status: payload.status ?? request.status,
      library: request.lender_library_id,
      reason: request.status === 'declined' ? (request.decline_reason ?? '') : '',
    };
  }
  const patron = patronId ? await holdsRepo.findPatron(db, patronId) : undefined;
  if (!patron?.email) return 'skipped';
  const prefs = fromRow(await repo.prefsOf(db, patron.id));
  if (!prefs[wanted[payload.kind]]) return 'skipped';
  const locale = patron.preferred_language;
  const messages = circulationMessages;
  const lang = (Object.keys(messages).includes(locale) ? locale : 'en') as keyof typeof messages;
  const filled: Record<string, string> = { name: `${patron.given_name}`.trim(), title: vars.title ?? '' };
  if (vars.date) {
    const timeZone = vars.zoneOf ? await branchTimeZone(ctx.db, vars.zoneOf) : 'UTC';
    filled.date = formatDate(new Date(vars.date), lang, timeZone);
  }
  if (vars.branch) filled.branch = await placeName(ctx, vars.branch, lang);
  if (vars.library) filled.library = await placeName(ctx, vars.library, lang);
  if (vars.status) filled.status = translate(messages, lang, `ill_${vars.status}` as 'ill_requested');
  filled.reason = vars.reason ? `${reasonPrefix[lang]}${vars.reason}` : '';
  const subjectKey = `${key}Subject` as 'holdReadySubject';
  const bodyKey = `${key}Body` as 'holdReadyBody';
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.markSent(holdsRepo.holdsDb(trx), payload.kind, payload.subjectId, occasion))) return 'skipped';
    await queueEmail(trx, {
      to: patron.email!,
      subject: translate(messages, lang, subjectKey, filled),
      text: translate(messages, lang, bodyKey, filled),
      locale: lang,
    });
    return 'sent';
  });
}

/**
 * One pass of the periodic sweep, by the app clock: expire ready holds past their window (serving
 * the next patron), give free copies to waiting holds, and queue pickup reminders, due-soon and
 * overdue notices not yet sent.
 */
export async function sweep(ctx: AppContext): Promise<{ expired: number; assigned: number; notices: number }> {
  const now = ctx.clock.now();
  const expired = await expireDueHolds(ctx);
  const assigned = await assignWaitingHolds(ctx);
  let notices = 0;
  await ctx.db.transaction().execute(async (trx) => {
    const db = holdsRepo.holdsDb(trx);
    for (const h of await repo.holdsToRemind(db, now, REMIND_BEFORE_MS, 500)) {
      await queueNotice(trx, 'pickup_reminder', h.id);
      notices++;
    }
    for (const kind of ['due_soon', 'overdue'] as const) {
      for (const loan of await repo.loansToNotify(db, now, kind, 500)) {
        await queueNotice(trx, kind, loan.id);
        notices++;
      }
    }
  });
  return { expired, assigned, notices };
}

/**
 * Starts the periodic sweep. Runs alternate between two dedupe keys (a running job still holds
 * its key), so however often this is called, at most one run per key waits in the queue.
 */
export async function scheduleSweep(ctx: AppContext, chain: 'a' | 'b' = 'a', runAt?: Date): Promise<void> {
  await enqueueJob(ctx.db, SWEEP_QUEUE, { chain }, { dedupeKey: `sweep-${chain}`, ...(runAt ? { runAt } : {}) });
}

/** Registers the jobs of holds and notices: notice rendering, hold expiry and the periodic sweep. */
export function registerHoldsJobs(ctx: AppContext): void {
  ctx.jobs.register(NOTIFY_QUEUE, async (payload) => {
    const notice = payload as { kind: NoticeKind; subjectId: string; status?: string | null };
    await sendNotice(ctx, notice);
    // The patron has been told; a request whose patron's part is over may now forget them.
    if (notice.kind === 'ill_status') await forgetFinishedIll(ctx, notice.subjectId, notice.status ?? null);
  });
  ctx.jobs.register(HOLD_EXPIRE_QUEUE, async (payload) => {
    const result = await expireHold(ctx, String(payload.holdId));
    if (result === 'not_yet') {
      // The app clock is behind the queue's: look again later (the sweep also expires it).
      await enqueueJob(ctx.db, HOLD_EXPIRE_QUEUE, payload, { runAt: new Date(Date.now() + 60 * 60_000) });
    }
  });
  ctx.jobs.register(SWEEP_QUEUE, async (payload) => {
    await sweep(ctx);
    await scheduleSweep(ctx, payload.chain === 'b' ? 'a' : 'b', new Date(Date.now() + SWEEP_EVERY_MS));
  });
}
