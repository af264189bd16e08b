import { CatalogSearchQuery } from '@athenaeum/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../test/context.js';
import { searchCatalog } from '../modules/catalog/index.js';
import { seedDemoNetwork, type DemoSummary } from './seed.js';

let env: TestEnv;
let demo: DemoSummary;
beforeAll(async () => {
  env = await createTestEnv();
  demo = await seedDemoNetwork(env.ctx);
  await env.drainJobs();
}, 180_000);

describe('demo network', () => {
  it('has one alliance, two associations in two countries, four libraries with two branches each', async () => {
    const list = async (q: string) =>
      (await env.app.inject({ method: 'GET', url: `/api/v1/organizations?${q}&pageSize=100` })).json();
    expect((await list('kind=alliance')).total).toBe(1);
    const associations = (await list('kind=association')).items;
    expect(new Set(associations.map((a: { country: string }) => a.country)).size).toBe(2);
    expect((await list('kind=library')).total).toBe(4);
    expect((await list('kind=branch')).total).toBe(8);
  });

  it('prints sign-ins that work', async () => {
    expect(demo.signIns.map((s) => s.email)).toContain('admin@demo.athenaeum.org');
    for (const s of demo.signIns) {
      const res = await env.app.inject({
        method: 'POST',
        url: '/api/v1/sessions',
        payload: { email: s.email, password: s.password },
      });
      expect(res.statusCode, s.email).toBe(201);
    }
  });

  it('has a multilingual catalogue across all four libraries where works are held by several libraries', async () => {
    const all = await searchCatalog(env.ctx, CatalogSearchQuery.parse({ q: '' }));
    expect(all.total).toBeGreaterThan(500);
    expect(all.facets.library).toHaveLength(4);
    expect(all.facets.language.length).toBeGreaterThanOrEqual(6);
    const shared = await searchCatalog(env.ctx, CatalogSearchQuery.parse({ q: '', pageSize: 100 }));
    expect(shared.items.some((w) => w.libraryCount >= 2)).toBe(true);
    expect(all.facets.available).toBeGreaterThan(0);
  });
});
