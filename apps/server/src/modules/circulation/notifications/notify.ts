import { enqueueJob } from '../../../platform/jobs/queue.js';
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
