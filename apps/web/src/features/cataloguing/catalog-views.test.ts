import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { organizationQuery } from '../organizations/OrganizationPage';
import { catalogSearchQuery } from '../catalog/SearchPage';
import { workQuery } from '../catalog/WorkPage';
import { refreshCatalogViews } from './catalog-views';

describe('after a change in cataloguing', () => {
  it('makes the public work pages and search results out of date (by their real query keys), nothing else', async () => {
    const client = new QueryClient();
    const work = workQuery('w1').queryKey;
    const otherWork = workQuery('w2').queryKey;
    const search = catalogSearchQuery({ q: 'earthsea', page: 2 }).queryKey;
    const clustering = ['catalog-work-clustering', 'w1'];
    const library = organizationQuery('lib').queryKey;
    for (const key of [work, otherWork, search, clustering, library]) client.setQueryData(key, { any: 'data' });
    const stale = (key: readonly unknown[]) => client.getQueryState(key)?.isInvalidated;
    expect([work, otherWork, search, clustering, library].map(stale)).toEqual([false, false, false, false, false]);

    await refreshCatalogViews(client);

    expect([work, otherWork, search, clustering].map(stale)).toEqual([true, true, true, true]);
    expect(stale(library)).toBe(false);
  });
});
