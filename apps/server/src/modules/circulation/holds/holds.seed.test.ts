import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedDemoNetwork, type DemoSummary } from '../../../demo/seed.js';
import { createTestEnv, type TestEnv } from '../../../test/context.js';

let env: TestEnv;
let demo: DemoSummary;
beforeAll(async () => {
  env = await createTestEnv();
  demo = await seedDemoNetwork(env.ctx);
}, 120_000);

describe('demo holds and inter-library loan', () => {
  it('has a patron waiting in Novgorod and a São Paulo copy shipped to Recife', async () => {
    // Vera Sokolova, then Ivan Petrov (the demo person patron1).
    const holds = await sql<{ card: string; status: string }>`
      select p.card_number as card, h.status from circulation_holds h join circulation_patrons p on p.id = h.patron_id
      where h.organization_id = ${demo.organizations.NOVLIB!} order by h.placed_at, p.card_number`.execute(env.ctx.db);
    expect(holds.rows).toEqual([
      { card: 'NOV-0003', status: 'waiting' },
      { card: 'NOV-0005', status: 'waiting' },
    ]);
    const ill = await sql<{ status: string; item_status: string }>`
      select r.status, i.status as item_status from circulation_ill_requests r join catalog_items i on i.id = r.item_id
      where r.borrower_library_id = ${demo.organizations.RECBIB!} and r.lender_library_id = ${demo.organizations.SPBIB!}`.execute(
      env.ctx.db,
    );
    expect(ill.rows).toEqual([{ status: 'shipped', item_status: 'in_transit' }]);
  });
});
