import { sql } from 'kysely';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../clock.js';
import type { AnyDb, Db } from '../db/database.js';
import { enqueueJob, hasPendingJob } from '../jobs/queue.js';
import type { JobRegistry } from '../jobs/registry.js';

// An e-mail says who was told what ("your hold on <title> is ready"): a record of reading the
// platform keeps only as long as MAIL_RETENTION_DAYS, like closed loans and holds that forget
// their patron. Mail still waiting for delivery is never deleted.

export const MAIL_RETENTION_QUEUE = 'mail.retention';

/** How often the purge runs, and how soon the first run after the chain (re)starts. */
const EVERY_MS = 6 * 60 * 60_000;
const FIRST_RUN_AFTER_MS = 60 * 60_000;
/** A run deletes in statements of at most `chunkSize` rows, at most `maxChunks` of them. */
const CHUNK_SIZE = 1_000;
const MAX_CHUNKS = 100;
/** When a run stopped at its cap, the next one comes soon instead of hours later. */
const AGAIN_AFTER_MS = 60_000;

/**
 * Deletes e-mails delivered (`sent`), put in the outbox or failed before `before`, in bounded
 * statements; a failed e-mail counts from when it was created (it was never delivered). Returns how
 * many went and whether some may remain because the run reached `maxChunks`.
 */
export async function purgeOldEmails(
  db: Db,
  before: Date,
  options: { chunkSize?: number; maxChunks?: number } = {},
): Promise<{ deleted: number; more: boolean }> {
  const chunkSize = options.chunkSize ?? CHUNK_SIZE;
  const maxChunks = options.maxChunks ?? MAX_CHUNKS;
  let deleted = 0;
  for (let chunk = 0; chunk < maxChunks; chunk++) {
    // Delivery never precedes creation, so `created_at < before` narrows the search to the range
    // of the emails_created index before the row-by-row test.
    const result = await sql`
      delete from emails where id in (
        select id from emails
        where created_at < ${before}
          and status in ('sent', 'outbox', 'failed')
          and coalesce(delivered_at, created_at) < ${before}
        order by created_at
        limit ${chunkSize}
      )`.execute(db);
    const n = Number(result.numAffectedRows ?? 0);
    deleted += n;
    if (n < chunkSize) return { deleted, more: false };
  }
  return { deleted, more: true };
}

/**
 * Queues the purge on one of two alternating dedupe keys: a running job still holds its key, so
 * the run queues its successor on the other one.
 */
async function schedule(db: AnyDb, chain: 'a' | 'b', runAt: Date): Promise<void> {
  await enqueueJob(db, MAIL_RETENTION_QUEUE, { chain }, { dedupeKey: `retention-${chain}`, runAt });
}

/**
 * Makes sure the purge is queued, in the caller's transaction (queueEmail calls it: wherever mail
 * is kept, its purge is). The chain renews itself, so this almost always only reads.
 */
export async function ensureMailRetention(tx: AnyDb): Promise<void> {
  if (await hasPendingJob(tx, MAIL_RETENTION_QUEUE)) return;
  await schedule(tx, 'a', new Date(Date.now() + FIRST_RUN_AFTER_MS));
}

/** Registers the purge of old e-mails; it runs every few hours and queues its next run. */
export function registerMailRetention(
  jobs: JobRegistry,
  deps: { db: Db; retentionDays: number; logger: Logger; clock?: Clock },
): void {
  const clock = deps.clock ?? systemClock;
  jobs.register(MAIL_RETENTION_QUEUE, async (payload) => {
    const before = new Date(clock.now().getTime() - deps.retentionDays * 86_400_000);
    const { deleted, more } = await purgeOldEmails(deps.db, before);
    if (deleted > 0) deps.logger.info({ deleted, before: before.toISOString() }, 'old e-mails deleted');
    const next = payload.chain === 'b' ? 'a' : 'b';
    await schedule(deps.db, next, new Date(Date.now() + (more ? AGAIN_AFTER_MS : EVERY_MS)));
  });
}
