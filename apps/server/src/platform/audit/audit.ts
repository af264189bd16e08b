import type { Kysely } from 'kysely';
import type { AnyDb } from '../db/database.js';
import type { PlatformTables } from '../db/tables.js';

export interface AuditEvent {
  organizationId: string | null;
  actorId: string | null;
  action: string;
  subject: Record<string, unknown>;
}

/** Appends to the audit log, in the caller's transaction. */
export async function recordAudit(anyDb: AnyDb, event: AuditEvent): Promise<void> {
  const db = anyDb as Kysely<PlatformTables>;
  await db
    .insertInto('audit_log')
    .values({
      organization_id: event.organizationId,
      actor_id: event.actorId,
      action: event.action,
      subject: JSON.stringify(event.subject),
    })
    .execute();
}
