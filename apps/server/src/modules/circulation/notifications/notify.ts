import { enqueueJob, hasPendingJob } from '../../../platform/jobs/queue.js';
import type { AnyDb } from '../../../platform/db/database.js';

export const NOTIFY_QUEUE = 'circulation.notify';

export type NoticeKind = 'hold_ready' | 'pickup_reminder' | 'due_soon' | 'overdue' | 'ill_status';

/**
 * Queues a patron notice in the caller's transaction; the job renders it in the patron's language
 * and respects their choices when it runs.
 */
export async function queueNotice(
  tx: AnyDb,
  kind: NoticeKind,
  subjectId: string,
  extra: Record<string, string | null> = {},
): Promise<void> {
  await enqueueJob(tx, NOTIFY_QUEUE, { kind, subjectId, ...extra }, { maxAttempts: 5 });
}

export const SWEEP_QUEUE = 'circulation.holds.sweep';

/**
 * Makes sure the periodic sweep (expiries, reminders, due-soon and overdue notices) is queued,
 * in the caller's transaction; called by the activity that needs it (holds, loans, ILL). The chain
 * renews itself, so almost always a run is already waiting and this only reads: concurrent desks
 * never wait on each other's uncommitted enqueue.
 */
export async function ensureSweep(tx: AnyDb, now: Date): Promise<void> {
  if (await hasPendingJob(tx, SWEEP_QUEUE)) return;
  await enqueueJob(
    tx,
    SWEEP_QUEUE,
    { chain: 'a' },
    { dedupeKey: 'sweep-a', runAt: new Date(now.getTime() + 5 * 60_000) },
  );
}
