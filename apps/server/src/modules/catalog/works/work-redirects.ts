// Where works went: the addresses of works whose records joined other works (the catalog module's
// catalog_work_redirects and catalog_work_departures, migration 0028).
import { sql } from 'kysely';
import type { CatalogDb } from '../catalog.repository.js';

/**
 * Notes where works just refreshed went, in the refresh's transaction: a work left without live
 * records redirects to the work now holding most of the live records that left it since its last
 * refresh (none when they were deleted); a work that is live again loses its redirect. The works'
 * departures are cleared. A redirect is not rewritten when its target moves in turn: that work's
 * own redirect is followed, so that undoing the later merge makes the earlier lead to it again.
 */
export async function noteWhereWorksWent(db: CatalogDb, workIds: string[]): Promise<void> {
  if (workIds.length === 0) return;
  const ids = sql`${[...new Set(workIds)]}::uuid[]`;
  const { rows: went } = await sql<{ work_id: string; to_work_id: string }>`
    with departed as (
      delete from catalog_work_departures d where d.work_id = any(${ids}) returning d.work_id, d.record_id
    )
    select distinct on (d.work_id) d.work_id, r.work_id as to_work_id
    from departed d join catalog_records r on r.id = d.record_id
    where r.deleted_at is null and r.work_id <> d.work_id
      and not exists (select 1 from catalog_works w where w.id = d.work_id and w.record_count > 0)
    group by d.work_id, r.work_id
    order by d.work_id, count(*) desc, r.work_id`.execute(db);
  await sql`
    delete from catalog_work_redirects x using catalog_works w
    where x.work_id = any(${ids}) and w.id = x.work_id and w.record_count > 0`.execute(db);
  if (went.length === 0) return;
  await sql`
    insert into catalog_work_redirects (work_id, to_work_id)
    select * from unnest(${went.map((g) => g.work_id)}::uuid[], ${went.map((g) => g.to_work_id)}::uuid[])
    on conflict (work_id) do update set to_work_id = excluded.to_work_id, created_at = now()`.execute(db);
}

// How many redirects one address may lead through (each a work merged into the next).
const MAX_HOPS = 32;

/**
 * The live work (one with live records) that the address of a work no longer live leads to, or
 * null when it leads nowhere: its redirect, and the redirects of works it leads to that are not
 * live either, followed in one query to the first live work (never round a loop). Only for an id
 * that is not a live work: a live work is its own answer, whatever redirect may still name it.
 */
export async function redirectTarget(db: CatalogDb, workId: string): Promise<string | null> {
  const { rows } = await sql<{ work_id: string }>`
    with recursive hop (work_id, depth, seen, live) as (
      select x.to_work_id, 1, array[x.work_id],
        exists (select 1 from catalog_works w where w.id = x.to_work_id and w.record_count > 0)
      from catalog_work_redirects x where x.work_id = ${workId}
      union all
      select x.to_work_id, h.depth + 1, h.seen || x.work_id,
        exists (select 1 from catalog_works w where w.id = x.to_work_id and w.record_count > 0)
      from hop h join catalog_work_redirects x on x.work_id = h.work_id
      where not h.live and h.depth < ${MAX_HOPS} and x.work_id <> all(h.seen)
    )
    select work_id from hop where live order by depth limit 1`.execute(db);
  return rows[0]?.work_id ?? null;
}
