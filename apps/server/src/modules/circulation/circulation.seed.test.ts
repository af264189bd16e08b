import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/context.js';
import { seedDemoNetwork, type DemoSummary } from '../../demo/seed.js';
import { itemHistory, listLoans } from './loans.service.js';
import { searchPatrons } from './patrons.service.js';

let env: TestEnv;
let demo: DemoSummary;
beforeAll(async () => {
  env = await createTestEnv();
  demo = await seedDemoNetwork(env.ctx);
}, 120_000);

describe('demo circulation', () => {
  it('has patrons (one blocked) and open loans, one of them overdue, in Novgorod and São Paulo', async () => {
    for (const code of ['NOVLIB', 'SPBIB']) {
      const libraryId = demo.organizations[code]!;
      const patrons = await searchPatrons(env.ctx, libraryId, { page: 1, pageSize: 20 });
      expect(patrons.total).toBe(4);
      expect(patrons.items.filter((p) => p.blocks.length > 0)).toHaveLength(1);
      const open = await listLoans(env.ctx, libraryId, { open: true, page: 1, pageSize: 20 });
      expect(open.total).toBe(2);
      expect(open.items.some((l) => new Date(l.dueAt) < env.clock.now())).toBe(true);
      // Returned ten days ago: out of quarantine, available again, its patron forgotten unless kept.
      expect((await itemHistory(env.ctx, libraryId, `${code}-C-0003`)).item.status).toBe('available');
      expect((await itemHistory(env.ctx, libraryId, `${code}-C-0005`)).item.status).toBe('available');
    }
    const { rows } = await sql<{ quarantine_hours: number }>`
      select quarantine_hours from circulation_library_settings where organization_id = ${demo.organizations.NOVLIB!}`.execute(
      env.ctx.db,
    );
    expect(rows[0]!.quarantine_hours).toBe(72);
  });
});
