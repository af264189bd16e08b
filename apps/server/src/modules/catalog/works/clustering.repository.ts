// SQL for staff split and merge of works (the catalog module's tables).
import { sql } from 'kysely';
import type { NormalizedRecord } from '@athenaeum/contracts';
import type { CatalogDb } from '../catalog.repository.js';

export interface ClusterRecordRow {
  id: string;
  organization_id: string;
  fields: NormalizedRecord;
  match_score: number | null;
  match_reason: string | null;
  work_pinned: boolean;
  updated_at: Date;
}

export interface DecisionRow {
  decision: string;
  kind: 'split' | 'merge';
  from_work_id: string | null;
  to_work_id: string;
  decided_by: string | null;
  decided_at: Date;
  record_ids: string[];
}

export async function findWork(
  db: CatalogDb,
  id: string,
): Promise<{ id: string; title: string; record_count: number } | undefined> {
  const { rows } = await sql<{ id: string; title: string; record_count: number }>`
    select id, title, record_count from catalog_works where id = ${id}`.execute(db);
  return rows[0];
}

/**
 * Locks works for a staff decision, in id order (two decisions on the same works wait for each
 * other instead of deadlocking); returns those that exist.
 */
export async function lockWorks(db: CatalogDb, ids: string[]): Promise<Array<{ id: string; record_count: number }>> {
  const { rows } = await sql<{ id: string; record_count: number }>`
    select id, record_count from catalog_works where id = any(${[...new Set(ids)]}::uuid[])
    order by id for update`.execute(db);
  return rows;
}

/** The live records of a work, newest edition first. */
export async function liveRecordsOf(db: CatalogDb, workId: string): Promise<ClusterRecordRow[]> {
  const { rows } = await sql<ClusterRecordRow>`
    select id, organization_id, fields, match_score, match_reason, work_pinned, updated_at
    from catalog_records where work_id = ${workId} and deleted_at is null
    order by year desc nulls last, id`.execute(db);
  return rows;
}

/** The libraries holding a live record of any of the works. */
export async function librariesOf(db: CatalogDb, workIds: string[]): Promise<string[]> {
  const { rows } = await sql<{ organization_id: string }>`
    select distinct organization_id from catalog_records
    where work_id = any(${workIds}::uuid[]) and deleted_at is null`.execute(db);
  return rows.map((r) => r.organization_id);
}

/** A new, empty work titled after a record; the refresh fills it in. */
export async function insertWorkLike(db: CatalogDb, id: string, recordId: string): Promise<void> {
  await sql`
    insert into catalog_works (id, title, sort_title, author, title_author_key)
    select ${id}, coalesce(fields->>'title', ''), coalesce(fields->>'sortTitle', ''), fields->'authors'->0->>'name',
      title_author_key
    from catalog_records where id = ${recordId}`.execute(db);
}

/**
 * Moves records to a work and pins them there (re-imports keep them), with the reason shown to
 * staff; returns the ids moved. `all` moves the work's deleted records too (a merge empties it).
 */
export async function moveRecords(
  db: CatalogDb,
  options: { fromWorkId: string; toWorkId: string; recordIds: string[] | 'all'; reason: string },
): Promise<string[]> {
  const { rows } = await sql<{ id: string; deleted: boolean }>`
    update catalog_records set work_id = ${options.toWorkId}, work_pinned = true, match_score = null,
      match_reason = ${options.reason}
    where work_id = ${options.fromWorkId}
      ${options.recordIds === 'all' ? sql`` : sql`and id = any(${options.recordIds}::uuid[]) and deleted_at is null`}
    returning id, deleted_at is not null as deleted`.execute(db);
  return rows.filter((r) => !r.deleted).map((r) => r.id);
}

/** Pins a work's live records where they are (the other side of a decision). */
export async function pinRecords(db: CatalogDb, workId: string): Promise<void> {
  await sql`update catalog_records set work_pinned = true
    where work_id = ${workId} and deleted_at is null and not work_pinned`.execute(db);
}

/** Writes one decision: a row per record moved, numbered by the first row's id. */
export async function insertDecision(
  db: CatalogDb,
  d: {
    kind: 'split' | 'merge';
    fromWorkId: string;
    toWorkId: string;
    recordIds: string[];
    decidedBy: string;
    note?: string;
  },
): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    insert into catalog_cluster_decisions (kind, record_id, from_work_id, to_work_id, decided_by, note)
    select ${d.kind}, r, ${d.fromWorkId}::uuid, ${d.toWorkId}::uuid, ${d.decidedBy}::uuid, ${d.note ?? null}
    from unnest(${d.recordIds}::uuid[]) with ordinality as x(r, n) order by n
    returning id::text as id`.execute(db);
  const ids = rows.map((r) => r.id);
  const decision = ids.reduce((a, b) => (BigInt(a) < BigInt(b) ? a : b));
  await sql`update catalog_cluster_decisions set decision = ${decision}::bigint where id = any(${ids}::bigint[])`.execute(
    db,
  );
  return decision;
}

/** The decisions that took records out of, or brought them into, a work; newest first. */
export async function decisionsOf(db: CatalogDb, workId: string, limit = 50): Promise<DecisionRow[]> {
  const { rows } = await sql<DecisionRow>`
    select coalesce(decision, id)::text as decision, kind, from_work_id, to_work_id, decided_by,
      max(decided_at) as decided_at, array_agg(record_id order by id) filter (where record_id is not null) as record_ids
    from catalog_cluster_decisions
    where to_work_id = ${workId} or from_work_id = ${workId}
    group by coalesce(decision, id), kind, from_work_id, to_work_id, decided_by
    order by max(decided_at) desc, coalesce(decision, id) desc
    limit ${limit}`.execute(db);
  return rows.map((r) => ({ ...r, record_ids: r.record_ids ?? [] }));
}

/** Drops refresh marks of works just rebuilt whole. */
export async function clearRefreshMarks(db: CatalogDb, workIds: string[]): Promise<void> {
  await sql`delete from catalog_work_refresh where work_id = any(${workIds}::uuid[])`.execute(db);
}

/** One decision (its rows grouped), or undefined. */
export async function findDecision(db: CatalogDb, decision: string): Promise<DecisionRow | undefined> {
  const { rows } = await sql<DecisionRow>`
    select coalesce(decision, id)::text as decision, kind, from_work_id, to_work_id, decided_by,
      max(decided_at) as decided_at, array_agg(record_id order by id) filter (where record_id is not null) as record_ids
    from catalog_cluster_decisions
    where coalesce(decision, id) = ${decision}::bigint
    group by coalesce(decision, id), kind, from_work_id, to_work_id, decided_by`.execute(db);
  return rows[0] && { ...rows[0], record_ids: rows[0].record_ids ?? [] };
}

/** The newest decision that touched any of the works. */
export async function latestDecisionOn(db: CatalogDb, workIds: string[]): Promise<string | null> {
  const { rows } = await sql<{ decision: string }>`
    select max(coalesce(decision, id))::text as decision from catalog_cluster_decisions
    where to_work_id = any(${workIds}::uuid[]) or from_work_id = any(${workIds}::uuid[])`.execute(db);
  return rows[0]?.decision ?? null;
}

/** Whether a work row exists (an emptied one may stay, for its deleted records). */
export async function workExists(db: CatalogDb, id: string): Promise<boolean> {
  const { rows } = await sql`select 1 from catalog_works where id = ${id}`.execute(db);
  return rows.length > 0;
}
