import type { Kysely } from 'kysely';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import type { AnyDb } from '../db/database.js';
import type { PlatformTables } from '../db/tables.js';
import { enqueueJob } from '../jobs/queue.js';
import type { JobRegistry } from '../jobs/registry.js';
import { ensureMailRetention } from './retention.js';

export const MAIL_QUEUE = 'mail.deliver';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  locale: string;
}

/**
 * Records an e-mail and queues its delivery in the caller's transaction: the message leaves only
 * if the change that caused it commits, and it is never lost if the process dies. Once delivered
 * (or failed) it is deleted after MAIL_RETENTION_DAYS (retention.ts).
 */
export async function queueEmail(anyDb: AnyDb, email: OutgoingEmail): Promise<string> {
  const db = anyDb as Kysely<PlatformTables>;
  const row = await db
    .insertInto('emails')
    .values({
      to_address: email.to,
      subject: email.subject,
      body_text: email.text,
      body_html: email.html ?? null,
      locale: email.locale,
      error: null,
      delivered_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await enqueueJob(db, MAIL_QUEUE, { emailId: row.id }, { maxAttempts: 8 });
  // Kept mail is purged after MAIL_RETENTION_DAYS; the purge's chain starts with the first e-mail.
  await ensureMailRetention(db);
  return row.id;
}

/**
 * Delivers queued e-mails: through SMTP when `SMTP_URL` is set, otherwise into the outbox that
 * platform administrators read in the web app.
 */
export function registerMailDelivery(
  jobs: JobRegistry,
  deps: { db: Db; smtpUrl: string | undefined; from: string; logger: Logger },
): void {
  const transport: Transporter | null = deps.smtpUrl ? nodemailer.createTransport(deps.smtpUrl) : null;
  jobs.register(MAIL_QUEUE, async (payload, job) => {
    const id = String(payload.emailId);
    const email = await deps.db.selectFrom('emails').selectAll().where('id', '=', id).executeTakeFirst();
    if (!email || email.status === 'sent' || email.status === 'outbox') return;
    if (!transport) {
      await deps.db
        .updateTable('emails')
        .set({ status: 'outbox', delivered_at: new Date() })
        .where('id', '=', id)
        .execute();
      return;
    }
    try {
      await transport.sendMail({
        from: deps.from,
        to: email.to_address,
        subject: email.subject,
        text: email.body_text,
        ...(email.body_html ? { html: email.body_html } : {}),
      });
      await deps.db
        .updateTable('emails')
        .set({ status: 'sent', delivered_at: new Date(), error: null })
        .where('id', '=', id)
        .execute();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // After the last attempt the queue gives up; the outbox must say so rather than stay 'queued'.
      const final = job.attempts >= job.maxAttempts;
      await deps.db
        .updateTable('emails')
        .set({ error: message.slice(0, 1000), ...(final ? { status: 'failed' as const } : {}) })
        .where('id', '=', id)
        .execute();
      throw error;
    }
  });
}
