import type { OutboxEmail, Page, PageQuery } from '@athenaeum/contracts';
import type { Db } from '../db/database.js';
import { pageOffset, toPage } from '../http/pagination.js';

/** The e-mails the platform has sent or stored, newest first, optionally for one recipient. */
export async function listOutbox(db: Db, query: PageQuery & { to?: string }): Promise<Page<OutboxEmail>> {
  let base = db.selectFrom('emails');
  if (query.to) base = base.where((eb) => eb(eb.fn('lower', ['to_address']), '=', query.to!.toLowerCase()));
  const [rows, count] = await Promise.all([
    base
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(query.pageSize)
      .offset(pageOffset(query))
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return toPage(
    rows.map((r) => ({
      id: r.id,
      to: r.to_address,
      subject: r.subject,
      bodyText: r.body_text,
      locale: r.locale,
      status: r.status,
      createdAt: new Date(r.created_at).toISOString(),
    })),
    Number(count.n),
    query,
  );
}
